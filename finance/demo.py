"""Demo finance for `make run`: the starting table and limits, framework rates for the demo providers
(with last year's, so a rate change on 1 April shows), Arthur's personal budget and his active home
care package, a package waiting in brokerage, Canterbury's budgets for this financial year, and the
pay run for the 28 days before today (made by the finance officer, approved by the payments officer),
so the finance return has figures."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .defaults import finance_defaults_ensure
from .models import Budget, CarePackage, FundingStream, ServiceType
from .money import financial_year

RATES = [  # (provider name, service, [(from, unit cost)])
    ("Harbour Home Care (demo)", ServiceType.HOME_CARE, [(datetime.date(2025, 4, 1), "23.10"), (datetime.date(2026, 4, 1), "24.50")]),
    ("Riverside Community Trust (demo)", ServiceType.DAY_SERVICE, [(datetime.date(2026, 4, 1), "58.00")]),
    ("Orchard Care Group (demo)", ServiceType.RESIDENTIAL, [(datetime.date(2026, 4, 1), "820.00")]),
    ("Orchard Care Group (demo)", ServiceType.NURSING, [(datetime.date(2026, 4, 1), "1050.00")]),
    ("Orchard Care Group (demo)", ServiceType.RESPITE, [(datetime.date(2026, 4, 1), "125.00")]),
]
BUDGETS = {ServiceType.HOME_CARE: "12000.00", ServiceType.DAY_SERVICE: "6000.00", ServiceType.RESIDENTIAL: "60000.00",
           ServiceType.NURSING: "40000.00", ServiceType.DIRECT_PAYMENT: "8000.00"}


def demo_finance(users) -> None:
    from ascm.organisation.models import Locality
    from ascm.providers.models import Provider
    from clients.models import Client
    from pathways.care.models import SupportPlan

    from . import services

    finance_defaults_ensure()
    pat, morgan, fin = users.get("practitioner"), users.get("manager"), users.get("finance")
    if not (pat and morgan and fin) or Budget.objects.exists():
        return
    providers = {p.name: p for p in Provider.objects.filter(name__endswith="(demo)")}
    for name, kind, rates in RATES:
        if name in providers:
            for effective_from, cost in rates:
                services.rate_add(user=fin, provider=providers[name], service_type=kind, unit_cost=Decimal(cost),
                                  effective_from=effective_from)
    today = timezone.localdate()
    canterbury = Locality.objects.filter(name="Canterbury").first()
    if canterbury is not None:
        for kind, amount in BUDGETS.items():
            services.budget_set(user=fin, year=financial_year(today), locality=canterbury, service_type=kind,
                                amount=Decimal(amount))
    arthur = Client.objects.filter(legacy_id="DEMO002").first()
    plan = SupportPlan.objects.filter(client=arthur).first() if arthur else None
    home_care = providers.get("Harbour Home Care (demo)")
    if plan is None or home_care is None:
        return
    services.personal_budget_set(user=pat, plan=plan, agreed_weekly=Decimal("180.00"),
                                 difference_reason="An evening visit agreed with his daughter")
    package = services.package_create(user=pat, client=arthur, plan=plan, delivery_mechanism="commissioned",
                                      starts_on=plan.starts_on + datetime.timedelta(weeks=2))
    services.line_add(user=pat, package=package, service_type=ServiceType.HOME_CARE, provider=home_care,
                      units_per_week=Decimal("7"), funding=[(FundingStream.COUNCIL, Decimal("100"))],
                      description="A lunchtime visit every day")
    services.package_submit(user=pat, package=package)
    services.package_approve(user=morgan, package=CarePackage.objects.get(pk=package.pk), reason="Meets his outcomes")
    joan = Client.objects.filter(legacy_id="DEMO001").first()
    if joan is not None and joan.locality_id:
        waiting = services.package_create(user=pat, client=joan, delivery_mechanism="commissioned",
                                          starts_on=today + datetime.timedelta(days=7))
        services.line_add(user=pat, package=waiting, service_type=ServiceType.DAY_SERVICE, units_per_week=Decimal("2"),
                          funding=[(FundingStream.COUNCIL, Decimal("100"))], description="Two days at a day centre near her")
        services.package_to_brokerage(user=pat, package=waiting)

    _demo_pay_run(fin, users.get("payments"), today, package.lines.get())


def _demo_pay_run(maker, approver, today, line) -> None:
    from . import payments

    if approver is None:
        return
    start = today - datetime.timedelta(days=payments.PERIOD_DAYS)
    planned = payments.planned_units(line, max(start, line.starts_on), today - datetime.timedelta(days=1))
    if planned:  # the agency's return: one visit missed
        payments.actual_record(user=maker, line=line, period_start=start, units=planned - 1)
    run = payments.pay_run_create(user=maker, period_start=start)
    payments.pay_run_make(run.pk)  # here rather than by the task: it runs once the demo is loaded and finds it made
    run.refresh_from_db()
    payments.pay_run_approve(user=approver, pay_run=run)
