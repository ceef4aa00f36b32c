import datetime

import pytest
from django.utils import timezone

from pathways.referrals.models import Referral
from pathways.referrals.services import referral_route
from tests.clients.factories import ClientFactory
from tests.factories import UserFactory, member
from tests.pathways.referrals.test_routing import _person, _refer, kent  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_taking_a_referral_one_question_per_page(client, kent, practitioner, canterbury,  # noqa: F811
                                                 django_capture_on_commit_callbacks):
    person = _person(82, locality=canterbury)
    client.force_login(practitioner)
    start = client.get(f"/referrals/new/{person.pk}/")
    assert start["Location"] == f"/referrals/new/{person.pk}/who/"
    steps = [("who", {"source": "family_friend", "referrer_name": "A daughter"}, "needs"),
             ("needs", {"needs_in_persons_words": "I want to go home"}, "urgency"),
             ("urgency", {"urgency": "soon", "flags": ["hospital_discharge"], "consent_given": "on"}, "discharge"),
             ("discharge", {"ward": "Ward 7"}, "check")]
    for step, data, following in steps:
        response = client.post(f"/referrals/new/{person.pk}/{step}/", data)
        assert response["Location"] == f"/referrals/new/{person.pk}/{following}/"
    check = client.get(f"/referrals/new/{person.pk}/check/").content.decode()
    assert "I want to go home" in check and "Ward 7" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/referrals/new/{person.pk}/check/")
    referral = Referral.objects.get()
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.hospital_discharge and referral.ward == "Ward 7" and referral.consent_given
    page = client.get(response["Location"]).content.decode()
    assert "Rule 4: hospital discharge and age 65+ → Promoting Independence" in page


def test_each_question_page_keeps_what_was_typed_on_an_error(client, kent, practitioner, canterbury):  # noqa: F811
    person = _person(82, locality=canterbury)
    client.force_login(practitioner)
    client.get(f"/referrals/new/{person.pk}/")
    response = client.post(f"/referrals/new/{person.pk}/who/", {"source": "gp", "referrer_organisation": "Riverside Surgery"})
    content = response.content.decode()
    assert "Enter the name of the person making the referral" in content and "Riverside Surgery" in content
    client.post(f"/referrals/new/{person.pk}/who/", {"source": "gp", "referrer_name": "Dr Synthetic"})
    client.post(f"/referrals/new/{person.pk}/needs/", {"needs_referrer": "Falls at home"})
    client.post(f"/referrals/new/{person.pk}/urgency/", {"urgency": "soon", "flags": ["hospital_discharge"]})
    response = client.post(f"/referrals/new/{person.pk}/discharge/", {
        "admitted_on_0": "20", "admitted_on_1": "11", "admitted_on_2": "2026",
        "expected_discharge_on_0": "10", "expected_discharge_on_1": "11", "expected_discharge_on_2": "2026"})
    content = response.content.decode()
    assert "Enter the ward for a hospital discharge referral" in content
    assert "The expected discharge date must be on or after the admission date" in content
    assert 'value="20"' in content and not Referral.objects.exists()


def test_changing_an_answer_returns_to_the_check_page(client, kent, practitioner, canterbury):  # noqa: F811
    person = _person(70, locality=canterbury)
    client.force_login(practitioner)
    client.get(f"/referrals/new/{person.pk}/")
    client.post(f"/referrals/new/{person.pk}/who/", {"source": "self"})
    client.post(f"/referrals/new/{person.pk}/needs/", {"needs_in_persons_words": "Lonely"})
    client.post(f"/referrals/new/{person.pk}/urgency/", {"urgency": "routine"})
    response = client.post(f"/referrals/new/{person.pk}/needs/?change=1", {"needs_in_persons_words": "Lonely since my wife died"})
    assert response["Location"] == f"/referrals/new/{person.pk}/check/"
    assert "Lonely since my wife died" in client.get(response["Location"]).content.decode()


def test_team_queue_is_most_urgent_first_and_shows_breaches(client, kent, manager, canterbury, django_assert_max_num_queries):  # noqa: F811
    team = kent["integrated_triage"]
    member(manager, team, "team-manager")
    old_routine = referral_route(referral_id=_refer(manager, _person(50), canterbury, urgency="routine").pk)
    urgent = referral_route(referral_id=_refer(manager, _person(51), canterbury, urgency="urgent").pk)
    Referral.objects.filter(pk=old_routine.pk).update(received_at=timezone.now() - datetime.timedelta(days=40))
    for n in range(20):
        referral_route(referral_id=_refer(manager, _person(52 + n), canterbury).pk)
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        response = client.get(f"/referrals/teams/{team.pk}/")
    queue = response.context["queue"]
    assert queue[0] == urgent
    breached = [r for r in queue if r.breached]
    assert breached == [Referral.objects.get(pk=old_routine.pk)]
    assert "over the 672 h target" in response.content.decode()


def test_a_long_queue_is_shown_fifty_at_a_time_in_order_with_the_same_queries(client, kent, manager, canterbury,  # noqa: F811
                                                                                 django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.pathways.factories import ReferralFactory

    team = kent["integrated_triage"]
    member(manager, team, "team-manager")
    now = timezone.now()
    for n in range(3):
        ReferralFactory(team=team, locality=canterbury, status="routed", urgency="routine",
                        received_at=now - datetime.timedelta(hours=n))
    client.force_login(manager)
    client.get(f"/referrals/teams/{team.pk}/")  # what is cached across requests is now cached
    with CaptureQueriesContext(connection) as few:
        client.get(f"/referrals/teams/{team.pk}/")
    for n in range(3, 54):
        ReferralFactory(team=team, locality=canterbury, status="routed", urgency="routine",
                        received_at=now - datetime.timedelta(hours=n))
    urgent = ReferralFactory(team=team, locality=canterbury, status="routed", urgency="urgent", received_at=now)
    ReferralFactory(team=team, locality=canterbury, status="allocated", urgency="urgent")  # not waiting
    with django_assert_num_queries(len(few.captured_queries)):  # 55 waiting: the same queries as 3
        first = client.get(f"/referrals/teams/{team.pk}/")
    assert first.context["page"].paginator.count == 55
    assert [r.pk for r in first.context["queue"]][:2] == [urgent.pk, Referral.objects.order_by("received_at").first().pk]
    assert len(first.context["queue"]) == 50
    assert "55 waiting, most urgent and oldest first: 1 to 50 shown" in first.content.decode()
    second = client.get(f"/referrals/teams/{team.pk}/?page=2")
    assert len(second.context["queue"]) == 5
    newest = Referral.objects.filter(status="routed", urgency="routine").order_by("-received_at").first()
    assert second.context["queue"][-1] == newest
    assert 'rel="prev"' in second.content.decode()


def test_another_localitys_practitioner_cannot_see_the_queue_or_referral(client, kent, thanet_practitioner, manager, canterbury):  # noqa: F811
    referral = referral_route(referral_id=_refer(manager, _person(50), canterbury).pk)
    client.force_login(thanet_practitioner)
    assert client.get(f"/referrals/teams/{referral.team_id}/").status_code == 404
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404


def test_manager_allocates_and_the_practitioner_sees_the_person_in_their_caseload(client, kent, manager, canterbury):  # noqa: F811
    team = kent["promoting_independence"]
    member(manager, team, "team-manager")
    worker = UserFactory(first_name="Wendy")
    member(worker, team, "practitioner")
    referral = referral_route(referral_id=_refer(manager, _person(82), canterbury, hospital_discharge=True, ward="W").pk)
    client.force_login(manager)
    response = client.post(f"/referrals/{referral.pk}/", {"action": "allocate", "worker": worker.pk})
    assert response.status_code == 302
    client.force_login(worker)
    home = client.get("/").content.decode()
    assert str(referral.client) in home and 'data-testid="caseload"' in home
    assert "referral_allocated" not in home and "allocated to you" in client.get("/notifications/").content.decode()


def test_practitioner_picks_up_and_a_second_pick_up_is_told_clearly(client, kent, canterbury):  # noqa: F811
    team = kent["integrated_triage"]
    first, second = UserFactory(), UserFactory()
    member(first, team, "practitioner")
    member(second, team, "practitioner")
    referral = referral_route(referral_id=_refer(first, _person(50), canterbury).pk)
    client.force_login(first)
    client.post(f"/referrals/{referral.pk}/pick-up/")
    client.force_login(second)
    response = client.post(f"/referrals/{referral.pk}/pick-up/", follow=True)
    assert "already allocated to" in response.content.decode()
    referral.refresh_from_db()
    assert referral.allocated_to == first


def test_notifications_are_marked_read(client, kent, canterbury, manager):  # noqa: F811
    team = kent["integrated_triage"]
    member(manager, team, "team-manager")
    referral_route(referral_id=_refer(manager, ClientFactory(locality=canterbury), canterbury).pk)
    client.force_login(manager)
    assert 'data-testid="inbox"' in client.get("/").content.decode()
    client.post("/notifications/read-all/")
    assert manager.notifications.filter(read_at__isnull=True).count() == 0


def test_pick_up_the_next_takes_the_most_urgent(client, kent, canterbury):  # noqa: F811
    team = kent["integrated_triage"]
    worker = UserFactory()
    member(worker, team, "practitioner")
    referral_route(referral_id=_refer(worker, _person(50), canterbury, urgency="routine").pk)
    urgent = referral_route(referral_id=_refer(worker, _person(51), canterbury, urgency="urgent").pk)
    client.force_login(worker)
    response = client.post(f"/referrals/teams/{team.pk}/pick-next/")
    assert response["Location"] == f"/referrals/{urgent.pk}/"
    urgent.refresh_from_db()
    assert urgent.allocated_to == worker


def test_manager_reallocates_and_history_is_kept(client, kent, manager, canterbury):  # noqa: F811
    team = kent["promoting_independence"]
    member(manager, team, "team-manager")
    first, second = UserFactory(first_name="First"), UserFactory(first_name="Second")
    member(first, team, "practitioner")
    member(second, team, "practitioner")
    referral = referral_route(referral_id=_refer(manager, _person(82), canterbury, hospital_discharge=True, ward="W").pk)
    client.force_login(manager)
    client.post(f"/referrals/{referral.pk}/", {"action": "allocate", "worker": first.pk})
    client.post(f"/referrals/{referral.pk}/", {"action": "allocate", "worker": second.pk})
    referral.refresh_from_db()
    assert referral.allocated_to == second
    assert referral.events.get(kind="reallocated").detail.startswith("Reallocated from First")
    assert referral.client.allocations.get(team=team).worker == second


def test_a_referral_received_earlier_by_phone_keeps_its_time(client, kent, practitioner, canterbury):  # noqa: F811
    person = _person(70, locality=canterbury)
    client.force_login(practitioner)
    client.get(f"/referrals/new/{person.pk}/")
    client.post(f"/referrals/new/{person.pk}/who/", {"source": "self"})
    client.post(f"/referrals/new/{person.pk}/needs/", {"needs_in_persons_words": "Help with stairs"})
    future = client.post(f"/referrals/new/{person.pk}/urgency/", {"urgency": "routine", "received_on_0": "1",
                                                                  "received_on_1": "1", "received_on_2": "2999"})
    assert "must be today or in the past" in future.content.decode()
    client.post(f"/referrals/new/{person.pk}/urgency/", {"urgency": "routine", "received_on_0": "20", "received_on_1": "11",
                                                          "received_on_2": "2026", "received_time": "08:45"})
    client.post(f"/referrals/new/{person.pk}/check/")
    received = Referral.objects.get().received_at.astimezone(timezone.get_current_timezone())
    assert (received.date(), received.hour, received.minute) == (datetime.date(2026, 11, 20), 8, 45)


def test_search_results_offer_a_referral(client, practitioner):
    ClientFactory(family_name="Referrable")
    client.force_login(practitioner)
    assert "Make a referral" in client.get("/people/", {"q": "Referrable"}).content.decode()
