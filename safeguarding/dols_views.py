"""DoLS pages: the queue of every open application with its deadline and breach, receiving an
application, and the application page with its forms (each posting to its own URL)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.forms import form_add_service_errors, form_submit
from ascm.core.policies import policy_required

from . import dols
from .forms import (
    DolsApplicationForm,
    DolsAssessmentForm,
    DolsDecisionForm,
    DolsExtendForm,
    DolsScreenForm,
    DolsStatusForm,
)
from .models_dols import LibertyApplication, LibertyAssessment
from .permissions import dols_policy

FORMS = {"screen_form": DolsScreenForm, "extend_form": DolsExtendForm, "assessment_form": DolsAssessmentForm,
         "decision_form": DolsDecisionForm, "status_form": DolsStatusForm}


def dols_queue_items(user, today=None):
    """Every open application the user may see — all priorities — with its deadline and days in
    breach, most in breach first (two queries)."""
    today = today or timezone.localdate()
    items = list(dols_policy.instances(user).filter(status__in=LibertyApplication.OPEN)
                 .select_related("client", "managing_authority", "urgent").order_by("received_on", "pk")[:5000])
    for item in items:
        item.due_on = item.deadline()
        item.breach_days = max(0, (today - item.due_on).days)
    items.sort(key=lambda a: (-a.breach_days, a.due_on, a.pk))
    return items


@policy_required(dols_policy, "view")
def queue(request):
    items = dols_queue_items(request.user)
    return render(request, "safeguarding/dols_queue.html", {
        "items": items[:500], "total": len(items), "breaches": sum(1 for i in items if i.breach_days)})


@policy_required(dols_policy, "add")
def receive(request):
    from clients.identifiers import nhs_number_normalise
    from clients.models import Client

    form = DolsApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        number = nhs_number_normalise(data.pop("nhs_number"))
        client = Client.objects.filter(nhs_number=number, archived_at__isnull=True).first() if number else None
        if client is None:
            form.add_error("nhs_number", "No one on ASCM has that NHS number: record the person first")
        else:
            try:
                application = dols.application_receive(user=request.user, client=client, **data)
            except ValidationError as error:
                form_add_service_errors(form, error, aliases={"client": "nhs_number"})
            else:
                messages.success(request, f"Application {application.reference} received: decision due "
                                          f"{application.deadline():%-d %B %Y}")
                return redirect(application)
    return render(request, "safeguarding/dols_form.html", {"form": form}, status=400 if form.errors else 200)


def _page(request, application, status=200, bound=None):
    audit_record_view(user=request.user, instance=application, reason="DoLS application viewed")
    assessments = {a.kind: a for a in application.assessments.select_related("assessor")}
    context = {"application": application, "form": bound,
               "assessments": [(label, assessments.get(code)) for code, label in LibertyAssessment.Kind.choices],
               "authorisation": getattr(application, "authorisation", None), "today": timezone.localdate(),
               "urgent": getattr(application, "urgent", None) if application.kind == "urgent" else None}
    for name, form_class in FORMS.items():
        context[name] = bound if isinstance(bound, form_class) else form_class()
    return render(request, "safeguarding/dols_application.html", context, status=status)


def _get(request, pk):
    return dols_policy.get(request.user, pk, queryset=LibertyApplication.objects.select_related(
        "client", "managing_authority", "urgent", "authorisation"))


@policy_required(dols_policy, "view")
def application(request, pk: int):
    return _page(request, _get(request, pk))


def _post(request, pk, form_class, act, success):
    item = _get(request, pk)
    form = form_class(request.POST)
    if form_submit(form, lambda f: act(item, f)):
        messages.success(request, success)
        return redirect(item)
    return _page(request, _get(request, pk), status=400, bound=form)


@require_POST
@policy_required(dols_policy, "change")
def screen(request, pk: int):
    return _post(request, pk, DolsScreenForm, lambda a, f: dols.application_screen(
        user=request.user, application=a, **f.service_arguments()), "Screening and priority recorded")


@require_POST
@policy_required(dols_policy, "change")
def extend(request, pk: int):
    return _post(request, pk, DolsExtendForm, lambda a, f: dols.urgent_extend(
        user=request.user, application=a, **f.cleaned_data), "Urgent authorisation extended")


@require_POST
@policy_required(dols_policy, "change")
def assessment(request, pk: int):
    return _post(request, pk, DolsAssessmentForm, lambda a, f: dols.assessment_record(
        user=request.user, application=a, **f.cleaned_data), "Assessment recorded")


@require_POST
@policy_required(dols_policy, "sign")
def decide(request, pk: int):
    return _post(request, pk, DolsDecisionForm, lambda a, f: dols.application_decide(
        user=request.user, application=a, **f.service_arguments()), "Decision recorded")


@require_POST
@policy_required(dols_policy, "change")
def authorisation_status(request, pk: int):
    def act(item, form):
        authorisation = getattr(item, "authorisation", None)
        if authorisation is None:
            raise ValidationError("There is no authorisation to change")
        dols.authorisation_change(user=request.user, authorisation=authorisation, **form.cleaned_data)

    return _post(request, pk, DolsStatusForm, act, "Authorisation updated")


def dols_record_panel(user, client) -> dict:
    """The person's record: the current authorisation or pending application and its end date (one
    query), for everyone who may open the record; the details stay with the DoLS team."""
    current = (LibertyApplication.objects.filter(client=client)
               .filter(Q(status__in=LibertyApplication.OPEN) | Q(authorisation__status="active"))
               .select_related("authorisation", "urgent", "managing_authority").order_by("-received_on").first())
    return {"application": current, "visible": bool(current and dols_policy.instances(user).filter(pk=current.pk).exists())}
