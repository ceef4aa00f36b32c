"""axe-core over the care and MDT pages the journeys do not pass through, with and without errors."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ascm.accounts import roles
from mdt import services
from pathways.care import assessments, plans
from tests.clients.factories import ClientFactory, allocate
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member
from tests.mdt.factories import practice

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_care_and_mdt_pages_have_no_accessibility_violations(live_server, page, e2e_roles):
    canterbury = LocalityFactory(name="Canterbury")
    team = TeamFactory(name="Canterbury Supporting Independence", locality=canterbury)
    pat = member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), team, roles.PRACTITIONER).user
    member(UserFactory(username="morgan", first_name="Morgan", last_name="Manager"), team, roles.TEAM_MANAGER)
    person = allocate(ClientFactory(given_name="Joan", family_name="Fletcher", locality=canterbury), team, worker=pat).client
    plan = plans.plan_create(user=pat, client=person, outcomes=[{"outcome": "Garden again", "met_by": "network"}],
                             starts_on=timezone.localdate() - datetime.timedelta(weeks=12))
    carer = assessments.assessment_create(user=pat, client=person, kind="carer", carer_name="Her husband")
    practice(canterbury, name="Westgate Surgery")
    services.meeting_schedule(user=pat, locality=canterbury, title="City MDT", gp_practice=canterbury.gp_practices.get(),
                              starts_at=timezone.now() + datetime.timedelta(days=3))
    base = live_server.url

    sign_in(page, base, "pat", PASSWORD)
    for section in ("about", "outcomes", "eligibility"):
        page.goto(f"{base}/assessments/{carer.pk}/{section}/")
        assert_accessible(page)
    page.goto(f"{base}/assessments/{carer.pk}/print/")
    expect(page.get_by_test_id("assessment-copy")).to_contain_text("Her husband")
    assert_accessible(page)
    page.goto(f"{base}/assessments/{carer.pk}/check/")
    expect(page.get_by_test_id("missing-answers")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/reviews/{plan.reviews.get().pk}/")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what has changed")
    assert_accessible(page)
    page.goto(f"{base}/plans/new/{person.pk}/")
    assert_accessible(page)
    page.goto(f"{base}/mdt/new/")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the meeting")
    assert_accessible(page)
    page.context.clear_cookies()

    sign_in(page, base, "morgan", PASSWORD)
    for path in ("/work/", "/work/overdue-reviews/", "/mdt/caseload/", f"/mdt/caseload/{pat.pk}/reviews_overdue/",
                 "/mdt/localities/"):
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
