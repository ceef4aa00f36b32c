"""The council's starting finance data, as migration 0002 leaves it (migrations copy what they load,
so the rows are repeated there on purpose): a resource allocation table and the delegated limits.
Administrators change both from their pages; a new dated row applies from its date."""

import datetime
from decimal import Decimal

from ascm.accounts import roles

EFFECTIVE = datetime.date(2026, 4, 1)
# Points per outcome the person cannot achieve, by why (Eligibility Regulations 2015, reg. 2(3)).
DEFAULT_POINTS = {"points_needs_assistance": 4, "points_pain_distress_anxiety": 3, "points_endangers_safety": 4,
                  "points_takes_significantly_longer": 2}
DEFAULT_BANDS = [(0, "0.00"), (4, "85.00"), (8, "160.00"), (12, "245.00"), (16, "340.00"), (20, "430.00"),
                 (28, "580.00"), (36, "760.00")]
# Role → weekly limit (None: no upper limit): which roles start with which limit is decided with the roles.
DEFAULT_LIMITS = roles.APPROVAL_LIMITS


def finance_defaults_ensure(apps=None) -> None:
    """The starting table and limits, once each: only where there are none."""
    if apps is None:
        from django.apps import apps
    AllocationTable = apps.get_model("finance", "AllocationTable")
    AllocationBand = apps.get_model("finance", "AllocationBand")
    ApprovalLimit = apps.get_model("finance", "ApprovalLimit")
    Role = apps.get_model("accounts", "Role")
    if not AllocationTable.objects.exists():
        table = AllocationTable.objects.create(effective_from=EFFECTIVE, **DEFAULT_POINTS)
        AllocationBand.objects.bulk_create(AllocationBand(table=table, from_points=p, weekly_amount=Decimal(a))
                                           for p, a in DEFAULT_BANDS)
    if not ApprovalLimit.objects.exists():
        roles = {role.slug: role for role in Role.objects.filter(slug__in=DEFAULT_LIMITS)}
        ApprovalLimit.objects.bulk_create(
            ApprovalLimit(role=roles[slug], weekly_limit=None if limit is None else Decimal(limit), effective_from=EFFECTIVE)
            for slug, limit in DEFAULT_LIMITS.items() if slug in roles)
    charging_rates_ensure(apps)


# Charging rates from the 2025–26 DHSC circular as DOMAIN.md gives them. The pension-age Minimum Income
# Guarantee is left empty: an administrator enters it from the circular (it is not guessed here).
CHARGING_2025 = {"effective_from": datetime.date(2025, 4, 1), "capital_lower": Decimal("14250.00"),
                 "capital_upper": Decimal("23250.00"), "tariff_step": Decimal("250.00"),
                 "mig_18_24": Decimal("89.15"), "mig_25_to_pension": Decimal("112.50"), "mig_pension_age": None,
                 "disability_premium": Decimal("49.65"), "enhanced_disability_premium": Decimal("24.25"),
                 "pension_age": 66, "personal_expenses_allowance": Decimal("30.65"), "dre_standard": Decimal("17.00")}


def charging_rates_ensure(apps=None) -> None:
    if apps is None:
        from django.apps import apps
    ChargingRates = apps.get_model("finance", "ChargingRates")
    if not ChargingRates.objects.exists():
        ChargingRates.objects.create(**CHARGING_2025)
