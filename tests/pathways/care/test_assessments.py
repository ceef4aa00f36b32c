"""Assessments: drafts that cannot overwrite each other, submission with the determination, four-eyes sign-off."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clients import services as client_services
from pathways.care import assessments
from pathways.care.eligibility import ADULT_OUTCOMES
from pathways.care.models import Assessment
from tests.clients.factories import ClientFactory
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def _all_outcomes(unable: dict[str, str]) -> dict:
    return {code: ({"unable": True, "reason": unable[code]} if code in unable else {"unable": False})
            for code in ADULT_OUTCOMES}


ELIGIBLE = {"outcomes": _all_outcomes({"nutrition": "needs_assistance", "personal_hygiene": "endangers_safety"}),
            "arises_from_impairment": True, "significant_impact_on_wellbeing": True}


def test_a_draft_is_prefilled_with_strengths_from_the_record(practitioner):
    person = ClientFactory()
    client_services.asset_add(client=person, kind="what_matters", description="Seeing my grandchildren")
    client_services.asset_add(client=person, kind="network", description="Neighbour shops weekly", network_kind="neighbour")
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    assert draft.answers["what_matters"] == "Seeing my grandchildren"
    assert draft.answers["strengths_and_networks"] == "Neighbour shops weekly"


def test_two_people_editing_one_draft_cannot_overwrite_each_other(practitioner):
    draft = assessments.assessment_create(user=practitioner, client=ClientFactory(), kind="needs")
    assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers={"what_is_working": "A"})
    with pytest.raises(assessments.DraftConflict) as conflict:
        assessments.assessment_save_draft(user=UserFactory(), assessment=draft, expected_version=1, answers={"what_is_working": "B"})
    assert "Your text has not been saved" in conflict.value.messages[0]
    assert Assessment.objects.get(pk=draft.pk).answers["what_is_working"] == "A"


def test_submitting_with_an_outcome_unanswered_is_refused(practitioner):
    draft = assessments.assessment_create(user=practitioner, client=ClientFactory(), kind="needs")
    answers = {**ELIGIBLE, "outcomes": {k: v for k, v in ELIGIBLE["outcomes"].items() if k != "clothing"}}
    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=answers)
    with pytest.raises(ValidationError) as error:
        assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2, practitioner_agrees=True)
    assert error.value.message_dict["outcomes"] == ["Answer whether the person can achieve: Being appropriately clothed"]


def test_submission_records_the_determination_and_sign_off_needs_four_eyes(practitioner, manager):
    draft = assessments.assessment_create(user=manager, client=ClientFactory(), kind="needs")
    draft = assessments.assessment_save_draft(user=manager, assessment=draft, expected_version=1, answers=ELIGIBLE)
    submitted = assessments.assessment_submit(user=manager, assessment=draft, expected_version=2, practitioner_agrees=True)
    assert submitted.determination["eligible"] is True and submitted.is_locked
    with pytest.raises(ValidationError, match="cannot sign off your own"):
        assessments.assessment_sign_off(user=manager, assessment=submitted)
    with pytest.raises(PermissionDenied):
        assessments.assessment_sign_off(user=practitioner, assessment=submitted)
    other_manager = UserFactory()
    member(other_manager, practitioner.memberships.get().team, "team-manager")
    signed = assessments.assessment_sign_off(user=other_manager, assessment=submitted)
    assert signed.status == "signed_off"
    with pytest.raises(ValidationError):
        assessments.assessment_save_draft(user=manager, assessment=signed, expected_version=signed.version, answers={})
    correction = assessments.assessment_correct(user=manager, assessment=signed)
    assert correction.supersedes == signed and correction.status == "draft"


def test_disagreeing_needs_a_reason_and_a_manager_can_return_it(practitioner, manager):
    draft = assessments.assessment_create(user=practitioner, client=ClientFactory(), kind="needs")
    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=ELIGIBLE)
    with pytest.raises(ValidationError) as error:
        assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2, practitioner_agrees=False)
    assert "disagreement_reason" in error.value.message_dict
    submitted = assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2,
                                              practitioner_agrees=False, disagreement_reason="Needs fluctuate daily")
    returned = assessments.assessment_return(user=manager, assessment=submitted, comments="Add the carer's contribution")
    assert returned.status == "returned" and not returned.is_locked


def test_a_carers_assessment_names_the_carer_and_uses_the_carer_criteria(practitioner):
    with pytest.raises(ValidationError):
        assessments.assessment_create(user=practitioner, client=ClientFactory(), kind="carer")
    draft = assessments.assessment_create(user=practitioner, client=ClientFactory(), kind="carer", carer_name="Sam Carer")
    from pathways.care.eligibility import CARER_OUTCOMES

    outcomes = {code: {"unable": code == "recreation", "reason": "needs_assistance"} for code in CARER_OUTCOMES}
    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers={
        "outcomes": outcomes, "arises_from_caring": True, "significant_impact_on_wellbeing": True})
    submitted = assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2, practitioner_agrees=True)
    assert submitted.determination["eligible"] is True
