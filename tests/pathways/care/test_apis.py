"""The API for assessments, plans and reviews: the same rules as the pages, field-level 400s, 409 on a
conflicting save, and 404 for what is outside the user's reach."""

import datetime

import pytest
from django.utils import timezone

from pathways.care import assessments, plans
from pathways.care.eligibility import ADULT_OUTCOMES
from pathways.care.models import Assessment
from tests.clients.factories import ClientFactory, allocate
from tests.conftest import as_user
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

ELIGIBLE = {"outcomes": {code: ({"unable": True, "reason": "needs_assistance"} if code in ("nutrition", "clothing")
                                else {"unable": False}) for code in ADULT_OUTCOMES},
            "arises_from_impairment": True, "significant_impact_on_wellbeing": True}


def test_an_assessment_through_the_api_from_draft_to_sign_off(api, person, practitioner, manager):
    as_user(api, practitioner)
    created = api.post("/api/v1/assessments/", {"kind": "needs", "client": person.pk}, format="json")
    assert created.status_code == 201, created.json()
    pk, version = created.json()["id"], created.json()["version"]
    saved = api.patch(f"/api/v1/assessments/{pk}/", {"version": version, "answers": ELIGIBLE}, format="json")
    assert saved.status_code == 200 and saved.json()["version"] == version + 1
    stale = api.patch(f"/api/v1/assessments/{pk}/", {"version": version, "answers": {"what_matters": "x"}}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == version + 1
    refused = api.post(f"/api/v1/assessments/{pk}/submit/", {"version": version + 1, "practitioner_agrees": False},
                       format="json")
    assert refused.status_code == 400 and "disagreement_reason" in refused.json()["errors"]
    submitted = api.post(f"/api/v1/assessments/{pk}/submit/", {"version": version + 1, "practitioner_agrees": True},
                         format="json")
    assert submitted.status_code == 200 and submitted.json()["determination"]["eligible"] is True
    assert api.post(f"/api/v1/assessments/{pk}/sign-off/").status_code == 403  # a practitioner cannot sign off
    as_user(api, manager)
    signed = api.post(f"/api/v1/assessments/{pk}/sign-off/")
    assert signed.status_code == 200 and signed.json()["status"] == "signed_off"
    correction = api.post(f"/api/v1/assessments/{pk}/correct/")
    assert correction.status_code == 201 and correction.json()["supersedes"] == pk


def test_the_author_cannot_sign_off_their_own_assessment(api, person, manager):
    draft = assessments.assessment_create(user=manager, client=person, kind="needs")
    draft = assessments.assessment_save_draft(user=manager, assessment=draft, expected_version=1, answers=ELIGIBLE)
    assessments.assessment_submit(user=manager, assessment=draft, expected_version=2, practitioner_agrees=True)
    as_user(api, manager)
    response = api.post(f"/api/v1/assessments/{draft.pk}/sign-off/")
    assert response.status_code == 400
    assert "cannot sign off your own assessment" in response.json()["errors"]["non_field_errors"][0]


def test_submitting_with_an_outcome_unanswered_names_it(api, person, practitioner):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    answers = {**ELIGIBLE, "outcomes": {k: v for k, v in ELIGIBLE["outcomes"].items() if k != "toilet_needs"}}
    assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=answers)
    as_user(api, practitioner)
    response = api.post(f"/api/v1/assessments/{draft.pk}/submit/", {"version": 2, "practitioner_agrees": True}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["outcomes"] == ["Answer whether the person can achieve: Managing toilet needs"]


def test_answers_of_the_wrong_shape_are_refused(api, person, practitioner):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    as_user(api, practitioner)
    response = api.patch(f"/api/v1/assessments/{draft.pk}/", {"version": 1, "answers": {
        "favourite_colour": "blue", "outcomes": {"nutrition": {"unable": "maybe"}}}}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]["answers"]) == {"Unknown question: favourite_colour",
                                                         "outcomes.nutrition.unable must be true, false or null"}


def test_assessments_outside_the_users_reach_are_not_found(api, person, practitioner, thanet_practitioner):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    as_user(api, thanet_practitioner)
    assert api.get(f"/api/v1/assessments/{draft.pk}/").status_code == 404
    assert api.patch(f"/api/v1/assessments/{draft.pk}/", {"version": 1, "answers": {}}, format="json").status_code == 404
    assert api.get("/api/v1/assessments/").json()["count"] == 0
    assert api.post("/api/v1/assessments/", {"kind": "needs", "client": person.pk}, format="json").status_code == 404
    assert Assessment.objects.count() == 1


def test_a_plan_and_its_reviews_through_the_api(api, person, practitioner, thanet_practitioner):
    as_user(api, practitioner)
    bad = api.post("/api/v1/support-plans/", {"client": person.pk, "outcomes": [{"outcome": "Cook", "met_by": "magic"}]},
                   format="json")
    assert bad.status_code == 400 and "outcomes" in bad.json()["errors"]
    starts = timezone.localdate() - datetime.timedelta(weeks=10)
    created = api.post("/api/v1/support-plans/", {
        "client": person.pk, "starts_on": starts.isoformat(), "contingency": "Call the duty team",
        "outcomes": [{"outcome": "Cook a meal", "met_by": "service", "how": "Enablement"}]}, format="json")
    assert created.status_code == 201, created.json()
    overdue = api.get("/api/v1/reviews/?overdue=true").json()
    assert overdue["count"] == 1 and overdue["results"][0]["client"] == person.pk
    review = overdue["results"][0]["id"]
    early = api.post(f"/api/v1/reviews/{review}/complete/", {
        "completed_on": (starts - datetime.timedelta(days=1)).isoformat(), "what_changed": "x", "outcome": "continue"},
        format="json")
    assert early.status_code == 400 and "completed_on" in early.json()["errors"]
    done = api.post(f"/api/v1/reviews/{review}/complete/", {"what_changed": "Cooking again", "outcome": "continue"},
                    format="json")
    assert done.status_code == 200 and done.json()["completed_on"] == timezone.localdate().isoformat()
    assert api.get("/api/v1/reviews/?overdue=true").json()["count"] == 0
    as_user(api, thanet_practitioner)
    assert api.get(f"/api/v1/support-plans/{created.json()['id']}/").status_code == 404
    assert api.post(f"/api/v1/reviews/{review}/complete/", {"what_changed": "x", "outcome": "close"},
                    format="json").status_code == 404


def test_a_user_without_a_casework_role_cannot_use_the_care_api(api, person, practitioner, auditor):
    plan = plans.plan_create(user=practitioner, client=person, outcomes=[{"outcome": "A", "met_by": "network"}])
    as_user(api, auditor)
    assert api.get("/api/v1/assessments/").status_code == 403
    assert api.get(f"/api/v1/support-plans/{plan.pk}/").status_code == 403


def test_a_plan_cannot_be_linked_to_another_persons_assessment(api, person, practitioner, canterbury_team):
    other = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    theirs = assessments.assessment_create(user=practitioner, client=other, kind="needs")
    Assessment.objects.filter(pk=theirs.pk).update(status="signed_off", signed_off_by=UserFactory())
    member(UserFactory(), canterbury_team, "team-manager")
    as_user(api, practitioner)
    response = api.post("/api/v1/support-plans/", {"client": person.pk, "assessment": theirs.pk,
                                                   "outcomes": [{"outcome": "A", "met_by": "network"}]}, format="json")
    assert response.status_code == 400 and "assessment" in response.json()["errors"]
