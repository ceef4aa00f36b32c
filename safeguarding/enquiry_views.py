"""The enquiry page and its forms. Each form posts to its own URL; an error shows the page again
with that form's errors and what was typed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.forms import form_submit, page_form_post
from ascm.core.policies import policy_required

from . import enquiries, selectors
from .forms import (
    ActionForm,
    AllegationConcludeForm,
    AllegationForm,
    ConcludeForm,
    MeetingForm,
    OfficerForm,
    PersonalForm,
    ReopenForm,
)
from .models import Allegation, PlanAction
from .permissions import enquiry_policy

FORMS = {"officer_form": OfficerForm, "personal_form": PersonalForm, "allegation_form": AllegationForm,
         "meeting_form": MeetingForm, "action_form": ActionForm, "conclude_form": ConcludeForm, "reopen_form": ReopenForm}


def _page(request, enquiry, status=200, bound=None, conclude_allegation=None):
    audit_record_view(user=request.user, instance=enquiry, reason="Safeguarding enquiry viewed")
    context = {"enquiry": enquiry, "concern": enquiry.adult.concern, **selectors.enquiry_detail(enquiry=enquiry)}
    initial = {"personal_form": {k: getattr(enquiry, k) for k in ("outcomes_asked", "desired_outcomes", "not_asked_reason",
                                                                  "capacity", "support", "no_advocate_reason")}
               | {"substantial_difficulty": {True: "yes", False: "no"}.get(enquiry.substantial_difficulty)},
               "officer_form": {"officer": enquiry.officer_id}}
    for name, form_class in FORMS.items():
        context[name] = bound if bound is not None and isinstance(bound, form_class) else form_class(initial=initial.get(name))
    for allegation in context["allegations"]:
        allegation.conclude_form = (conclude_allegation if conclude_allegation is not None
                                    and conclude_allegation.prefix == f"a{allegation.pk}"
                                    else AllegationConcludeForm(prefix=f"a{allegation.pk}"))
    context["form"] = bound if bound is not None else conclude_allegation  # the error summary shows its errors
    return render(request, "safeguarding/enquiry.html", context, status=status)


@policy_required(enquiry_policy, "view")
def enquiry_detail(request, pk: int):
    return _page(request, selectors.enquiry_get(user=request.user, pk=pk))


def _post(request, pk, form_class, act, success):
    return page_form_post(request, get=lambda: selectors.enquiry_get(user=request.user, pk=pk), page=_page,
                          form_class=form_class, act=act, success=success)


@require_POST
@policy_required(enquiry_policy, "view")
def officer(request, pk: int):
    return _post(request, pk, OfficerForm, lambda e, f: enquiries.enquiry_allocate(
        user=request.user, enquiry=e, officer=f.cleaned_data["officer"]), "Enquiry officer allocated")


@require_POST
@policy_required(enquiry_policy, "view")
def personal(request, pk: int):
    return _post(request, pk, PersonalForm, lambda e, f: enquiries.enquiry_personal(
        user=request.user, enquiry=e, **f.service_arguments()), "What the person wants is recorded")


@require_POST
@policy_required(enquiry_policy, "view")
def allegation_add(request, pk: int):
    return _post(request, pk, AllegationForm, lambda e, f: enquiries.allegation_add(
        user=request.user, enquiry=e, **f.cleaned_data), "Allegation added")


@require_POST
@policy_required(enquiry_policy, "view")
def allegation_conclude(request, pk: int):
    allegation = Allegation.objects.filter(pk=pk, enquiry__in=enquiry_policy.instances(request.user)).first()
    if allegation is None:
        raise Http404("Not found")
    form = AllegationConcludeForm(request.POST, prefix=f"a{allegation.pk}")
    if form_submit(form, lambda f: enquiries.allegation_conclude(user=request.user, allegation=allegation,
                                                                  **f.cleaned_data)):
        messages.success(request, f"{allegation.get_risk_type_display()}: concluded")
        return redirect(allegation.enquiry)
    return _page(request, selectors.enquiry_get(user=request.user, pk=allegation.enquiry_id), status=400,
                 conclude_allegation=form)


@require_POST
@policy_required(enquiry_policy, "view")
def meeting_add(request, pk: int):
    return _post(request, pk, MeetingForm, lambda e, f: enquiries.meeting_add(
        user=request.user, enquiry=e, **f.cleaned_data), "Strategy discussion recorded")


@require_POST
@policy_required(enquiry_policy, "view")
def action_add(request, pk: int):
    return _post(request, pk, ActionForm, lambda e, f: enquiries.action_add(
        user=request.user, enquiry=e, **f.cleaned_data), "Action added to the safeguarding plan")


@require_POST
@policy_required(enquiry_policy, "view")
def action_done(request, pk: int):
    plan_action = PlanAction.objects.filter(pk=pk, enquiry__in=enquiry_policy.instances(request.user)).first()
    if plan_action is None:
        raise Http404("Not found")
    enquiries.action_done(user=request.user, plan_action=plan_action)
    messages.success(request, "Action done")
    return redirect(plan_action.enquiry)


@require_POST
@policy_required(enquiry_policy, "view")
def conclude(request, pk: int):
    return _post(request, pk, ConcludeForm, lambda e, f: enquiries.enquiry_conclude(
        user=request.user, enquiry=e, **f.service_arguments()), "Enquiry concluded")


@require_POST
@policy_required(enquiry_policy, "view")
def reopen(request, pk: int):
    return _post(request, pk, ReopenForm, lambda e, f: enquiries.enquiry_reopen(
        user=request.user, enquiry=e, reason=f.cleaned_data["reason"]), "Enquiry reopened")


