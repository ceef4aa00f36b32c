"""Administrators find, create and change staff accounts in GOV.UK pages: roles held directly and
through teams, a new password, deactivation with its reason. The last active administrator can be
neither deactivated nor lose the role. Nobody else may use these pages."""

import pytest
from django.core.exceptions import ValidationError

from ascm.accounts import roles, services
from ascm.accounts.models import User
from ascm.audit.models import AuditEntry
from tests.factories import UserFactory, member, role, with_role

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a-long-synthetic-passphrase"


def test_the_last_active_administrator_can_neither_be_deactivated_nor_lose_the_role(administrator):
    with pytest.raises(ValidationError) as refused:
        services.user_deactivate(user=administrator, reason="Leaving")
    assert "only active administrator" in refused.value.message_dict["is_active"][0]
    with pytest.raises(ValidationError) as refused:
        services.user_update(user=administrator, roles=[role(roles.AUDITOR)])
    assert "only active administrator" in refused.value.message_dict["roles"][0]
    deputy = with_role(UserFactory(), roles.ADMINISTRATOR)
    services.user_deactivate(user=administrator, reason="Leaving")  # with another, it may go
    administrator.refresh_from_db()
    assert not administrator.is_active and administrator.deactivation_reason == "Leaving"
    with pytest.raises(ValidationError):
        services.user_deactivate(user=deputy, reason="Also leaving")
    services.user_reactivate(user=administrator)
    administrator.refresh_from_db()
    assert administrator.is_active and administrator.deactivated_at is None and administrator.deactivation_reason == ""


def test_administrator_finds_creates_and_changes_an_account(client, administrator, canterbury_team,
                                                            django_assert_max_num_queries):
    for n in range(30):
        member(UserFactory(first_name=f"Staff{n}"), canterbury_team, roles.PRACTITIONER)
    client.force_login(administrator)
    client.get("/organisation/users/")
    with django_assert_max_num_queries(9):
        page = client.get("/organisation/users/?q=Staff1").content.decode()
    assert "Staff10" in page and "Staff2 " not in page and canterbury_team.name in page
    response = client.post("/organisation/users/new/", {
        "first_name": "Nia", "last_name": "New", "username": "nia.new", "email": "nia@example.org",
        "roles": [role(roles.AUDITOR).pk], "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    nia = User.objects.get(username="nia.new")
    assert response.status_code == 302 and response["Location"] == f"/organisation/users/{nia.pk}/"
    assert nia.check_password(GOOD_PASSWORD) and [g.role.slug for g in nia.groups.all()] == [roles.AUDITOR]
    response = client.post(f"/organisation/users/{nia.pk}/edit/", {
        "first_name": "Nia", "last_name": "Newer", "username": "nia.new", "roles": []})
    nia.refresh_from_db()
    assert response.status_code == 302 and nia.last_name == "Newer" and not nia.groups.exists()
    assert AuditEntry.objects.filter(content_type__model="user", object_pk=str(nia.pk),
                                     action=AuditEntry.Action.UPDATE).exists()
    member(nia, canterbury_team, roles.PRACTITIONER)
    detail = client.get(f"/organisation/users/{nia.pk}/").content.decode()
    assert canterbury_team.name in detail and "Practitioner" in detail


def test_account_forms_show_each_error_and_keep_what_was_typed(client, administrator, practitioner):
    client.force_login(administrator)
    response = client.post("/organisation/users/new/", {
        "first_name": "Typed", "last_name": "", "username": practitioner.username, "email": "not-an-email",
        "password1": "short", "password2": "different"})
    content = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in content and "<title>Error: " in content
    assert "Enter their last name" in content and "Enter an email address in the correct format" in content
    assert "The two passwords are not the same" in content
    assert 'value="Typed"' in content and 'value="not-an-email"' in content
    assert 'value="short"' not in content and 'value="different"' not in content  # passwords are not sent back
    response = client.post("/organisation/users/new/", {
        "first_name": "A", "last_name": "B", "username": practitioner.username,
        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert "A user with that username already exists" in response.content.decode()
    response = client.post(f"/organisation/users/{administrator.pk}/deactivate/", {"reason": "Testing"})
    assert response.status_code == 400 and "only active administrator" in response.content.decode()
    response = client.post(f"/organisation/users/{practitioner.pk}/deactivate/", {"reason": ""})
    assert response.status_code == 400 and "Enter why they can no longer sign in" in response.content.decode()


def test_a_new_password_signs_them_out_and_deactivation_stops_them_signing_in(client, administrator, practitioner):
    from django.test import Client

    theirs = Client()
    theirs.force_login(practitioner)
    assert theirs.get("/").status_code == 200
    client.force_login(administrator)
    response = client.post(f"/organisation/users/{practitioner.pk}/password/",
                           {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert theirs.get("/")["Location"].startswith("/sign-in/")  # their session ended
    practitioner.refresh_from_db()
    assert practitioner.check_password(GOOD_PASSWORD)
    assert client.post(f"/organisation/users/{practitioner.pk}/deactivate/", {"reason": "Left"}).status_code == 302
    refused = Client().post("/sign-in/", {"username": practitioner.username, "password": GOOD_PASSWORD})
    assert refused.status_code == 200 and "Enter a correct username and password" in refused.content.decode()
    assert client.post(f"/organisation/users/{practitioner.pk}/reactivate/").status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.is_active


def test_only_administrators_reach_the_user_pages(client, practitioner, manager, auditor, administrator):
    for who in (practitioner, manager, auditor):
        client.force_login(who)
        assert client.get("/organisation/users/").status_code == 403
        assert client.get(f"/organisation/users/{administrator.pk}/").status_code == 403
        assert client.post(f"/organisation/users/{administrator.pk}/deactivate/", {"reason": "x"}).status_code == 403
    client.force_login(administrator)
    assert client.get("/organisation/users/999999/").status_code == 404
    administrator.refresh_from_db()
    assert administrator.is_active


def test_api_refuses_to_deactivate_the_last_administrator_with_a_field_error(api, administrator):
    api.force_authenticate(administrator)
    response = api.patch(f"/api/v1/users/{administrator.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400 and "only active administrator" in response.json()["errors"]["is_active"][0]
    response = api.patch(f"/api/v1/users/{administrator.pk}/", {"roles": []}, format="json")
    assert response.status_code == 400 and "only active administrator" in response.json()["errors"]["roles"][0]
