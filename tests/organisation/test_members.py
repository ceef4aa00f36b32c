"""Administrators manage a team's members from the team page and the API: add someone, give them a
new role (the old membership ends, a new one begins), end a membership with its reason. Nothing is
deleted; an overlapping membership, a future date and a second current membership are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.accounts import roles
from ascm.audit.models import AuditEntry
from ascm.organisation import services
from ascm.organisation.models import TeamMembership
from tests.factories import UserFactory, member, role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_new_role_ends_the_old_membership_and_begins_a_new_one(canterbury_team):
    worker = UserFactory()
    old = member(worker, canterbury_team, roles.PRACTITIONER)
    TeamMembership.objects.filter(pk=old.pk).update(started_on=TODAY - datetime.timedelta(days=30))
    old.refresh_from_db()
    new = services.membership_change_role(membership=old, role=role(roles.TEAM_MANAGER), reason="Promoted")
    old.refresh_from_db()
    assert (old.ended_on, old.end_reason) == (TODAY, "Role changed to Team manager: Promoted")
    assert (new.role.slug, new.started_on, new.ended_on) == (roles.TEAM_MANAGER, TODAY, None)
    assert list(worker.memberships.filter(ended_on__isnull=True)) == [new]


def test_a_role_change_is_refused_for_the_same_role_an_ended_membership_or_a_future_day(canterbury_team):
    current = member(UserFactory(), canterbury_team, roles.PRACTITIONER)
    with pytest.raises(ValidationError, match="already holds this role"):
        services.membership_change_role(membership=current, role=role(roles.PRACTITIONER))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.membership_change_role(membership=current, role=role(roles.TEAM_MANAGER),
                                        on=TODAY + datetime.timedelta(days=1))
    services.membership_end(membership=current, reason="Left")
    with pytest.raises(ValidationError, match="has ended"):
        services.membership_change_role(membership=current, role=role(roles.TEAM_MANAGER))


def test_a_membership_overlapping_another_in_the_same_team_and_role_is_refused(canterbury_team):
    worker = UserFactory()
    earlier = member(worker, canterbury_team, roles.PRACTITIONER)
    TeamMembership.objects.filter(pk=earlier.pk).update(started_on=TODAY - datetime.timedelta(days=60),
                                                        ended_on=TODAY - datetime.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        services.membership_add(team=canterbury_team, user=worker, role=role(roles.PRACTITIONER),
                                started_on=TODAY - datetime.timedelta(days=20))
    assert "already holds this role in this team from" in refused.value.message_dict["started_on"][0]
    again = services.membership_add(team=canterbury_team, user=worker, role=role(roles.PRACTITIONER),
                                    started_on=TODAY - datetime.timedelta(days=10))  # the day the last one ended
    assert again.pk and worker.memberships.count() == 2


def test_ending_a_membership_keeps_it_with_the_reason_and_is_audited(canterbury_team):
    membership = member(UserFactory(), canterbury_team, roles.PRACTITIONER)
    services.membership_end(membership=membership, reason="Moved to Thanet")
    membership.refresh_from_db()
    assert (membership.ended_on, membership.end_reason) == (TODAY, "Moved to Thanet")
    entry = AuditEntry.objects.filter(object_id=membership.pk, content_type__model="teammembership",
                                      action=AuditEntry.Action.UPDATE).latest("timestamp")
    assert entry.changes["end_reason"] == ["", "Moved to Thanet"]


# --- The team page -------------------------------------------------------------------------------

def test_administrator_adds_changes_and_ends_members_from_the_team_page(client, administrator, canterbury_team):
    newcomer = UserFactory(username="newcomer", email="newcomer@example.org", first_name="Nia", last_name="New")
    client.force_login(administrator)
    page = client.get(f"/organisation/teams/{canterbury_team.pk}/").content.decode()
    assert "Add a member" in page
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/add/",
                           {"person": "NEWCOMER@example.org", "role": role(roles.PRACTITIONER).pk})
    assert response.status_code == 302
    membership = newcomer.memberships.get()
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/{membership.pk}/role/",
                           {"role": role(roles.TEAM_MANAGER).pk, "reason": "Acting manager"})
    assert response.status_code == 302
    current = newcomer.memberships.get(ended_on__isnull=True)
    assert current.role.slug == roles.TEAM_MANAGER
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/{current.pk}/end/", {"reason": "Left"})
    assert response.status_code == 302 and not newcomer.memberships.filter(ended_on__isnull=True).exists()
    page = client.get(f"/organisation/teams/{canterbury_team.pk}/").content.decode()
    assert "Past members" in page and "Acting manager" in page and "Left" in page


def test_member_forms_show_each_error_and_keep_what_was_typed(client, administrator, canterbury_team, practitioner):
    client.force_login(administrator)
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/add/",
                           {"person": "nobody-by-this-name", "role": "", "started_on_0": "31", "started_on_1": "2"})
    content = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in content and "<title>Error: " in content
    assert "No one who can sign in has that username or email address" in content
    assert "Choose the role they will hold in this team" in content
    assert "The start date must include a year" in content
    assert 'value="nobody-by-this-name"' in content and 'value="31"' in content
    # Already a member: the service's refusal lands on the person field.
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/add/",
                           {"person": practitioner.username, "role": role(roles.PRACTITIONER).pk})
    assert response.context["form"].errors["person"] == ["This person is already a member of this team"]
    membership = practitioner.memberships.get()
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/members/{membership.pk}/end/", {"reason": ""})
    assert response.status_code == 400 and "Enter why their membership is ending" in response.content.decode()


def test_practitioners_cannot_manage_members_and_a_member_of_another_team_is_not_found(
        client, administrator, practitioner, canterbury_team, thanet_team, thanet_practitioner):
    client.force_login(practitioner)
    assert "Add a member" not in client.get(f"/organisation/teams/{canterbury_team.pk}/").content.decode()
    assert client.get(f"/organisation/teams/{canterbury_team.pk}/members/add/").status_code == 403
    mine = practitioner.memberships.get()
    assert client.post(f"/organisation/teams/{canterbury_team.pk}/members/{mine.pk}/end/",
                       {"reason": "x"}).status_code == 403
    client.force_login(administrator)
    theirs = thanet_practitioner.memberships.get()
    assert client.get(f"/organisation/teams/{canterbury_team.pk}/members/{theirs.pk}/role/").status_code == 404
    assert client.post(f"/organisation/teams/{canterbury_team.pk}/members/{theirs.pk}/end/",
                       {"reason": "x"}).status_code == 404
    assert thanet_practitioner.memberships.get().ended_on is None


def test_the_team_page_makes_a_bounded_number_of_queries(client, administrator, canterbury_team,
                                                         django_assert_max_num_queries):
    for _ in range(30):
        member(UserFactory(), canterbury_team, roles.PRACTITIONER)
    for membership in TeamMembership.objects.all()[:10]:
        services.membership_end(membership=membership, reason="Left")
    client.force_login(administrator)
    client.get(f"/organisation/teams/{canterbury_team.pk}/")
    with django_assert_max_num_queries(8):
        assert client.get(f"/organisation/teams/{canterbury_team.pk}/").status_code == 200


# --- The API -------------------------------------------------------------------------------------

def test_api_changes_a_role_and_ends_with_a_reason(api, administrator, canterbury_team):
    membership = member(UserFactory(), canterbury_team, roles.PRACTITIONER)
    api.force_authenticate(administrator)
    response = api.post(f"/api/v1/team-memberships/{membership.pk}/change-role/",
                        {"role": role(roles.TEAM_MANAGER).pk, "reason": "Promoted"}, format="json")
    assert response.status_code == 201 and response.json()["role_name"] == "Team manager"
    new_pk = response.json()["id"]
    response = api.post(f"/api/v1/team-memberships/{new_pk}/end/", {"reason": "Left"}, format="json")
    assert response.status_code == 200 and response.json()["end_reason"] == "Left"
    assert TeamMembership.objects.count() == 2  # both kept


def test_api_gives_field_errors_and_refuses_practitioners(api, administrator, practitioner, canterbury_team):
    membership = practitioner.memberships.get()
    api.force_authenticate(administrator)
    response = api.post(f"/api/v1/team-memberships/{membership.pk}/change-role/", {"role": 999999}, format="json")
    assert response.status_code == 400 and "role" in response.json()["errors"]
    response = api.post(f"/api/v1/team-memberships/{membership.pk}/change-role/",
                        {"role": role(roles.PRACTITIONER).pk}, format="json")
    assert response.status_code == 400 and "already holds this role" in response.json()["errors"]["role"][0]
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = api.post(f"/api/v1/team-memberships/{membership.pk}/end/", {"ended_on": tomorrow}, format="json")
    assert response.status_code == 400 and "future" in response.json()["errors"]["ended_on"][0]
    api.force_authenticate(practitioner)
    assert api.post(f"/api/v1/team-memberships/{membership.pk}/end/", {}, format="json").status_code == 403
    assert practitioner.memberships.get().ended_on is None


def test_moving_members_ends_each_here_and_begins_each_there_in_their_role(canterbury_team, thanet_team):
    pat, sam = UserFactory(first_name="Pat"), UserFactory(first_name="Sam")
    moving = [member(pat, canterbury_team, roles.PRACTITIONER), member(sam, canterbury_team, roles.TEAM_MANAGER)]
    moved = services.memberships_move(memberships=moving, to_team=thanet_team, reason="Teams merged")
    assert sorted((m.user_id, m.role.slug, m.team_id, m.started_on) for m in moved) == sorted(
        [(pat.pk, roles.PRACTITIONER, thanet_team.pk, TODAY), (sam.pk, roles.TEAM_MANAGER, thanet_team.pk, TODAY)])
    for old in moving:
        old.refresh_from_db()
        assert (old.ended_on, old.end_reason) == (TODAY, f"Moved to {thanet_team}: Teams merged")


def test_a_move_is_all_or_none(canterbury_team, thanet_team):
    pat, sam = UserFactory(first_name="Pat"), UserFactory(first_name="Sam", last_name="Already")
    moving = [member(pat, canterbury_team, roles.PRACTITIONER), member(sam, canterbury_team, roles.PRACTITIONER)]
    member(sam, thanet_team, roles.PRACTITIONER)
    with pytest.raises(ValidationError) as refused:
        services.memberships_move(memberships=moving, to_team=thanet_team, reason="Merged")
    assert "Sam Already already in" in refused.value.message_dict["members"][0]
    assert TeamMembership.objects.filter(team=canterbury_team, ended_on__isnull=True).count() == 2
    with pytest.raises(ValidationError, match="a different team"):
        services.memberships_move(memberships=moving[:1], to_team=canterbury_team, reason="x")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.memberships_move(memberships=moving[:1], to_team=thanet_team, reason="x",
                                  on=TODAY + datetime.timedelta(days=1))


def test_administrator_moves_members_after_confirming(client, administrator, canterbury_team, thanet_team):
    moving = [member(UserFactory(first_name=name, last_name="Mover"), canterbury_team, roles.PRACTITIONER)
              for name in ("Pat", "Sam", "Lee")]
    client.force_login(administrator)
    assert "Move members to another team" in client.get(f"/organisation/teams/{canterbury_team.pk}/").content.decode()
    url = f"/organisation/teams/{canterbury_team.pk}/members/move/"
    response = client.post(url, {"members": [moving[0].pk], "reason": "Teams merged"})
    page = response.content.decode()
    assert response.status_code == 400 and "Choose the team they are moving to" in page
    assert 'value="Teams merged"' in page
    choices = {"members": [moving[0].pk, moving[1].pk], "to_team": thanet_team.pk, "reason": "Teams merged"}
    response = client.post(url, choices)
    page = response.content.decode()
    assert response.status_code == 200 and "Move 2 members to Thanet Promoting Independence?" in page
    assert TeamMembership.objects.filter(team=thanet_team).count() == 0  # nothing changes before the confirmation
    response = client.post(url, {**choices, "confirm": "yes"})
    assert response.status_code == 302 and response.url == f"/organisation/teams/{thanet_team.pk}/"
    assert set(TeamMembership.objects.filter(team=thanet_team, ended_on__isnull=True).values_list("user__first_name", flat=True)) == {"Pat", "Sam"}
    assert TeamMembership.objects.filter(team=canterbury_team, ended_on__isnull=True).count() == 1


def test_moving_members_is_refused_to_practitioners_and_for_another_teams_members(
        client, api, practitioner, administrator, canterbury_team, thanet_team, thanet_practitioner):
    theirs = thanet_practitioner.memberships.get()
    client.force_login(practitioner)
    assert client.get(f"/organisation/teams/{canterbury_team.pk}/members/move/").status_code == 403
    api.force_authenticate(practitioner)
    assert api.post(f"/api/v1/teams/{canterbury_team.pk}/move-members/", {}, format="json").status_code == 403
    api.force_authenticate(administrator)
    response = api.post(f"/api/v1/teams/{canterbury_team.pk}/move-members/",
                        {"members": [theirs.pk], "to_team": thanet_team.pk, "reason": "x"}, format="json")
    assert response.status_code == 400 and "members" in response.json()["errors"]
    mine = practitioner.memberships.get()
    response = api.post(f"/api/v1/teams/{canterbury_team.pk}/move-members/",
                        {"members": [mine.pk], "to_team": thanet_team.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["reason"]
    response = api.post(f"/api/v1/teams/{canterbury_team.pk}/move-members/",
                        {"members": [mine.pk], "to_team": thanet_team.pk, "reason": "Moved"}, format="json")
    assert response.status_code == 201 and response.json()[0]["team"] == thanet_team.pk
