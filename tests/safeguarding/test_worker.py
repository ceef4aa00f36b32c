"""The overdue-decision reminders, run twice by a real Celery worker on the machine's Redis."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from ascm.accounts import roles
from ascm.notifications.models import Notification
from tests.clients.factories import ClientFactory
from tests.core.test_tasks import run_twice_on_worker
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
    assert run_twice_on_worker(queue, safeguarding_decision_reminders_task) == [0, 3]
    assert Notification.objects.filter(kind="safeguarding_decision_overdue", team=team).count() == 3
    from ascm.notifications.selectors import unread_count

    assert unread_count(user=lead) == 6  # three new concerns and three overdue decisions


def test_the_dols_daily_alerts_are_sent_once_by_the_worker(queue):  # noqa: F811
    from safeguarding import dols
    from safeguarding.models_dols import LibertyAssessment, LibertyAuthorisation
    from safeguarding.tasks import dols_daily_alerts_task
    from tests.clients.factories import allocate
    from tests.providers.factories import CareSettingFactory

    roles.roles_ensure()
    locality = LocalityFactory()
    team = TeamFactory(locality=locality, team_type="safeguarding")
    lead = member(UserFactory(), team, roles.SAFEGUARDING_LEAD).user
    assessor = UserFactory()
    worker_user = member(UserFactory(), TeamFactory(locality=locality), roles.PRACTITIONER).user
    home = CareSettingFactory(locality=locality)
    today = timezone.localdate()

    def apply(days_ago, **fields):
        return dols.application_receive(
            user=lead, client=fields.pop("client", None) or ClientFactory(locality=locality, date_of_birth=datetime.date(1940, 1, 1)),
            managing_authority=home, kind=fields.pop("kind", "standard"), received_on=today - datetime.timedelta(days=days_ago),
            care_arrangements="Locked door", **fields)

    def grant(application, starts_on, ends_on):
        for kind, _ in LibertyAssessment.Kind.choices:
            dols.assessment_record(user=lead, application=application, kind=kind, assessor=assessor,
                                   completed_on=application.received_on, outcome="met",
                                   recommended_months=12 if kind == "best_interests" else None)
        dols.application_decide(user=lead, application=application, granted=True, starts_on=starts_on, ends_on=ends_on,
                                representative_name="Her son", representative_kind="unpaid")

    apply(30)  # in breach
    apply(19)  # due tomorrow
    apply(7, kind="urgent", urgent_granted_on=today - datetime.timedelta(days=7))  # due today; the urgent one ends today
    grant(apply(40), today - datetime.timedelta(days=5), today + datetime.timedelta(days=10))  # ends within 28 days
    person = allocate(ClientFactory(locality=locality, date_of_birth=datetime.date(1940, 1, 1)),
                      worker_user.memberships.first().team, worker=worker_user).client
    expired = apply(120, client=person)
    grant(expired, today - datetime.timedelta(days=100), today - datetime.timedelta(days=1))  # ended yesterday
    assert run_twice_on_worker(queue, dols_daily_alerts_task) == [0, 6]
    kinds = sorted(Notification.objects.filter(kind__startswith="dols_").values_list("kind", flat=True))
    assert kinds == ["dols_authorisation_ended", "dols_authorisation_ending", "dols_breach", "dols_deadline", "dols_deadline",
                     "dols_urgent_ending"]
    assert Notification.objects.get(kind="dols_authorisation_ended").recipient == worker_user
    assert LibertyAuthorisation.objects.get(application=expired).status == "ended"
