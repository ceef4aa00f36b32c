"""Hospital discharge from `make run`'s demo data, as the people who do it: triage takes a
hospital-discharge referral; the practitioner picks it up, starts the discharge record, sets the
discharge ready date (a mistake first) and corrects it; the person shows delayed on the tracking
list; the alert reaches her and, past the next threshold, the team manager; the discharge on
pathway 1 home with Kent Enablement at Home starts a Promoting Independence episode on her work."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from pathways.referrals.defaults import routing_defaults_ensure

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def _date(page, group, day: datetime.date):
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_a_discharge_referral_becomes_a_tracked_delay_with_alerts_and_ends_in_enablement(live_server, page, e2e_roles):
    routing_defaults_ensure()
    demo_load()
    base, password = live_server.url, demo_password()
    today = datetime.date.today()
    born = today.replace(year=today.year - 84)

    sign_in(page, base, "triage", password)
    page.get_by_label("Find a person by name or NHS number").fill("Iris Synthetica")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("link", name="Record a new person").click()
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("Postcode").fill("CT1 2AB")
    page.get_by_role("button", name="Save person").click()
    page.get_by_role("link", name="Make a referral").click()
    page.get_by_label("Hospital").first.check()
    page.get_by_label("Referrer's name").fill("Discharge hub nurse")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What the referrer says the person needs").fill("Ready soon; needs help at home to start with")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("checkbox", name="Hospital discharge").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Ward (hospital discharge)").fill("Ward 7")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Take referral").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("In the team's queue")
    referral_url = page.url
    page.get_by_role("button", name="Sign out").first.click()

    sign_in(page, base, "practitioner", password)
    page.goto(referral_url)
    page.get_by_role("button", name="Pick up this referral").click()
    page.get_by_role("link", name="Start the discharge record").click()
    assert_accessible(page)
    page.get_by_label("Hospital", exact=True).select_option(label="Stour Valley Hospital")
    page.get_by_label("Ward").select_option(label="Stour Valley Hospital: Ward 7")
    _date(page, "Date of admission", today - datetime.timedelta(days=12))
    page.get_by_role("button", name="Start the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Iris Synthetica")
    assert_accessible(page)

    # The ward round says she is ready: a reason but no date first, then the date.
    page.get_by_label("Why the ready date is set, changed or reset").fill("Medically optimised at the ward round")
    page.get_by_role("button", name="Save the ready date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the discharge ready date")
    expect(page.get_by_label("Why the ready date is set, changed or reset")).to_have_value("Medically optimised at the ward round")
    assert_accessible(page)
    _date(page, "Discharge ready date", today - datetime.timedelta(days=1))
    page.get_by_role("button", name="Save the ready date").click()
    expect(page.get_by_test_id("delayed-days")).to_contain_text("1 delayed day")

    page.get_by_role("link", name="Patient tracking list").click()
    row = page.get_by_test_id("tracking-list").get_by_role("row").filter(has_text="Iris Synthetica")
    expect(row).to_contain_text("1")
    expect(row).to_contain_text("Worker and team told")
    assert_accessible(page)
    page.get_by_test_id("inbox").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Iris Synthetica: 1 delayed day in hospital")

    # The date was wrong: ready since four days ago. Past three days, the team manager is told.
    page.goto(base + "/discharges/")
    row.get_by_role("link", name="Iris Synthetica").click()
    _date(page, "Discharge ready date", today - datetime.timedelta(days=4))
    page.get_by_label("Why the ready date is set, changed or reset").fill("Corrected: ready since Friday's ward round")
    page.get_by_role("button", name="Save the ready date").click()
    expect(page.get_by_test_id("delayed-days")).to_contain_text("4 delayed days")
    expect(page.get_by_test_id("ready-date-history")).to_contain_text("Corrected: ready since Friday's ward round")
    record_url = page.url
    page.get_by_role("button", name="Sign out").first.click()

    sign_in(page, base, "manager", password)
    page.get_by_test_id("inbox").click()
    expect(page.get_by_test_id("notifications")).to_contain_text("Iris Synthetica: 4 delayed days in hospital")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").first.click()

    # Home first: pathway 1 with Kent Enablement at Home.
    sign_in(page, base, "practitioner", password)
    page.goto(record_url)
    page.get_by_label("Pathway 1: home with support").check()
    page.get_by_role("button", name="Save the pathway").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Discharge pathway updated")
    _date(page, "Date of discharge", today)
    page.get_by_label("Home, with Kent Enablement at Home").check()
    page.get_by_role("button", name="Record the discharge").click()
    expect(page.get_by_test_id("discharge-summary")).to_contain_text("Home, with Kent Enablement at Home")
    assert_accessible(page)
    page.goto(base + "/work/")
    expect(page.locator("main")).to_contain_text("Iris Synthetica")
    page.goto(base + "/discharges/summary/")
    expect(page.get_by_test_id("summary-headlines")).to_be_visible()
    assert_accessible(page)


def test_the_administrator_sets_the_alert_rules_and_the_morning_time(live_server, page, e2e_roles):
    demo_load()
    base, password = live_server.url, demo_password()
    sign_in(page, base, "admin", password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Delayed discharge alerts").click()
    expect(page.get_by_test_id("alert-rules")).to_contain_text("Delayed 3 days: the team manager")
    assert_accessible(page)
    page.get_by_label("Name").fill("Pathway 3 delays: the locality")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the delayed days, from 1 to 365")
    expect(page.get_by_label("Name")).to_have_value("Pathway 3 delays: the locality")
    assert_accessible(page)
    page.get_by_label("Delayed days").fill("2")
    page.get_by_label("Managers across the locality (head of service)").check()
    page.get_by_label("Pathway (optional)").select_option(label="Pathway 3: a care home (likely permanent)")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.get_by_test_id("alert-rules")).to_contain_text("Pathway 3 delays: the locality")
    page.get_by_label("Hour (0 to 23)").fill("6")
    page.get_by_label("Minute (0 to 59)").fill("45")
    page.get_by_role("button", name="Change the time").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The morning alerts' time is changed")
    expect(page.get_by_label("Hour (0 to 23)")).to_have_value("6")
    assert_accessible(page)
