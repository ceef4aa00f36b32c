"""Browser pages for locality MDT meetings and the team managers' caseload review (thin: rules in
services.py, reads in selectors.py)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_views
from ascm.core.forms import form_add_service_errors
from ascm.core.messages import service_call_with_message
from ascm.core.policies import policy_required
from ascm.core.views import redirect_next
from ascm.organisation.models import Locality
from ascm.organisation.selectors import user_locality_ids
from clients.selectors import client_get_for_user

from . import selectors, services
from .forms import (
    ActionForm,
    AgendaAddForm,
    AgendaWithdrawForm,
    DiscussionForm,
    MeetingForm,
    PartnerAttendeeForm,
    ReallocateForm,
    StaffAttendeeForm,
)
from .permissions import action_policy, agenda_item_policy, caseload_review_policy, meeting_policy


@policy_required(meeting_policy, "view")
def meeting_list(request):
    meetings = selectors.meetings_for_user(user=request.user).select_related("gp_practice", "hub", "locality")
    now = timezone.now()
    return render(request, "mdt/meeting_list.html", {
        "upcoming": list(meetings.filter(starts_at__gte=now - datetime.timedelta(hours=3), status="scheduled")
                         .order_by("starts_at")[:30]),
        "past": list(meetings.filter(starts_at__lt=now).exclude(status="scheduled").order_by("-starts_at")[:30]),
    })


@policy_required(meeting_policy, "add")
def meeting_create(request):
    localities = Locality.objects.filter(pk__in=user_locality_ids(request.user)).order_by("name")
    form = MeetingForm(request.POST if request.method == "POST" else None, localities=localities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                user=request.user, locality=data["locality"], title=data["title"], starts_at=data["starts_at"],
                gp_practice=data["gp_practice"], hub=data["hub"], chair=request.user, every_weeks=data["every_weeks"],
                until=data["until"])
        except ValidationError as error:
            form_add_service_errors(form, error, aliases={"starts_at": "date"})
        else:
            messages.success(request, "Meeting scheduled" + (" with its repeats for the next 12 weeks"
                                                             if data["every_weeks"] else ""))
            return redirect("mdt:meeting", pk=meeting.pk)
    return render(request, "mdt/meeting_form.html", {"form": form})


def _meeting_context(request, meeting, **extra):
    return {"meeting": meeting, "agenda": selectors.meeting_agenda(meeting=meeting),
            "withdrawn": list(meeting.agenda.filter(withdrawn_at__isnull=False).select_related("client")),
            "attendees": list(meeting.attendees.select_related("user")),
            "staff_form": StaffAttendeeForm(meeting=meeting), "partner_form": PartnerAttendeeForm(), **extra}


@policy_required(meeting_policy, "view")
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(request, "mdt/meeting_detail.html", _meeting_context(request, meeting))


@require_POST
@policy_required(meeting_policy, "add_attendee")
def attendee_add(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    partner = request.POST.get("kind") == "partner"
    form = (PartnerAttendeeForm if partner else StaffAttendeeForm)(request.POST, **({} if partner else {"meeting": meeting}))
    if form.is_valid():
        try:
            services.attendee_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Attendee added")
            return redirect("mdt:meeting", pk=meeting.pk)
    extra = {"partner_form": form} if partner else {"staff_form": form}
    return render(request, "mdt/meeting_detail.html", {**_meeting_context(request, meeting), **extra, "form": form},
                  status=400)


@require_POST
@policy_required(meeting_policy, "change")
def meeting_cancel(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    service_call_with_message(request, lambda: services.meeting_cancel(user=request.user, meeting=meeting),
                              success="Meeting cancelled")
    return redirect("mdt:meeting", pk=meeting.pk)


@policy_required(agenda_item_policy, "add")
def agenda_add(request, client_pk: int):
    """Add a person to an MDT agenda, from their record."""
    client = client_get_for_user(user=request.user, pk=client_pk)
    meetings = selectors.meetings_for_user(user=request.user).filter(status="scheduled", starts_at__gte=timezone.now())
    if client.locality_id:
        meetings = meetings.filter(locality_id=client.locality_id)
    meetings = meetings.select_related("gp_practice", "hub").order_by("starts_at")
    first = meetings.first()
    form = AgendaAddForm(request.POST if request.method == "POST" else None, meetings=meetings,
                         initial={"meeting": first})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_add(user=request.user, client=client, **data)
        except ValidationError as error:
            form_add_service_errors(form, error, aliases={"client": "meeting"})
        else:
            messages.success(request, f"{client} is on the agenda")
            return redirect("mdt:meeting", pk=item.meeting_id)
    return render(request, "mdt/agenda_form.html", {"form": form, "client": client,
                                                    "without_consent": client.consent_to_share != "given"})


@policy_required(agenda_item_policy, "change")
def agenda_withdraw(request, pk: int):
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    form = AgendaWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_withdraw(user=request.user, item=item, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{item.client} is off the agenda")
            return redirect("mdt:meeting", pk=item.meeting_id)
    return render(request, "mdt/agenda_withdraw.html", {"form": form, "item": item, "meeting": item.meeting})


@policy_required(agenda_item_policy, "change")
def discussion(request, pk: int):
    """Record the discussion of one person and, optionally, an action."""
    item = selectors.agenda_item_get_for_user(user=request.user, pk=pk)
    meeting = item.meeting
    # Say so before anything is typed, not after.
    if not meeting.discussion_open:
        messages.info(request, "The discussion can be recorded once the meeting has started")
        return redirect("mdt:meeting", pk=meeting.pk)
    if not selectors.meeting_user_may_record(user=request.user, meeting=meeting, client=item.client):
        raise PermissionDenied("Only the meeting's chair, its attendees and staff who work with the person "
                               "can record the discussion")
    post = request.POST if request.method == "POST" else None
    form = DiscussionForm(post, initial={"summary": item.summary, "decisions": item.decisions})
    action_form = ActionForm(post, prefix="action", meeting=meeting)
    if request.method == "POST" and form.is_valid() & action_form.is_valid():
        try:
            with transaction.atomic():
                services.discussion_record(user=request.user, item=item, **form.cleaned_data)
                if action_form.wanted:
                    owner, attendee = action_form.owner_objects()
                    try:
                        services.action_add(user=request.user, item=item, owner=owner, owner_attendee=attendee,
                                            description=action_form.cleaned_data["description"],
                                            due_on=action_form.cleaned_data["due_on"])
                    except ValidationError as error:
                        form_add_service_errors(action_form, error)
                        raise
        except ValidationError as error:
            if not action_form.errors:
                form_add_service_errors(form, error)
        else:
            messages.success(request, f"Discussion of {item.client} recorded in their chronology")
            if "another" in request.POST:
                return redirect("mdt:discussion", pk=item.pk)
            return redirect("mdt:meeting", pk=meeting.pk)
    actions = list(item.actions.select_related("owner", "owner_attendee"))
    errors = form.error_summary + action_form.error_summary if request.method == "POST" else []
    return render(request, "mdt/discussion_form.html", {
        "item": item, "meeting": meeting, "form": form, "action_form": action_form, "actions": actions,
        "errors": errors})


@require_POST
@policy_required(action_policy, "change")
def action_status(request, pk: int):
    action = selectors.action_get_for_user(user=request.user, pk=pk)
    status = request.POST.get("status", "")
    service_call_with_message(request, lambda: services.action_set_status(user=request.user, action=action, status=status),
                              success=f"Action marked {dict(action.Status.choices).get(status, status).lower()}")
    return redirect_next(request, "care:work")


def _pack(request, pk: int):
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    agenda = selectors.meeting_pack_agenda(user=request.user, meeting=meeting)
    # The pack shows each person's record summary: every view is audited (one insert for all).
    audit_record_views(user=request.user, instances=[item.client for item in agenda], reason=f"MDT meeting pack: {meeting}")
    return meeting, agenda


@policy_required(meeting_policy, "view")
def meeting_pack(request, pk: int):
    """The printable pack: agenda and the summary attendees need; no safeguarding detail beyond a flag."""
    meeting, agenda = _pack(request, pk)
    return render(request, "mdt/meeting_pack.html", {"meeting": meeting, "agenda": agenda,
                                                     "attendees": list(meeting.attendees.select_related("user"))})


@policy_required(meeting_policy, "view")
def meeting_pack_pdf(request, pk: int):
    from ascm.core.documents import document_pdf, pdf_response

    meeting, agenda = _pack(request, pk)
    pdf = document_pdf("mdt/documents/meeting_pack.html", {
        "meeting": meeting, "agenda": agenda, "attendees": list(meeting.attendees.select_related("user"))},
        title=f"MDT meeting pack: {meeting.title}")
    return pdf_response(pdf, f"mdt-pack-{meeting.pk}.pdf")


# The caseload review ---------------------------------------------------------------------------------


def _review_scope(request):
    teams = selectors.managed_teams(user=request.user)
    chosen = teams
    from pathways.referrals.models import Pathway

    team, locality, pathway = request.GET.get("team", ""), request.GET.get("locality", ""), request.GET.get("pathway", "")
    # Filters are choices: anything else (a NUL byte, a word) is ignored rather than sent to the database.
    if team.isascii() and team.isdigit():
        chosen = chosen.filter(pk=int(team))
    if locality.isascii() and locality.isdigit():
        chosen = chosen.filter(locality_id=int(locality))
    return teams, list(chosen.values_list("pk", flat=True)), pathway if pathway in Pathway.values else ""


@policy_required(caseload_review_policy, "view")
def caseload_review(request):
    from pathways.referrals.models import Pathway

    teams, team_ids, pathway = _review_scope(request)
    review = selectors.caseload_review(team_ids=team_ids, pathway=pathway)
    all_teams = list(teams)
    return render(request, "mdt/caseload_review.html", {
        **review, "all_teams": all_teams, "localities": sorted({t.locality for t in all_teams}, key=lambda x: x.name),
        "pathways": Pathway.choices, "query": request.GET.urlencode(), "selected": request.GET})


@policy_required(caseload_review_policy, "view")
def caseload_drilldown(request, worker_pk: int, figure: str):
    from ascm.accounts.models import User
    from ascm.organisation.models import TeamMembership

    teams, team_ids, pathway = _review_scope(request)
    memberships = TeamMembership.objects.filter(team_id__in=team_ids, user_id=worker_pk, ended_on__isnull=True)
    if figure not in selectors.FIGURES or not memberships.exists():
        raise Http404("Not in your teams")
    worker = User.objects.get(pk=worker_pk)
    rows = selectors.caseload_drilldown(worker_id=worker.pk, team_ids=team_ids, figure=figure, pathway=pathway)
    form = None
    if figure == "allocated" and caseload_review_policy.user_may(request.user, "reallocate"):
        form = _reallocate_form(request, rows, memberships)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            team = memberships.select_related("team").first().team
            by_team = {a.client_id: a.team for a in rows}
            team = by_team.get(data["client_ids"][0], team)
            try:
                moved = services.caseload_reallocate(user=request.user, team=team, client_ids=data["client_ids"],
                                                     to_worker=data["to_worker"], reason=data["reason"])
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, f"{len(moved)} {'person' if len(moved) == 1 else 'people'} reallocated to "
                                          f"{data['to_worker'].get_full_name()}")
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    return render(request, "mdt/caseload_drilldown.html", {
        "worker": worker, "figure": figure, "label": selectors.FIGURES[figure], "rows": rows, "form": form,
        "query": request.GET.urlencode(), "today": timezone.localdate()}, status=400 if form and form.errors else 200)


def _reallocate_form(request, rows, memberships):
    from ascm.accounts.models import User
    from clients.permissions import client_policy

    holders = client_policy.memberships_with("hold_caseload", team_ids=memberships.values("team")).values("user")
    workers = User.objects.filter(pk__in=holders).order_by("last_name", "first_name")
    people = [(a.client_id, str(a.client)) for a in rows]
    return ReallocateForm(request.POST if request.method == "POST" else None, people=people, workers=workers)


@policy_required(caseload_review_policy, "view")
def locality_overview(request):
    localities = Locality.objects.filter(pk__in=user_locality_ids(request.user)).order_by("name")
    days = 90
    since = timezone.localdate() - datetime.timedelta(days=days)
    return render(request, "mdt/locality_overview.html", {
        "rows": selectors.locality_overview(locality_ids=[loc.pk for loc in localities], since=since),
        "localities": localities, "since": since})

