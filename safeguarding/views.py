"""Safeguarding pages. Each asks the ConcernPolicy: a concern out of reach is a 404, as is a guess."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required
from clients.selectors import client_get_for_user

from . import selectors, services
from .forms import AccessForm, AddAdultForm, ConcernForm, DecisionForm, DecisionTargetForm, RevokeForm
from .models import AdultAtRisk, DecisionTarget, SafeguardingAccess, SafeguardingConcern
from .permissions import adult_at_risk_policy, concern_policy, decision_target_policy


@policy_required(concern_policy, "view")
def queue(request):
    return render(request, "safeguarding/queue.html", {
        "concerns": selectors.concern_queue(user=request.user),
        "decided": selectors.concerns_decided(user=request.user),
        "enquiries": selectors.enquiries_open(user=request.user),
        "actions_overdue": selectors.actions_overdue(user=request.user)})


@policy_required(concern_policy, "view")
def overview(request):
    """The safeguarding lead's overview, per locality they may see."""
    return render(request, "safeguarding/overview.html", {"rows": selectors.locality_overview(user=request.user)})


@policy_required(concern_policy, "add")
def concern_raise(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    form = ConcernForm(request.POST if request.method == "POST" else None,
                       initial={"raised_by_name": request.user.get_full_name()})
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_raise(user=request.user, clients=[client], source=SafeguardingConcern.Source.RECORD,
                                   **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "The concern has gone to the safeguarding team. They will contact you if they need to.")
            return redirect("clients:record", pk=client.pk)
    return render(request, "safeguarding/concern_form.html", {"form": form, "client": client},
                  status=400 if form.errors else 200)


def _detail(request, concern, status=200, **forms):
    audit_record_view(user=request.user, instance=concern, reason="Safeguarding concern viewed")
    context = {"concern": concern, **selectors.concern_detail(concern=concern),
               "access_form": forms.get("access_form") or AccessForm(),
               "adult_form": forms.get("adult_form") or AddAdultForm(),
               "can_change": concern_policy.user_may(request.user, "change"),
               "can_decide": concern_policy.user_may(request.user, "decide"),
               "can_grant": concern_policy.user_may(request.user, "grant"),
               "form": forms.get("access_form") or forms.get("adult_form")}
    return render(request, "safeguarding/concern_detail.html", context, status=status)


@policy_required(concern_policy, "view")
def concern_detail(request, pk: int):
    return _detail(request, selectors.concern_get(user=request.user, pk=pk))


@policy_required(concern_policy, "decide")
def decision(request, pk: int):
    adult = adult_at_risk_policy.get(request.user, pk, queryset=AdultAtRisk.objects.select_related("concern", "client"))
    concern = adult.concern
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if adult.decided_at is not None:
        messages.info(request, "This decision has already been made.")
        return redirect(concern)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(user=request.user, adult=adult, **form.service_arguments())
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Decision recorded for {adult.client}")
            return redirect(concern)
    return render(request, "safeguarding/decision_form.html", {"form": form, "adult": adult, "concern": concern},
                  status=400 if form.errors else 200)


@require_POST
@policy_required(concern_policy, "grant")
def access_grant(request, pk: int):
    concern = selectors.concern_get(user=request.user, pk=pk)
    form = AccessForm(request.POST)
    if form.is_valid():
        try:
            access = services.access_grant(user=request.user, concern=concern, grantee=form.cleaned_data["user"],
                                           reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{access.user.get_full_name() or access.user} can now see this concern")
            return redirect(concern)
    return _detail(request, concern, status=400, access_form=form)


@require_POST
@policy_required(concern_policy, "change")
def adult_add(request, pk: int):
    concern = selectors.concern_get(user=request.user, pk=pk)
    form = AddAdultForm(request.POST)
    if form.is_valid():
        try:
            adult = services.concern_add_adult(user=request.user, concern=concern, nhs_number=form.cleaned_data["nhs_number"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{adult.client} added: their own decision is needed")
            return redirect(concern)
    return _detail(request, concern, status=400, adult_form=form)


@require_POST
@policy_required(concern_policy, "grant")
def access_revoke(request, pk: int):
    access = SafeguardingAccess.objects.filter(pk=pk, concern__in=concern_policy.instances(request.user)).first()
    if access is None:
        from django.http import Http404

        raise Http404("Not found")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.access_revoke(user=request.user, access=access, reason=form.cleaned_data["revoke_reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{access.user.get_full_name() or access.user} can no longer see this concern")
    else:
        messages.error(request, "Give the reason the access is taken away")
    return redirect(access.concern)


@policy_required(decision_target_policy, "view")
def targets(request):
    form = DecisionTargetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not decision_target_policy.user_may(request.user, "add"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                target = services.decision_target_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"From {target.applies_from:%-d %B %Y}, decisions are due within "
                                          f"{target.working_days} working days")
                return redirect("safeguarding:targets")
    return render(request, "safeguarding/targets.html", {
        "form": form, "targets": DecisionTarget.objects.select_related("set_by"),
        "default": DecisionTarget.DEFAULT_WORKING_DAYS}, status=400 if form.errors else 200)
