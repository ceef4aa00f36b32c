"""The routing job with a real Celery worker on the machine's Redis (CI), not in-process."""

import os
import signal
import statistics
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from ascm.celery import app
from ascm.notifications.models import Notification
from ascm.organisation.models import TeamType
from pathways.referrals.defaults import routing_defaults_ensure
from pathways.referrals.models import Referral, ReferralEvent
from pathways.referrals.services import referrals_sweep
from tests.clients.factories import ClientFactory
from tests.core.test_tasks import ROOT, _wait_for, run_twice_on_worker, start_worker, worker_env
from tests.factories import LocalityFactory, TeamFactory, UserFactory, member

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue():
    if not settings.TEST_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (CI has both)")
    name = f"ascm-test-{uuid.uuid4().hex[:8]}"
    saved = app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url
    app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = False, name, settings.TEST_BROKER_URL
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = saved


@pytest.fixture
def front_door():
    from ascm.accounts import roles

    roles.roles_ensure()
    routing_defaults_ensure()
    canterbury = LocalityFactory(name="Canterbury")
    teams = {t: TeamFactory(name=f"Canterbury {t}", team_type=t, locality=canterbury) for t in TeamType.values}
    user = UserFactory()
    for team in teams.values():
        member(user, team, "practitioner")
    return canterbury, user


def _take_referrals(user, locality, count):
    api = APIClient()
    api.force_authenticate(user)
    ids = []
    for _ in range(count):
        person = ClientFactory(locality=locality, date_of_birth="1940-01-01")
        body = {"client": person.pk, "locality": locality.pk, "source": "hospital", "referrer_name": "Ward sister",
                "hospital_discharge": True, "ward": "Ward 7", "urgency": "urgent"}
        response = api.post("/api/v1/referrals/", body, format="json")
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    return ids


def test_a_referral_created_through_the_api_is_routed_by_the_worker_within_seconds(queue, front_door):
    locality, user = front_door
    with open(ROOT / f".worker-{queue}.log", "w+") as log:
        worker = start_worker(queue, worker_env(queue), log)
        try:
            ids = _take_referrals(user, locality, 10)
            assert _wait_for(lambda: Referral.objects.filter(pk__in=ids, status="routed").count() == 10, 30)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    os.unlink(ROOT / f".worker-{queue}.log")
    latencies = sorted((r.routed_at - r.created_at).total_seconds() for r in Referral.objects.filter(pk__in=ids))
    print(f"routing latency: median {statistics.median(latencies):.2f}s, max {latencies[-1]:.2f}s")
    assert statistics.median(latencies) < 5


def test_killing_the_worker_midway_leaves_nothing_unrouted_and_nothing_routed_twice(queue, front_door):
    locality, user = front_door
    log_path = ROOT / f".worker-{queue}.log"
    with open(log_path, "w+") as log:
        worker = start_worker(queue, worker_env(queue), log)
        ids = _take_referrals(user, locality, 25)
        _wait_for(lambda: Referral.objects.filter(pk__in=ids, status="routed").exists(), 20)
        worker.send_signal(signal.SIGKILL)  # no warm shutdown: messages in flight are lost
        worker.wait(timeout=10)
        worker = start_worker(queue, worker_env(queue), log)
        try:
            time.sleep(3)
            referrals_sweep(older_than_seconds=0)  # what beat does every minute
            assert _wait_for(lambda: Referral.objects.filter(pk__in=ids, status="routed").count() == 25, 30)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    os.unlink(log_path)
    for referral_id in ids:
        assert ReferralEvent.objects.filter(referral_id=referral_id, kind="routed").count() == 1
    assert Notification.objects.filter(kind="referral_routed").count() == 25


def test_the_daily_reminders_job_run_twice_by_the_worker_tells_each_person_once(queue):
    import datetime

    from django.utils import timezone

    from ascm.accounts import roles
    from pathways.care import plans
    from pathways.care.tasks import daily_reminders_task
    from tests.clients.factories import allocate

    roles.roles_ensure()
    team = TeamFactory(locality=LocalityFactory())
    worker_user, manager = UserFactory(), UserFactory()
    member(worker_user, team, "practitioner")
    member(manager, team, "team-manager")
    for _ in range(3):
        person = allocate(ClientFactory(), team, worker=worker_user).client
        plans.plan_create(user=worker_user, client=person, outcomes=[{"outcome": "A", "met_by": "network"}],
                          starts_on=timezone.localdate() - datetime.timedelta(weeks=10))
    assert run_twice_on_worker(queue, daily_reminders_task) == [0, 6]  # 3 overdue reviews x (worker + manager), then none
    assert Notification.objects.filter(kind="review_overdue").count() == 6
    assert set(Notification.objects.values_list("recipient", flat=True)) == {worker_user.pk, manager.pk}


def test_the_dtoc_alerts_run_twice_by_the_worker_raise_each_alert_once(queue):
    import datetime

    from django.utils import timezone

    from ascm.accounts import roles
    from pathways.discharge import services
    from pathways.discharge.defaults import alert_rules_ensure
    from pathways.discharge.models import Discharge, DischargeAlert
    from pathways.discharge.tasks import discharge_alerts_check_task, dtoc_morning_task
    from tests.clients.factories import allocate
    from tests.providers.factories import HospitalFactory

    roles.roles_ensure()
    alert_rules_ensure()  # as the migration leaves them
    team = TeamFactory(locality=LocalityFactory())
    worker_user = UserFactory()
    member(worker_user, team, "practitioner")
    hospital = HospitalFactory(locality=team.locality)
    today = timezone.localdate()
    stays = []
    for days in (1, 3, 8):  # past one, two and all four of the starting rules' thresholds
        person = allocate(ClientFactory(locality=team.locality), team, worker=worker_user).client
        stay = services.discharge_start(user=worker_user, client=person, hospital=hospital,
                                        admitted_on=today - datetime.timedelta(days=20))
        # As the hospital's change arrives (its own check is the worker's job here, not in-process).
        Discharge.objects.filter(pk=stay.pk).update(ready_on=today - datetime.timedelta(days=days))
        stays.append(stay)
    assert run_twice_on_worker(queue, dtoc_morning_task) == [0, 2 + 3 + 4]
    Discharge.objects.filter(pk=stays[0].pk).update(ready_on=today - datetime.timedelta(days=7))  # corrected
    # 7 days past the new date: all four rules again; a redelivered task raises them once.
    assert run_twice_on_worker(queue, discharge_alerts_check_task, stays[0].pk) == [0, 4]
    assert DischargeAlert.objects.filter(closed_at__isnull=True).count() == 2 + 3 + 4 - 2 + 4
    assert Notification.objects.filter(kind="dtoc_alert", recipient=worker_user).count() == 3 + 1
