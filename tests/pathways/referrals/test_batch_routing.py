"""Routing in batches gives the same decisions, history and notifications as routing each referral
alone, for a table of cases; a task routes what else is waiting; the sweep skips nothing."""

import pytest

from ascm.audit.models import AuditEntry
from ascm.notifications.models import Notification
from pathways.referrals import services
from pathways.referrals.models import Referral, ReferralEvent
from tests.pathways.referrals.test_routing import _person, _refer, kent  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

CASES = [  # (age, primary support reason, referral fields)
    (82, "physical_personal_care", {"hospital_discharge": True, "ward": "Ward 7", "source": "hospital"}),
    (19, "learning_disability", {"learning_disability_or_autism": True}),
    (30, "learning_disability", {"learning_disability_or_autism": True}),
    (45, "mental_health", {"mental_health": True}),
    (70, "social_isolation_other", {"source": "self", "referrer_name": "", "urgency": "routine"}),
    (50, "unknown", {}),
    (67, "physical_personal_care", {"safeguarding_concern": True}),
    (24, "physical_access_mobility", {"source": "family_friend", "urgency": "urgent"}),
]


def _decision(referral):
    return (referral.status, referral.team_id, referral.suggested_pathway, referral.routing_rule_id,
            referral.routing_reason, referral.safeguarding_team_id)


def _made(user, locality):
    return [_refer(user, _person(age, primary_support_reason=psr), locality, **fields) for age, psr, fields in CASES]


def test_a_batch_decides_as_each_alone_with_the_same_history_and_notifications(kent, practitioner, canterbury):  # noqa: F811
    alone = [services.referral_route(referral_id=r.pk) for r in _made(practitioner, canterbury)]
    together = _made(practitioner, canterbury)
    assert services.referrals_route_waiting(first=together[-1].pk) == len(CASES)
    together = [Referral.objects.get(pk=r.pk) for r in together]
    assert [_decision(r) for r in together] == [_decision(r) for r in alone]
    for one, other in zip(alone, together, strict=True):
        assert list(ReferralEvent.objects.filter(referral=other, kind="routed").values_list("detail", flat=True)) == list(
            ReferralEvent.objects.filter(referral=one, kind="routed").values_list("detail", flat=True))
        assert Notification.objects.filter(key=f"referral-{other.pk}-routed", team=other.team).count() == 1
        assert AuditEntry.objects.get_for_object(other).filter(changes__status__1="routed").exists()
    concerned = together[6]
    assert concerned.safeguarding_team_id and Notification.objects.filter(
        key=f"referral-{concerned.pk}-safeguarding", team=concerned.safeguarding_team).count() == 1
    # Sent again (a redelivered task, or one whose referral a batch already took): nothing more.
    assert services.referrals_route_waiting(first=together[0].pk) == 0
    assert ReferralEvent.objects.filter(kind="routed").count() == 2 * len(CASES)


def test_the_sweep_routes_the_backlog_in_batches(kent, practitioner, canterbury):  # noqa: F811
    made = _made(practitioner, canterbury)
    assert services.referrals_sweep(older_than_seconds=-60, batch=3) == len(made)
    assert not Referral.objects.filter(status=Referral.Status.RECEIVED).exists()
    assert services.referrals_sweep(older_than_seconds=-60, batch=3) == 0
