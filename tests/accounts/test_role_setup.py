"""Roles in plain words: what each may do, grouped by area, and its reach. Administrators create
their own roles (never with no permissions) and change them; the service's roles are read-only."""

import pytest
from django.contrib.auth.models import Permission

from ascm.accounts import roles
from ascm.accounts.models import Role
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def perm(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_the_roles_page_says_what_each_role_may_do_in_plain_words(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    client.get("/organisation/roles/")
    with django_assert_max_num_queries(8):
        page = client.get("/organisation/roles/").content.decode()
    assert "Practitioner" in page and "People allocated to their teams" in page and "Set by the service" in page
    assert "People&#x27;s records" in page and "View clients" in page


def test_roles_are_found_by_name_or_by_what_they_may_do(client, administrator):
    client.force_login(administrator)
    page = client.get("/organisation/roles/", {"q": "auditor"}).content.decode()
    assert 'data-testid="role-auditor"' in page and 'data-testid="role-practitioner"' not in page
    page = client.get("/organisation/roles/", {"q": "view clients"}).content.decode()
    assert 'data-testid="role-practitioner"' in page
    assert 'data-testid="roles-found"' in page
    page = client.get("/organisation/roles/", {"q": "no such thing at all"}).content.decode()
    assert "0 roles match" in page and "govuk-summary-card" not in page


def test_administrator_creates_a_role_and_a_member_gets_its_reach(client, administrator, canterbury_team):
    client.force_login(administrator)
    bad = client.post("/organisation/roles/new/", {"name": "Occupational therapist", "is_team_role": "team",
                                                   "record_scope": "team"})
    content = bad.content.decode()
    assert bad.status_code == 400 and "Choose at least one thing this role may do" in content
    assert 'value="Occupational therapist"' in content and '<a href="#id_permissions">' in content
    good = client.post("/organisation/roles/new/", {
        "name": "Occupational therapist", "description": "Assesses for equipment", "is_team_role": "team",
        "record_scope": "team", "permissions": [perm("clients.view_client").pk, perm("clients.add_casenote").pk]})
    assert good.status_code == 302
    role = Role.objects.get(group__name="Occupational therapist")
    assert role.slug == "occupational-therapist" and role.is_team_role and role.group.permissions.count() == 2
    therapist = member(UserFactory(), canterbury_team, role.slug).user
    assert therapist.has_perm("clients.add_casenote") and not therapist.has_perm("clients.change_client")
    edited = client.post(f"/organisation/roles/{role.pk}/edit/", {
        "name": "Occupational therapist", "record_scope": "locality", "permissions": [perm("clients.view_client").pk]})
    assert edited.status_code == 302
    role.refresh_from_db()
    assert role.record_scope == "locality" and list(role.group.permissions.all()) == [perm("clients.view_client")]


def test_the_services_roles_cannot_be_changed_and_names_are_unique(client, administrator):
    client.force_login(administrator)
    practitioner_role = Role.objects.get(slug=roles.PRACTITIONER)
    assert client.get(f"/organisation/roles/{practitioner_role.pk}/edit/").status_code == 404
    response = client.post("/organisation/roles/new/", {"name": "practitioner", "is_team_role": "team",
                                                        "record_scope": "team",
                                                        "permissions": [perm("clients.view_client").pk]})
    assert "There is already a role with this name" in response.content.decode()


def test_only_administrators_reach_the_role_pages(client, practitioner, manager):
    for who in (practitioner, manager):
        client.force_login(who)
        assert client.get("/organisation/roles/").status_code == 403
        assert client.post("/organisation/roles/new/", {"name": "X"}).status_code == 403


def test_api_creates_and_changes_a_role_with_field_errors(api, administrator, practitioner):
    api.force_authenticate(administrator)
    refused = api.post("/api/v1/roles/", {"name": "Empty", "is_team_role": True, "record_scope": "team",
                                          "permissions": []}, format="json")
    assert refused.status_code == 400 and "Choose at least one" in refused.json()["errors"]["permissions"][0]
    unknown = api.post("/api/v1/roles/", {"name": "X", "permissions": ["clients.no_such"]}, format="json")
    assert unknown.status_code == 400 and "permissions" in unknown.json()["errors"]
    made = api.post("/api/v1/roles/", {"name": "Reablement support worker", "is_team_role": True,
                                       "record_scope": "team", "permissions": ["clients.view_client"]}, format="json")
    assert made.status_code == 201 and made.json()["permissions"] == ["clients.view_client"]
    pk = made.json()["id"]
    changed = api.patch(f"/api/v1/roles/{pk}/", {"permissions": ["clients.view_client", "clients.add_casenote"]},
                        format="json")
    assert changed.status_code == 200 and sorted(changed.json()["permissions"]) == ["clients.add_casenote",
                                                                                    "clients.view_client"]
    built_in = Role.objects.get(slug=roles.PRACTITIONER).pk
    assert api.patch(f"/api/v1/roles/{built_in}/", {"name": "Renamed"}, format="json").status_code == 400
    api.force_authenticate(practitioner)
    assert api.post("/api/v1/roles/", {"name": "Mine", "permissions": ["clients.view_client"]},
                    format="json").status_code == 403
