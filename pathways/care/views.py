"""Browser pages for assessments, care and support plans, reviews and the work pages (thin: the rules
live in assessments.py and plans.py, the reads in selectors.py)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.forms import form_add_service_errors
from ascm.core.messages import service_call_with_message
from ascm.core.policies import policy_required
from clients.permissions import client_policy
from clients.selectors import client_get_for_user
from pathways.referrals.selectors import referral_get_for_user

from . import assessments, plans, selectors, services
from .eligibility import UNABLE_REASONS
from .forms import (
    AssessmentReturnForm,
    AssessmentSectionForm,
    AssessmentStartForm,
    AssessmentSubmitForm,
    ReviewForm,
    SupportPlanForm,
)
from .models import Assessment
from .permissions import assessment_policy, episode_policy, review_policy, support_plan_policy

AUTOSAVE_HEADER = "HTTP_X_ASCM_AUTOSAVE"


# Assessments ----------------------------------------------------------------------------------------


@policy_required(assessment_policy, "add")
def assessment_start(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    form = AssessmentStartForm(request.POST if request.method == "POST" else None, client=client,
                               initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessments.assessment_create(user=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("care:assessment-section", pk=assessment.pk, section="about")
    return render(request, "pathways/assessment_start.html", {"form": form, "client": client})


def _sections(assessment) -> list[tuple[str, str]]:
    return [(key, title) for key, title, _ in assessments.assessment_sections(assessment.kind)]


def _section_answers(assessment, section: str, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs of one question page, as the summary and the conflict screen show them."""
    rows = []
    for key, _title, questions in assessments.assessment_sections(assessment.kind):
        if key != section:
            continue
        for name, label, kind, _ in questions:
            value = answers.get(name)
            if kind == "yesno":
                value = {True: "Yes", False: "No"}.get(value, "Not answered")
            elif isinstance(value, list):
                value = "\n".join(value)
            rows.append((label, value or "Not answered"))
        if key == "outcomes":
            given = answers.get("outcomes", {})
            for code, label in assessments.assessment_outcomes(assessment.kind).items():
                answer = given.get(code, {})
                if answer.get("unable") is None:
                    text = "Not answered"
                elif answer["unable"]:
                    text = UNABLE_REASONS.get(answer.get("reason"), "Unable to achieve it (reason not given)")
                else:
                    text = "Able to achieve it"
                if answer.get("detail"):
                    text += f"\n{answer['detail']}"
                rows.append((label, text))
    return rows


def _summary(assessment, answers=None) -> list[tuple[str, str, list]]:
    answers = assessment.answers if answers is None else answers
    return [(key, title, _section_answers(assessment, key, answers)) for key, title in _sections(assessment)]


@policy_required(assessment_policy, "view")
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    audit_record_view(user=request.user, instance=assessment)
    return _render_detail(request, assessment, AssessmentReturnForm())


def _render_detail(request, assessment, return_form, status=200):
    can_sign_off = (assessment_policy.user_may(request.user, "sign_off") and assessment.author_id != request.user.pk
                    and assessment.status == Assessment.Status.SUBMITTED)
    return render(request, "pathways/assessment_detail.html", {
        "assessment": assessment, "client": assessment.client, "summary": _summary(assessment),
        "can_sign_off": can_sign_off, "return_form": return_form, "form": return_form,
    }, status=status)


@policy_required(assessment_policy, "change")
def assessment_continue(request, pk: int):
    """Reopen a draft where it was left: the question page last saved (the first for a new one)."""
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    keys = [key for key, _ in _sections(assessment)]
    section = assessment.last_section if assessment.last_section in keys else keys[0]
    return redirect("care:assessment-section", pk=assessment.pk, section=section)


@policy_required(assessment_policy, "change")
def assessment_section(request, pk: int, section: str):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    sections = _sections(assessment)
    keys = [key for key, _ in sections]
    if section not in keys:
        raise Http404("No such section")
    if assessment.is_locked:
        messages.info(request, "This assessment has been submitted: it can no longer be edited")
        return redirect("care:assessment", pk=assessment.pk)
    autosave = request.META.get(AUTOSAVE_HEADER) == "1"
    theirs = None
    if request.method == "POST":
        form = AssessmentSectionForm(request.POST, assessment=assessment, section=section)
        if form.is_valid():
            try:
                assessment = assessments.assessment_save_draft(
                    user=request.user, assessment=assessment, expected_version=form.cleaned_data["version"],
                    answers=form.answers(), section=section)
            except assessments.DraftConflict as conflict:
                if autosave:
                    return JsonResponse({"message": conflict.messages[0]}, status=409)
                # Keep what they typed; show the other person's version beside it. Saving again is
                # now a deliberate choice, so the form carries the latest version number.
                data = request.POST.copy()
                data["version"] = conflict.current.version
                form = AssessmentSectionForm(data, assessment=conflict.current, section=section)
                form.is_valid()
                form.add_error(None, conflict)
                theirs = _section_answers(assessment, section, conflict.current.answers)
            except ValidationError as error:
                if autosave:
                    return JsonResponse({"message": " ".join(error.messages)}, status=400)
                form_add_service_errors(form, error)
            else:
                if autosave:
                    return JsonResponse({"version": assessment.version,
                                         "saved_at": timezone.localtime(assessment.updated_at).strftime("%H:%M:%S")})
                goto = request.POST.get("goto", "continue")
                if goto == "save":
                    messages.success(request, "Draft saved")
                    return redirect("care:assessment-section", pk=assessment.pk, section=section)
                if goto in keys:
                    return redirect("care:assessment-section", pk=assessment.pk, section=goto)
                following = keys.index(section) + 1
                if goto == "check" or following >= len(keys):
                    return redirect("care:assessment-check", pk=assessment.pk)
                return redirect("care:assessment-section", pk=assessment.pk, section=keys[following])
        elif autosave:
            return JsonResponse({"message": "Some answers are too long to save"}, status=400)
    else:
        form = AssessmentSectionForm(assessment=assessment, section=section)
    title = dict(sections)[section]
    return render(request, "pathways/assessment_section.html", {
        "assessment": assessment, "client": assessment.client, "form": form, "section": section, "title": title,
        "sections": sections, "theirs": theirs, "step": keys.index(section) + 1,
        "autosave_seconds": settings.ASCM_AUTOSAVE_SECONDS,
    }, status=409 if theirs is not None else 200)


@policy_required(assessment_policy, "change")
def assessment_check(request, pk: int):
    """Check the answers, see the determination with its reasoning, confirm it (or say why not), submit."""
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    if assessment.is_locked:
        return redirect("care:assessment", pk=assessment.pk)
    form = AssessmentSubmitForm(request.POST if request.method == "POST" else None,
                                initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessments.assessment_submit(user=request.user, assessment=assessment, expected_version=data["version"],
                                          practitioner_agrees=data["practitioner_agrees"] == "yes",
                                          disagreement_reason=data["disagreement_reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Assessment submitted for sign-off")
            return redirect("care:assessment", pk=assessment.pk)
    determination, missing = assessments.assessment_determination_preview(assessment)
    missing_items = []
    if missing is not None:
        for field, errors in missing.message_dict.items():
            section = assessments.section_of_error(field)
            missing_items += [(reverse("care:assessment-section", args=[assessment.pk, section]), e) for e in errors]
    return render(request, "pathways/assessment_check.html", {
        "assessment": assessment, "client": assessment.client, "form": form, "summary": _summary(assessment),
        "determination": determination, "missing": missing_items, "sections": _sections(assessment),
    })


@policy_required(assessment_policy, "view")
def assessment_print(request, pk: int):
    """The copy of the assessment the person is given (Care Act 2014 s12(3)): plain words, no notes
    on the case beyond the answers and the determination."""
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    audit_record_view(user=request.user, instance=assessment, reason="Printed a copy for the person")
    allocation = assessment.client.allocations.filter(ended_on__isnull=True).select_related("team").first()
    context = {"assessment": assessment, "client": assessment.client, "summary": _summary(assessment),
               "allocation": allocation}
    if request.GET.get("format") == "pdf":
        return _document_pdf("pathways/documents/assessment.html", context, title="Your carer's assessment" if assessment.kind == "carer"
                             else "Your assessment of your care and support needs",
                             filename=f"assessment-{assessment.pk}.pdf")
    return render(request, "pathways/assessment_print.html", context)


def _document_pdf(template, context, *, title, filename):
    from ascm.core.documents import document_pdf, pdf_response

    return pdf_response(document_pdf(template, context, title=title), filename)


@require_POST
@policy_required(assessment_policy, "sign_off")
def assessment_sign_off(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    service_call_with_message(request, lambda: assessments.assessment_sign_off(user=request.user, assessment=assessment),
                              success="Assessment signed off")
    return redirect("care:assessment", pk=assessment.pk)


@require_POST
@policy_required(assessment_policy, "sign_off")
def assessment_return(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    form = AssessmentReturnForm(request.POST)
    if form.is_valid():
        try:
            assessments.assessment_return(user=request.user, assessment=assessment, comments=form.cleaned_data["comments"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Assessment returned to the author with your comments")
            return redirect("care:assessment", pk=assessment.pk)
    return _render_detail(request, assessment, form, status=400)


@require_POST
@policy_required(assessment_policy, "change")
def assessment_correct(request, pk: int):
    assessment = selectors.assessment_get_for_user(user=request.user, pk=pk)
    try:
        correction = assessments.assessment_correct(user=request.user, assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("care:assessment", pk=assessment.pk)
    messages.success(request, "A new version has been started: the signed-off assessment is kept as it was")
    return redirect("care:assessment-section", pk=correction.pk, section="about")


# Care and support plans and reviews --------------------------------------------------------------


@policy_required(support_plan_policy, "add")
def plan_create(request, client_pk: int):
    client = client_get_for_user(user=request.user, pk=client_pk)
    try:
        rows = int(request.POST.get("rows", 3))
    except ValueError:
        rows = 3
    latest = client.assessments.filter(status=Assessment.Status.SIGNED_OFF).order_by("-signed_off_at").first()
    episode = client.episodes.filter(ended_on__isnull=True).first()
    if request.method == "POST" and "add_row" in request.POST:
        # Another outcome row; what is typed stays, and nothing is validated yet.
        form = SupportPlanForm(request.POST, client=client, rows=rows + 1)
        form._errors = ErrorDict()
    else:
        form = SupportPlanForm(request.POST if request.method == "POST" else None, client=client, rows=rows,
                               initial={"assessment": latest, "episode": episode})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                plan = plans.plan_create(user=request.user, client=client, outcomes=data["outcomes"],
                                         contingency=data["contingency"],
                                         starts_on=data["starts_on"], episode=data["episode"],
                                         assessment=data["assessment"])
            except ValidationError as error:
                form_add_service_errors(form, error, aliases={"outcomes": "outcome_1"})
            else:
                messages.success(request, "Care and support plan saved; the first review is scheduled")
                return redirect("care:plan", pk=plan.pk)
    return render(request, "pathways/plan_form.html", {"form": form, "client": client})


@policy_required(support_plan_policy, "view")
def plan_detail(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    audit_record_view(user=request.user, instance=plan)
    from .extensions import plan_panels_for

    return render(request, "pathways/plan_detail.html", {
        "plan": plan, "client": plan.client, "outcomes": _plan_outcomes(plan),
        "panels": plan_panels_for(user=request.user, plan=plan),
        "reviews": plan.reviews.select_related("reviewer").order_by("-due_on"), "today": timezone.localdate()})


def _plan_outcomes(plan):
    return [{**item, "met_by_label": plans.MET_BY.get(item.get("met_by"), "")} for item in plan.outcomes]


@policy_required(support_plan_policy, "view")
def plan_print(request, pk: int):
    """The copy of the plan the person keeps: plain words, no case-management detail."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    audit_record_view(user=request.user, instance=plan, reason="Printed a copy for the person")
    allocation = plan.client.allocations.filter(ended_on__isnull=True).select_related("worker", "team").first()
    from .extensions import plan_panels_for

    context = {"plan": plan, "client": plan.client, "outcomes": _plan_outcomes(plan), "allocation": allocation,
               "panels": plan_panels_for(user=request.user, plan=plan, printed=True),
               "next_review": plan.reviews.filter(completed_on__isnull=True).order_by("due_on").first()}
    if request.GET.get("format") == "pdf":
        return _document_pdf("pathways/documents/plan.html", context, title="Your care and support plan",
                             filename=f"support-plan-{plan.pk}.pdf")
    return render(request, "pathways/plan_print.html", context)


@policy_required(review_policy, "change")
def review_record(request, pk: int):
    review = selectors.review_get_for_user(user=request.user, pk=pk)
    if review.completed_on:
        messages.info(request, "This review has already been recorded")
        return redirect("care:plan", pk=review.plan_id)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plans.review_complete(user=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            outcome = form.cleaned_data["outcome"]
            messages.success(request, {
                "continue": "Review recorded; the next review is scheduled",
                "revise_plan": "Review recorded: write the revised plan below",
                "change_pathway": "Review recorded: close the current episode with its outcome to move pathway",
                "close": "Review recorded and the plan has ended",
            }[outcome])
            if outcome == "revise_plan":
                return redirect("care:plan-create", client_pk=review.plan.client_id)
            if outcome == "change_pathway":
                # Straight on to closing the current episode, whose outcome hands on to the next pathway.
                episode = review.plan.episode if review.plan.episode and review.plan.episode.is_open else \
                    review.plan.client.episodes.filter(ended_on__isnull=True).first()
                if episode is not None:
                    return redirect("care:close-episode", pk=episode.pk)
                return redirect("clients:record", pk=review.plan.client_id)
            return redirect("care:plan", pk=review.plan_id)
    return render(request, "pathways/review_form.html", {"form": form, "review": review, "client": review.plan.client})


# Work pages ----------------------------------------------------------------------------------------


@policy_required(client_policy, "view")
def work(request):
    from ascm.core.extensions import panels_for_user

    from .extensions import work_panels

    return render(request, "pathways/work.html", {**selectors.work_page(user=request.user),
                                                  "panels": panels_for_user(work_panels, user=request.user)})


@policy_required(assessment_policy, "sign_off")
def overdue_reviews(request):
    today = timezone.localdate()
    reviews = selectors.overdue_reviews_for_manager(user=request.user, today=today)
    shown = list(reviews[:200])
    for review in shown:
        review.days_overdue = (today - review.due_on).days
    return render(request, "pathways/overdue_reviews.html", {
        "reviews": shown, "total": reviews.count() if len(shown) == 200 else len(shown)})


@policy_required(episode_policy, "add")
def episode_start_from_referral(request, pk: int):
    """Start a pathway episode from an allocated (or queued) referral; it closes the referral's triage."""
    from .forms import EpisodeStartForm

    referral = referral_get_for_user(user=request.user, pk=pk)
    form = EpisodeStartForm(request.POST if request.method == "POST" else None, initial={"pathway": referral.suggested_pathway})
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_start(user=request.user, client=referral.client, pathway=form.cleaned_data["pathway"],
                                   team=referral.team, worker=referral.allocated_to or request.user, referral=referral,
                                   started_on=form.cleaned_data["started_on"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Pathway episode started")
            return redirect("clients:record", pk=referral.client_id)
    return render(request, "pathways/episode_form.html", {"form": form, "client": referral.client,
                                                          "heading": "Start a pathway episode", "button": "Start episode"})


@policy_required(episode_policy, "change")
def episode_close(request, pk: int):
    from django.shortcuts import get_object_or_404

    from clients.selectors import client_get_for_user

    from .forms import EpisodeCloseForm
    from .models import Episode

    episode = get_object_or_404(Episode.objects.select_related("client"), pk=pk)
    client_get_for_user(user=request.user, pk=episode.client_id)  # 404 outside the user's reach
    form = EpisodeCloseForm(request.POST if request.method == "POST" else None, pathway=episode.pathway)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_close(user=request.user, episode=episode, outcome=form.cleaned_data["outcome"],
                                   ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Episode closed")
            return redirect("clients:record", pk=episode.client_id)
    return render(request, "pathways/episode_form.html", {
        "form": form, "client": episode.client, "heading": f"Close the {episode.get_pathway_display()} episode",
        "button": "Close episode"})
