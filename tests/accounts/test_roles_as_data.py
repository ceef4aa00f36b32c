"""A role an administrator invents works everywhere its permissions say, at once: nothing asks for a
role by name."""

import pytest
from django.contrib.auth.models import Group, Permission

from ascm.accounts.models import Role
from ascm.notifications.selectors import notifications_for
from pathways.care import assessments
from tests.clients.factories import ClientFactory, allocate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior_practitioner_role():
    group = Group.objects.create(name="Senior practitioner")
    for dotted in ("clients.view_client", "clients.hold_caseload", "care.view_assessment",
                   "care.change_assessment", "care.add_assessment", "care.sign_off_assessment",
                   "mdt.view_caseload_review"):
        app_label, codename = dotted.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return Role.objects.create(group=group, slug="senior-practitioner", is_team_role=True, record_scope="locality")


def test_a_new_role_that_may_sign_off_is_asked_to_and_reviews_caseloads(senior_practitioner_role, canterbury_team,
                                                                         practitioner, client):
    from ascm.organisation.models import TeamMembership

    senior = UserFactory(username="sam")
    TeamMembership.objects.create(team=canterbury_team, user=senior, role=senior_practitioner_role)
    person = allocate(ClientFactory(locality=canterbury_team.locality), canterbury_team, worker=practitioner).client
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    from tests.pathways.care.test_apis import ELIGIBLE

    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=ELIGIBLE)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2, practitioner_agrees=True)
    assert notifications_for(user=senior).filter(kind="signoff_requested").exists()
    client.force_login(senior)
    review = client.get("/mdt/caseload/")
    assert review.status_code == 200 and practitioner.get_full_name() in review.content.decode()
