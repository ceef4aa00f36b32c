"""A care package's lines are Services in the care-event ledger (what Client Level Data counts)."""

import datetime
from decimal import Decimal

import pytest

from clients.models import CareEvent
from finance import services

from .conftest import COUNCIL

pytestmark = pytest.mark.django_db


def test_an_approved_package_is_a_service_in_the_ledger_ended_with_the_package(person, practitioner, manager,
                                                                               home_care):
    package = services.package_create(user=practitioner, client=person, delivery_mechanism="commissioned",
                                      starts_on=datetime.date(2026, 7, 6))
    line = services.line_add(user=practitioner, package=package, service_type="home_care",
                             provider=home_care, units_per_week=Decimal("7"), funding=COUNCIL)
    assert not CareEvent.objects.filter(event_type="service").exists()  # a draft is not a service
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=manager, package=package)
    event = CareEvent.objects.get(event_type="service")
    assert (event.reference, event.start_date, event.end_date, event.outcome) == (
        f"SRV{line.pk:08d}", datetime.date(2026, 7, 6), None, "continuing")
    assert event.details["unit_cost"] == "24.50" and event.details["delivery_mechanism"] == "commissioned"
    package.refresh_from_db()
    services.package_end(user=manager, package=package, ends_on=datetime.date(2026, 9, 4), reason="Moved away")
    event.refresh_from_db()
    assert (event.end_date, event.outcome) == (datetime.date(2026, 9, 4), "ended")
