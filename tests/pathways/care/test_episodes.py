"""Pathway episodes: the state machine, the Lifespan age rule, and closing a referral's triage."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pathways.care import services as care_services
from pathways.care.episodes import TRANSITIONS
from pathways.care.models import Episode, PathwaySetting
from pathways.referrals import services as services
from pathways.referrals.models import Referral
from tests.pathways.referrals.test_routing import _person, _refer, kent  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_promoting_independence_plans_six_weeks_and_closing_the_referral(kent, practitioner, canterbury):  # noqa: F811
    referral = services.referral_route(referral_id=_refer(practitioner, _person(82), canterbury, hospital_discharge=True, ward="W").pk)
    episode = care_services.episode_start(user=practitioner, client=referral.client, pathway="promoting_independence",
                                     team=referral.team, referral=referral)
    assert episode.planned_end_on == TODAY + datetime.timedelta(weeks=6)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.CLOSED and referral.outcome == "pathway_started"


def test_administrators_set_the_planned_length_of_each_pathway(kent, practitioner, administrator, client):  # noqa: F811
    client.force_login(administrator)
    changelist = client.get("/admin/care/pathwaysetting/")
    assert changelist.status_code == 200 and "Promoting Independence" in changelist.content.decode()
    setting = PathwaySetting.objects.get(pathway="promoting_independence")
    response = client.post(f"/admin/care/pathwaysetting/{setting.pk}/change/",
                           {"pathway": "promoting_independence", "planned_length_weeks": "4"})
    assert response.status_code == 302
    episode = care_services.episode_start(user=practitioner, client=_person(82), pathway="promoting_independence",
                                     team=kent["promoting_independence"])
    assert episode.planned_end_on == TODAY + datetime.timedelta(weeks=4)
    PathwaySetting.objects.filter(pathway="promoting_wellbeing").update(planned_length_weeks=2)
    wellbeing = care_services.episode_start(user=practitioner, client=_person(70), pathway="promoting_wellbeing",
                                       team=kent["promoting_independence"])
    assert wellbeing.planned_end_on == TODAY + datetime.timedelta(weeks=2)
    client.force_login(practitioner)
    assert client.get("/admin/care/pathwaysetting/").status_code in (302, 403)


def test_ongoing_support_hands_on_to_supporting_independence(kent, practitioner):  # noqa: F811
    episode = care_services.episode_start(user=practitioner, client=_person(82), pathway="promoting_independence",
                                     team=kent["promoting_independence"])
    closed, following = care_services.episode_close(user=practitioner, episode=episode, outcome="ongoing_long_term_support")
    assert closed.ended_on == TODAY and following.pathway == "supporting_independence"
    assert following.previous == closed and following.is_open


@pytest.mark.parametrize("outcome", ["", "transition_to_lifespan_26_plus", "nonsense"])
def test_illegal_or_missing_outcomes_are_refused(kent, practitioner, outcome):  # noqa: F811
    episode = care_services.episode_start(user=practitioner, client=_person(82), pathway="promoting_independence",
                                     team=kent["promoting_independence"])
    with pytest.raises(ValidationError) as error:
        care_services.episode_close(user=practitioner, episode=episode, outcome=outcome)
    assert "outcome" in error.value.message_dict
    assert Episode.objects.get(pk=episode.pk).is_open


def test_an_episode_closes_once(kent, practitioner):  # noqa: F811
    episode = care_services.episode_start(user=practitioner, client=_person(60), pathway="supporting_independence",
                                     team=kent["supporting_independence"])
    care_services.episode_close(user=practitioner, episode=episode, outcome="died")
    with pytest.raises(ValidationError, match="already closed"):
        care_services.episode_close(user=practitioner, episode=episode, outcome="died")


def test_lifespan_0_25_refuses_a_30_year_old_and_plans_the_handover_by_26(kent, practitioner):  # noqa: F811
    with pytest.raises(ValidationError) as error:
        care_services.episode_start(user=practitioner, client=_person(30), pathway="lifespan_0_25", team=kent["lifespan_0_25"])
    assert "25 or under" in error.value.message_dict["pathway"][0]
    young = _person(19)
    episode = care_services.episode_start(user=practitioner, client=young, pathway="lifespan_0_25", team=kent["lifespan_0_25"])
    born = young.date_of_birth
    assert episode.planned_end_on == born.replace(year=born.year + 26) - datetime.timedelta(days=1)
    _, adult = care_services.episode_close(user=practitioner, episode=episode, outcome="transition_to_lifespan_26_plus")
    assert adult.pathway == "lifespan_26_plus"


def test_one_open_episode_per_pathway(kent, practitioner):  # noqa: F811
    person = _person(60)
    care_services.episode_start(user=practitioner, client=person, pathway="supporting_independence", team=kent["supporting_independence"])
    with pytest.raises(ValidationError):
        care_services.episode_start(user=practitioner, client=person, pathway="supporting_independence", team=kent["supporting_independence"])


def test_every_pathway_can_end_and_every_hand_on_is_to_a_pathway():
    from pathways.referrals.models import Pathway

    assert set(TRANSITIONS) == set(Pathway.values)
    for outcomes in TRANSITIONS.values():
        assert "died" in outcomes
        assert all(following is None or following in Pathway.values for _, following in outcomes.values())


def test_the_record_page_shows_the_pathway_journey(client, kent, practitioner, canterbury_team):  # noqa: F811
    from tests.clients.factories import allocate

    person = allocate(_person(82), canterbury_team).client
    episode = care_services.episode_start(user=practitioner, client=person, pathway="promoting_independence", team=canterbury_team)
    care_services.episode_close(user=practitioner, episode=episode, outcome="ongoing_long_term_support")
    client.force_login(practitioner)
    content = client.get(f"/people/{person.pk}/").content.decode()
    assert "Pathway journey" in content and "Ongoing long-term support → Supporting Independence" in content


def test_starting_and_closing_an_episode_in_the_browser(client, kent, manager, canterbury):  # noqa: F811
    from tests.factories import member

    team = kent["promoting_independence"]
    member(manager, team, "team-manager")
    referral = services.referral_route(referral_id=_refer(manager, _person(82, locality=canterbury), canterbury,
                                                          hospital_discharge=True, ward="W").pk)
    services.referral_allocate(user=manager, referral=referral, worker=manager)
    client.force_login(manager)
    form = client.get(f"/referrals/{referral.pk}/start-episode/").content.decode()
    assert 'value="promoting_independence" selected' in form
    assert client.post(f"/referrals/{referral.pk}/start-episode/", {"pathway": "promoting_independence"}).status_code == 302
    episode = Episode.objects.get()
    refused = client.post(f"/referrals/episodes/{episode.pk}/close/", {})
    assert "Choose the outcome of the episode" in refused.content.decode()
    client.post(f"/referrals/episodes/{episode.pk}/close/", {"outcome": "reduced_support"})
    episode.refresh_from_db()
    assert episode.outcome == "reduced_support" and not episode.is_open


def test_a_30_year_old_cannot_start_lifespan_0_25_in_the_browser(client, kent, manager, canterbury):  # noqa: F811
    from tests.factories import member

    member(manager, kent["integrated_triage"], "team-manager")
    referral = services.referral_route(referral_id=_refer(manager, _person(30, locality=canterbury), canterbury).pk)
    client.force_login(manager)
    response = client.post(f"/referrals/{referral.pk}/start-episode/", {"pathway": "lifespan_0_25"})
    assert "Lifespan 0–25 is for people aged 25 or under" in response.content.decode()


def test_episodes_through_the_api(api, kent, practitioner, canterbury_team, thanet_practitioner):  # noqa: F811
    from tests.clients.factories import allocate
    from tests.conftest import as_user

    person = allocate(_person(82), canterbury_team).client
    client = as_user(api, practitioner)
    created = client.post("/api/v1/episodes/", {"client": person.pk, "pathway": "promoting_independence",
                                                "team": canterbury_team.pk}, format="json")
    assert created.status_code == 201, created.json()
    bad = client.post(f"/api/v1/episodes/{created.json()['id']}/close/", {"outcome": "transition_to_lifespan_26_plus"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    closed = client.post(f"/api/v1/episodes/{created.json()['id']}/close/", {"outcome": "ongoing_long_term_support"}, format="json")
    assert closed.json()["next"]["pathway"] == "supporting_independence"
    assert as_user(api, thanet_practitioner).get(f"/api/v1/episodes/{created.json()['id']}/").status_code == 404
    client = as_user(api, practitioner)  # the same API client was signed in as another user above
    young = client.post("/api/v1/episodes/", {"client": person.pk, "pathway": "lifespan_0_25", "team": canterbury_team.pk},
                        format="json")
    assert young.status_code == 400, young.json()
    assert "pathway" in young.json()["errors"]
