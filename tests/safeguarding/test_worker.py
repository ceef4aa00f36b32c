"""The overdue-decision reminders, run twice by a real Celery worker on the machine's Redis."""

import datetime
import os
import re

import pytest
from django.test import TestCase
from django.utils import timezone

from ascm.accounts import roles
from ascm.notifications.models import Notification
from tests.clients.factories import ClientFactory
from tests.core.test_tasks import ROOT, _wait_for, start_worker, worker_env
from tests.factories import LocalityFactory, TeamFactory, UserFactory, member
from tests.pathways.test_worker import queue  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_overdue_decisions_are_reminded_once_by_the_worker(queue):  # noqa: F811
    from safeguarding import services
    from safeguarding.tasks import safeguarding_decision_reminders_task

    roles.roles_ensure()
    locality = LocalityFactory()
    team = TeamFactory(locality=locality, team_type="safeguarding")
    lead = member(UserFactory(), team, roles.SAFEGUARDING_LEAD).user
    raiser = member(UserFactory(), TeamFactory(locality=locality), roles.PRACTITIONER).user
    for _ in range(3):
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.concern_raise(user=raiser, clients=[ClientFactory(locality=locality)], source="record",
                                   raised_by_name="Pat", what_happened="Neglect feared", consent="given",
                                   received_at=timezone.now() - datetime.timedelta(days=14))
    log_path = ROOT / f".worker-{queue}.log"
    with open(log_path, "w+") as log:
        worker = start_worker(queue, worker_env(queue), log)
        try:
            safeguarding_decision_reminders_task.delay()
            safeguarding_decision_reminders_task.delay()  # beat fires again, or a retry: nobody is told twice

            def finished():
                return len(re.findall(r"safeguarding_decision_reminders_task\[[^]]+\] succeeded", log_path.read_text())) == 2
            assert _wait_for(finished, 60), log_path.read_text()[-2000:]
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    runs = re.findall(r"safeguarding_decision_reminders_task\[[^]]+\] succeeded in [0-9.]+s: (\d+)", log_path.read_text())
    os.unlink(log_path)
    assert sorted(int(n) for n in runs) == [0, 3]
    assert Notification.objects.filter(kind="safeguarding_decision_overdue", team=team).count() == 3
    from ascm.notifications.selectors import unread_count

    assert unread_count(user=lead) == 6  # three new concerns and three overdue decisions
