import pytest

from ascm.accounts import roles
from ascm.accounts.models import Role
from ascm.accounts.selectors import user_role_summary
from ascm.organisation.selectors import teams_for_user, user_record_scope
from ascm.organisation.services import membership_end
from tests.factories import TeamFactory, UserFactory, member, with_role

pytestmark = pytest.mark.django_db


def test_the_default_roles_exist_as_permission_groups():
    assert set(Role.objects.values_list("group__name", flat=True)) == {
        "Practitioner",
        "Discharge hub coordinator",
        "Team manager",
        "Head of service",
        "Funding panel",
        "Brokerage officer",
        "Performance and returns officer",
        "Safeguarding lead",
        "Finance officer",
        "Administrator",
        "Read-only auditor",
    }


def test_ensuring_roles_twice_changes_nothing():
    before = list(Role.objects.values_list("slug", "group__permissions").order_by("slug", "group__permissions"))
    roles.roles_ensure()
    after = list(Role.objects.values_list("slug", "group__permissions").order_by("slug", "group__permissions"))
    assert before == after


def test_a_team_role_gives_its_permissions_only_while_the_membership_lasts(canterbury_team):
    user = UserFactory()
    membership = member(user, canterbury_team, roles.PRACTITIONER)
    assert user.has_perm("organisation.view_team")

    membership_end(membership=membership)
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per user object
    assert not user.has_perm("organisation.view_team")


def test_administrator_may_change_the_organisation_and_practitioner_may_not(administrator, practitioner):
    assert administrator.has_perm("organisation.add_team")
    assert administrator.is_staff
    assert not practitioner.has_perm("organisation.add_team")
    assert not practitioner.is_staff


def test_auditor_reads_the_audit_log_and_nothing_else(auditor):
    assert auditor.get_all_permissions() == {"audit.view_auditentry"}
    assert user_record_scope(auditor) == Role.RecordScope.NONE


def test_practitioner_sees_own_teams_and_manager_their_localitys(practitioner, manager, canterbury_team, thanet_team):
    second_canterbury_team = TeamFactory(locality=canterbury_team.locality)

    assert set(teams_for_user(user=practitioner)) == {canterbury_team}
    assert set(teams_for_user(user=manager)) == {canterbury_team, second_canterbury_team}
    assert thanet_team not in teams_for_user(user=manager)


def test_role_summary_names_every_role_held(canterbury_team):
    user = with_role(UserFactory(), roles.AUDITOR)
    member(user, canterbury_team, roles.TEAM_MANAGER)
    assert user_role_summary(user) == "Read-only auditor, Team manager"


def test_the_discharge_hub_coordinator_sees_county_stays_not_every_record():
    from django.contrib.auth.models import Permission

    group = Role.objects.get(slug="discharge-coordinator").group
    codenames = set(Permission.objects.filter(group=group).values_list("codename", flat=True))
    assert {"see_county_discharge", "change_discharge"} <= codenames
    assert Role.objects.get(slug="discharge-coordinator").record_scope == "team"
