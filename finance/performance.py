"""Money on the performance dashboard: packages approved (and how long they waited), and this
financial year's committed cost against the budgets."""

from django.db.models import Avg, F, Sum
from django.urls import reverse

from ascm.core.db import HoursBetween
from ascm.core.years import financial_year
from ascm.performance.extensions import Column, Measure

from .models import Budget, CarePackage, PackageLine
from .money import line_in_year, line_year_cost_expression

SECTION = "Care packages and spend"
SEE = "finance.view_carepackage"


def _packages(scope):
    return scope.filter(CarePackage.objects.filter(decided_at__isnull=False, status__in=CarePackage.COMMITTED)
                        .select_related("client", "team"), team="team_id")


def _committed(scope):
    year = financial_year(scope.end)
    return scope.filter(PackageLine.objects.filter(line_in_year(year), package__status__in=CarePackage.COMMITTED)
                        .select_related("package__client"), team="package__team_id", locality="package__locality_id")


def _budgets(scope):
    return scope.filter(Budget.objects.filter(year=financial_year(scope.end), closed_at__isnull=True)
                        .select_related("locality", "team"), team="team_id")


PACKAGES = (Column("Package", lambda p: p.reference, lambda p: reverse("finance:package", args=[p.pk])),
            Column("Person", lambda p: p.client.display_name), Column("Weekly cost", lambda p: f"£{p.weekly_cost:,}"),
            Column("Approved", lambda p: f"{p.decided_at:%-d %b %Y}"))
LINES = (Column("Package", lambda x: x.package.reference, lambda x: reverse("finance:package", args=[x.package_id])),
         Column("Person", lambda x: x.package.client.display_name), Column("Service", lambda x: x.get_service_type_display()),
         Column("Weekly cost", lambda x: f"£{x.weekly_cost:,}"))
BUDGETS = (Column("Locality", lambda b: b.locality.name), Column("Team", lambda b: b.team.name if b.team_id else "All teams"),
           Column("Service", lambda b: b.get_service_type_display()), Column("Budget", lambda b: f"£{b.amount:,}"))


def measures() -> dict[str, Measure]:
    return {
        "packages-approved": Measure(
            100, SECTION, "Care packages approved, days waiting for the decision", _packages, PACKAGES,
            date_field="decided_at", permission=SEE,
            value=("days on average", Avg, HoursBetween(F("decided_at"), F("submitted_at")) / 24)),
        "committed-this-year": Measure(
            101, SECTION, "Committed cost this financial year (£)", _committed, LINES, permission=SEE,
            value=("pounds", Sum, lambda scope: line_year_cost_expression(financial_year(scope.end)))),
        "budget-this-year": Measure(102, SECTION, "Budget this financial year (£)", _budgets, BUDGETS,
                                    permission="finance.view_budget", value=("pounds", Sum, F("amount"))),
    }
