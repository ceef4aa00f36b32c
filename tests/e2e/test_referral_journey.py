"""A triage practitioner takes a phone referral and sees it routed; a manager allocates it; the
practitioner sees the person in their caseload."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.accounts import roles
from ascm.organisation.models import TeamType
from pathways.referrals.defaults import routing_defaults_ensure
from tests.clients.factories import ClientFactory
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_phone_referral_is_routed_allocated_and_joins_the_caseload(live_server, page, e2e_roles):
    routing_defaults_ensure()
    canterbury = LocalityFactory(name="Canterbury")
    triage = TeamFactory(name="Canterbury Integrated Triage", team_type=TeamType.INTEGRATED_TRIAGE, locality=canterbury)
    enablement = TeamFactory(name="Canterbury Promoting Independence", team_type=TeamType.PROMOTING_INDEPENDENCE,
                             locality=canterbury)
    member(UserFactory(username="tariq", first_name="Tariq", last_name="Triage"), triage, roles.PRACTITIONER)
    member(UserFactory(username="morgan", first_name="Morgan", last_name="Manager"), enablement, roles.TEAM_MANAGER)
    member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), enablement, roles.PRACTITIONER)
    ClientFactory(given_name="Joan", family_name="Fletcher", date_of_birth=datetime.date(1944, 2, 1), locality=canterbury)
    base = live_server.url

    # The triage practitioner finds the person and takes the referral from the phone call.
    sign_in(page, base, "tariq", PASSWORD)
    page.get_by_label("Find a person by name or NHS number").fill("Joan Fletcher")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("link", name="Ask for access").click()
    page.get_by_label("Why do you need to see this record?").fill("Taking a referral by phone from her daughter")
    page.get_by_role("button", name="Open the record").click()
    page.get_by_role("link", name="Make a referral").click()
    page.get_by_label("Family or friend").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the person making the referral")
    assert_accessible(page)
    page.get_by_label("Referrer's name").fill("Her daughter")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What the person says they need, in their words").fill("I want to get home and manage again")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Soon").check()
    page.get_by_role("checkbox", name="Hospital discharge").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Ward (hospital discharge)").fill("Ward 7")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_test_id("check-answers")).to_contain_text("I want to get home and manage again")
    assert_accessible(page)
    page.get_by_role("button", name="Take referral").click()
    expect(page.get_by_test_id("routing-reason")).to_have_text(
        "Rule 4: hospital discharge and age 65+ → Promoting Independence")
    expect(page.get_by_test_id("referral-summary")).to_contain_text("Canterbury Promoting Independence")
    assert_accessible(page)
    page.context.clear_cookies()

    # The manager sees it in the task inbox and allocates it.
    sign_in(page, base, "morgan", PASSWORD)
    page.get_by_test_id("inbox").click()
    assert_accessible(page)
    page.get_by_role("link", name="Referral for Joan Fletcher routed to Canterbury Promoting Independence").click()
    page.get_by_label("Allocate to").select_option(label="Pat Practitioner")
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Allocated")
    assert_accessible(page)
    page.goto(f"{base}/referrals/teams/{enablement.pk}/")
    expect(page.get_by_test_id("team-queue")).to_contain_text("No referrals are waiting")
    assert_accessible(page)
    page.context.clear_cookies()

    # The practitioner sees the person in their caseload.
    sign_in(page, base, "pat", PASSWORD)
    expect(page.get_by_test_id("caseload")).to_contain_text("Joan Fletcher")
    expect(page.get_by_test_id("inbox")).to_contain_text("2 unread")  # routed to the team, allocated to Pat
    assert_accessible(page)
