import pytest
from django.core.exceptions import ValidationError

from ascm.accounts import roles
from ascm.organisation import services
from ascm.organisation.models import Team, TeamType
from tests.factories import GPPracticeFactory, HubFactory, LocalityFactory, UserFactory, role

pytestmark = pytest.mark.django_db


def test_team_is_created_in_its_locality(canterbury):
    team = services.team_create(name="Canterbury Triage", team_type=TeamType.INTEGRATED_TRIAGE, locality=canterbury)
    assert Team.objects.get(pk=team.pk).locality == canterbury


def test_team_without_a_locality_is_refused():
    with pytest.raises(ValidationError) as error:
        services.team_create(name="Nowhere team", team_type=TeamType.SAFEGUARDING)
    assert "locality" in error.value.message_dict


def test_two_teams_with_one_name_in_one_locality_are_refused(canterbury_team):
    with pytest.raises(ValidationError) as error:
        services.team_create(
            name=canterbury_team.name, team_type=TeamType.SAFEGUARDING, locality=canterbury_team.locality
        )
    assert error.value.message_dict["name"] == ["This locality already has a team with this name"]


def test_duplicate_ods_code_is_refused(canterbury):
    GPPracticeFactory(ods_code="Z12345", locality=canterbury)
    with pytest.raises(ValidationError) as error:
        services.gp_practice_create(ods_code="z12345", name="Another", locality=canterbury)
    assert error.value.message_dict["ods_code"] == ["A GP practice with this ODS code already exists"]


@pytest.mark.parametrize("code", ["12345", "ZZ1234", "Z1234", "Z123456"])
def test_malformed_ods_code_is_refused(canterbury, code):
    with pytest.raises(ValidationError) as error:
        services.gp_practice_create(ods_code=code, name="Synthetic Surgery", locality=canterbury)
    assert "ods_code" in error.value.message_dict


def test_practice_hub_must_be_in_the_practice_locality(canterbury, thanet):
    thanet_hub = HubFactory(locality=thanet)
    with pytest.raises(ValidationError) as error:
        services.gp_practice_create(ods_code="Z00001", name="Synthetic Surgery", locality=canterbury, hub=thanet_hub)
    assert error.value.message_dict["hub"] == ["Choose a hub in the practice's locality"]


def test_membership_given_twice_is_refused(canterbury_team):
    user = UserFactory()
    services.membership_add(team=canterbury_team, user=user, role=role(roles.PRACTITIONER))
    with pytest.raises(ValidationError) as error:
        services.membership_add(team=canterbury_team, user=user, role=role(roles.TEAM_MANAGER))
    assert error.value.message_dict["user"] == ["This person is already a member of this team"]


def test_ended_membership_can_be_started_again_and_history_is_kept(canterbury_team):
    user = UserFactory()
    first = services.membership_add(team=canterbury_team, user=user, role=role(roles.PRACTITIONER))
    services.membership_end(membership=first)
    services.membership_add(team=canterbury_team, user=user, role=role(roles.TEAM_MANAGER))
    assert canterbury_team.memberships.count() == 2


def test_organisation_wide_role_cannot_be_held_through_a_team(canterbury_team):
    with pytest.raises(ValidationError) as error:
        services.membership_add(team=canterbury_team, user=UserFactory(), role=role(roles.ADMINISTRATOR))
    assert "role" in error.value.message_dict


def test_archiving_keeps_the_record_and_deleting_is_impossible(canterbury_team):
    services.record_archive(instance=canterbury_team)
    canterbury_team.refresh_from_db()
    assert canterbury_team.is_archived
    assert canterbury_team not in Team.objects.current()
    with pytest.raises(NotImplementedError):
        canterbury_team.delete()


def test_locality_names_are_unique():
    locality = LocalityFactory(name="Dover")
    other = LocalityFactory(name="Deal")
    with pytest.raises(ValidationError):
        services.locality_update(locality=other, name=locality.name)
