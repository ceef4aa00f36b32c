"""Writes for MDT meetings, agendas, discussions, actions and caseload reallocation."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ascm.notifications.services import notify
from clients.models import Allocation
from clients.reference import ConsentToShare, NoteType
from clients.services import allocation_end, allocation_start, note_add
from pathways.care.services import episodes_move_worker

from .models import Action, AgendaItem, Attendee, Meeting, MeetingSeries
from .selectors import meeting_is_members, meeting_user_may_record, meetings_for_user

SERIES_HORIZON_WEEKS = 12


def _refuse_past(starts_at, field: str) -> None:
    if starts_at < timezone.now():
        raise ValidationError({field: "A new meeting must be in the future: this date and time has passed"})


def _venue(gp_practice, hub, locality) -> None:
    if not gp_practice and not hub:
        raise ValidationError({"gp_practice": "Choose the GP practice or hub where the meeting is held"})
    for place, field in ((gp_practice, "gp_practice"), (hub, "hub")):
        if place is not None and place.locality_id != locality.pk:
            raise ValidationError({field: f"{place} is not in {locality}"})


@transaction.atomic
def meeting_schedule(*, user, locality, title: str, starts_at, gp_practice=None, hub=None, chair=None,
                     every_weeks: int = 0, until: datetime.date | None = None) -> Meeting:
    """Schedule a meeting; with every_weeks, a recurring series whose meetings are created 12 weeks ahead
    (and kept topped up by the daily job). Returns the first meeting."""
    if not title.strip():
        raise ValidationError({"title": "Enter a name for the meeting"})
    _refuse_past(starts_at, "starts_at")
    _venue(gp_practice, hub, locality)
    if until is not None and until < timezone.localtime(starts_at).date():
        raise ValidationError({"until": "The last date must be on or after the first meeting"})
    series = None
    if every_weeks:
        if not 1 <= every_weeks <= 8:
            raise ValidationError({"every_weeks": "Repeat every 1 to 8 weeks"})
        series = MeetingSeries.objects.create(locality=locality, title=title, gp_practice=gp_practice, hub=hub,
                                              first_at=starts_at, every_weeks=every_weeks, until=until, created_by=user)
    first = Meeting.objects.create(series=series, locality=locality, title=title, gp_practice=gp_practice, hub=hub,
                                   starts_at=starts_at, chair=chair, created_by=user)
    if series is not None:
        series_extend(series=series)
    return first


def series_extend(*, series: MeetingSeries, today: datetime.date | None = None) -> int:
    """Create the series' meetings up to 12 weeks ahead. Safe to run again: one meeting per slot."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(weeks=SERIES_HORIZON_WEEKS)
    if series.until:
        horizon = min(horizon, series.until)
    existing = set(series.meetings.values_list("starts_at", flat=True))
    created = 0
    at = series.first_at
    while timezone.localtime(at).date() <= horizon:
        if at not in existing and timezone.localtime(at).date() >= today:
            try:
                with transaction.atomic():
                    Meeting.objects.create(series=series, locality=series.locality, title=series.title,
                                           gp_practice=series.gp_practice, hub=series.hub, starts_at=at,
                                           created_by=series.created_by)
                created += 1
            except IntegrityError:
                pass  # another run made it
        at += datetime.timedelta(weeks=series.every_weeks)
    return created


def series_extend_all() -> int:
    return sum(series_extend(series=s) for s in MeetingSeries.objects.select_related("locality", "created_by").iterator())


def meeting_cancel(*, user, meeting: Meeting) -> Meeting:
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError("Only a scheduled meeting can be cancelled")
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


def attendee_add(*, meeting: Meeting, user=None, name: str = "", role: str = "", organisation: str = "") -> Attendee:
    """Staff attend as themselves; partners (GP, community nurse, mental health trust, voluntary
    sector) are recorded by name, role and organisation and get no access."""
    if user is None:
        errors = {}
        if not name.strip():
            errors["name"] = "Enter the attendee's name"
        if not organisation.strip():
            errors["organisation"] = "Enter the attendee's organisation"
        if errors:
            raise ValidationError(errors)
    elif meeting.attendees.filter(user=user).exists():
        raise ValidationError({"user": f"{user.get_full_name()} is already an attendee"})
    return Attendee.objects.create(meeting=meeting, user=user, name=name.strip(), role=role.strip(),
                                   organisation=organisation.strip() or ("Adult Social Care" if user else ""))


def agenda_add(*, user, meeting: Meeting, client, reason: str, ask: str, lawful_basis: str = "") -> AgendaItem:
    """Put a person on the agenda. Without consent to share with health partners, the lawful basis for
    discussing them must be recorded."""
    errors = {}
    if meeting.status != Meeting.Status.SCHEDULED:
        errors["meeting"] = "People can only be added to a scheduled meeting"
    if not reason.strip():
        errors["reason"] = "Say why the person should be discussed"
    if not ask.strip():
        errors["ask"] = "Say what is asked of the MDT"
    if client.consent_to_share != ConsentToShare.GIVEN and not lawful_basis.strip():
        errors["lawful_basis"] = (f"{client} has not given consent to share with health partners "
                                  f"({client.get_consent_to_share_display().lower()}): record the lawful basis for "
                                  "discussing them")
    if meeting.agenda.filter(client=client, withdrawn_at__isnull=True).exists():
        errors["client"] = f"{client} is already on the agenda for this meeting"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(meeting=meeting, client=client, reason=reason.strip(), ask=ask.strip(),
                                             consent_at_adding=client.consent_to_share,
                                             lawful_basis=lawful_basis.strip(), added_by=user)
    except IntegrityError:
        raise ValidationError({"client": f"{client} is already on the agenda for this meeting"}) from None


@transaction.atomic
def agenda_withdraw(*, user, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a person off the agenda before they are discussed (added by mistake, consent withdrawn,
    no longer needed). The item is kept, marked withdrawn, and leaves the agenda and the pack."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the person is coming off the agenda"})
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)  # re-read: it may be discussed meanwhile
    if item.discussed_at:
        raise ValidationError("This person has been discussed: the discussion stays on the record")
    if item.withdrawn_at:
        raise ValidationError("This person is already off the agenda")
    item.withdrawn_at, item.withdrawn_reason = timezone.now(), f"{reason.strip()} ({user.get_full_name()})"[:300]
    item.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
    return item


@transaction.atomic
def discussion_record(*, user, item: AgendaItem, summary: str, decisions: str = "") -> AgendaItem:
    """Record what was discussed; the summary goes into the person's chronology as an "MDT discussion"
    note (a correction is an amendment to that note). The meeting is marked held."""
    if not summary.strip():
        raise ValidationError({"summary": "Enter a summary of the discussion"})
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting", "client").get(pk=item.pk)
    if item.withdrawn_at:
        raise ValidationError("This person was taken off the agenda")
    if item.meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled")
    now = timezone.now()
    if not item.meeting.discussion_open:
        raise ValidationError("The discussion can be recorded once the meeting has started")
    if not meeting_user_may_record(user=user, meeting=item.meeting, client=item.client):
        raise PermissionDenied("Only the meeting's chair, its attendees and staff who work with the person "
                               "can record the discussion")
    if item.note_id and (item.summary, item.decisions) == (summary.strip(), decisions.strip()):
        return item  # saved again unchanged ("Save and add another action"): no second amendment
    text = f"MDT: {item.meeting.title} ({item.meeting.venue}).\n{summary.strip()}"
    if decisions.strip():
        text += f"\nDecisions: {decisions.strip()}"
    note = note_add(user=user, client=item.client, note_type=NoteType.MDT_DISCUSSION,
                    occurred_at=min(item.meeting.starts_at, now), text=text, amends=item.note)
    item.summary, item.decisions, item.discussed_at = summary.strip(), decisions.strip(), now
    if item.note is None:
        item.note = note
    item.save()
    if item.meeting.status == Meeting.Status.SCHEDULED:
        Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.HELD, updated_at=now)
    return item


def action_add(*, user, item: AgendaItem, description: str, due_on, owner=None, owner_attendee=None) -> Action:
    errors = {}
    if not description.strip():
        errors["description"] = "Describe the action"
    if owner is None and owner_attendee is None:
        errors["owner"] = "Choose who owns the action"
    if owner_attendee is not None and owner_attendee.meeting_id != item.meeting_id:
        errors["owner"] = "The owner must be an attendee of this meeting"
    # A staff owner must be someone who can open the meeting (its own, or staff of its locality).
    if owner is not None and not (meeting_is_members(user=owner, meeting=item.meeting)
                                  or meetings_for_user(user=owner).filter(pk=item.meeting_id).exists()):
        errors["owner"] = "The owner must be an attendee of this meeting or work in its locality"
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due"
    elif due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or in the future"
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(agenda_item=item, description=description.strip(), owner=owner,
                                   owner_attendee=owner_attendee, due_on=due_on)
    if owner is not None and owner.pk != user.pk:
        transaction.on_commit(lambda: notify(
            recipients=[owner], kind="mdt_action", key=f"mdt-action-{action.pk}",
            title=f"MDT action for {item.client}: {action.description[:80]} (due {due_on:%d %b %Y})",
            url=reverse("mdt:meeting", args=[item.meeting_id])))
    return action


def action_set_status(*, user, action: Action, status: str) -> Action:
    if status not in (Action.Status.DONE, Action.Status.CANCELLED, Action.Status.OPEN):
        raise ValidationError({"status": "Choose done, cancelled or open"})
    action.status = status
    action.completed_on = timezone.localdate() if status == Action.Status.DONE else None
    action.save(update_fields=["status", "completed_on", "updated_at"])
    return action


@transaction.atomic
def caseload_reallocate(*, user, team, client_ids, to_worker, reason: str) -> list[Allocation]:
    """Move people allocated in `team` to another practitioner of the same team. The old allocation is
    ended and a new one started with the reason (history kept); both practitioners are told."""
    from ascm.organisation.models import TeamMembership

    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for the reallocation"
    if not client_ids:
        errors["client_ids"] = "Choose at least one person to reallocate"
    if to_worker is None or not TeamMembership.objects.filter(team=team, user=to_worker, ended_on__isnull=True).exists():
        errors["to_worker"] = (f"{to_worker.get_full_name() if to_worker else 'That person'} is not a member of "
                               f"{team}: choose a practitioner in the team")
    if errors:
        raise ValidationError(errors)
    current = list(Allocation.objects.select_for_update(of=("self",)).filter(
        team=team, client_id__in=client_ids, ended_on__isnull=True).select_related("client", "worker"))
    if len(current) != len(set(client_ids)):
        raise ValidationError({"client_ids": f"Some of these people are not allocated in {team}"})
    moved, told = [], {}
    today = timezone.localdate()
    for allocation in current:
        if allocation.worker_id == to_worker.pk:
            continue
        allocation_end(allocation=allocation, on=today)
        moved.append(allocation_start(client=allocation.client, team=team, worker=to_worker,
                                      reason=f"Reallocated by {user.get_full_name()}: {reason.strip()}"[:200]))
        if allocation.worker_id:
            told.setdefault(allocation.worker, []).append(allocation.client)
    episodes_move_worker(team=team, client_ids=[a.client_id for a in moved], to_worker=to_worker)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")

    def tell():
        for worker, people in told.items():
            notify(recipients=[worker], kind="reallocated_away", key=f"realloc-{stamp}-{team.pk}-{worker.pk}-from",
                   title=f"{len(people)} of your people moved to {to_worker.get_full_name()}: {reason.strip()[:80]}",
                   url=reverse("care:work"))
        if moved:
            notify(recipients=[to_worker], kind="reallocated_to_you", key=f"realloc-{stamp}-{team.pk}-{to_worker.pk}-to",
                   title=f"{len(moved)} {'person' if len(moved) == 1 else 'people'} reallocated to you: "
                         f"{', '.join(str(a.client) for a in moved[:3])}{'…' if len(moved) > 3 else ''}",
                   url=reverse("care:work"))
    transaction.on_commit(tell)
    return moved


def mdt_merge(user, survivor, duplicate) -> dict[str, int]:
    """Agenda items move with a merge (clients' merge_handlers extension point)."""
    from clients.services import client_merge_move_rows

    return client_merge_move_rows(user=user, model=AgendaItem, field="client", survivor=survivor, duplicate=duplicate)
