"""The assessment page saves a changed draft in the background; a save over someone else's newer
version is refused, autosave stops and says so, and the text stays on the page."""

import pytest
from playwright.sync_api import expect

from ascm.accounts import roles
from pathways.care import assessments
from pathways.care.models import Assessment
from tests.clients.factories import ClientFactory, allocate
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_autosave_then_a_conflict_stops_it_and_keeps_the_text(live_server, page, e2e_roles, settings):
    settings.ASCM_AUTOSAVE_SECONDS = 1
    canterbury = LocalityFactory(name="Canterbury")
    team = TeamFactory(name="Canterbury Promoting Independence", locality=canterbury)
    pat = member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), team, roles.PRACTITIONER).user
    colleague = member(UserFactory(first_name="Cara", last_name="Colleague"), team, roles.PRACTITIONER).user
    person = allocate(ClientFactory(locality=canterbury), team, worker=pat).client
    draft = assessments.assessment_create(user=pat, client=person, kind="needs")

    sign_in(page, live_server.url, "pat", PASSWORD)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/about/")
    page.get_by_label("What is working well").fill("Her neighbour checks on her daily")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved automatically", timeout=10_000)
    assert Assessment.objects.get().answers["what_is_working"] == "Her neighbour checks on her daily"
    assert_accessible(page)

    current = Assessment.objects.get()
    assessments.assessment_save_draft(user=colleague, assessment=current, expected_version=current.version,
                                      answers={"what_is_working": "Cara's version"})
    page.get_by_label("What is working well").fill("Pat's newer words")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Not saved automatically: Cara Colleague saved",
                                                                   timeout=10_000)
    expect(page.get_by_label("What is working well")).to_have_value("Pat's newer words")
    assert Assessment.objects.get().answers["what_is_working"] == "Cara's version"
    page.get_by_role("button", name="Save draft").click()  # an explicit save shows both versions
    expect(page.get_by_test_id("their-version")).to_contain_text("Cara's version")
    expect(page.get_by_label("What is working well")).to_have_value("Pat's newer words")
    assert_accessible(page)


def test_an_answer_typed_just_before_following_a_link_is_saved_and_the_draft_reopens_there(live_server, page,
                                                                                          e2e_roles, settings):
    settings.ASCM_AUTOSAVE_SECONDS = 600  # the background save never comes: only leaving the page saves
    canterbury = LocalityFactory(name="Canterbury")
    team = TeamFactory(name="Canterbury Promoting Independence", locality=canterbury)
    pat = member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), team, roles.PRACTITIONER).user
    person = allocate(ClientFactory(locality=canterbury), team, worker=pat).client
    draft = assessments.assessment_create(user=pat, client=person, kind="needs")

    sign_in(page, live_server.url, "pat", PASSWORD)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/eligibility/")
    page.locator("textarea").first.fill("Typed a moment before leaving")
    page.get_by_role("link", name="Your work").click()
    expect(page.get_by_test_id("drafts")).to_be_visible()
    answers = Assessment.objects.get().answers
    assert "Typed a moment before leaving" in answers.values()
    page.get_by_test_id("drafts").get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{draft.pk}/eligibility/")  # where it was left
