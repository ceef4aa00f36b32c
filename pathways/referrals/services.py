"""Writes for the front door: taking referrals, routing, triage outcomes and allocation."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ascm.notifications.services import notify, notify_team
from ascm.organisation.models import Team, TeamMembership, TeamType
from clients.models import Allocation, Client

from .models import Referral, ReferralEvent, RoutingRule
from .permissions import referral_policy
from .routing import routing_decide

logger = logging.getLogger(__name__)
OPEN = [Referral.Status.RECEIVED, Referral.Status.ROUTED, Referral.Status.ALLOCATED]
WAITING = Referral.WAITING


def _referral_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _event(referral, kind, detail, by=None):
    ReferralEvent.objects.create(referral=referral, kind=kind, detail=detail[:400], by=by)


def _enqueue_routing(referral_id: int) -> None:
    """Send the routing task. If the broker is down the referral is still saved: the sweep routes it."""
    from .tasks import route_referral_task

    try:
        route_referral_task.delay(referral_id)
    except Exception:  # noqa: BLE001 - any broker failure: the beat sweep is the safety net
        logger.warning("Could not queue routing of referral %s; the sweep will route it", referral_id)


def open_work_for(client: Client) -> tuple[Referral | None, "Team | None", str]:
    """What counts as the person's open work, so a new referral joins it instead of starting parallel
    work: an open referral (received, in a queue, or allocated), an open pathway episode, or an
    allocation to a named worker. Being recorded by a team (an allocation with no worker) is not open
    work: that team only holds the record, and a referral for the person is routed by the rules."""
    from .extensions import open_work

    open_referral = (Referral.objects.filter(client=client, status__in=OPEN).select_related("team")
                     .order_by("received_at", "pk").first())
    if open_referral is not None:
        team = open_referral.team
        return open_referral, team, f"Linked to open referral {open_referral.pk}" + (f" with {team}" if team else "")
    for kind in open_work:  # care's open episodes, and what later apps add
        found = kind.find(client)
        if found is not None:
            return None, *found
    allocation = (Allocation.objects.filter(client=client, ended_on__isnull=True, worker__isnull=False)
                  .select_related("team", "worker").order_by("started_on", "pk").first())
    if allocation is not None:
        return None, allocation.team, f"The person is allocated to {allocation.worker} in {allocation.team}"
    return None, None, ""


@transaction.atomic
def referral_create(*, user, client: Client, **fields) -> Referral:
    """Take a referral. If the person has open work (see open_work_for) the new referral is linked to
    it, waits in that team's queue and the team is told, instead of starting parallel work. Otherwise
    routing starts once the referral is committed (never before: the worker must see the row). The
    person's row is locked first, so two referrals taken at the same moment cannot both be routed.
    A safeguarding concern reaches the locality's safeguarding team either way."""
    fields.setdefault("locality", client.locality)
    if fields["locality"] is None:
        raise ValidationError({"locality": "Choose the locality: the person's address does not say"})
    referral = Referral(client=client, created_by=user, **fields)
    # The person, the locality and the user are rows already read: not looked up again, one by one.
    referral.full_clean(exclude=["client", "locality", "created_by"])
    Client.objects.select_for_update().filter(pk=client.pk).first()
    open_referral, team, reason = open_work_for(client)
    if reason:
        referral.status = Referral.Status.LINKED
        referral.linked_to = open_referral
        referral.team = team
        referral.link_reason = reason[:300]
        if referral.safeguarding_concern:
            referral.safeguarding_team = _locality_team(referral.locality_id, TeamType.SAFEGUARDING)
        referral.save()
        _event(referral, "linked", referral.link_reason, by=user)
        _ledger(referral)
        notify_team(team=team, kind="referral_linked", key=f"referral-{referral.pk}-linked",
                    title=f"New referral for {client} linked to your team's work", url=_referral_url(referral))
        _tell_safeguarding_team(referral)
        return referral
    referral.save()
    _event(referral, "received", f"Received from {referral.get_source_display()}", by=user)
    _ledger(referral)
    transaction.on_commit(lambda: _enqueue_routing(referral.pk))
    return referral


def _tell_safeguarding_team(referral: Referral) -> None:
    from .extensions import safeguarding_raised

    if referral.safeguarding_concern:
        for contribution in safeguarding_raised:
            contribution.handle(referral)
    notify_team(team=referral.safeguarding_team, kind="referral_safeguarding", key=f"referral-{referral.pk}-safeguarding",
                title=f"Safeguarding concern in a referral for {referral.client}", url=_referral_url(referral))


def _ledger(referral: Referral) -> None:
    """The referral's Request in the care-event ledger: opened when taken, completed with its outcome."""
    from clients.models import CareEvent
    from clients.services import care_event_record

    care_event_record(
        client=referral.client, event_type=CareEvent.Type.REQUEST, source=referral,
        start_date=timezone.localtime(referral.received_at).date(),
        end_date=timezone.localtime(referral.closed_at).date() if referral.closed_at else None,
        outcome=referral.outcome,
        route_of_access="discharge_from_hospital" if referral.hospital_discharge else "community_other",
        details={"source": referral.source})


def _locality_team(locality_id: int, team_type: str) -> Team | None:
    return Team.objects.filter(locality_id=locality_id, team_type=team_type, archived_at__isnull=True).order_by("pk").first()


class RoutingContext:
    """What routing reads, read once for one task or for a whole sweep batch: the rules and their
    localities, and each locality's team of a type. (A team is told in one row, whatever its size.)"""

    def __init__(self):
        self.rules = list(RoutingRule.objects.filter(is_active=True).order_by("position", "pk"))
        self.localities: dict[int, set[int]] = {}
        through = RoutingRule.localities.through.objects.values_list("routingrule_id", "locality_id")
        for rule_id, locality_id in through:
            self.localities.setdefault(rule_id, set()).add(locality_id)
        self._teams: dict[tuple[int, str], Team | None] = {}

    def team(self, locality_id: int, team_type: str) -> Team | None:
        key = (locality_id, team_type)
        if key not in self._teams:
            self._teams[key] = _locality_team(locality_id, team_type)
        return self._teams[key]


def _route_decision(referral: Referral, context: RoutingContext):
    """(team, decision, reason): the rules' decision placed on a team of the referral's locality; a
    locality with no team of that type sends it to its Integrated Triage team, saying so."""
    decision = routing_decide(referral, context.rules, context.localities)
    team = context.team(referral.locality_id, decision.team_type)
    reason = decision.reason
    if team is None:
        team = context.team(referral.locality_id, TeamType.INTEGRATED_TRIAGE)
        reason += f" — but {referral.locality} has no {TeamType(decision.team_type).label} team, so → Integrated Triage"
    return team, decision, reason


def referral_route_preview(*, age: int | None, primary_support_reason: str, flags: list[str], source: str,
                           urgency: str, locality) -> dict:
    """Where a sample referral would go, by exactly what routing does (rules, the locality's teams, the
    fallback to triage, the safeguarding team), without saving anything: for administrators."""
    from clients.models import Client as Person
    from clients.reference import PrimarySupportReason

    from .models import FLAGS, Pathway, ReferralSource, Urgency

    today = timezone.localdate()
    born = today.replace(year=today.year - age) - datetime.timedelta(days=1) if age is not None else None
    person = Person(date_of_birth=born, primary_support_reason=primary_support_reason)
    referral = Referral(client=person, locality=locality, source=source, urgency=urgency, **{f: True for f in flags})
    context = RoutingContext()
    team, decision, reason = _route_decision(referral, context)
    return {
        "team": team, "reason": reason, "rule": decision.rule,
        "pathway": Pathway(decision.pathway).label if decision.pathway else "None suggested",
        "safeguarding_team": context.team(locality.pk, TeamType.SAFEGUARDING) if "safeguarding_concern" in flags else None,
        "sample": [("Age", "Not known" if age is None else str(age)),
                   ("Primary support reason", PrimarySupportReason(primary_support_reason).label),
                   ("Flags", ", ".join(FLAGS[f] for f in flags) or "None"),
                   ("Source", ReferralSource(source).label), ("Urgency", Urgency(urgency).label),
                   ("Locality", str(locality))],
    }


def referral_route(*, referral_id: int, context: RoutingContext | None = None) -> Referral | None:
    """Route one received referral by the rules (a batch of one). Idempotent: a referral already routed
    (or linked, allocated, closed) is left as it is, so a redelivered task changes nothing and
    notifies nobody twice."""
    referrals_route_waiting(only=referral_id, context=context)
    return Referral.objects.select_related("client", "locality").filter(pk=referral_id).first()


ROUTE_BATCH = 500


@transaction.atomic
def referrals_route_waiting(*, first: int | None = None, only: int | None = None,
                            older_than: datetime.datetime | None = None, limit: int = ROUTE_BATCH,
                            context: RoutingContext | None = None) -> int:
    """Route the referrals waiting to be routed, up to `limit`, together: the rules, localities and
    teams read once, the writes in bulk, one transaction. `first` is routed in the batch whatever its
    place (the task's own referral); rows another worker is routing are skipped, not waited for
    (`only`: that one referral, waiting for its lock, so two routings of it cannot both happen). The
    same decisions, events and notifications as routing each alone (referral_route); a burst of
    referrals is absorbed by the first task to run, and the tasks after it find theirs done."""
    from django.db.models import Case, IntegerField, Value, When

    from ascm.audit.services import audit_records_written
    from ascm.notifications.services import notify_teams

    waiting = (Referral.objects.select_for_update(of=("self",)).filter(pk=only) if only else
               Referral.objects.select_for_update(of=("self",), skip_locked=True))
    waiting = waiting.filter(status=Referral.Status.RECEIVED)
    if older_than is not None:
        waiting = waiting.filter(created_at__lt=older_than)
    order = [Case(When(pk=first, then=Value(0)), default=Value(1), output_field=IntegerField())] if first else []
    referrals = list(waiting.select_related("client", "locality").order_by(*order, "received_at", "pk")[:limit])
    if not referrals:
        return 0
    context = context or RoutingContext()
    now = timezone.now()
    events, notes, changes = [], [], {}
    for referral in referrals:
        team, decision, reason = _route_decision(referral, context)
        referral.team, referral.suggested_pathway, referral.routing_rule = team, decision.pathway, decision.rule
        referral.routing_reason, referral.routed_at, referral.status = reason[:300], now, Referral.Status.ROUTED
        if referral.safeguarding_concern:
            referral.safeguarding_team = context.team(referral.locality_id, TeamType.SAFEGUARDING)
        events.append(ReferralEvent(referral=referral, kind="routed", detail=f"{reason} ({team or 'no team'})"[:400]))
        notes.append((team, "referral_routed", f"referral-{referral.pk}-routed",
                      f"Referral for {referral.client} routed to {team}", _referral_url(referral)))
        changes[referral.pk] = {"status": [Referral.Status.RECEIVED, Referral.Status.ROUTED],
                                "team": ["None", str(team)], "routing_reason": ["", referral.routing_reason]}
    # One UPDATE per distinct decision (a handful: rules × localities), not a CASE per row and field.
    decisions: dict[tuple, list[int]] = {}
    for r in referrals:
        decisions.setdefault((r.team_id, r.suggested_pathway, r.routing_rule_id, r.routing_reason,
                              r.safeguarding_team_id), []).append(r.pk)
    for (team_id, pathway, rule_id, reason, safeguarding_id), ids in decisions.items():
        Referral.objects.filter(pk__in=ids).update(
            team_id=team_id, suggested_pathway=pathway, routing_rule_id=rule_id, routing_reason=reason,
            safeguarding_team_id=safeguarding_id, routed_at=now, status=Referral.Status.ROUTED, updated_at=now)
    ReferralEvent.objects.bulk_create(events, batch_size=ROUTE_BATCH)
    notify_teams(notes)
    audit_records_written(user=None, model=Referral, changes=changes)
    for referral in referrals:
        if referral.safeguarding_concern:
            _tell_safeguarding_team(referral)
    # Referrals linked to these while they waited to be routed join them in the same team's queue.
    teams = {r.pk: r.team_id for r in referrals}
    linked = list(Referral.objects.filter(linked_to_id__in=teams, status=Referral.Status.LINKED, team__isnull=True)
                  .only("pk", "linked_to_id"))
    for referral in linked:
        referral.team_id = teams[referral.linked_to_id]
    Referral.objects.bulk_update(linked, ["team"])
    return len(referrals)


def referrals_sweep(*, older_than_seconds: int = 60, batch: int = ROUTE_BATCH) -> int:
    """Route referrals left unrouted (e.g. saved while the broker was down), a batch at a time. Safe to
    run at any time, and beside the routing tasks (each skips what another is routing)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    context = RoutingContext()
    routed = 0
    while True:
        done = referrals_route_waiting(older_than=cutoff, limit=batch, context=context)
        if not done:
            return routed
        routed += done


@transaction.atomic
def referral_reroute(*, user, referral: Referral, team: Team, pathway: str, reason: str) -> Referral:
    """Re-route by hand, with a reason kept in the history."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why you are re-routing the referral"})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in (Referral.Status.RECEIVED, *WAITING):
        raise ValidationError("Only a referral waiting in a queue can be re-routed")
    old = referral.team
    referral.team, referral.suggested_pathway, referral.status = team, pathway, Referral.Status.ROUTED
    referral.routing_reason = f"Re-routed by {user}: {reason}"[:300]
    referral.routed_at = timezone.now()
    referral.save()
    _event(referral, "rerouted", f"From {old} to {team}: {reason}", by=user)
    notify_team(team=team, kind="referral_routed", key=f"referral-{referral.pk}-rerouted-{referral.routed_at:%s}",
                title=f"Referral for {referral.client} re-routed to {team}", url=_referral_url(referral))
    return referral


@transaction.atomic
def referral_decline(*, user, referral: Referral, reason: str) -> Referral:
    """The receiving team declines: the referral returns to its locality's triage queue, and the rule
    that sent it counts one more decline (administrators see the count)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why your team is declining the referral"})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status not in WAITING:
        raise ValidationError("Only a referral waiting in your queue can be declined")
    if referral.routing_rule_id:
        RoutingRule.objects.filter(pk=referral.routing_rule_id).update(decline_count=F("decline_count") + 1)
    old = referral.team
    referral.team = _locality_team(referral.locality_id, TeamType.INTEGRATED_TRIAGE)
    referral.status = Referral.Status.ROUTED  # a declined linked referral is triaged afresh
    referral.routing_reason = f"Declined by {old}: {reason}"[:300]
    referral.save()
    _event(referral, "declined", f"Declined by {old}: {reason}", by=user)
    return referral


@transaction.atomic
def referral_close(*, user, referral: Referral, outcome: str, detail: str = "", community_resource: str = "") -> Referral:
    """A triage outcome that closes the referral: information and advice, or signposting (Promoting Wellbeing)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == Referral.Status.CLOSED:
        raise ValidationError("This referral is already closed")
    if outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome"})
    if outcome == Referral.Outcome.SIGNPOSTED and not community_resource.strip():
        raise ValidationError({"community_resource": "Enter the community resource the person was given"})
    referral.outcome, referral.outcome_detail, referral.community_resource = outcome, detail, community_resource
    referral.status, referral.closed_at = Referral.Status.CLOSED, timezone.now()
    referral.save()
    _ledger(referral)
    _event(referral, "closed", f"{referral.get_outcome_display()}{': ' + community_resource if community_resource else ''}", by=user)
    return referral


@transaction.atomic
def referral_allocate(*, user, referral: Referral, worker, reallocate: bool = False) -> Referral:
    """Allocate to a practitioner of the receiving team; the person joins their caseload. Two people
    allocating at once cannot both succeed: the row is locked and the second is told who won.
    Reallocating (a manager's deliberate choice) moves the work and keeps the history."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    previous = referral.allocated_to if referral.status == Referral.Status.ALLOCATED else None
    if previous is not None and not reallocate:
        raise ValidationError(f"This referral was already allocated to {referral.allocated_to} at {referral.allocated_at:%H:%M}")
    if previous is not None:
        if not referral_policy.user_may(user, "allocate"):
            raise PermissionDenied
        if previous == worker:
            raise ValidationError({"worker": f"The referral is already allocated to {worker}"})
        referral.status = Referral.Status.ROUTED  # checked again below like any allocation
    if referral.status not in WAITING or referral.team is None:
        raise ValidationError("Only a referral waiting in a team's queue can be allocated")
    if not TeamMembership.objects.filter(team=referral.team, user=worker, ended_on__isnull=True).exists():
        raise ValidationError({"worker": f"Choose a member of {referral.team}"})
    if worker != user and not referral_policy.user_may(user, "allocate"):
        raise PermissionDenied
    referral.allocated_to, referral.allocated_at, referral.status = worker, timezone.now(), Referral.Status.ALLOCATED
    referral.save()
    allocation = Allocation.objects.filter(client=referral.client, team=referral.team, ended_on__isnull=True).first()
    if allocation is None:
        Allocation.objects.create(client=referral.client, team=referral.team, worker=worker, reason=f"Referral {referral.pk}")
    elif allocation.worker_id != worker.pk:
        allocation.worker = worker
        allocation.save(update_fields=["worker", "updated_at"])
    _event(referral, "reallocated" if previous else "allocated",
           f"Reallocated from {previous} to {worker}" if previous else f"Allocated to {worker}", by=user)
    if worker != user:
        notify(recipients=[worker], kind="referral_allocated", key=f"referral-{referral.pk}-allocated-{worker.pk}",
               title=f"Referral for {referral.client} allocated to you", url=_referral_url(referral))
    return referral


@transaction.atomic
def referral_pick_next(*, user, team: Team) -> Referral | None:
    """Pick up the next referral in the team's queue (most urgent, then oldest). Rows another person is
    picking up at the same moment are skipped, so two people never get the same one."""
    from .selectors import team_queue

    if not TeamMembership.objects.filter(team=team, user=user, ended_on__isnull=True).exists():
        raise ValidationError("You can only pick up referrals from your own team's queue")
    candidate = team_queue(team=team).select_for_update(skip_locked=True, of=("self",)).first()
    if candidate is None:
        return None
    return referral_allocate(user=user, referral=candidate, worker=user)


def referrals_merge(user, survivor: Client, duplicate: Client) -> dict[str, int]:
    """The front door's rows move with a merge (clients' merge_handlers extension point)."""
    from clients.services import client_merge_move_rows

    return client_merge_move_rows(user=user, model=Referral, field="client", survivor=survivor, duplicate=duplicate)


# Routing rules (the administrator's) ----------------------------------------------------------------

RULE_FIELDS = ("position", "name", "is_active", "min_age", "max_age", "primary_support_reasons", "required_flags",
               "sources", "urgencies", "target_team_type", "target_pathway")


@transaction.atomic
def routing_rule_save(*, rule=None, localities=None, **fields):
    """Create or change a routing rule (validated whole, audited). A new rule without a position goes
    last. Never deleted: a rule no longer wanted is switched off."""
    from .models import RoutingRule

    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not a rule field: {', '.join(sorted(unknown))}")
    rule = rule or RoutingRule()
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.position is None:
        last = RoutingRule.objects.order_by("-position").values_list("position", flat=True).first()
        rule.position = (last or 0) + 10
    rule.full_clean()
    rule.save()
    if localities is not None:
        rule.localities.set(localities)
    return rule


@transaction.atomic
def routing_rules_reorder(*, order: list[int]) -> None:
    """Put the rules in this order (every rule's id, first to last): positions become 10, 20, 30…"""
    from .models import RoutingRule

    rules = {rule.pk: rule for rule in RoutingRule.objects.select_for_update()}
    if sorted(order) != sorted(rules) or len(set(order)) != len(order):
        raise ValidationError({"order": "Give every routing rule's id once, in the order wanted"})
    changed = []
    for n, pk in enumerate(order, start=1):
        if rules[pk].position != n * 10:
            rules[pk].position = n * 10
            changed.append(rules[pk])
    for rule in changed:  # one save each, so each move is in the audit log
        rule.save(update_fields=["position", "updated_at"])


def routing_rule_move(*, rule, by: int) -> None:
    """Move a rule up (by=-1) or down (by=1) one place."""
    from .models import RoutingRule

    order = list(RoutingRule.objects.order_by("position", "pk").values_list("pk", flat=True))
    at = order.index(rule.pk)
    to = min(max(at + by, 0), len(order) - 1)
    order.insert(to, order.pop(at))
    routing_rules_reorder(order=order)
