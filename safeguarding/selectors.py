"""Reads of safeguarding records, through the ConcernPolicy: nothing leaves it but a flag."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ascm.core.dates import working_days_between

from .models import AdultAtRisk, DecisionTarget, SafeguardingAccess, SafeguardingConcern
from .permissions import concern_policy


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
        "adults": list(concern.adults.select_related("client", "decided_by")),
        "grants": list(SafeguardingAccess.objects.filter(concern=concern).select_related("user", "granted_by", "revoked_by")),
    }


def open_safeguarding(field: str = "client_id"):
    """The person is an adult at risk in a concern not yet closed (awaiting a decision, or going on
    to an enquiry): the flag other apps show, never with the detail."""
    return Exists(AdultAtRisk.objects.filter(client=OuterRef(field), closed_at__isnull=True)
                  .filter(Q(decided_at__isnull=True) | ~Q(outcome=AdultAtRisk.Outcome.NO_ENQUIRY)))


def safeguarding_record_panel(user, client) -> dict:
    """The person's record: that there is an open safeguarding matter and whom to contact (one
    query). Shown to everyone who may open the record; no detail of the concern."""
    from .permissions import concern_policy as policy

    open_adults = list(AdultAtRisk.objects.filter(client=client, closed_at__isnull=True)
                       .filter(Q(decided_at__isnull=True) | ~Q(outcome=AdultAtRisk.Outcome.NO_ENQUIRY))
                       .select_related("concern__team").order_by("pk"))
    teams = list(dict.fromkeys(a.concern.team for a in open_adults if a.concern.team))
    visible = set(policy.instances(user).filter(pk__in=[a.concern_id for a in open_adults]).values_list("pk", flat=True)) \
        if open_adults else set()
    return {"open": bool(open_adults), "teams": teams, "can_raise": policy.may_raise(user),
            "visible": [a.concern for a in open_adults if a.concern_id in visible]}
