"""Routing, table-driven over realistic referrals, and the job's guarantees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.notifications.models import Notification
from ascm.notifications.selectors import notifications_for
from ascm.organisation.models import TeamType
from pathways.referrals import services
from pathways.referrals.defaults import routing_defaults_ensure
from pathways.referrals.models import Referral, RoutingRule
from tests.clients.factories import ClientFactory, allocate
from tests.factories import LocalityFactory, TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def kent(canterbury):
    """Canterbury with every team type, each with one member."""
    routing_defaults_ensure()
    teams = {}
    for team_type in TeamType.values:
        teams[team_type] = TeamFactory(name=f"Canterbury {team_type}", team_type=team_type, locality=canterbury)
        member(UserFactory(), teams[team_type], "practitioner")
    return teams


def _person(age: int, **fields):
    return ClientFactory(date_of_birth=TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=1), **fields)


def _refer(user, client, locality, **fields):
    fields = {"source": "gp", "referrer_name": "Dr Synthetic", "urgency": "soon", **fields}
    return services.referral_create(user=user, client=client, locality=locality, **fields)


@pytest.mark.parametrize(
    "age, psr, fields, team_type, pathway, rule_position",
    [
        (82, "physical_personal_care", {"hospital_discharge": True, "ward": "Ward 7", "source": "hospital"},
         "promoting_independence", "promoting_independence", 4),
        (19, "learning_disability", {"learning_disability_or_autism": True}, "lifespan_0_25", "lifespan_0_25", 1),
        (30, "learning_disability", {"learning_disability_or_autism": True}, "lifespan_26_plus", "lifespan_26_plus", 2),
        (45, "mental_health", {"mental_health": True}, "community_mental_health", "community_mental_health", 3),
        (70, "social_isolation_other", {"source": "self", "referrer_name": "", "urgency": "routine"},
         "integrated_triage", "promoting_wellbeing", 7),
        (50, "unknown", {}, "integrated_triage", "", None),
    ],
    ids=["discharge-82", "ld-19", "ld-30", "mental-health", "self-low-level", "no-rule"],
)
def test_referral_is_routed_by_the_first_matching_rule(kent, practitioner, canterbury, age, psr, fields, team_type,
                                                       pathway, rule_position):
    referral = _refer(practitioner, _person(age, primary_support_reason=psr), canterbury, **fields)
    referral = services.referral_route(referral_id=referral.pk)
    assert referral.status == Referral.Status.ROUTED
    assert referral.team == kent[team_type]
    assert referral.suggested_pathway == pathway
    assert (referral.routing_rule.position if referral.routing_rule else None) == rule_position
    assert referral.routing_reason.startswith(f"Rule {rule_position}:" if rule_position else "No rule matched")


def test_routing_reason_explains_the_rule(kent, practitioner, canterbury):
    referral = _refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="Ward 7")
    referral = services.referral_route(referral_id=referral.pk)
    assert referral.routing_reason == "Rule 4: hospital discharge and age 65+ → Promoting Independence"


def test_safeguarding_flag_also_reaches_the_safeguarding_team(kent, practitioner, canterbury):
    referral = _refer(practitioner, _person(45), canterbury, mental_health=True, safeguarding_concern=True)
    referral = services.referral_route(referral_id=referral.pk)
    assert referral.team == kent["community_mental_health"]
    assert referral.safeguarding_team == kent["safeguarding"]
    safeguarding_member = kent["safeguarding"].memberships.get().user
    assert notifications_for(user=safeguarding_member).filter(kind="referral_safeguarding").exists()


def test_missing_team_type_falls_back_to_triage_with_a_visible_reason(practitioner):
    routing_defaults_ensure()
    dover = LocalityFactory(name="Dover")
    triage = TeamFactory(team_type="integrated_triage", locality=dover)
    referral = _refer(practitioner, _person(30), dover, learning_disability_or_autism=True)
    referral = services.referral_route(referral_id=referral.pk)
    assert referral.team == triage
    assert "Dover has no Lifespan 26+ community learning disability team" in referral.routing_reason


def test_routing_twice_routes_and_notifies_once(kent, practitioner, canterbury):
    referral = _refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="Ward 7")
    services.referral_route(referral_id=referral.pk)
    first = Notification.objects.count()
    services.referral_route(referral_id=referral.pk)
    assert Notification.objects.count() == first == 1
    assert referral.events.filter(kind="routed").count() == 1


def test_routing_starts_only_after_commit(kent, practitioner, canterbury, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = _refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="Ward 7")
        assert Referral.objects.get(pk=referral.pk).status == Referral.Status.RECEIVED
    assert len(callbacks) == 1
    callbacks[0]()  # tasks run eagerly in unit tests
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ROUTED


def test_saving_a_referral_succeeds_when_the_broker_is_down(kent, practitioner, canterbury, settings,
                                                            django_capture_on_commit_callbacks):
    from ascm.celery import app

    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            referral = _refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="Ward 7")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.RECEIVED


def test_the_sweep_routes_referrals_left_unrouted(kent, practitioner, canterbury):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_enqueue_routing", lambda referral_id: None)  # as if Redis were down
        referrals = [_refer(practitioner, _person(82 + n), canterbury, hospital_discharge=True, ward="W")
                     for n in range(3)]
    Referral.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert services.referrals_sweep() == 3
    assert services.referrals_sweep() == 0
    assert all(Referral.objects.get(pk=r.pk).status == Referral.Status.ROUTED for r in referrals)


def test_second_referral_for_open_work_is_linked_and_the_team_told(kent, practitioner, canterbury):
    person = _person(82)
    first = services.referral_route(referral_id=_refer(practitioner, person, canterbury, hospital_discharge=True, ward="W").pk)
    second = _refer(practitioner, person, canterbury, source="family_friend", referrer_name="A daughter")
    assert second.status == Referral.Status.LINKED and second.linked_to == first
    assert "Linked to open referral" in second.link_reason
    member_of_team = first.team.memberships.get().user
    assert notifications_for(user=member_of_team).filter(kind="referral_linked").exists()


def test_a_person_with_an_allocated_worker_is_linked_to_that_team(kent, practitioner, canterbury):
    worker = kent["supporting_independence"].memberships.get().user
    person = allocate(_person(60), kent["supporting_independence"], worker)
    second = _refer(practitioner, person.client, canterbury)
    assert second.status == Referral.Status.LINKED and second.team == kent["supporting_independence"]


@pytest.mark.parametrize(
    "fields, field",
    [({"hospital_discharge": True, "ward": "W", "admitted_on": TODAY, "expected_discharge_on": TODAY - datetime.timedelta(days=2)},
      "expected_discharge_on"),
     ({"hospital_discharge": True, "ward": ""}, "ward"),
     ({"source": "gp", "referrer_name": ""}, "referrer_name")],
)
def test_bad_referrals_are_refused_with_a_field_message(kent, practitioner, canterbury, fields, field):
    with pytest.raises(ValidationError) as error:
        _refer(practitioner, _person(70), canterbury, **fields)
    assert field in error.value.message_dict


def test_no_date_of_birth_and_no_referrer_cannot_identify_the_person(kent, practitioner, canterbury):
    with pytest.raises(ValidationError) as error:
        _refer(practitioner, ClientFactory(date_of_birth=None), canterbury, source="self", referrer_name="")
    assert "referrer_name" in error.value.message_dict


def test_decline_returns_to_triage_and_counts_against_the_rule(kent, practitioner, canterbury):
    referral = services.referral_route(referral_id=_refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="W").pk)
    services.referral_decline(user=practitioner, referral=referral, reason="Needs a nursing assessment first")
    referral.refresh_from_db()
    assert referral.team == kent["integrated_triage"]
    assert RoutingRule.objects.get(position=4).decline_count == 1


def test_manual_reroute_keeps_the_reason_in_history(kent, manager, practitioner, canterbury):
    referral = services.referral_route(referral_id=_refer(practitioner, _person(50), canterbury).pk)
    services.referral_reroute(user=manager, referral=referral, team=kent["supporting_independence"],
                              pathway="supporting_independence", reason="Long-term needs are clear")
    assert referral.events.get(kind="rerouted").detail.endswith("Long-term needs are clear")


def test_triage_closes_with_signposting(kent, practitioner, canterbury):
    referral = services.referral_route(referral_id=_refer(practitioner, _person(70), canterbury, source="self", referrer_name="", urgency="routine").pk)
    with pytest.raises(ValidationError):
        services.referral_close(user=practitioner, referral=referral, outcome="signposted")
    services.referral_close(user=practitioner, referral=referral, outcome="signposted", community_resource="Lunch club, Canterbury")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED and referral.community_resource == "Lunch club, Canterbury"


def test_allocation_joins_the_caseload_and_a_second_allocation_is_refused(kent, manager, canterbury):
    team = kent["promoting_independence"]
    member(manager, team, "team-manager")
    worker = team.memberships.filter(role__slug="practitioner").get().user
    other = UserFactory()
    member(other, team, "practitioner")
    referral = services.referral_route(referral_id=_refer(manager, _person(82), canterbury, hospital_discharge=True, ward="W").pk)
    services.referral_allocate(user=manager, referral=referral, worker=worker)
    assert referral.client.allocations.get(team=team).worker == worker
    assert Notification.objects.filter(recipient=worker, kind="referral_allocated").exists()
    with pytest.raises(ValidationError, match="already allocated to"):
        services.referral_allocate(user=manager, referral=referral, worker=other)
