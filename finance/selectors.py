"""Finance reads: the queues, package lists, the record and plan panels, and commitments against
budgets — full-year costs summed in the database (finance.money's rule in SQL), never in Python loops
over packages."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from ascm.core.dates import working_days_between
from ascm.core.db import CompiledOnce

from .models import (
    Budget,
    CarePackage,
    FinanceThreshold,
    FinancialAssessment,
    PackageLine,
    PersonalBudget,
    ServiceType,
)
from .money import line_in_year, line_year_cost_expression
from .permissions import budget_policy, care_package_policy, financial_assessment_policy, personal_budget_policy

S = CarePackage.Status
ZERO = Decimal("0.00")


def packages_for(user, *, status: str = "", locality: int | None = None, service_type: str = "", q: str = ""):
    packages = care_package_policy.instances(user).select_related("client", "locality", "team")
    if status == "open":
        packages = packages.filter(status__in=(S.DRAFT, S.RETURNED, S.BROKERAGE, S.SUBMITTED))
    elif status == "current":
        packages = packages.filter(status__in=(S.APPROVED, S.ACTIVE))
    elif status in S.values:
        packages = packages.filter(status=status)
    if locality:
        packages = packages.filter(locality_id=locality)
    if service_type:
        packages = packages.filter(Exists(PackageLine.objects.filter(package=OuterRef("pk"), service_type=service_type)))
    if q:
        reference = q.strip().upper().removeprefix("CP")
        packages = packages.filter(pk=int(reference)) if reference.isdigit() else packages.filter(
            Q(client__family_name__istartswith=q.strip()) | Q(client__given_name__istartswith=q.strip()))
    return packages.order_by("-updated_at", "-pk")


def package_get(user, pk, action: str = "view") -> CarePackage:
    return care_package_policy.get(user, pk, action, queryset=CarePackage.objects.select_related(
        "client", "locality", "team", "plan", "requested_by", "decided_by", "replaces"))


def package_lines(package):
    return (package.lines.select_related("provider", "rate").prefetch_related("funding", "approaches__provider")
            .order_by("pk"))


def approval_queue(user):
    """Packages waiting for approval that the user may decide (in reach, not their own), each marked
    with whether it is within the user's delegated limit; oldest first."""
    from .services import user_approval_limit

    limit = user_approval_limit(user)
    packages = (care_package_policy.instances(user, "approve").filter(status=S.SUBMITTED)
                .exclude(requested_by=user).select_related("client", "locality", "requested_by")
                .order_by("submitted_at", "pk"))
    return packages, limit


def brokerage_queue(user):
    return (care_package_policy.instances(user, "broker").filter(status=S.BROKERAGE)
            .select_related("client", "locality", "requested_by")
            .annotate(services_waiting=Count("lines", filter=Q(lines__provider__isnull=True)
                                             & ~Q(lines__service_type=ServiceType.DIRECT_PAYMENT)))
            .order_by("brokerage_started_at", "pk"))


def brokerage_target(on: datetime.date | None = None) -> int:
    return FinanceThreshold.value_on(FinanceThreshold.Name.BROKERAGE_TARGET_DAYS, on or timezone.localdate())


def with_brokerage_time(packages, today: datetime.date | None = None):
    """Working days each package has been (or was) in brokerage, and whether that is over the target."""
    today = today or timezone.localdate()
    target = brokerage_target(today)
    for package in packages:
        started = package.brokerage_started_at
        if started is None:
            package.brokerage_days, package.brokerage_over = None, False
            continue
        until = timezone.localdate(package.brokerage_ended_at) if package.brokerage_ended_at else today
        package.brokerage_days = working_days_between(timezone.localdate(started), until)
        package.brokerage_over = package.brokerage_days > target
    return packages


def current_package(client):
    return (CarePackage.objects.filter(client=client, status__in=(S.APPROVED, S.ACTIVE))
            .order_by("-starts_on", "-pk").first())


def costs_of_care(client_ids) -> dict[int, Decimal]:
    """Each person's weekly cost of care now — every current package (a direct payment and home care,
    say), less one an approved change is about to replace — in one grouped query."""
    current = (S.APPROVED, S.ACTIVE)
    return dict(CarePackage.objects.filter(client_id__in=client_ids, status__in=current)
                .exclude(replaced_by__status__in=current).values("client_id").order_by("client_id")
                .annotate(cost=Sum("weekly_cost")).values_list("client_id", "cost"))


# The record panel's budget and assessment depend only on the person: compiled once (CompiledOnce).
_record_budget = CompiledOnce(lambda client_id: PersonalBudget.objects.filter(
    client_id=client_id, plan__ended_on__isnull=True).order_by("-plan__starts_on", "-pk")[:1])
_record_financial_assessment = CompiledOnce(lambda client_id: FinancialAssessment.objects.filter(client_id=client_id)
                                            .exclude(status=FinancialAssessment.Status.SUPERSEDED)
                                            .order_by("-assessed_on", "-pk")[:1])


def finance_record_panel(user, client, holds: bool | dict = True) -> dict:
    """The person's record: their current package (or the one in progress), personal budget and
    financial assessment; no query for a part the person has none of."""
    from clients.extensions import holds_part

    packages = list(care_package_policy.instances(user).filter(client=client)
                    .exclude(status__in=(S.CANCELLED, S.NOT_APPROVED))
                    .order_by("-starts_on", "-pk")[:5]) if holds_part(holds, "packages") else []
    current = next((p for p in packages if p.status in (S.APPROVED, S.ACTIVE)), None)
    in_progress = [p for p in packages if p.status in (S.DRAFT, S.RETURNED, S.BROKERAGE, S.SUBMITTED)]
    budget = None
    if holds_part(holds, "budget") and personal_budget_policy.user_may(user, "view"):
        budget = next(iter(_record_budget(client.pk)), None)
    assessment = None
    if holds_part(holds, "assessment") and financial_assessment_policy.user_may(user, "view"):
        assessment = next(iter(_record_financial_assessment(client.pk)), None)
    return {"current": current, "in_progress": in_progress, "budget": budget, "assessment": assessment,
            "may_assess": financial_assessment_policy.user_may(user, "add")}


def plan_budget_panel(user, plan) -> dict | None:
    """The support plan's page: its personal budget (indicative and agreed) and packages."""
    if not personal_budget_policy.user_may(user, "view"):
        return None
    from .services import indicative_budget

    budget = PersonalBudget.objects.filter(plan=plan).select_related("table", "agreed_by").first()
    table, points, indicative = indicative_budget(plan.assessment)
    packages = list(care_package_policy.instances(user).filter(plan=plan).order_by("-starts_on", "-pk")[:5])
    return {"plan": plan, "budget": budget, "indicative": indicative, "points": points, "table": table,
            "packages": packages, "may_change": personal_budget_policy.user_may(user, "change"),
            "may_add_package": care_package_policy.user_may(user, "add")}


# Commitments against budgets ------------------------------------------------------------------

@dataclass
class BudgetRow:
    budget: Budget | None
    locality_id: int
    locality: str
    team: str
    service_type: str
    committed: Decimal = ZERO
    pipeline: Decimal = ZERO
    packages: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def amount(self) -> Decimal:
        return self.budget.amount if self.budget else ZERO

    @property
    def forecast(self) -> Decimal:
        return self.committed + self.pipeline

    @property
    def variance(self) -> Decimal:
        return self.amount - self.forecast

    @property
    def percent(self) -> int | None:
        return int(self.forecast * 100 / self.amount) if self.amount else None

    @property
    def service_label(self) -> str:
        return ServiceType(self.service_type).label


def _line_totals(year: int, lines=None):
    """Per locality, team and service type: the year's cost of committed lines and of those waiting
    for approval, and how many packages — one grouped query."""
    lines = PackageLine.objects.all() if lines is None else lines
    cost = line_year_cost_expression(year)
    committed = Q(package__status__in=CarePackage.COMMITTED)
    return (lines.filter(line_in_year(year), Q(package__status__in=CarePackage.COMMITTED) | Q(package__status=S.SUBMITTED))
            .values("package__locality_id", "package__team_id", "service_type")
            .annotate(committed=Sum(cost, filter=committed), pipeline=Sum(cost, filter=Q(package__status=S.SUBMITTED)),
                      packages=Count("package", distinct=True, filter=committed))
            .order_by())


def budget_rows(*, year: int, budgets, locality: int | None = None, with_unbudgeted: bool = False) -> list[BudgetRow]:
    """Each budget with what is committed against it in the year (approved, active and ended packages,
    for the days inside the year), what waits for approval, the forecast outturn (the two together)
    and the variance. A locality's budget counts all its packages of that type; a team's, the team's.
    With `with_unbudgeted`, commitments in places and services that have no budget get a row too."""
    from ascm.organisation.models import Locality

    budgets = list(budgets.select_related("locality", "team"))
    lines = PackageLine.objects.filter(package__locality_id=locality) if locality else None
    totals = list(_line_totals(year, lines))
    names = dict(Locality.objects.values_list("pk", "name"))
    rows, by_place = [], {}
    for budget in budgets:
        row = BudgetRow(budget=budget, locality_id=budget.locality_id, locality=budget.locality.name,
                        team=budget.team.name if budget.team_id else "", service_type=budget.service_type)
        rows.append(row)
        by_place[(budget.locality_id, budget.team_id, budget.service_type)] = row
    unbudgeted = {}
    for total in totals:
        key_locality, key_team, kind = total["package__locality_id"], total["package__team_id"], total["service_type"]
        targets = [by_place.get((key_locality, None, kind))]
        if key_team is not None:
            targets.append(by_place.get((key_locality, key_team, kind)))
        targets = [row for row in targets if row is not None]
        if not targets and with_unbudgeted:
            row = unbudgeted.setdefault((key_locality, kind), BudgetRow(
                budget=None, locality_id=key_locality, locality=names.get(key_locality, ""), team="", service_type=kind))
            targets = [row]
        for row in targets:
            row.committed += total["committed"] or ZERO
            row.pipeline += total["pipeline"] or ZERO
            row.packages += total["packages"] or 0
    rows.sort(key=lambda r: (r.locality, r.team, r.service_type))
    return rows + sorted(unbudgeted.values(), key=lambda r: (r.locality, r.service_type))


def commitments(user, *, year: int, locality: int | None = None) -> dict:
    """The commitments page: every budget in the user's reach for the year, with totals by service
    type (the chart) and for all."""
    budgets = budget_policy.instances(user).filter(year=year, closed_at__isnull=True)
    if locality:
        budgets = budgets.filter(locality_id=locality)
    places = budget_policy.locality_ids(user)
    rows = budget_rows(year=year, budgets=budgets, locality=locality, with_unbudgeted=places is None)
    if places is not None:
        rows = [row for row in rows if row.locality_id in places]
    by_type = {}
    for row in rows:
        if row.team:  # team budgets are within their locality's: count each pound once
            continue
        item = by_type.setdefault(row.service_type, BudgetRow(budget=None, locality_id=0, locality="", team="",
                                                              service_type=row.service_type))
        item.extra.setdefault("amount", ZERO)
        item.extra["amount"] += row.amount
        item.committed += row.committed
        item.pipeline += row.pipeline
    totals = {"amount": sum((r.amount for r in rows if not r.team), ZERO),
              "committed": sum((r.committed for r in rows if not r.team), ZERO),
              "pipeline": sum((r.pipeline for r in rows if not r.team), ZERO)}
    totals["forecast"] = totals["committed"] + totals["pipeline"]
    totals["variance"] = totals["amount"] - totals["forecast"]
    return {"rows": rows, "by_type": sorted(by_type.values(), key=lambda r: r.service_label), "totals": totals}


def commitment_lines(user, *, year: int, locality_id: int, service_type: str, team_id: int | None = None,
                     include_pipeline: bool = False):
    """The package lines behind one commitments figure, each with its cost inside the year."""
    packages = care_package_policy.instances(user)
    statuses = list(CarePackage.COMMITTED) + ([S.SUBMITTED] if include_pipeline else [])
    lines = PackageLine.objects.filter(line_in_year(year), package__in=packages, package__locality_id=locality_id,
                                       service_type=service_type, package__status__in=statuses)
    if team_id:
        lines = lines.filter(package__team_id=team_id)
    return (lines.annotate(year_cost=line_year_cost_expression(year))
            .select_related("package__client", "package__team", "provider").order_by("package__client__family_name", "pk"))


def commitment_lines_total(lines) -> Decimal:
    return lines.aggregate(total=Sum("year_cost"))["total"] or ZERO


@dataclass
class Statement:
    """A person's account: invoices and payments in date order with the balance after each, what they
    owe, and how much of it is in arrears (invoices unpaid 28 days after their period ended)."""

    rows: list = field(default_factory=list)
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    overdue: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.invoiced - self.paid


def statement_for(client, invoices, payments, *, today: datetime.date | None = None) -> Statement:
    from .models import INVOICE_DUE_DAYS

    today = today or timezone.localdate()
    entries = [(i.period_end, 0, i.pk, "invoice", i) for i in invoices]
    entries += [(p.received_on, 1, p.pk, "payment", p) for p in payments]
    statement, due_before_today = Statement(), ZERO
    for when, _, _, kind, item in sorted(entries, key=lambda e: e[:3]):
        if kind == "invoice":
            statement.invoiced += item.amount
            due_on = item.period_end + datetime.timedelta(days=INVOICE_DUE_DAYS)
            if due_on < today:
                due_before_today += item.amount
            statement.rows.append({"kind": kind, "on": when, "item": item, "due_on": due_on,
                                   "balance": statement.balance})
        else:
            if item.cancelled_at is None:
                statement.paid += item.amount
            statement.rows.append({"kind": kind, "on": when, "item": item, "balance": statement.balance})
    statement.overdue = max(due_before_today - statement.paid, ZERO)
    statement.rows.reverse()  # newest first on the page
    return statement


FINANCE_RECORD_PARTS = ("packages", "budget", "assessment")


def finance_record_holds(field: str) -> dict:
    """Whether the person in `field` has a package, a personal budget, a financial assessment (each
    part of the record panel on its own: most people with a package have no budget or assessment)."""
    return {"packages": Exists(CarePackage.objects.filter(client_id=OuterRef(field))),
            "budget": Exists(PersonalBudget.objects.filter(client_id=OuterRef(field))),
            "assessment": Exists(FinancialAssessment.objects.filter(client_id=OuterRef(field)))}
