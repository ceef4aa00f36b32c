"""Synthetic referrals for benchmarks: about one per five people, most already allocated or closed,
some waiting in team queues. Bulk-inserted, deterministic, tops up on re-run."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun
from clients.models import Allocation

from .models import Referral, ReferralSource, Urgency


def referrals_generate(run: SyntheticRun) -> dict:
    wanted = run.people // 5
    existing = Referral.objects.count()
    if existing >= wanted:
        return {"referrals": existing}
    rng = run.rng
    now = timezone.now()
    allocations = list(Allocation.objects.filter(ended_on__isnull=True).values_list("client_id", "team_id", "worker_id",
                                                                                    "client__locality_id")[: wanted])
    batch = []
    for n in range(existing, wanted):
        client_id, team_id, worker_id, locality_id = allocations[n % len(allocations)]
        status = rng.choices([Referral.Status.ALLOCATED, Referral.Status.CLOSED, Referral.Status.ROUTED], [6, 3, 1])[0]
        received = now - datetime.timedelta(hours=rng.randint(1, 24 * 90))
        batch.append(Referral(
            client_id=client_id, locality_id=locality_id, team_id=team_id, source=rng.choice(ReferralSource.values),
            referrer_name="Synthetic referrer", urgency=rng.choice(Urgency.values), status=status,
            hospital_discharge=rng.random() < 0.2, ward="Ward 1", received_at=received, routed_at=received,
            routing_reason="Synthetic", allocated_to_id=worker_id if status == Referral.Status.ALLOCATED else None,
            closed_at=received if status == Referral.Status.CLOSED else None,
        ))
        if len(batch) == 5000:
            with transaction.atomic():
                Referral.objects.bulk_create(batch)
            batch = []
    Referral.objects.bulk_create(batch)
    return {"referrals": Referral.objects.count()}


def referral_events_generate(run: SyntheticRun) -> dict:
    """Each synthetic referral's Request in the care-event ledger, as referrals' services write it."""
    from clients.synthetic import care_events_insert, sql_json, sql_local_date, sql_reference

    made = care_events_insert(
        f"SELECT {sql_reference('REQ', 'r.id')}, r.client_id, 'request', 'referrals.referral', r.id,"  # noqa: S608 - built from constants, no input
        f" {sql_local_date('r.received_at')}, {sql_local_date('r.closed_at')}, COALESCE(r.outcome, ''),"
        " CASE WHEN r.hospital_discharge THEN 'discharge_from_hospital' ELSE 'community_other' END, '',"
        f" {sql_json(source='r.source')} FROM pathways_referral r")
    return {"request events": made}
