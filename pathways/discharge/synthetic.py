"""The synthetic county's hospital discharges (`make bench`): Kent's acute hospitals with about
2,000 people in hospital known to the council at any time and two years of history (about 60,000
discharges), bulk-inserted, with ready dates, pathways and delays."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun

from .models import Attribution, DelayPeriod, Destination, Discharge, LocalDelayCode, NhsDelayReason, ReadyDateChange

YEARS = 2


def discharge_generate(run: SyntheticRun) -> dict:
    from ascm.accounts.models import User
    from ascm.providers.models import CareSetting, Ward
    from clients.models import Allocation

    from .defaults import alert_rules_ensure

    alert_rules_ensure()

    if Discharge.objects.exists():
        return {"discharges": Discharge.objects.count()}
    rng = run.rng
    in_hospital = max(20, run.people * 2_000 // 250_000)
    history = max(100, run.people * 60_000 // 250_000)
    hospitals = list(CareSetting.objects.filter(kind=CareSetting.Kind.HOSPITAL).values_list("pk", "locality_id"))
    wards = {}
    for pk, setting_id in Ward.objects.values_list("pk", "setting_id"):
        wards.setdefault(setting_id, []).append(pk)
    people = list(Allocation.objects.filter(ended_on__isnull=True).values_list("client_id", "client__locality_id", "team_id")
                  .order_by("client_id").distinct()[: (in_hospital + history)])
    user = User.objects.filter(is_active=True).order_by("pk").first()
    if not hospitals or not people or user is None:
        return {"discharges": 0}
    in_hospital = min(in_hospital, len(people))  # one open stay per person
    today = timezone.localdate()
    reasons, codes, attributions = NhsDelayReason.values, LocalDelayCode.values, Attribution.values
    made = {"discharges": 0, "in hospital": 0}
    # The open stays first (one per person, the constraint), then the history over other people and again.
    plans = [(people[i % len(people)], True) for i in range(in_hospital)]
    plans += [(people[(in_hospital + i) % len(people)], False) for i in range(history)]
    for chunk_start in range(0, len(plans), 5000):
        chunk = plans[chunk_start:chunk_start + 5000]
        with transaction.atomic():
            stays = []
            for i, ((client_id, locality_id, team_id), open_now) in enumerate(chunk):
                hospital_id, _ = hospitals[rng.randrange(len(hospitals))]
                if open_now:
                    admitted = today - datetime.timedelta(days=rng.randrange(1, 40))
                else:
                    admitted = today - datetime.timedelta(days=rng.randrange(40, 365 * YEARS))
                ready = admitted + datetime.timedelta(days=rng.randrange(1, 14)) if (not open_now or rng.random() < 0.7) else None
                delay = int(rng.expovariate(1 / 4)) if ready else 0
                left = None if open_now else (ready or admitted + datetime.timedelta(days=5)) + datetime.timedelta(days=delay)
                if open_now and ready and ready >= today:
                    ready = today - datetime.timedelta(days=rng.randrange(0, 10))
                delayed = ready is not None and ((left or today) > ready)
                stays.append(Discharge(
                    reference=f"HY{chunk_start + i:08d}", client_id=client_id, hospital_id=hospital_id,
                    ward_id=rng.choice(wards.get(hospital_id, [None])), locality_id=locality_id, team_id=team_id,
                    admitted_on=admitted, ready_on=ready, pathway=rng.choice([0, 1, 1, 1, 2, 3]),
                    delay_reason=rng.choice(reasons) if delayed else "", delay_code=rng.choice(codes) if delayed else "",
                    attribution=rng.choice(attributions) if delayed else "",
                    status="in_hospital" if open_now else "discharged", discharged_on=left,
                    destination="" if open_now else rng.choice([Destination.HOME, Destination.HOME_ENABLEMENT, Destination.HOME]),
                    alerts_due=False, created_by=user))
            stays = Discharge.objects.bulk_create(stays, batch_size=1000)
            ReadyDateChange.objects.bulk_create([ReadyDateChange(discharge=s, ready_on=s.ready_on, reason="Synthetic ward round",
                                                                 changed_by=user) for s in stays if s.ready_on],
                                                batch_size=2000)
            DelayPeriod.objects.bulk_create([DelayPeriod(discharge=s, starts_on=s.ready_on, reason=s.delay_reason,
                                                         code=s.delay_code, attribution=s.attribution, recorded_by=user)
                                             for s in stays if s.delay_reason], batch_size=2000)
            made["discharges"] += len(stays)
            made["in hospital"] += sum(1 for s in stays if s.status == "in_hospital")
    return made
