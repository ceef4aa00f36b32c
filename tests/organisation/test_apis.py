import json

import pytest
from rest_framework.authtoken.models import Token

from ascm.audit.models import AuditEntry
from ascm.organisation.models import GPPractice, Team
from tests.conftest import as_user
from tests.factories import GPPracticeFactory, UserFactory

pytestmark = pytest.mark.django_db




def test_request_without_credentials_gets_401_with_the_error_body(api):
    response = api.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_token_authentication_works(api, practitioner):
    token = Token.objects.create(user=practitioner)
    response = api.get("/api/v1/localities/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/localities/",
        "/api/v1/hubs/",
        "/api/v1/gp-practices/",
        "/api/v1/teams/",
        "/api/v1/users/",
        "/api/v1/areas/",
        "/api/v1/roles/",
        "/api/v1/team-memberships/",
    ],
)
def test_every_signed_in_user_reads_the_organisation(api, practitioner, canterbury_team, path):
    response = as_user(api, practitioner).get(path)
    assert response.status_code == 200
    assert "results" in response.json() and "count" in response.json()


def test_practitioner_may_not_create_a_team(api, practitioner, canterbury):
    response = as_user(api, practitioner).post(
        "/api/v1/teams/", {"name": "X", "team_type": "safeguarding", "locality": canterbury.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Team.objects.filter(name="X").exists()


def test_administrator_creates_a_team_and_it_is_audited(api, administrator, canterbury):
    response = as_user(api, administrator).post(
        "/api/v1/teams/",
        {"name": "Canterbury Safeguarding", "team_type": "safeguarding", "locality": canterbury.pk},
        format="json",
        HTTP_X_REQUEST_ID="req-123",
    )
    assert response.status_code == 201, response.json()
    team = Team.objects.get(pk=response.json()["id"])
    entry = AuditEntry.objects.get_for_object(team).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == administrator
    assert entry.cid == "req-123"
    assert entry.changes["name"] == [None, "Canterbury Safeguarding"]


def test_team_without_a_locality_gets_a_field_error(api, administrator):
    response = as_user(api, administrator).post(
        "/api/v1/teams/", {"name": "Floating team", "team_type": "safeguarding"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["locality"]


def test_duplicate_ods_code_gets_a_field_error(api, administrator, canterbury):
    GPPracticeFactory(ods_code="Z11111", locality=canterbury)
    response = as_user(api, administrator).post(
        "/api/v1/gp-practices/", {"ods_code": "Z11111", "name": "Copy", "locality": canterbury.pk}, format="json"
    )
    assert response.status_code == 400
    assert "ods_code" in response.json()["errors"]
    assert GPPractice.objects.filter(ods_code="Z11111").count() == 1


def test_gp_practice_in_a_locality_that_does_not_exist_gets_a_field_error(api, administrator):
    response = as_user(api, administrator).post(
        "/api/v1/gp-practices/", {"ods_code": "Z22222", "name": "Lost", "locality": 987654}, format="json"
    )
    assert response.status_code == 400
    assert "locality" in response.json()["errors"]


def test_membership_given_twice_gets_a_field_error(api, administrator, practitioner, canterbury_team):
    from ascm.accounts.models import Role

    role = Role.objects.get(slug="practitioner")
    response = as_user(api, administrator).post(
        "/api/v1/team-memberships/",
        {"team": canterbury_team.pk, "user": practitioner.pk, "role": role.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["user"] == ["This person is already a member of this team"]


def test_membership_is_ended_not_deleted(api, administrator, practitioner):
    membership = practitioner.memberships.get()
    client = as_user(api, administrator)
    assert client.delete(f"/api/v1/team-memberships/{membership.pk}/").status_code == 405
    response = client.post(f"/api/v1/team-memberships/{membership.pk}/end/")
    assert response.status_code == 200
    assert response.json()["ended_on"] is not None


def test_malformed_json_gets_400_not_500(api, administrator):
    response = as_user(api, administrator).generic(
        "POST", "/api/v1/teams/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_oversized_body_is_refused_with_413(api, administrator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "x" * 5000, "team_type": "safeguarding"})
    response = as_user(api, administrator).generic("POST", "/api/v1/teams/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_teams_cannot_be_deleted_only_archived(api, administrator, canterbury_team):
    client = as_user(api, administrator)
    assert client.delete(f"/api/v1/teams/{canterbury_team.pk}/").status_code == 405
    response = client.post(f"/api/v1/teams/{canterbury_team.pk}/archive/")
    assert response.status_code == 200
    assert response.json()["archived_at"]


def test_practitioner_may_not_archive_a_team(api, practitioner, canterbury_team):
    response = as_user(api, practitioner).post(f"/api/v1/teams/{canterbury_team.pk}/archive/")
    assert response.status_code == 403


def test_administrator_creates_a_user_with_an_organisation_wide_role(api, administrator):
    response = as_user(api, administrator).post(
        "/api/v1/users/",
        {"username": "newauditor", "first_name": "New", "last_name": "Auditor", "roles": ["auditor"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["roles"] == ["auditor"]
    listed = as_user(api, administrator).get("/api/v1/users/?search=newauditor").json()["results"]
    assert listed[0]["roles"] == ["auditor"]


def test_a_team_role_cannot_be_given_directly(api, administrator):
    response = as_user(api, administrator).post(
        "/api/v1/users/", {"username": "x1", "roles": ["practitioner"]}, format="json"
    )
    assert response.status_code == 400
    assert "roles" in response.json()["errors"]


def test_users_list_shows_roles_held_through_teams(api, practitioner):
    body = as_user(api, practitioner).get(f"/api/v1/users/{practitioner.pk}/").json()
    assert body["memberships"][0]["role"] == "practitioner"


def test_user_list_makes_a_bounded_number_of_queries(
    api, administrator, canterbury_team, django_assert_max_num_queries
):
    for _ in range(30):
        from tests.factories import member

        member(UserFactory(), canterbury_team, "practitioner")
    client = as_user(api, administrator)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/users/").status_code == 200


def test_openapi_schema_lists_the_organisation_resources(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/localities/", "/api/v1/hubs/", "/api/v1/gp-practices/", "/api/v1/teams/", "/api/v1/users/"]:
        assert path in paths


def test_api_docs_are_served_offline(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
