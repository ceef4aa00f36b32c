import pytest

from ascm.organisation.models import Team
from tests.factories import TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_administrator_creates_a_team_in_the_browser(client, administrator, canterbury):
    client.force_login(administrator)
    response = client.post(
        "/organisation/teams/new/",
        {"name": "Canterbury Discharge", "team_type": "integrated_discharge", "locality": canterbury.pk},
    )
    team = Team.objects.get(name="Canterbury Discharge")
    assert response.status_code == 302 and response["Location"] == f"/organisation/teams/{team.pk}/"


def test_team_form_with_errors_shows_the_summary_and_keeps_what_was_typed(client, administrator):
    client.force_login(administrator)
    response = client.post("/organisation/teams/new/", {"name": "Typed name", "team_type": "", "email": "not-an-email"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert '<a href="#id_team_type">Choose the team type</a>' in content
    assert '<a href="#id_locality">Choose the team&#x27;s locality</a>' in content
    assert "Enter an email address in the correct format" in content
    assert 'value="Typed name"' in content and 'value="not-an-email"' in content
    assert content.count("govuk-form-group--error") == 3
    assert "<title>Error: " in content


def test_duplicate_team_name_is_shown_against_the_name(client, administrator, canterbury_team):
    client.force_login(administrator)
    response = client.post(
        "/organisation/teams/new/",
        {"name": canterbury_team.name, "team_type": "safeguarding", "locality": canterbury_team.locality_id},
    )
    assert response.context["form"].errors["name"] == ["This locality already has a team with this name"]


def test_practitioner_cannot_create_a_team(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/organisation/teams/new/").status_code == 403


def test_practitioner_sees_their_team_but_not_another_locality_s(client, practitioner, canterbury_team, thanet_team):
    client.force_login(practitioner)
    assert client.get(f"/organisation/teams/{canterbury_team.pk}/").status_code == 200
    assert client.get(f"/organisation/teams/{thanet_team.pk}/").status_code == 404


def test_manager_sees_every_team_in_their_locality_only(client, manager, canterbury_team, thanet_team):
    other = TeamFactory(locality=canterbury_team.locality)
    client.force_login(manager)
    assert client.get(f"/organisation/teams/{other.pk}/").status_code == 200
    assert client.get(f"/organisation/teams/{thanet_team.pk}/").status_code == 404


def test_auditor_has_no_organisation_pages(client, auditor, canterbury_team):
    client.force_login(auditor)
    assert client.get("/organisation/").status_code == 403
    assert client.get(f"/organisation/teams/{canterbury_team.pk}/").status_code == 403


def test_team_list_makes_a_bounded_number_of_queries(client, administrator, canterbury, django_assert_max_num_queries):
    for _ in range(40):
        member(UserFactory(), TeamFactory(locality=canterbury), "practitioner")
    client.force_login(administrator)
    with django_assert_max_num_queries(14):
        response = client.get("/organisation/teams/")
    assert len(response.context["teams"]) == 40


def test_team_page_makes_a_bounded_number_of_queries(
    client, administrator, canterbury_team, django_assert_max_num_queries
):
    for _ in range(25):
        member(UserFactory(), canterbury_team, "practitioner")
    client.force_login(administrator)
    with django_assert_max_num_queries(14):
        assert client.get(f"/organisation/teams/{canterbury_team.pk}/").status_code == 200


def test_overview_makes_a_bounded_number_of_queries(client, administrator, django_assert_max_num_queries):
    from ascm.organisation.seeding import organisation_seed

    organisation_seed()
    client.force_login(administrator)
    with django_assert_max_num_queries(14):
        response = client.get("/organisation/")
    assert len(response.context["localities"]) == 12
