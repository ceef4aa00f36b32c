"""A practitioner opens an allocated referral, starts a Promoting Independence episode, completes and
submits a needs assessment; the manager signs it off; the practitioner writes the support plan."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.accounts import roles
from ascm.organisation.models import TeamType
from pathways.care.eligibility import ADULT_OUTCOMES
from pathways.referrals import services
from pathways.referrals.defaults import routing_defaults_ensure
from pathways.referrals.models import Referral
from tests.clients.factories import ClientFactory
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_referral_to_episode_to_signed_off_assessment_to_plan(live_server, page, e2e_roles):
    routing_defaults_ensure()
    canterbury = LocalityFactory(name="Canterbury")
    TeamFactory(name="Canterbury Integrated Triage", team_type=TeamType.INTEGRATED_TRIAGE, locality=canterbury)
    enablement = TeamFactory(name="Canterbury Promoting Independence", team_type=TeamType.PROMOTING_INDEPENDENCE,
                             locality=canterbury)
    manager = member(UserFactory(username="morgan", first_name="Morgan", last_name="Manager"), enablement,
                     roles.TEAM_MANAGER).user
    pat = member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), enablement,
                 roles.PRACTITIONER).user
    person = ClientFactory(given_name="Joan", family_name="Fletcher", date_of_birth=datetime.date(1944, 2, 1),
                           locality=canterbury)
    referral = services.referral_create(user=manager, client=person, locality=canterbury, source="hospital",
                                        referrer_name="Ward sister", urgency="soon", hospital_discharge=True,
                                        ward="Ward 7")
    referral.refresh_from_db()
    assert referral.team == enablement
    services.referral_allocate(user=manager, referral=referral, worker=pat)
    base = live_server.url

    # The practitioner opens the allocated referral and starts a Promoting Independence episode.
    sign_in(page, base, "pat", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your work").click()
    expect(page.get_by_test_id("work-caseload")).to_contain_text("Joan Fletcher")
    assert_accessible(page)
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.get_by_role("link", name="Start a pathway episode").click()
    page.get_by_label("Pathway").select_option(label="Promoting Independence")
    page.get_by_role("button", name="Start episode").click()
    expect(page.get_by_test_id("pathway-journey")).to_contain_text("Promoting Independence")
    assert Referral.objects.get().status == Referral.Status.CLOSED

    # ...and completes the needs assessment, one section at a time.
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Care Act needs assessment").check()
    assert_accessible(page)
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_label("What matters to the person").fill("Getting back to her allotment")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs against the specified outcomes")
    for code, label in ADULT_OUTCOMES.items():
        group = page.get_by_role("group", name=label, exact=True)
        if code in ("nutrition", "personal_hygiene"):
            group.get_by_label("Yes, unable to achieve it").check()
            group.get_by_label("Unable to achieve it without assistance (including prompting)").check()
        else:
            group.get_by_label("No, able to achieve it").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("group", name="Do the needs arise from or relate to a physical or mental impairment or illness?") \
        .get_by_label("Yes").check()
    page.get_by_role("group", name="Is there, or is there likely to be, a significant impact on the person's wellbeing?") \
        .get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_test_id("determination")).to_contain_text("Eligible needs")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say whether you agree with the determination")
    assert_accessible(page)
    page.get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_test_id("status")).to_have_text("Waiting for sign-off")
    assert_accessible(page)
    page.context.clear_cookies()

    # The manager signs it off from their work page.
    sign_in(page, base, "morgan", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your work").click()
    page.get_by_test_id("signoffs").get_by_role("link", name="Care Act needs assessment for Joan Fletcher").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_test_id("status")).to_have_text("Signed off")
    page.context.clear_cookies()

    # The practitioner writes the care and support plan.
    sign_in(page, base, "pat", PASSWORD)
    page.goto(f"{base}/people/{person.pk}/")
    page.get_by_test_id("assessments").get_by_role("link", name="Care Act needs assessment").click()
    page.get_by_role("link", name="Write the care and support plan").click()
    page.get_by_label("Outcome 1: what the person wants to achieve").fill("Cook a hot meal again")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how outcome 1 will be met")
    expect(page.get_by_label("Outcome 1: what the person wants to achieve")).to_have_value("Cook a hot meal again")
    assert_accessible(page)
    page.get_by_label("Outcome 1: how it will be met").select_option(label="Commissioned services")
    page.get_by_label("Outcome 1: who does what, and when").fill("Enablement worker at lunchtime, six weeks")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_test_id("plan-outcomes")).to_contain_text("Cook a hot meal again")
    assert_accessible(page)
    # The personal budget is finance's, set from the plan's page.
    page.get_by_role("link", name="Set the personal budget").click()
    page.get_by_label("Personal budget agreed with the person, per week").fill("95")
    page.get_by_label("Why it differs from the indicative amount").fill("Enablement first; reviewed at six weeks")
    page.get_by_role("button", name="Save the personal budget").click()
    expect(page.get_by_test_id("plan-personal-budget")).to_contain_text("£95.00 a week")
    page.get_by_role("link", name="A copy for Joan Fletcher to keep (printable)").click()
    expect(page.get_by_test_id("plan-copy")).to_contain_text("£95.00 a week")
    assert_accessible(page)
    assert manager.pk != pat.pk
