import datetime
from decimal import Decimal

import pytest

from ascm.accounts import roles
from tests.factories import TeamFactory, UserFactory, member, with_role
from tests.providers.factories import ProviderFactory


@pytest.fixture
def home_care(db):
    """A home care agency on the framework: £23.10 an hour from April 2025, £24.50 from April 2026."""
    from finance import services

    provider = ProviderFactory(name="Synthetic Home Care")
    for effective_from, cost in ((datetime.date(2025, 4, 1), "23.10"), (datetime.date(2026, 4, 1), "24.50")):
        services.rate_add(user=None, provider=provider, service_type="home_care", unit_cost=Decimal(cost),
                          effective_from=effective_from)
    return provider


@pytest.fixture
def day_centre(db):
    from finance import services

    provider = ProviderFactory(name="Synthetic Day Centre")
    services.rate_add(user=None, provider=provider, service_type="day_service", unit_cost=Decimal("58.00"),
                      effective_from=datetime.date(2026, 4, 1))
    return provider


@pytest.fixture
def head_of_service(canterbury):
    return member(UserFactory(username="harper"), TeamFactory(locality=canterbury), roles.HEAD_OF_SERVICE).user


@pytest.fixture
def panel_chair():
    return with_role(UserFactory(username="parisa"), roles.FUNDING_PANEL)


@pytest.fixture
def finance_officer(thanet_team):
    # In a Thanet team: county-wide all the same.
    return member(UserFactory(username="fin"), thanet_team, roles.FINANCE_OFFICER).user


@pytest.fixture
def broker(thanet_team):
    return member(UserFactory(username="bailey"), thanet_team, roles.BROKER).user


@pytest.fixture
def thanet_practitioner(thanet_team):
    return member(UserFactory(username="tam"), thanet_team, roles.PRACTITIONER).user


COUNCIL = [("council", Decimal("100"))]


def draft(user, client, *, starts_on=None, lines=(), **kwargs):
    """A draft package with `lines`: (service_type, provider, units_per_week[, extra]) tuples."""
    from django.utils import timezone

    from finance import services

    package = services.package_create(user=user, client=client, delivery_mechanism=kwargs.pop("delivery", "commissioned"),
                                      starts_on=starts_on or timezone.localdate(), **kwargs)
    for kind, provider, units, *extra in lines:
        services.line_add(user=user, package=package, service_type=kind, provider=provider,
                          units_per_week=Decimal(units), funding=COUNCIL, **(extra[0] if extra else {}))
    package.refresh_from_db()
    return package


@pytest.fixture
def orchard(db):
    from finance import services

    provider = ProviderFactory(name="Synthetic Care Homes")
    services.rate_add(user=None, provider=provider, service_type="residential", unit_cost=Decimal("820.00"),
                      effective_from=datetime.date(2020, 4, 1))
    return provider


def charged(finance_officer, person, period, weekly_income="300"):
    """A completed financial assessment for a 40-year-old on ESA, told and charged from `period`."""
    import datetime

    from finance import services

    person.date_of_birth = datetime.date(1986, 1, 1)
    person.save()
    assessment = services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
        user=finance_officer, client=person, setting="home", assessed_on=period,
        income=[{"kind": "esa", "weekly": weekly_income}]))
    services.person_told(user=finance_officer, assessment=assessment, told_on=period)
    return services.charges_start(user=finance_officer, assessment=assessment, charge_from=period)
