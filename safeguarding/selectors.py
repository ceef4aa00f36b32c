"""Reads of safeguarding records, through the ConcernPolicy: nothing leaves it but a flag."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from ascm.core.dates import working_days_between

from .models import (
    ADULT_IN_OPEN_MATTER,
    AdultAtRisk,
    DecisionTarget,
    Enquiry,
    PlanAction,
    SafeguardingAccess,
    SafeguardingConcern,
)
from .permissions import concern_policy, enquiry_policy


def concern_queue(*, user, today=None) -> list[SafeguardingConcern]:
    """Concerns awaiting the s42 decision that the user may see: oldest first, each with its due date
    and the working days it is overdue (three queries, whatever the number)."""
    today = today or timezone.localdate()
    targets = list(DecisionTarget.objects.all())
    concerns = list(concern_policy.instances(user).filter(status=SafeguardingConcern.Status.AWAITING_DECISION)
                    .select_related("team", "locality")
                    .prefetch_related(Prefetch("adults", queryset=AdultAtRisk.objects.select_related("client")))
                    .order_by("received_at", "pk")[:500])
    for concern in concerns:
        concern.due_on = concern.decision_due(targets)
        concern.overdue_days = working_days_between(concern.due_on, today) if concern.due_on < today else 0
    # Most overdue first, then oldest: the decision nobody has made yet is the one to make next.
    concerns.sort(key=lambda c: (-c.overdue_days, c.received_at))
    return concerns


def concerns_decided(*, user, limit: int = 50):
    return (concern_policy.instances(user).exclude(status=SafeguardingConcern.Status.AWAITING_DECISION)
            .select_related("team").prefetch_related("adults__client").order_by("-updated_at")[:limit])


def concern_get(*, user, pk: int) -> SafeguardingConcern:
    return concern_policy.get(user, pk, queryset=SafeguardingConcern.objects.select_related(
        "team", "locality", "setting", "referral", "created_by"))


def concern_detail(*, concern: SafeguardingConcern) -> dict:
    return {
        "adults": list(concern.adults.select_related("client", "decided_by", "enquiry")),
        "grants": list(SafeguardingAccess.objects.filter(concern=concern).select_related("user", "granted_by", "revoked_by")),
    }


def open_safeguarding(field: str = "client_id"):
    """The person is an adult at risk in a concern not yet closed (awaiting a decision, or going on
    to an enquiry): the flag other apps show, never with the detail."""
    return Exists(AdultAtRisk.objects.filter(ADULT_IN_OPEN_MATTER, client=OuterRef(field)))


def safeguarding_record_panel(user, client, holds: bool = True) -> dict:
    """The person's record: that there is an open safeguarding matter and whom to contact (one
    query; none when they have never been an adult at risk). Shown to everyone who may open the
    record; no detail of the concern."""
    from .permissions import concern_policy as policy

    open_adults = list(AdultAtRisk.objects.filter(ADULT_IN_OPEN_MATTER, client=client)
                       .select_related("concern__team").order_by("pk")) if holds else []
    teams = list(dict.fromkeys(a.concern.team for a in open_adults if a.concern.team))
    visible = set(policy.instances(user).filter(pk__in=[a.concern_id for a in open_adults]).values_list("pk", flat=True)) \
        if open_adults else set()
    return {"open": bool(open_adults), "teams": teams, "can_raise": policy.may_raise(user),
            "visible": [a.concern for a in open_adults if a.concern_id in visible]}


def enquiry_get(*, user, pk: int) -> Enquiry:
    return enquiry_policy.get(user, pk, queryset=Enquiry.objects.select_related(
        "adult__client", "adult__concern__team", "adult__concern__locality", "officer"))


def enquiry_detail(*, enquiry: Enquiry, today=None) -> dict:
    today = today or timezone.localdate()
    actions = list(enquiry.actions.select_related("owner"))
    for action in actions:
        action.overdue = action.is_overdue(today)
    return {"allegations": list(enquiry.allegations.select_related("source_client", "source_setting")),
            "meetings": list(enquiry.meetings.all()), "actions": actions}


def enquiries_open(*, user, today=None) -> list[Enquiry]:
    """Open enquiries the user may see, by officer and stage, each with its overdue plan actions (two
    queries)."""
    today = today or timezone.localdate()
    overdue = PlanAction.objects.filter(enquiry=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    enquiries = list(enquiry_policy.instances(user).filter(status=Enquiry.Status.OPEN)
                     .select_related("adult__client", "officer").annotate(has_overdue=Exists(overdue))
                     .order_by("officer__last_name", "officer__first_name", "started_on", "pk")[:500])
    return enquiries


def actions_overdue(*, user, today=None):
    today = today or timezone.localdate()
    return (PlanAction.objects.filter(enquiry__in=enquiry_policy.instances(user), done_on__isnull=True, due_on__lt=today)
            .select_related("enquiry__adult__client", "owner").order_by("due_on", "pk")[:200])


def locality_overview(*, user, today=None) -> list[dict]:
    """Per locality the user leads: concerns awaiting a decision (and how many overdue), open enquiries,
    overdue plan actions. A fixed number of queries whatever the county's size."""
    from django.db.models import Count

    from ascm.organisation.models import Locality

    today = today or timezone.localdate()
    targets = list(DecisionTarget.objects.all())
    concerns = concern_policy.instances(user)
    awaiting = list(concerns.filter(status=SafeguardingConcern.Status.AWAITING_DECISION)
                    .values_list("locality_id", "received_at"))
    rows = {}
    for locality_id, received in awaiting:
        row = rows.setdefault(locality_id, {"awaiting": 0, "overdue": 0, "enquiries": 0, "actions_overdue": 0})
        row["awaiting"] += 1
        probe = SafeguardingConcern(received_at=received)
        row["overdue"] += probe.decision_due(targets) < today
    for locality_id, n in (enquiry_policy.instances(user).filter(status=Enquiry.Status.OPEN)
                           .values("adult__concern__locality").annotate(n=Count("pk")).values_list("adult__concern__locality", "n")):
        rows.setdefault(locality_id, {"awaiting": 0, "overdue": 0, "enquiries": 0, "actions_overdue": 0})["enquiries"] = n
    for locality_id, n in (PlanAction.objects.filter(enquiry__in=enquiry_policy.instances(user), done_on__isnull=True,
                                                     due_on__lt=today)
                           .values("enquiry__adult__concern__locality").annotate(n=Count("pk"))
                           .values_list("enquiry__adult__concern__locality", "n")):
        rows.setdefault(locality_id, {"awaiting": 0, "overdue": 0, "enquiries": 0, "actions_overdue": 0})["actions_overdue"] = n
    names = dict(Locality.objects.filter(pk__in=rows).values_list("pk", "name"))
    return [{"locality": names.get(pk, "Unknown"), **row} for pk, row in sorted(rows.items(), key=lambda r: names.get(r[0], ""))]


def safeguarding_record_holds(field: str):
    """Whether the person in `field` is an adult at risk in an open matter (the record panel's holding)."""
    from django.db.models import Exists, OuterRef

    return Exists(AdultAtRisk.objects.filter(client_id=OuterRef(field), closed_at__isnull=True))
