"""Reads for MDT meetings, the meeting pack, actions, the caseload review and the locality overview.
Every figure is aggregated in the database: a fixed number of queries whatever the caseload."""

import datetime
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, Exists, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from ascm.core.db import CompiledOnce
from ascm.organisation.models import Team
from clients.extensions import person_flags_annotations, person_flags_complex, person_flags_of
from clients.models import NEEDS_MORE_TIME, Allocation, Client
from clients.permissions import client_policy

from .models import Action, AgendaItem, CaseloadWeight, Meeting
from .permissions import action_policy, agenda_item_policy, caseload_review_policy, meeting_policy


def meetings_for_user(*, user) -> QuerySet[Meeting]:
    """Meetings of the localities the user works in (partners have no accounts, so no access)."""
    return meeting_policy.instances(user)


def meeting_get_for_user(*, user, pk: int) -> Meeting:
    return meeting_policy.get(user, pk, queryset=Meeting.objects.select_related("locality", "gp_practice", "hub", "chair"))


def meeting_is_members(*, user, meeting: Meeting) -> bool:
    """The organiser, the chair and the staff attendees are the meeting's own: the whole pack is for them."""
    return user.pk in (meeting.chair_id, meeting.created_by_id) or meeting.attendees.filter(user=user).exists()


def meeting_user_may_record(*, user, meeting: Meeting, client) -> bool:
    """Who may see a person's part of the pack and write their discussion: the meeting's own, or staff
    whose role already reaches the person's record."""
    from clients.selectors import clients_in_reach

    return meeting_is_members(user=user, meeting=meeting) or clients_in_reach(user=user).filter(pk=client.pk).exists()


def meeting_pack_agenda(*, user, meeting: Meeting) -> list[AgendaItem]:
    """The agenda as the pack shows it to this user: all of it for the meeting's own; otherwise only
    the people the user's role reaches (the pack has full NHS numbers and dates of birth)."""
    from clients.selectors import clients_in_reach

    agenda = meeting_agenda(meeting=meeting)
    if meeting_is_members(user=user, meeting=meeting):
        return agenda
    reach = set(clients_in_reach(user=user).filter(pk__in=[i.client_id for i in agenda]).values_list("pk", flat=True))
    return [item for item in agenda if item.client_id in reach]


def agenda_item_get_for_user(*, user, pk: int) -> AgendaItem:
    return agenda_item_policy.get(user, pk, queryset=AgendaItem.objects.select_related("meeting", "client", "note"))


def action_get_for_user(*, user, pk: int) -> Action:
    return action_policy.get(user, pk, queryset=Action.objects.select_related("agenda_item__client", "owner"))


def _current_episode(field: str = "client_id"):
    from pathways.care.models import Episode

    return Episode.objects.filter(client=OuterRef(field), ended_on__isnull=True).order_by("-started_on", "-pk")


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with each person's lifespan band, current episode, flags and actions (three queries).
    Safeguarding shows only as a flag: no detail leaves the safeguarding record."""
    from pathways.referrals.models import Pathway

    items = list(meeting.agenda.filter(withdrawn_at__isnull=True).select_related("client", "added_by")
                 .annotate(episode_pathway=Subquery(_current_episode().values("pathway")[:1]),
                           episode_started_on=Subquery(_current_episode().values("started_on")[:1]),
                           **person_flags_annotations())
                 .order_by("created_at", "pk"))
    actions: dict[int, list[Action]] = {}
    for action in Action.objects.filter(agenda_item__in=[i.pk for i in items]).select_related("owner", "owner_attendee"):
        actions.setdefault(action.agenda_item_id, []).append(action)
    labels = dict(Pathway.choices)
    today = timezone.localdate()
    for item in items:
        item.episode_label = labels.get(item.episode_pathway, "")
        item.person_flags = person_flags_of(item)
        item.action_list = actions.get(item.pk, [])
        for action in item.action_list:
            action.overdue = action.is_overdue(today)
        item.without_consent = item.consent_at_adding != "given"
    return items


def mdt_record_panel(user, client, holds: bool = True) -> dict:
    """The person's record: MDT discussions and open actions (one query; none if never discussed)."""
    items = list(AgendaItem.objects.filter(client=client).select_related("meeting").order_by(
        "-meeting__starts_at")[:10]) if holds else []
    return {"items": items, "can_add": agenda_item_policy.user_may(user, "add")}


# Depends only on the user: compiled once (see CompiledOnce); only what the list shows is read.
_open_actions = CompiledOnce(lambda owner_id: Action.objects.filter(owner_id=owner_id, status=Action.Status.OPEN)
                             .select_related("agenda_item__client")
                             .only("description", "due_on", "agenda_item_id", "agenda_item__client_id",
                                   "agenda_item__client__given_name", "agenda_item__client__family_name")
                             .order_by("due_on", "pk")[:50])


def my_actions_panel(user) -> dict | None:
    """The work page: the user's open MDT actions, overdue first highlighted (one query)."""
    if not action_policy.user_may(user, "view"):
        return None
    today = timezone.localdate()
    actions = _open_actions(user.pk)
    for action in actions:
        action.overdue = action.due_on < today
    return {"actions": actions}


# The caseload review ---------------------------------------------------------------------------------


def managed_teams(*, user) -> QuerySet[Team]:
    """The teams whose caseloads the user reviews (by permission, whatever their role is called)."""
    return caseload_review_policy.instances(user)


def managed_team_get(*, user, pk: int) -> Team:
    return caseload_review_policy.get(user, pk)


FIGURES = {
    "allocated": "People allocated",
    "drafts": "Assessments in draft",
    "awaiting": "Assessments awaiting sign-off",
    "reviews_overdue": "Reviews overdue",
    "actions_overdue": "MDT actions overdue",
    "discussed": "People discussed at the last MDT",
}


def _weights() -> dict[tuple[str, bool], Decimal]:
    """(pathway or "default", complex) -> weight."""
    weights = {("default", False): Decimal(1), ("default", True): Decimal(1)}
    for row in CaseloadWeight.objects.all():
        weights[(row.pathway, False)] = row.weight
        weights[(row.pathway, True)] = row.complex_weight if row.complex_weight is not None else row.weight
    return weights


def _complex(field: str = "client_id"):
    """A complex case: a safety flag, an interpreter, or an open safeguarding concern."""
    # An Exists over the person's own flags rather than a join: it reads only their partial index.
    complex_case = Q(Exists(Client.objects.filter(NEEDS_MORE_TIME, pk=OuterRef(field))))
    flagged = person_flags_complex(field)
    if flagged is not None:
        complex_case |= flagged
    return Case(When(complex_case, then=Value(True)), default=Value(False), output_field=BooleanField())


def _allocations(team_ids, pathway: str = ""):
    allocations = Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True, worker__isnull=False)
    allocations = allocations.annotate(pathway=Subquery(_current_episode().values("pathway")[:1]))
    if pathway:
        allocations = allocations.filter(pathway=pathway)
    return allocations


def caseload_review(*, team_ids, pathway: str = "", today: datetime.date | None = None) -> dict:
    """Per practitioner in the teams: allocated and weighted caseload, assessments in draft and awaiting
    sign-off, reviews and MDT actions overdue, people discussed at the last MDT; per team, the oldest
    unallocated referral. Nine queries, whatever the size of the teams."""
    from pathways.care.models import Assessment, Review
    from pathways.referrals.models import Referral

    today = today or timezone.localdate()
    team_ids = list(team_ids)
    # Only the names are shown: DISTINCT over whole user and team rows cost more than the rest of the query.
    members = list(client_policy.memberships_with("hold_caseload", team_ids=team_ids).distinct()
                   .select_related("user", "team").only("user_id", "team_id", "user__first_name", "user__last_name",
                                                        "user__username", "team__name")
                   .order_by("user__last_name", "user__first_name", "team__name"))
    rows: dict[int, dict] = {}
    for membership in members:
        row = rows.setdefault(membership.user_id, {"user": membership.user, "teams": [], **{f: 0 for f in FIGURES},
                                                   "weighted": 0})
        row["teams"].append(membership.team)
    users = list(rows)
    # Grouped by practitioner, current pathway and complexity in the database (the episode looked up once per
    # person); the weights, one per pathway, are applied to those few groups.
    weights = _weights()
    for worker, pathway_code, is_complex, n in (
            _allocations(team_ids, pathway).filter(worker_id__in=users).annotate(complex=_complex())
            .values("worker", "pathway", "complex").annotate(n=Count("pk"))
            .values_list("worker", "pathway", "complex", "n")):
        rows[worker]["allocated"] += n
        rows[worker]["weighted"] += n * weights.get((pathway_code, is_complex), weights[("default", is_complex)])
    for author, status, n in (Assessment.objects.filter(author_id__in=users, status__in=["draft", "returned", "submitted"])
                              .values("author", "status").annotate(n=Count("pk")).values_list("author", "status", "n")):
        rows[author]["awaiting" if status == "submitted" else "drafts"] += n
    in_team = Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True)
    worker_of = "plan__client__allocations__worker"
    for worker, n in (Review.objects.filter(completed_on__isnull=True, due_on__lt=today, plan__ended_on__isnull=True,
                                            plan__client__allocations__team_id__in=team_ids,
                                            plan__client__allocations__ended_on__isnull=True,
                                            plan__client__allocations__worker_id__in=users)
                      .values(worker_of).annotate(n=Count("pk", distinct=True)).values_list(worker_of, "n")):
        rows[worker]["reviews_overdue"] = n
    for owner, n in (Action.objects.filter(owner_id__in=users, status=Action.Status.OPEN, due_on__lt=today)
                     .values("owner").annotate(n=Count("pk")).values_list("owner", "n")):
        rows[owner]["actions_overdue"] = n
    last = _last_meetings(team_ids)
    for worker, n in (in_team.filter(worker_id__in=users, client__mdt_agenda_items__meeting_id__in=last,
                                     client__mdt_agenda_items__discussed_at__isnull=False)
                      .values("worker").annotate(n=Count("client", distinct=True)).values_list("worker", "n")):
        rows[worker]["discussed"] = n
    oldest = {team: at for team, at in Referral.objects.filter(team_id__in=team_ids, status__in=Referral.WAITING)
              .values("team").annotate(at=Min("received_at")).values_list("team", "at")}
    teams = list(Team.objects.filter(pk__in=team_ids).select_related("locality").order_by("name"))
    for team in teams:
        team.oldest_unallocated = oldest.get(team.pk)
    from pathways.referrals.models import Pathway

    labels = {"default": "No open episode", **dict(Pathway.choices)}
    legend = [(labels.get(code, code), weights[(code, False)], weights[(code, True)])
              for code in labels if (code, False) in weights]
    return {"rows": list(rows.values()), "teams": teams, "figures": FIGURES, "weights": legend}


def _last_meetings(team_ids) -> list[int]:
    """The most recent held meeting of each of the teams' localities (one query)."""
    from ascm.organisation.models import Locality

    latest = (Meeting.objects.filter(locality=OuterRef("pk"), status=Meeting.Status.HELD)
              .order_by("-starts_at", "-pk").values("pk")[:1])
    return [pk for pk in Locality.objects.filter(pk__in=Team.objects.filter(pk__in=team_ids).values("locality"))
            .annotate(last=Subquery(latest)).values_list("last", flat=True) if pk]


def caseload_drilldown(*, worker_id: int, team_ids, figure: str, pathway: str = "", today=None):
    """The list behind a figure of the caseload review."""
    from pathways.care.models import Assessment, Review

    today = today or timezone.localdate()
    in_team = Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True, worker_id=worker_id)
    if figure == "allocated":
        return list(_allocations(team_ids, pathway).filter(worker_id=worker_id).select_related("client", "team")
                    .order_by("client__family_name", "client__given_name")[:500])
    if figure in ("drafts", "awaiting"):
        statuses = ["submitted"] if figure == "awaiting" else ["draft", "returned"]
        return list(Assessment.objects.filter(author_id=worker_id, status__in=statuses).select_related("client")
                    .order_by("created_at")[:500])
    if figure == "reviews_overdue":
        return list(Review.objects.filter(completed_on__isnull=True, due_on__lt=today, plan__ended_on__isnull=True,
                                          plan__client__in=in_team.values("client"))
                    .select_related("plan__client").order_by("due_on")[:500])
    if figure == "actions_overdue":
        return list(Action.objects.filter(owner_id=worker_id, status=Action.Status.OPEN, due_on__lt=today)
                    .select_related("agenda_item__client", "agenda_item__meeting").order_by("due_on")[:500])
    if figure == "discussed":
        return list(AgendaItem.objects.filter(meeting_id__in=_last_meetings(team_ids), discussed_at__isnull=False,
                                              client__in=in_team.values("client"))
                    .select_related("client", "meeting")[:500])
    raise Http404("No such figure")


def locality_overview(*, locality_ids, since: datetime.date, today: datetime.date | None = None) -> list[dict]:
    """Per GP practice and hub: meetings held and scheduled since `since`, people discussed, actions open
    and overdue (two queries)."""
    today = today or timezone.localdate()
    meetings = Meeting.objects.filter(locality_id__in=locality_ids, starts_at__date__gte=since)
    venues: dict[tuple, dict] = {}
    for practice, hub, status, n in (meetings.values("gp_practice__name", "hub__name", "status")
                                     .annotate(n=Count("pk")).values_list("gp_practice__name", "hub__name", "status", "n")):
        row = venues.setdefault((practice, hub), {"venue": practice or hub, "kind": "GP practice" if practice else "Hub",
                                                  "held": 0, "scheduled": 0, "cancelled": 0, "discussed": 0,
                                                  "actions_open": 0, "actions_overdue": 0})
        row[status] += n
    for practice, hub, discussed, open_, overdue in (
            meetings.values("gp_practice__name", "hub__name")
            .annotate(discussed=Count("agenda", filter=Q(agenda__discussed_at__isnull=False), distinct=True),
                      open=Count("agenda__actions", filter=Q(agenda__actions__status="open"), distinct=True),
                      overdue=Count("agenda__actions", filter=Q(agenda__actions__status="open",
                                                                agenda__actions__due_on__lt=today), distinct=True))
            .values_list("gp_practice__name", "hub__name", "discussed", "open", "overdue")):
        row = venues.get((practice, hub))
        if row:
            row.update(discussed=discussed, actions_open=open_, actions_overdue=overdue)
    return sorted(venues.values(), key=lambda r: (r["kind"], r["venue"] or ""))


def mdt_record_holds(field: str):
    """Whether the person in `field` has been on an MDT agenda (the record panel's holding)."""
    from django.db.models import Exists, OuterRef

    return Exists(AgendaItem.objects.filter(client_id=OuterRef(field)))
