import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_unauthenticated_request_goes_to_the_sign_in_page(client):
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/organisation/"


def test_practitioner_signs_in_and_lands_on_their_home_page(client, practitioner, canterbury_team):
    response = client.post(reverse("login"), {"username": "pat", "password": PASSWORD}, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == "/"
    assert 'data-testid="user-name">Pat Practitioner<' in content
    assert 'data-testid="user-role">Practitioner<' in content
    assert canterbury_team.name in content
    nav = [item.text for item in response.context["navigation"]]
    # The Organisation set-up area is the administrators' only.
    assert nav == ["Home", "Your work", "People", "MDT meetings", "Hospital discharge", "Care packages"]


@pytest.mark.parametrize(
    "fixture, expected_nav",
    [
        ("administrator", ["Home", "Organisation", "API", "Administration"]),
        ("auditor", ["Home", "Audit log"]),
        ("manager", ["Home", "Your work", "People", "MDT meetings", "Hospital discharge", "Care packages", "Caseload review",
                     "Performance"]),
    ],
)
def test_navigation_follows_the_role(client, request, fixture, expected_nav):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get("/")
    assert [item.text for item in response.context["navigation"]] == expected_nav


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client, practitioner):
    response = client.post(reverse("login"), {"username": "pat", "password": "wrong"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter a correct username and password" in content
    assert 'value="pat"' in content


def test_failed_sign_ins_are_throttled(client, practitioner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "pat", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "pat", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content
    assert "_auth_user_id" not in client.session


def test_sign_in_of_another_user_from_the_same_address_is_not_locked(client, practitioner, manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "pat", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "morgan", "password": PASSWORD})
    assert response.status_code == 302


def test_session_expires_after_30_minutes_idle(settings, client, practitioner):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Not written on every request, but touched at least once a minute, so the idle limit slides.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    import time
    from unittest import mock

    from django.contrib.sessions.models import Session

    client.force_login(practitioner)
    key = client.session.session_key
    client.get("/accessibility/")
    first = Session.objects.get(session_key=key).expire_date
    client.get("/accessibility/")
    assert Session.objects.get(session_key=key).expire_date == first  # a second later: no write
    with mock.patch("time.time", return_value=time.time() + 61):
        client.get("/accessibility/")
    assert Session.objects.get(session_key=key).expire_date > first  # a minute on: slid


def test_pages_carry_the_timeout_warning_two_minutes_before(client, practitioner):
    client.force_login(practitioner)
    content = client.get("/").content.decode()
    assert 'data-session-idle-seconds="1800"' in content
    assert 'data-session-warning-seconds="120"' in content
    assert 'id="session-timeout-dialog"' in content


def test_keepalive_refreshes_the_session(client, practitioner):
    client.force_login(practitioner)
    assert client.post("/session/keepalive/").status_code == 204


def test_timed_out_user_is_signed_out_with_an_explanation(client, practitioner, settings):
    settings.SESSION_COOKIE_AGE = 20 * 60
    client.force_login(practitioner)
    response = client.post("/sign-out/", {"next": "/signed-out/?timeout=1"}, follow=True)
    assert b"did not do anything for 20 minutes" in response.content  # the setting, not a fixed 30
    assert "_auth_user_id" not in client.session


def test_a_get_to_the_signed_out_page_signs_nobody_out(client, practitioner):
    client.force_login(practitioner)
    response = client.get("/signed-out/")
    assert "_auth_user_id" in client.session
    assert b'action="/sign-out/"' in response.content  # a button that posts is offered instead


def test_only_the_most_specific_navigation_item_is_current(client, manager):
    client.force_login(manager)
    response = client.get("/mdt/caseload/")
    assert [item.text for item in response.context["navigation"] if item.current] == ["Caseload review"]
    response = client.get("/mdt/")
    assert [item.text for item in response.context["navigation"] if item.current] == ["MDT meetings"]
