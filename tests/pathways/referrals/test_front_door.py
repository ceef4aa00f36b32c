"""The front door as triage uses it: a person just recorded is routed by the rules; a referral joins
only genuinely open work; a safeguarding concern always reaches the safeguarding team; every
referral can be acted on from a queue and from the person's record."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from ascm.notifications.selectors import notifications_for
from ascm.organisation.models import TeamType
from clients import services as client_services
from pathways.care import services as care_services
from pathways.referrals import services as services
from pathways.referrals.models import Referral
from tests.clients.factories import ClientFactory, allocate
from tests.factories import UserFactory, member

from .test_routing import kent  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def triage_user(kent):  # noqa: F811
    return kent[TeamType.INTEGRATED_TRIAGE].memberships.get().user


def _record(user, team, **fields):
    fields = {"given_name": "Edna", "family_name": "Testperson", "date_of_birth": TODAY.replace(year=TODAY.year - 80),
              "postcode": "CT1 1AA", "locality": team.locality, **fields}
    return client_services.client_create(user=user, team=team, confirmed_not_duplicate=True, **fields)


def _discharge(user, client, **fields):
    fields = {"source": "hospital", "referrer_name": "Discharge hub", "urgency": "urgent", "hospital_discharge": True,
              "ward": "Ward 7", **fields}
    return services.referral_create(user=user, client=client, **fields)


def test_a_person_triage_has_just_recorded_is_routed_by_the_rules(kent, triage_user):  # noqa: F811
    person = _record(triage_user, kent[TeamType.INTEGRATED_TRIAGE])
    referral = _discharge(triage_user, person)
    assert referral.status == Referral.Status.RECEIVED  # not "linked" to the team that recorded them
    routed = services.referral_route(referral_id=referral.pk)
    assert routed.team == kent[TeamType.PROMOTING_INDEPENDENCE]
    assert routed.suggested_pathway == "promoting_independence"
    assert "hospital discharge" in routed.routing_reason


def test_a_safeguarding_concern_reaches_the_safeguarding_team_when_routed(kent, triage_user):  # noqa: F811
    person = _record(triage_user, kent[TeamType.INTEGRATED_TRIAGE])
    referral = services.referral_route(referral_id=_discharge(triage_user, person, safeguarding_concern=True).pk)
    safeguarding = kent[TeamType.SAFEGUARDING]
    assert referral.safeguarding_team == safeguarding
    lead = safeguarding.memberships.get().user
    assert notifications_for(user=lead).filter(kind="referral_safeguarding").exists()


def test_a_safeguarding_concern_reaches_the_safeguarding_team_when_linked_too(kent, triage_user):  # noqa: F811
    worker = kent[TeamType.SUPPORTING_INDEPENDENCE].memberships.get().user
    person = ClientFactory(locality=kent[TeamType.SUPPORTING_INDEPENDENCE].locality)
    allocate(person, kent[TeamType.SUPPORTING_INDEPENDENCE], worker)
    referral = _discharge(triage_user, person, safeguarding_concern=True)
    assert referral.status == Referral.Status.LINKED
    assert referral.safeguarding_team == kent[TeamType.SAFEGUARDING]
    lead = kent[TeamType.SAFEGUARDING].memberships.get().user
    assert notifications_for(user=lead).filter(kind="referral_safeguarding").exists()


@pytest.mark.parametrize("work", ["open_episode", "worker_allocated", "open_referral"])
def test_a_referral_joins_genuinely_open_work(kent, triage_user, work):  # noqa: F811
    team = kent[TeamType.SUPPORTING_INDEPENDENCE]
    worker = team.memberships.get().user
    person = ClientFactory(locality=team.locality)
    if work == "open_episode":
        care_services.episode_start(user=worker, client=person, pathway="supporting_independence", team=team, worker=worker)
    elif work == "worker_allocated":
        allocate(person, team, worker)
    else:
        first = services.referral_route(referral_id=_discharge(triage_user, person).pk)
        team = first.team
    referral = services.referral_create(user=triage_user, client=person, source="gp", referrer_name="Dr Synthetic",
                                        needs_referrer="More help at home")
    assert referral.status == Referral.Status.LINKED and referral.team == team
    assert notifications_for(user=team.memberships.first().user).filter(kind="referral_linked").exists()


def test_a_team_holding_the_record_without_a_worker_is_not_open_work(kent, triage_user):  # noqa: F811
    person = ClientFactory(locality=kent[TeamType.INTEGRATED_TRIAGE].locality)
    allocate(person, kent[TeamType.INTEGRATED_TRIAGE])  # recorded by triage: no worker
    assert services.open_work_for(person) == (None, None, "")


def test_a_linked_referral_waits_in_the_teams_queue_and_can_be_allocated(kent, triage_user):  # noqa: F811
    from pathways.referrals.selectors import team_queue

    team = kent[TeamType.SUPPORTING_INDEPENDENCE]
    worker = team.memberships.get().user
    person = ClientFactory(locality=team.locality)
    allocate(person, team, worker)
    referral = _discharge(triage_user, person)
    assert referral in list(team_queue(team=team))
    services.referral_allocate(user=worker, referral=referral, worker=worker)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ALLOCATED and referral.allocated_to == worker


@pytest.mark.parametrize("action", ["close", "reroute", "decline"])
def test_a_linked_referral_can_be_closed_rerouted_or_declined(kent, triage_user, manager, action):  # noqa: F811
    team = kent[TeamType.SUPPORTING_INDEPENDENCE]
    person = ClientFactory(locality=team.locality)
    allocate(person, team, team.memberships.get().user)
    referral = _discharge(triage_user, person)
    if action == "close":
        services.referral_close(user=manager, referral=referral, outcome="added_to_open_work")
        assert Referral.objects.get(pk=referral.pk).status == Referral.Status.CLOSED
    elif action == "reroute":
        services.referral_reroute(user=manager, referral=referral, team=kent[TeamType.PROMOTING_INDEPENDENCE],
                                  pathway="promoting_independence", reason="A new need: enablement after discharge")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.ROUTED and referral.team == kent[TeamType.PROMOTING_INDEPENDENCE]
    else:
        services.referral_decline(user=manager, referral=referral, reason="Not for us")
        referral.refresh_from_db()
        assert referral.status == Referral.Status.ROUTED and referral.team == kent[TeamType.INTEGRATED_TRIAGE]


def test_a_referral_linked_before_the_first_is_routed_follows_it_to_its_team(kent, triage_user):  # noqa: F811
    person = _record(triage_user, kent[TeamType.INTEGRATED_TRIAGE])
    first = _discharge(triage_user, person)
    second = services.referral_create(user=triage_user, client=person, source="family_friend", referrer_name="A son",
                                      needs_referrer="Worried about her")
    assert second.status == Referral.Status.LINKED and second.team is None
    services.referral_route(referral_id=first.pk)
    second.refresh_from_db()
    assert second.team == kent[TeamType.PROMOTING_INDEPENDENCE]


@pytest.mark.django_db(transaction=True)
def test_two_referrals_at_the_same_moment_cannot_both_be_routed(kent, triage_user):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    person = ClientFactory(locality=kent[TeamType.INTEGRATED_TRIAGE].locality)
    barrier = threading.Barrier(2)
    errors = []

    def take():
        try:
            barrier.wait()
            _discharge(triage_user, person)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = sorted(Referral.objects.filter(client=person).values_list("status", flat=True))
    assert statuses.count(Referral.Status.LINKED) == 1  # one routed (or waiting to be), one joined it


def test_the_record_page_lists_the_persons_referrals(client, kent, triage_user):  # noqa: F811
    person = _record(triage_user, kent[TeamType.INTEGRATED_TRIAGE])
    referral = services.referral_route(referral_id=_discharge(triage_user, person, safeguarding_concern=True).pk)
    client.force_login(triage_user)
    response = client.get(f"/people/{person.pk}/")
    panel = response.content.decode()
    assert f"/referrals/{referral.pk}/" in panel and "Safeguarding concern" in panel
    assert "In the team&#x27;s queue" in panel or "In the team's queue" in panel


def test_the_referral_page_offers_the_queue_only_to_those_who_can_open_it(client, kent, triage_user):  # noqa: F811
    person = _record(triage_user, kent[TeamType.INTEGRATED_TRIAGE])
    referral = services.referral_route(referral_id=_discharge(triage_user, person).pk)
    client.force_login(triage_user)  # triage took it; the queue is Promoting Independence's
    response = client.get(f"/referrals/{referral.pk}/")
    assert response.status_code == 200
    assert f"/referrals/teams/{referral.team_id}/" not in response.content.decode()
    assert "Pick up this referral" not in response.content.decode()  # nor actions they cannot complete
    refused = client.post(f"/referrals/{referral.pk}/", {"action": "decline", "reason": "Not mine"})
    assert refused.status_code == 403
    insider = referral.team.memberships.get().user
    client.force_login(insider)
    assert f"/referrals/teams/{referral.team_id}/" in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_a_linked_referral_page_offers_its_actions(client, kent, triage_user):  # noqa: F811
    team = kent[TeamType.SUPPORTING_INDEPENDENCE]
    worker = team.memberships.get().user
    person = ClientFactory(locality=team.locality)
    allocate(person, team, worker)
    referral = _discharge(triage_user, person)
    client.force_login(worker)
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Pick up this referral" in page and "Re-route" in page and "Close with a triage outcome" in page
    assert "joins the person&#x27;s open work" in page or "joins the person's open work" in page


def test_an_episode_started_with_another_localitys_referral_is_refused(api, kent, thanet_practitioner, thanet_team):  # noqa: F811
    canterbury_person = ClientFactory(locality=kent[TeamType.INTEGRATED_TRIAGE].locality)
    referral = services.referral_route(referral_id=_discharge(UserFactory(), canterbury_person).pk)
    thanet_person = ClientFactory(locality=thanet_team.locality)
    allocate(thanet_person, thanet_team, thanet_practitioner)
    api.force_authenticate(thanet_practitioner)
    response = api.post("/api/v1/episodes/", {"client": thanet_person.pk, "pathway": "supporting_independence",
                                              "team": thanet_team.pk, "referral": referral.pk}, format="json")
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ROUTED  # not closed


def test_an_episode_for_another_localitys_team_or_a_stranger_as_worker_is_refused(api, kent, thanet_practitioner,  # noqa: F811
                                                                                  thanet_team):
    person = ClientFactory(locality=thanet_team.locality)
    allocate(person, thanet_team, thanet_practitioner)
    api.force_authenticate(thanet_practitioner)
    body = {"client": person.pk, "pathway": "supporting_independence", "team": kent[TeamType.SUPPORTING_INDEPENDENCE].pk}
    assert api.post("/api/v1/episodes/", body, format="json").status_code == 404
    stranger = UserFactory()
    member(stranger, kent[TeamType.SUPPORTING_INDEPENDENCE], "practitioner")
    body = {**body, "team": thanet_team.pk, "worker": stranger.pk}
    response = api.post("/api/v1/episodes/", body, format="json")
    assert response.status_code == 400 and "worker" in response.json()["errors"]
    body.pop("worker")
    body["started_on"] = (TODAY + datetime.timedelta(days=365 * 60)).isoformat()
    response = api.post("/api/v1/episodes/", body, format="json")
    assert response.status_code == 400 and "started_on" in response.json()["errors"]
