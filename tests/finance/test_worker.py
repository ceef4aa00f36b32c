"""The finance morning job, run twice by a real Celery worker on the machine's Redis."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ascm.accounts import roles
from tests.clients.factories import ClientFactory, allocate
from tests.core.test_tasks import run_twice_on_worker
from tests.factories import LocalityFactory, TeamFactory, UserFactory, member
from tests.pathways.test_worker import queue  # noqa: F401 - the fixture
from tests.providers.factories import ProviderFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_morning_job_starts_approved_packages_and_alerts_an_overrun_once(queue):  # noqa: F811
    from ascm.core.years import financial_year
    from ascm.notifications.models import Notification
    from finance import services
    from finance.defaults import finance_defaults_ensure
    from finance.models import CarePackage
    from finance.tasks import finance_daily_task

    roles.roles_ensure()
    finance_defaults_ensure()
    locality = LocalityFactory()
    team = TeamFactory(locality=locality)
    worker = member(UserFactory(), team, roles.PRACTITIONER).user
    manager = member(UserFactory(), team, roles.TEAM_MANAGER).user
    officer = member(UserFactory(), team, roles.FINANCE_OFFICER).user
    provider = ProviderFactory()
    services.rate_add(user=None, provider=provider, service_type="home_care", unit_cost=Decimal("24.50"),
                      effective_from=datetime.date(2020, 4, 1))
    services.budget_set(user=officer, year=financial_year(), locality=locality, service_type="home_care",
                        amount=Decimal("100"))
    for _ in range(2):
        person = allocate(ClientFactory(locality=locality), team, worker=worker).client
        package = services.package_create(user=worker, client=person, delivery_mechanism="commissioned",
                                          starts_on=timezone.localdate() + datetime.timedelta(days=1))
        services.line_add(user=worker, package=package, service_type="home_care", provider=provider,
                          units_per_week=Decimal("10"), funding=[("council", Decimal("100"))])
        services.package_submit(user=worker, package=package)
        services.package_approve(user=manager, package=package)
    # Their start date has come (as it will tomorrow morning).
    CarePackage.objects.update(starts_on=timezone.localdate())
    CarePackage.objects.filter(status="active").update(status="approved")
    assert run_twice_on_worker(queue, finance_daily_task) == [0, 3]  # two started, one budget alerted
    assert set(CarePackage.objects.values_list("status", flat=True)) == {"active"}
    assert Notification.objects.filter(kind="budget_forecast", recipient=officer).count() == 1
