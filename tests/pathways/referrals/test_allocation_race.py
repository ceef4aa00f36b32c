"""Two people allocating the same referral at the same moment: one wins, the other is told."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pathways.referrals import services
from pathways.referrals.models import Referral
from tests.factories import UserFactory, member
from tests.pathways.referrals.test_routing import _person, _refer

pytestmark = pytest.mark.django_db(transaction=True)


def test_only_one_of_two_simultaneous_allocations_succeeds(canterbury):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI)")
    from ascm.accounts import roles
    from ascm.organisation.models import TeamType
    from pathways.referrals.defaults import routing_defaults_ensure
    from tests.factories import TeamFactory

    roles.roles_ensure()
    routing_defaults_ensure()
    team = TeamFactory(team_type=TeamType.INTEGRATED_TRIAGE, locality=canterbury)
    alice, bob = UserFactory(first_name="Alice"), UserFactory(first_name="Bob")
    member(alice, team, "practitioner")
    member(bob, team, "practitioner")
    referral = services.referral_route(referral_id=_refer(alice, _person(50), canterbury).pk)

    barrier, outcomes = threading.Barrier(2), []

    def pick(user):
        try:
            barrier.wait()
            services.referral_allocate(user=user, referral=Referral.objects.get(pk=referral.pk), worker=user)
            outcomes.append(("won", user.first_name))
        except ValidationError as error:
            outcomes.append(("told", error.messages[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=pick, args=(u,)) for u in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in outcomes) == ["told", "won"]
    winner = next(name for kind, name in outcomes if kind == "won")
    assert any(kind == "told" and f"already allocated to {winner}" in text for kind, text in outcomes)
    assert Referral.objects.get(pk=referral.pk).events.filter(kind="allocated").count() == 1
