"""Safeguarding as the team works it, from `make run`'s demo data: triage takes a referral with a
safeguarding flag; the concern is in the safeguarding lead's queue; the lead makes the s42 decision
(a mistake first) and gives a named person access; the person's practitioner sees only the flag and
whom to contact on the record, and raises a concern of their own."""

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from pathways.referrals.defaults import routing_defaults_ensure

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_a_flagged_referral_becomes_a_concern_the_lead_decides(live_server, page, e2e_roles):
    routing_defaults_ensure()
    demo_load()
    base, password = live_server.url, demo_password()

    sign_in(page, base, "triage", password)
    page.goto(f"{base}/people/?q=Oduya")
    page.get_by_role("link", name="Make a referral").click()
    page.get_by_label("Police").check()
    page.get_by_label("Referrer's name").fill("PC Synthetic")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What the referrer says the person needs").fill("Found at night with no heating; a lodger takes his money")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Urgent").check()
    page.get_by_role("checkbox", name="Safeguarding concern").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Take referral").click()
    expect(page.get_by_test_id("referral-summary")).to_contain_text("Safeguarding")
    page.locator(".ascm-header__signout-button").click()

    sign_in(page, base, "safeguarding", password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Safeguarding").click()
    queue = page.get_by_test_id("safeguarding-queue")
    expect(queue).to_contain_text("Graham Oduya")
    expect(queue).to_contain_text("PC Synthetic")
    assert_accessible(page)
    queue.get_by_role("row").filter(has_text="Graham Oduya").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Awaiting the s42 decision")
    expect(page.get_by_text("a lodger takes his money")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Make the section 42 decision").click()
    page.get_by_role("group", name="Does the person have needs for care and support?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give your reasoning")
    expect(summary).to_contain_text("Say whether the person is experiencing, or at risk of, abuse or neglect")
    expect(page.get_by_role("group", name="Does the person have needs for care and support?").get_by_label("Yes")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Your reasoning").nth(0).fill("Mental health needs; support from the community team")
    page.get_by_role("group", name="Are they experiencing, or at risk of, abuse or neglect?").get_by_label("Yes").check()
    page.get_by_label("Your reasoning").nth(1).fill("Financial abuse by a lodger is alleged")
    page.get_by_role("group", name="As a result of those needs, are they unable to protect themselves?").get_by_label("Yes").check()
    page.get_by_label("Your reasoning").nth(2).fill("He says he cannot refuse the lodger")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Decision recorded for Graham Oduya")
    expect(page.get_by_text("Section 42 enquiry, by")).to_be_visible()

    page.get_by_label("Person to give access to").select_option(label="Pat Practitioner (practitioner)")
    page.get_by_role("button", name="Give access").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason this person needs to see the concern")
    assert_accessible(page)
    page.get_by_label("Why they need to see this concern").fill("Allocated worker: joint visit planned")
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_role("cell", name="Allocated worker: joint visit planned")).to_be_visible()
    assert_accessible(page)
    page.locator(".ascm-header__signout-button").click()

    # The practitioner sees the flag and whom to contact on a record, never the detail; and raises one.
    sign_in(page, base, "practitioner", password)
    page.goto(f"{base}/people/?q=Pennington")
    page.get_by_role("link", name="Open record").click()
    expect(page.get_by_text("Safeguarding: open concern")).to_be_visible()
    expect(page.get_by_text("taking money from his wallet")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Raise a safeguarding concern").click()
    page.get_by_label("What happened, or what is feared").fill("His daughter says the lodger is back (synthetic)")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why consent was not sought")
    expect(page.get_by_label("What happened, or what is feared")).to_have_value("His daughter says the lodger is back (synthetic)")
    assert_accessible(page)
    page.get_by_label("Why not, or why the concern goes ahead without it").fill("He was not at home; others may be at risk")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The concern has gone to the safeguarding team")


def test_the_administrator_sets_the_decision_target(live_server, page, e2e_roles):
    demo_load()
    sign_in(page, live_server.url, "admin", demo_password())
    page.goto(f"{live_server.url}/safeguarding/decision-targets/")
    expect(page.get_by_text("None set: the default of 2 working days applies.")).to_be_visible()
    page.get_by_label("Working days from receipt").fill("0")
    page.get_by_role("button", name="Save the target").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number of working days from 1 to 60")
    assert_accessible(page)
    page.get_by_label("Working days from receipt").fill("3")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("button", name="Save the target").click()
    expect(page.get_by_role("cell", name="1 April 2026")).to_be_visible()
    assert_accessible(page)
