"""The synthetic county's care packages (`make bench`): at 250,000 people about 25,000 active packages
(Kent supports some 16,000 people in long-term care at home and in care homes, plus short-term),
five years of ended ones, a few hundred waiting for approval or in brokerage, framework rates that
change each April, and budgets per locality and service for each of the five years. Bulk-inserted."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun

from .models import (
    SERVICE_UNITS,
    Budget,
    CarePackage,
    DeliveryMechanism,
    FundingStream,
    LineFunding,
    PackageLine,
    PackageStatusChange,
    ProviderRate,
    ServiceType,
)
from .money import days_in_year, financial_year, weekly_cost

YEARS = 5
# (service, share of packages, units a week (low, high), framework unit cost in the first year)
MIX = [(ServiceType.HOME_CARE, 45, (4, 28), "21.00"), (ServiceType.RESIDENTIAL, 18, (1, 1), "700.00"),
       (ServiceType.NURSING, 10, (1, 1), "900.00"), (ServiceType.DAY_SERVICE, 10, (1, 5), "50.00"),
       (ServiceType.DIRECT_PAYMENT, 10, (6, 30), "15.00"), (ServiceType.SUPPORTED_LIVING, 5, (10, 60), "19.00"),
       (ServiceType.SHARED_LIVES, 2, (1, 1), "450.00")]


def finance_generate(run: SyntheticRun) -> dict:
    from ascm.accounts.models import User
    from ascm.organisation.models import Locality
    from ascm.providers.models import Provider
    from clients.models import Allocation

    from .defaults import finance_defaults_ensure

    finance_defaults_ensure()
    if CarePackage.objects.exists():
        return {"care packages": CarePackage.objects.count()}
    rng = run.rng
    active = max(50, run.people * 25_000 // 250_000)
    ended = active * 2
    waiting = max(5, active // 60)
    providers = list(Provider.objects.filter(name__startswith="Synthetic").exclude(kind=Provider.Kind.NHS_TRUST)
                     .values_list("pk", flat=True)) or list(Provider.objects.values_list("pk", flat=True))
    user = User.objects.filter(is_active=True).order_by("pk").first()
    people = list(Allocation.objects.filter(ended_on__isnull=True, client__locality__isnull=False)
                  .values_list("client_id", "client__locality_id", "team_id").order_by("client_id").distinct()
                  [: active + ended + 2 * waiting])
    if not providers or not people or user is None:
        return {"care packages": 0}
    today = timezone.localdate()
    this_year = financial_year(today)
    years = range(this_year - YEARS + 1, this_year + 1)
    # Framework rates: each provider, each service, a new rate each April (about 4% a year).
    rates = {}
    rate_rows = []
    for provider in providers:
        for kind, _, _, base in MIX:
            if kind == ServiceType.DIRECT_PAYMENT:
                continue
            cost = Decimal(base) * Decimal(rng.randint(95, 110)) / 100
            for year in years:
                cost = (cost * Decimal("1.04")).quantize(Decimal("0.01"))
                rate_rows.append(ProviderRate(provider_id=provider, service_type=kind, unit_cost=cost,
                                              effective_from=datetime.date(year, 4, 1),
                                              effective_to=None if year == this_year else datetime.date(year + 1, 3, 31),
                                              created_by=user))
                rates[(provider, kind, year)] = cost
    ProviderRate.objects.bulk_create(rate_rows, batch_size=5000)
    kinds = [item for item in MIX for _ in range(item[1])]
    plan = [("active", i) for i in range(active)] + [("ended", i) for i in range(ended)] + \
           [("submitted", i) for i in range(waiting)] + [("brokerage", i) for i in range(waiting)]
    spend = {}  # (year, locality, kind) -> the year's cost, to set budgets near it
    made = {"care packages": 0, "active": 0}
    first_day = datetime.date(this_year - YEARS + 1, 4, 1)
    span = (today - first_day).days
    for chunk_start in range(0, len(plan), 5000):
        chunk = plan[chunk_start:chunk_start + 5000]
        with transaction.atomic():
            packages, specs = [], []
            for i, (state, _) in enumerate(chunk):
                client_id, locality_id, team_id = people[(chunk_start + i) % len(people)]
                kind, _, (low, high), _ = rng.choice(kinds)
                if state == "active":
                    starts = today - datetime.timedelta(days=rng.randrange(1, 3 * 365))
                    ends = None
                elif state == "ended":
                    starts = first_day + datetime.timedelta(days=rng.randrange(0, max(1, span - 60)))
                    ends = min(today - datetime.timedelta(days=1), starts + datetime.timedelta(days=rng.randrange(14, 700)))
                else:
                    starts, ends = today + datetime.timedelta(days=rng.randrange(1, 21)), None
                provider = None if kind == ServiceType.DIRECT_PAYMENT or state == "brokerage" else rng.choice(providers)
                year = max(financial_year(starts), years[0])
                unit = Decimal(rng.choice(MIX)[3]) if provider is None and kind == ServiceType.DIRECT_PAYMENT else (
                    rates.get((provider, kind, year)) if provider else None)
                units = Decimal(rng.randint(low, high))
                weekly = weekly_cost(units, unit) if unit is not None else Decimal("0.00")
                status = {"active": CarePackage.Status.ACTIVE, "ended": CarePackage.Status.ENDED,
                          "submitted": CarePackage.Status.SUBMITTED, "brokerage": CarePackage.Status.BROKERAGE}[state]
                started_at = timezone.now() - datetime.timedelta(days=rng.randrange(0, 10))
                packages.append(CarePackage(
                    client_id=client_id, locality_id=locality_id, team_id=team_id, status=status,
                    delivery_mechanism=DeliveryMechanism.DIRECT_PAYMENT if kind == ServiceType.DIRECT_PAYMENT
                    else DeliveryMechanism.COMMISSIONED, starts_on=starts, ends_on=ends, weekly_cost=weekly,
                    approved_weekly_cost=weekly if state in ("active", "ended") else None, requested_by=user,
                    decided_by=user if state in ("active", "ended") else None,
                    submitted_at=started_at if state == "submitted" else None,
                    brokerage_started_at=started_at if state == "brokerage" else None,
                    end_reason="Synthetic: ended" if ends else ""))
                specs.append((kind, provider, units, unit, starts, ends, weekly))
                if state in ("active", "ended"):
                    for y in years:
                        days = days_in_year(starts, ends, y)
                        if days:
                            spend[(y, locality_id, kind)] = spend.get((y, locality_id, kind), Decimal(0)) + weekly * days / 7
            packages = CarePackage.objects.bulk_create(packages, batch_size=1000)
            lines = PackageLine.objects.bulk_create([
                PackageLine(package=p, service_type=kind, provider_id=provider, units_per_week=units, unit_cost=unit,
                            starts_on=starts, ends_on=ends, weekly_cost=weekly)
                for p, (kind, provider, units, unit, starts, ends, weekly) in zip(packages, specs, strict=True)],
                batch_size=2000)
            LineFunding.objects.bulk_create([LineFunding(line=line, stream=FundingStream.COUNCIL, share_percent=100)
                                             for line in lines], batch_size=5000)
            PackageStatusChange.objects.bulk_create([PackageStatusChange(
                package=p, from_status="", to_status=p.status, changed_by=user, reason="Synthetic history",
                weekly_cost=p.weekly_cost) for p in packages], batch_size=5000)
            made["care packages"] += len(packages)
            made["active"] += sum(1 for p in packages if p.status == CarePackage.Status.ACTIVE)
    # Budgets near each year's spend (some over, some under), for every locality and service.
    localities = list(Locality.objects.values_list("pk", flat=True))
    Budget.objects.bulk_create([
        Budget(year=y, locality_id=loc, service_type=kind,
               amount=max(Decimal(1000), (spend.get((y, loc, kind), Decimal(0)) * rng.randint(90, 115) / 100).quantize(Decimal("1"))),
               created_by=user)
        for y in years for loc in localities for kind, *_ in MIX], batch_size=2000)
    made["budgets"] = Budget.objects.count()
    return made


def charging_generate(run: SyntheticRun) -> dict:
    """About 20,000 completed financial assessments (at 250,000 people) for people with an active package."""
    from .defaults import charging_rates_ensure
    from .models import ChargingRates, FinancialAssessment

    charging_rates_ensure()
    if FinancialAssessment.objects.exists():
        return {"financial assessments": FinancialAssessment.objects.count()}
    rng = run.rng
    wanted = max(20, run.people * 20_000 // 250_000)
    rates = ChargingRates.objects.order_by("-effective_from").first()
    people = list(CarePackage.objects.filter(status=CarePackage.Status.ACTIVE).values_list("client_id", flat=True)
                  .distinct().order_by("client_id")[:wanted])
    from ascm.accounts.models import User

    user = User.objects.filter(is_active=True).order_by("pk").first()
    if not people or user is None or rates is None:
        return {"financial assessments": 0}
    rows = []
    for client_id in people:
        weekly = Decimal(rng.randint(90, 400))
        contribution = max(Decimal("0.00"), weekly - rates.mig_25_to_pension - rates.dre_standard)
        rows.append(FinancialAssessment(
            client_id=client_id, kind="full", setting="home", status="completed", assessed_on=rates.effective_from,
            income=[{"kind": "esa", "weekly": f"{weekly}.00"}], rates=rates, weekly_contribution=contribution,
            lines=[["Synthetic", "history"]], author=user, completed_by=user, completed_at=timezone.now(),
            told_on=rates.effective_from, charge_from=rates.effective_from, created_at=timezone.now()))
    FinancialAssessment.objects.bulk_create(rows, batch_size=2000)
    return {"financial assessments": len(rows)}


def service_events_generate(run: SyntheticRun) -> dict:
    """Each line of a synthetic approved, active or ended package as a Service in the care-event ledger
    (as finance.services.package_ledger writes it)."""
    from clients.synthetic import care_events_insert, sql_json, sql_reference

    units = " ".join(f"WHEN '{kind}' THEN '{unit}'" for kind, unit in SERVICE_UNITS.items())
    details = sql_json(service_type="l.service_type", reablement="l.reablement", delivery_mechanism="p.delivery_mechanism",
                       package="CAST(p.id AS TEXT)", unit=f"CASE l.service_type {units} END",
                       unit_cost="CAST(l.unit_cost AS TEXT)", units_per_week="CAST(l.units_per_week AS TEXT)")
    made = care_events_insert(
        f"SELECT {sql_reference('SRV', 'l.id')}, p.client_id, 'service', 'finance.packageline', l.id,"  # noqa: S608 - built from constants, no input
        " CASE WHEN l.starts_on > p.starts_on THEN l.starts_on ELSE p.starts_on END,"
        " CASE WHEN p.status = 'ended' OR COALESCE(l.ends_on, p.ends_on) < CURRENT_DATE"
        " THEN COALESCE(l.ends_on, p.ends_on) END,"
        " CASE WHEN p.status = 'ended' THEN 'ended' ELSE 'continuing' END, '', '',"
        f" {details}"
        " FROM finance_packageline l JOIN finance_carepackage p ON p.id = l.package_id"
        " WHERE p.status IN ('approved', 'active', 'ended')")
    return {"service events": made}


PAY_RUNS = 13  # a year of 4-weekly pay runs


def pay_runs_generate(run: SyntheticRun) -> dict:
    """The last year's pay runs, approved, paying every provider line as planned, and each charged
    person's invoice (their weekly contribution for the 4 weeks, never above the care received), by
    INSERT … SELECT: the finance return reads them. The bench's own pay run is of a later period."""
    from django.db import connection

    from ascm.accounts.models import User

    from .models import PayRun
    from .payments import PERIOD_DAYS

    if PayRun.objects.exists():
        return {"pay runs": PayRun.objects.count()}
    user = User.objects.filter(is_active=True).order_by("pk").first()
    if user is None:
        return {"pay runs": 0}
    today = timezone.localdate()
    runs = PayRun.objects.bulk_create([
        PayRun(period_start=start, period_end=start + datetime.timedelta(days=PERIOD_DAYS - 1),
               status=PayRun.Status.APPROVED, created_by=user, approved_by=user, approved_at=timezone.now())
        for start in (today - datetime.timedelta(days=PERIOD_DAYS * (i + 1)) for i in range(PAY_RUNS))])
    ids = ",".join(str(r.pk) for r in runs)
    postgres = connection.vendor == "postgresql"
    greatest, least = ("GREATEST", "LEAST") if postgres else ("MAX", "MIN")
    first = f"{greatest}(l.starts_on, p.starts_on, r.period_start)"
    last = f"{least}(COALESCE(l.ends_on, p.ends_on, r.period_end), COALESCE(p.ends_on, r.period_end), r.period_end)"
    days = f"({last} - {first} + 1)" if postgres else f"(CAST(julianday({last}) - julianday({first}) AS INTEGER) + 1)"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO finance_payrunitem (pay_run_id, line_id, provider_id, units_planned, units_delivered,"  # noqa: S608 - built from constants, no input
            " units_paid, amount, held, hold_reason)"
            f" SELECT r.id, l.id, l.provider_id, ROUND(l.units_per_week * {days} / 7.0, 2), NULL,"
            f" ROUND(l.units_per_week * {days} / 7.0, 2), ROUND(l.weekly_cost * {days} / 7.0, 2), false, ''"
            " FROM finance_payrun r, finance_packageline l JOIN finance_carepackage p ON p.id = l.package_id"
            f" WHERE r.id IN ({ids}) AND l.provider_id IS NOT NULL AND l.unit_cost IS NOT NULL"
            " AND p.status IN ('approved', 'active', 'ended')"
            f" AND {first} <= {last}")
        items = cursor.rowcount
        now = "now()" if postgres else "CURRENT_TIMESTAMP"
        cursor.execute(
            "INSERT INTO finance_clientinvoice (created_at, updated_at, client_id, assessment_id, pay_run_id,"  # noqa: S608 - built from constants, no input
            " period_start, period_end, care_received, amount, lines)"
            f" SELECT {now}, {now}, a.client_id, a.id, c.pay_run_id, r.period_start, r.period_end, c.care,"
            f" {least}(c.care, a.weekly_contribution * 4), '[]'"
            " FROM (SELECT i.pay_run_id, p.client_id, SUM(i.amount) AS care FROM finance_payrunitem i"
            " JOIN finance_packageline l ON l.id = i.line_id JOIN finance_carepackage p ON p.id = l.package_id"
            f" WHERE i.pay_run_id IN ({ids}) GROUP BY i.pay_run_id, p.client_id) c"
            " JOIN finance_payrun r ON r.id = c.pay_run_id"
            " JOIN finance_financialassessment a ON a.client_id = c.client_id AND a.status = 'completed'"
            " AND a.weekly_contribution > 0")
        invoices = cursor.rowcount
    return {"pay runs": len(runs), "provider payments": items, "invoices": invoices}
