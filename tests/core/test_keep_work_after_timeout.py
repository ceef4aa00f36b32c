"""A form submitted after the session expired is kept, and saved once the same user signs in."""

import pytest
from django.urls import reverse

from ascm.organisation.models import Team
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _expire_session(client):
    """What 30 idle minutes do: the server forgets who the session belonged to."""
    session = client.session
    session.flush()


def _sign_in(client, username):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD, "next": "/organisation/teams/new/"}
    )


def test_form_posted_after_expiry_is_saved_when_the_user_signs_in_again(client, administrator, canterbury):
    client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    _expire_session(client)

    form = {"name": "Team typed before timeout", "team_type": "safeguarding", "locality": canterbury.pk}
    response = client.post("/organisation/teams/new/", form)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not Team.objects.filter(name=form["name"]).exists()

    response = _sign_in(client, administrator.username)
    assert response["Location"] == "/organisation/teams/new/"
    response = client.get("/organisation/teams/new/")

    team = Team.objects.get(name="Team typed before timeout")
    assert response.status_code == 302 and response["Location"] == f"/organisation/teams/{team.pk}/"


def test_kept_form_with_errors_is_shown_again_with_what_was_typed(client, administrator):
    client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    _expire_session(client)
    client.post("/organisation/teams/new/", {"name": "Half-finished team", "team_type": ""})

    _sign_in(client, administrator.username)
    response = client.get("/organisation/teams/new/")
    assert response.status_code == 200
    assert 'value="Half-finished team"' in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_kept_form_is_not_saved_for_someone_else_who_signs_in(client, administrator, canterbury):
    from tests.factories import UserFactory, with_role

    other_admin = with_role(UserFactory(username="otheradmin"), "administrator")
    client.post(reverse("login"), {"username": administrator.username, "password": PASSWORD})
    _expire_session(client)
    client.post(
        "/organisation/teams/new/", {"name": "Not yours", "team_type": "safeguarding", "locality": canterbury.pk}
    )

    _sign_in(client, other_admin.username)
    response = client.get("/organisation/teams/new/")
    assert response.status_code == 200
    assert not Team.objects.filter(name="Not yours").exists()
