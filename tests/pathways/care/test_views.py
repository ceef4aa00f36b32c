"""Browser pages for assessments, plans, reviews and the work pages: the flow, errors that keep what was
typed, conflicts, access, and bounded queries."""

import datetime
import json

import pytest
from django.utils import timezone

from ascm.audit.models import AuditEntry
from ascm.notifications.models import Notification
from ascm.notifications.selectors import notifications_for
from pathways.care import assessments, plans
from pathways.care.eligibility import ADULT_OUTCOMES
from pathways.care.models import Assessment, Review, SupportPlan
from tests.clients.factories import ClientFactory, allocate
from tests.documents import assert_pdf_says_what_the_page_says, assert_tagged_pdf
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

OUTCOMES = [{"outcome": "Cook a hot meal again", "met_by": "service", "how": "Enablement visits at lunchtime"}]


def _outcome_answers(unable: set[str]) -> dict:
    data = {}
    for code in ADULT_OUTCOMES:
        data[f"{code}__unable"] = "yes" if code in unable else "no"
        if code in unable:
            data[f"{code}__reason"] = "needs_assistance"
            data[f"{code}__detail"] = f"Needs help with {code}"
    return data


def test_a_needs_assessment_page_by_page_then_submitted_and_signed_off(client, person, practitioner, manager,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(practitioner)
    response = client.post(f"/assessments/new/{person.pk}/", {"kind": "needs"})
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{assessment.pk}/about/"
    response = client.post(response["Location"], {"version": 1, "what_matters": "My garden", "what_is_working": "",
                                                  "strengths_and_networks": "Daughter visits", "goto": "continue"})
    assert response["Location"] == f"/assessments/{assessment.pk}/outcomes/"
    response = client.post(response["Location"], {"version": 2, **_outcome_answers({"nutrition", "personal_hygiene"})})
    assert response["Location"] == f"/assessments/{assessment.pk}/eligibility/"
    response = client.post(response["Location"], {"version": 3, "arises_from_impairment": "yes",
                                                  "significant_impact_on_wellbeing": "yes", "goto": "continue"})
    assert response["Location"] == f"/assessments/{assessment.pk}/check/"
    check = client.get(response["Location"]).content.decode()
    assert "Eligible needs" in check and "unable to achieve 2 of the specified outcomes" in check
    refused = client.post(response["Location"], {"version": 4, "practitioner_agrees": "no"})
    assert "Explain why you disagree with the determination" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(response["Location"], {"version": 4, "practitioner_agrees": "yes"})
    assert submitted["Location"] == f"/assessments/{assessment.pk}/"
    assessment.refresh_from_db()
    assert assessment.status == "submitted" and assessment.determination["eligible"] is True
    assert assessment.answers["outcomes"]["nutrition"] == {"unable": True, "reason": "needs_assistance",
                                                           "detail": "Needs help with nutrition"}
    assert notifications_for(user=manager).filter(kind="signoff_requested").exists()
    # A submitted assessment cannot be edited, and its author cannot sign it off.
    assert client.get(f"/assessments/{assessment.pk}/about/")["Location"] == f"/assessments/{assessment.pk}/"
    assert client.post(f"/assessments/{assessment.pk}/sign-off/").status_code == 403

    client.force_login(manager)
    work = client.get("/work/").content.decode()
    assert f"/assessments/{assessment.pk}/" in work
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/assessments/{assessment.pk}/sign-off/")
    assessment.refresh_from_db()
    assert assessment.status == "signed_off" and assessment.signed_off_by == manager
    assert Notification.objects.filter(recipient=practitioner, kind="assessment_signed_off").exists()
    assert notifications_for(user=manager).get(kind="signoff_requested").seen_at is not None  # done


def test_save_on_navigate_keeps_the_section_and_moves_on(client, person, practitioner):
    client.force_login(practitioner)
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    response = client.post(f"/assessments/{draft.pk}/about/", {"version": 1, "what_matters": "Church on Sunday",
                                                               "goto": "eligibility"})
    assert response["Location"] == f"/assessments/{draft.pk}/eligibility/"
    assert Assessment.objects.get().answers["what_matters"] == "Church on Sunday"


def test_autosave_answers_with_the_new_version_and_refuses_a_stale_one(client, person, practitioner):
    client.force_login(practitioner)
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    saved = client.post(f"/assessments/{draft.pk}/about/", {"version": 1, "what_matters": "A"},
                        HTTP_X_ASCM_AUTOSAVE="1")
    assert saved.status_code == 200 and json.loads(saved.content)["version"] == 2
    stale = client.post(f"/assessments/{draft.pk}/about/", {"version": 1, "what_matters": "B"},
                        HTTP_X_ASCM_AUTOSAVE="1")
    assert stale.status_code == 409 and "Your text has not been saved" in json.loads(stale.content)["message"]
    assert Assessment.objects.get().answers["what_matters"] == "A"


def test_a_conflicting_save_is_refused_and_shows_both_versions(client, person, practitioner, canterbury_team):
    colleague = UserFactory(first_name="Cara", last_name="Colleague")
    member(colleague, canterbury_team, "practitioner")
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    assessments.assessment_save_draft(user=colleague, assessment=draft, expected_version=1,
                                      answers={"what_matters": "Cara's words"})
    client.force_login(practitioner)
    response = client.post(f"/assessments/{draft.pk}/about/", {"version": 1, "what_matters": "Pat's words"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Cara Colleague saved this assessment" in page
    assert "Pat&#x27;s words" in page and "Cara&#x27;s words" in page  # theirs shown, ours kept in the form
    assert 'name="version" value="2"' in page
    assert Assessment.objects.get().answers["what_matters"] == "Cara's words"


def test_a_manager_returns_an_assessment_with_comments(client, person, practitioner, manager):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="carer", carer_name="A neighbour")
    draft.answers = {"outcomes": {}}
    client.force_login(manager)
    submitted = Assessment.objects.filter(pk=draft.pk)
    submitted.update(status="submitted")
    empty = client.post(f"/assessments/{draft.pk}/return/", {"comments": ""})
    assert empty.status_code == 400 and "Say what needs to change" in empty.content.decode()
    client.post(f"/assessments/{draft.pk}/return/", {"comments": "Add how often she visits"})
    assert Assessment.objects.get().status == "returned"
    client.force_login(practitioner)
    page = client.get(f"/assessments/{draft.pk}/about/").content.decode()
    assert "Add how often she visits" in page


def test_starting_a_carers_assessment_needs_the_carer(client, person, practitioner):
    client.force_login(practitioner)
    response = client.post(f"/assessments/new/{person.pk}/", {"kind": "carer"})
    assert response.status_code == 200 and "Name the carer, or choose their record" in response.content.decode()
    assert 'value="carer"' in response.content.decode() and not Assessment.objects.exists()


def test_the_check_page_links_unanswered_outcomes_to_their_section(client, person, practitioner):
    client.force_login(practitioner)
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    page = client.get(f"/assessments/{draft.pk}/check/").content.decode()
    assert f'href="/assessments/{draft.pk}/outcomes/"' in page
    assert "Answer whether the person can achieve: Managing and maintaining nutrition" in page
    assert "Submit for sign-off" not in page


def test_assessments_are_out_of_reach_across_localities(client, person, practitioner, thanet_practitioner):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    client.force_login(thanet_practitioner)
    for url in (f"/assessments/{draft.pk}/", f"/assessments/{draft.pk}/about/", f"/assessments/{draft.pk}/check/",
                f"/assessments/new/{person.pk}/", f"/plans/new/{person.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assessments/{draft.pk}/about/", {"version": 1, "what_matters": "x"}).status_code == 404
    assert Assessment.objects.get().answers.get("what_matters") == ""


def test_viewing_an_assessment_is_audited(client, person, practitioner):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    client.force_login(practitioner)
    client.get(f"/assessments/{draft.pk}/")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(draft.pk), actor=practitioner).exists()


def test_writing_a_plan_keeps_rows_and_shows_errors_per_row(client, person, practitioner):
    client.force_login(practitioner)
    more = client.post(f"/plans/new/{person.pk}/", {"rows": 1, "outcome_1": "Walk to the shop", "add_row": "1"})
    page = more.content.decode()
    assert "Walk to the shop" in page and 'name="outcome_2"' in page and "There is a problem" not in page
    bad = client.post(f"/plans/new/{person.pk}/", {"rows": 2, "outcome_1": "Walk to the shop", "met_by_1": ""})
    page = bad.content.decode()
    assert "Say how outcome 1 will be met" in page
    assert "Walk to the shop" in page and not SupportPlan.objects.exists()
    good = client.post(f"/plans/new/{person.pk}/", {"rows": 2, "outcome_1": "Walk to the shop", "met_by_1": "network",
                                                    "how_1": "Son walks with her on Saturdays",
                                                    "contingency": "Call the duty team"})
    plan = SupportPlan.objects.get()
    assert good["Location"] == f"/plans/{plan.pk}/"
    assert plan.outcomes == [{"outcome": "Walk to the shop", "met_by": "network", "how": "Son walks with her on Saturdays"}]
    copy = client.get(f"/plans/{plan.pk}/print/").content.decode()
    assert "Your care and support plan" in copy and "Call the duty team" in copy
    pdf = client.get(f"/plans/{plan.pk}/print/?format=pdf")
    assert_tagged_pdf(pdf.content, title="Your care and support plan", tables=False)
    assert_pdf_says_what_the_page_says(pdf.content, copy)
    assert plan.reviews.get().due_on == timezone.localdate() + datetime.timedelta(weeks=8)


def test_recording_a_review_refuses_a_date_before_the_plan(client, person, practitioner):
    plan = plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, starts_on=datetime.date(2026, 6, 1))
    review = plan.reviews.get()
    client.force_login(practitioner)
    response = client.post(f"/reviews/{review.pk}/", {"completed_on_0": "1", "completed_on_1": "5", "completed_on_2": "2026",
                                                      "what_changed": "Walking further", "outcome": "continue",
                                                      "outcomes_achieved": "fully"})
    page = response.content.decode()
    assert "A review cannot be before the plan started" in page and "Walking further" in page
    response = client.post(f"/reviews/{review.pk}/", {"completed_on_0": "20", "completed_on_1": "7",
                                                      "completed_on_2": "2026", "what_changed": "Walking further",
                                                      "outcome": "continue", "outcomes_achieved": "partially"})
    assert response["Location"] == f"/plans/{plan.pk}/"
    assert Review.objects.filter(plan=plan, completed_on__isnull=True).get().due_on == datetime.date(2027, 7, 20)


def test_the_work_page_shows_caseload_drafts_reviews_and_notifications(client, person, practitioner,
                                                                       django_assert_max_num_queries, canterbury_team):
    plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES,
                      starts_on=timezone.localdate() - datetime.timedelta(weeks=10))
    assessments.assessment_create(user=practitioner, client=person, kind="needs")
    Notification.objects.create(recipient=practitioner, kind="x", key="k", title="Something to do")
    for _ in range(15):  # more people, more rows: the same number of queries
        other = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
        plans.plan_create(user=practitioner, client=other, outcomes=OUTCOMES)
    client.force_login(practitioner)
    client.get("/work/")  # the first page of a session reads what the user may reach (then cached)
    with django_assert_max_num_queries(11):
        page = client.get("/work/").content.decode()
    assert str(person) in page and "Overdue" in page
    assert "Care Act needs assessment for" in page and "Something to do" in page


def test_managers_see_overdue_reviews_in_their_teams_only(client, person, practitioner, manager, thanet_team,
                                                          django_assert_max_num_queries):
    plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES,
                      starts_on=timezone.localdate() - datetime.timedelta(weeks=20))
    elsewhere = allocate(ClientFactory(), thanet_team).client
    plans.plan_create(user=practitioner, client=elsewhere, outcomes=OUTCOMES,
                      starts_on=timezone.localdate() - datetime.timedelta(weeks=20))
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        page = client.get("/work/overdue-reviews/").content.decode()
    assert str(person) in page and str(elsewhere) not in page
    client.force_login(practitioner)
    assert client.get("/work/overdue-reviews/").status_code == 403


def test_the_record_page_lists_assessments_and_plans(client, person, practitioner):
    assessments.assessment_create(user=practitioner, client=person, kind="needs")
    plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES)
    client.force_login(practitioner)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Assessments and plans" in page and "Care Act needs assessment" in page and "Next review due" in page


def test_a_review_that_changes_pathway_goes_on_to_close_the_episode(client, person, practitioner, canterbury_team):
    from pathways.care.models import Episode

    episode = Episode.objects.create(client=person, pathway="promoting_independence", team=canterbury_team,
                                     worker=practitioner)
    plan = plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, episode=episode)
    client.force_login(practitioner)
    response = client.post(f"/reviews/{plan.reviews.get().pk}/", {"what_changed": "Needs long-term support",
                                                                   "outcome": "change_pathway", "outcomes_achieved": "not"})
    assert response["Location"] == f"/referrals/episodes/{episode.pk}/close/"


def test_the_person_gets_a_plain_copy_of_their_assessment(client, person, practitioner, manager):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    answers = {"what_matters": "My garden", "arises_from_impairment": True, "significant_impact_on_wellbeing": True,
               "outcomes": {code: {"unable": code in ("nutrition", "clothing"), "reason": "needs_assistance"}
                            for code in ADULT_OUTCOMES}}
    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=answers)
    submitted = assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2,
                                              practitioner_agrees=True)
    assessments.assessment_sign_off(user=manager, assessment=submitted)
    client.force_login(practitioner)
    copy = client.get(f"/assessments/{draft.pk}/print/").content.decode()
    assert "Your assessment of your care and support needs" in copy and "My garden" in copy
    assert "You have eligible needs under the Care Act 2014" in copy and "Not answered" not in copy
    pdf = client.get(f"/assessments/{draft.pk}/print/?format=pdf")
    assert_tagged_pdf(pdf.content, title="Your assessment of your care and support needs", tables=False)
    assert_pdf_says_what_the_page_says(pdf.content, copy)
    assert AuditEntry.objects.filter(object_pk=str(draft.pk), changes__icontains="Printed a copy").exists()


def test_the_work_page_shows_each_persons_newest_open_episode_and_what_is_due_first(person, practitioner,
                                                                                      canterbury_team):
    from pathways.care.models import Episode
    from pathways.care.selectors import work_page
    from pathways.care.services import episode_start

    today = timezone.localdate()
    older = episode_start(user=practitioner, client=person, pathway="promoting_wellbeing", team=canterbury_team,
                          started_on=today - datetime.timedelta(days=60))
    newer = episode_start(user=practitioner, client=person, pathway="promoting_independence", team=canterbury_team,
                          started_on=today - datetime.timedelta(days=10))
    Episode.objects.filter(pk=older.pk).update(planned_end_on=today - datetime.timedelta(days=1))
    plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, starts_on=today)
    quiet = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    rows = {allocation.client_id: allocation for allocation in work_page(user=practitioner, today=today)["caseload"]}
    mine = rows[person.pk]
    assert mine.episode_label == "Promoting Independence" and mine.episode_started_on == newer.started_on
    review_due = Review.objects.get(plan__client=person, completed_on__isnull=True).due_on
    assert mine.next_due == min(review_due, newer.planned_end_on) and mine.overdue is (mine.next_due < today)
    assert rows[quiet.pk].episode_label == "" and rows[quiet.pk].next_due is None and not rows[quiet.pk].overdue
