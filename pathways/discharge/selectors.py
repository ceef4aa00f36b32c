"""Reads for hospital discharge: the patient tracking list (a hospital, a locality, a team or the
county; filtered, sorted, paged, and as CSV), a stay's delayed days by reason, and the escalation
reached. Bounded queries whatever the county's size."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ascm.core.db import CompiledOnce

from .models import AlertRule, Discharge, DischargeAlert
from .permissions import discharge_policy

SORTS = {
    "delayed": ("ready_on", "pk"),  # the longest delayed first (the earliest DRD); no DRD last
    "name": ("client__family_name", "client__given_name", "pk"),
    "hospital": ("hospital__name", "ward__name", "ready_on", "pk"),
    "admitted": ("admitted_on", "pk"),
}
ESCALATION = {AlertRule.Recipient.WORKER: 1, AlertRule.Recipient.TEAM: 1, AlertRule.Recipient.TEAM_MANAGER: 2,
              AlertRule.Recipient.LOCALITY: 3}
ESCALATION_LABELS = {1: "Worker and team told", 2: "Escalated to the team manager", 3: "Escalated to the locality"}


def tracking_list(user, *, hospital=None, locality=None, team=None, delayed_only=False, sort="delayed",
                  today=None) -> QuerySet:
    from clients.models import Allocation

    today = today or timezone.localdate()
    queryset = discharge_policy.instances(user).filter(status=Discharge.Status.IN_HOSPITAL)
    if hospital:
        queryset = queryset.filter(hospital_id=hospital)
    if locality:
        queryset = queryset.filter(locality_id=locality)
    if team:
        queryset = queryset.filter(team_id=team)
    if delayed_only:
        queryset = queryset.filter(ready_on__lt=today)
    order = SORTS.get(sort, SORTS["delayed"])
    from django.db.models import F

    ordering = [F(order[0]).asc(nulls_last=True), *order[1:]]
    return (queryset.select_related("client", "hospital", "ward", "team")
            .prefetch_related(Prefetch("client__allocations", to_attr="current_allocations",
                                       queryset=Allocation.objects.filter(ended_on__isnull=True).select_related("worker")),
                              Prefetch("alerts", to_attr="open_alerts",
                                       queryset=DischargeAlert.objects.filter(closed_at__isnull=True).select_related("rule")))
            .order_by(*ordering))


def alert_threshold(today=None) -> int | None:
    """The first threshold any rule raises at: past it, delayed days show in red."""
    from .alerts import rules_in_force

    rules = rules_in_force(today or timezone.localdate())
    return min((rule.delayed_days for rule in rules), default=None)


def with_tracking(items, today=None, threshold=None):
    """What each row shows: delayed days, red past the threshold, the worker, the escalation."""
    today = today or timezone.localdate()
    for item in items:
        item.days = item.delayed_days(today)
        item.over_threshold = bool(threshold and item.days >= threshold)
        allocations = getattr(item.client, "current_allocations", [])
        item.worker = next((a.worker for a in allocations if a.worker_id and a.team_id == item.team_id), None) or \
            next((a.worker for a in allocations if a.worker_id), None)
        level = max((ESCALATION.get(a.rule.recipient, 1) for a in getattr(item, "open_alerts", [])), default=0)
        item.escalation = ESCALATION_LABELS.get(level, "")
    return items


def delay_days_by_reason(discharge: Discharge, today=None) -> list[tuple]:
    """Each delay period with the delayed days it accounts for: from the later of its start and the
    DRD, to the next period's start (or the discharge, or today)."""
    if discharge.ready_on is None:
        return []
    end = discharge.discharged_on or today or timezone.localdate()
    periods = list(discharge.delay_periods.all())
    out = []
    for i, period in enumerate(periods):
        start = max(period.starts_on, discharge.ready_on)
        stop = min(periods[i + 1].starts_on, end) if i + 1 < len(periods) else end
        out.append((period, max(0, (stop - start).days)))
    return out


def tracking_csv_rows(items, today=None):
    today = today or timezone.localdate()
    yield ["reference", "person", "nhs_number", "hospital", "ward", "admitted", "discharge_ready_date", "delayed_days",
           "pathway", "reason", "local_code", "attribution", "team", "worker", "next_action", "next_action_by", "escalation"]
    for d in items:
        yield [d.reference, str(d.client), d.client.nhs_number or "", d.hospital.name, d.ward.name if d.ward else "",
               d.admitted_on, d.ready_on or "", d.days, "" if d.pathway is None else d.pathway, d.get_delay_reason_display(),
               d.delay_code, d.get_attribution_display(), d.team.name if d.team else "",
               d.worker.get_full_name() if d.worker else "", d.next_action, d.next_action_on or "", d.escalation]


def stays_in(user, days: int = 90, today=None, queryset=None) -> dict:
    """People delayed and delayed days on each of the last `days` days (the trend), from the stays
    overlapping the window: one query."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    queryset = discharge_policy.instances(user) if queryset is None else queryset
    rows = list(queryset.filter(ready_on__isnull=False, ready_on__lt=today)
                .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=start)).values_list("ready_on", "discharged_on"))
    # A stay counts on each day after its DRD while the person is still in: difference arrays over
    # the window (the count, and the sum of DRDs, so the delayed days are count x day - sum).
    count, ready_sum = [0] * (days + 1), [0] * (days + 1)
    for ready, left in rows:
        first = max((ready - start).days + 1, 0)
        last = min(((left - start).days if left else days), days)  # exclusive: the day they left is not counted
        if first < last:
            count[first] += 1
            count[last] -= 1
            ready_sum[first] += ready.toordinal()
            ready_sum[last] -= ready.toordinal()
    trend, people, total = [], 0, 0
    for offset in range(days):
        people, total = people + count[offset], total + ready_sum[offset]
        day = start + datetime.timedelta(days=offset)
        trend.append({"day": day, "people": people, "days": people * day.toordinal() - total})
    return {"trend": trend}


def discharge_record_panel(user, client, holds: bool = True) -> dict:
    """The person's record: their stay in hospital now (or the last one), one query (none when they
    have had no stay)."""
    stay = next(iter(_record_stay(client.pk)), None) if holds else None
    return {"stay": stay, "days": stay.delayed_days() if stay else 0}


_record_stay = CompiledOnce(lambda client_id: Discharge.objects.filter(client_id=client_id)
                           .select_related("hospital", "ward").order_by("-admitted_on", "-pk")[:1])


def discharge_record_holds(field: str):
    """Whether the person in `field` has had a hospital stay (the record panel's holding)."""
    from django.db.models import Exists, OuterRef

    return Exists(Discharge.objects.filter(client_id=OuterRef(field)))
