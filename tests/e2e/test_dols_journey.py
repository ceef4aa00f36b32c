"""The DoLS team works an urgent application from `make run`'s demo data: records it (a mistake
first), extends the urgent authorisation once, records the six assessments, and the signatory
authorises it with conditions; the letters print and it appears in the year's return; the person's
record shows only the status and end date. And the DoLS lead works the demo backlog: the dashboard,
a breach drilled down, a withdrawal and a renewal request."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from clients.models import Client

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def _date(page, group, day: datetime.date):
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_an_urgent_application_is_extended_assessed_and_authorised(live_server, page, e2e_roles):
    demo_load()
    base, password = live_server.url, demo_password()
    joan = Client.objects.get(legacy_id="DEMO001")
    today = datetime.date.today()
    sign_in(page, base, "safeguarding", password)
    page.goto(f"{base}/safeguarding/dols/")
    assert_accessible(page)
    page.get_by_role("button", name="Record an application").click()
    page.get_by_label("The person's NHS number").fill(joan.nhs_number)
    page.get_by_label("Managing authority (hospital or care home)").select_option(label="Orchard House")
    page.get_by_label("Urgent authorisation and standard request").check()
    _date(page, "Date received", today)
    page.get_by_label("The care arrangements that may deprive them of liberty").fill("Locked doors; sensor mat at night")
    page.get_by_role("button", name="Record the application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date the managing authority gave the urgent authorisation")
    expect(page.get_by_label("The care arrangements that may deprive them of liberty")).to_have_value("Locked doors; sensor mat at night")
    assert_accessible(page)
    _date(page, "Date the urgent authorisation was given", today)
    page.get_by_role("button", name="Record the application").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DoLS application DL")
    assert_accessible(page)

    page.get_by_label("Extend by (days)").fill("7")
    page.get_by_label("Reason for the extension").fill("Best interests assessor booked")
    page.get_by_role("button", name="Extend it").click()
    expect(page.get_by_text("(extended: Best interests assessor booked)")).to_be_visible()
    expect(page.get_by_role("button", name="Extend it")).to_have_count(0)  # once only

    page.get_by_role("group", name="Is this a deprivation of liberty?").get_by_label("Yes").check()
    page.get_by_label("The reasoning: the factors weighed").fill("Not free to leave; continuous supervision")
    page.get_by_role("group", name="Priority").get_by_label("High").check()
    page.get_by_label("Why this priority").fill("Urgent authorisation in place")
    page.get_by_role("button", name="Save the screening").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Screening and priority recorded")

    for kind in ("Age", "No refusals", "Mental capacity", "Mental health", "Eligibility", "Best interests"):
        page.get_by_text("Allocate or record an assessment").click()
        page.get_by_label("Assessment", exact=True).select_option(label=kind)
        page.get_by_label("Partner assessor's name").fill("Dr A Synthetic" if kind == "Mental health" else "Sam Assessor")
        _date(page, "Completed", today)
        page.get_by_label("Outcome").select_option(label="Requirement met")
        if kind == "Best interests":
            page.get_by_label("Longest authorisation recommended (months)").fill("6")
        page.get_by_role("button", name="Save the assessment").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Assessment recorded")
    assert_accessible(page)

    page.get_by_role("group", name="Decision").get_by_label("Authorise", exact=True).check()
    _date(page, "Starts", today)
    _date(page, "Ends", today + datetime.timedelta(days=250))
    page.get_by_label("Relevant person's representative").fill("Her son")
    page.get_by_label("Unpaid (family or friend)").check()
    page.get_by_label("Conditions").fill("A daily walk in the garden")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("recommends at most 6 months")
    assert_accessible(page)
    _date(page, "Ends", today + datetime.timedelta(days=150))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("dols-authorisation")).to_contain_text("A daily walk in the garden")
    assert_accessible(page)
    reference = page.get_by_role("heading", level=1).inner_text().split()[2]

    page.get_by_role("link", name="Print the decision letter").click()
    expect(page.get_by_test_id("dols-letter")).to_contain_text("A daily walk in the garden")
    expect(page.get_by_test_id("dols-letter")).to_contain_text("Her son")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Print the extension letter").click()
    expect(page.get_by_test_id("dols-letter")).to_contain_text("Best interests assessor booked")
    assert_accessible(page)

    # It appears in this year's return: among those received, and those signed off within the timescale.
    page.goto(f"{base}/safeguarding/dols/")
    page.get_by_role("link", name="Annual DoLS return").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DoLS return")
    assert_accessible(page)
    page.get_by_role("link", name="applications: Received: with an urgent authorisation").click()
    expect(page.get_by_test_id("dols-queue")).to_contain_text(reference)
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="applications: Signed off within the statutory timescale").click()
    expect(page.get_by_test_id("dols-queue")).to_contain_text(reference)
    page.locator(".ascm-header__signout-button").click()

    sign_in(page, base, "practitioner", password)
    page.goto(f"{base}/people/{joan.pk}/")
    expect(page.get_by_test_id("dols-status")).to_contain_text("Authorised")
    expect(page.get_by_text("A daily walk in the garden")).to_have_count(0)
    assert_accessible(page)


def test_the_dols_lead_works_the_backlog(live_server, page, e2e_roles):
    demo_load()
    base, password = live_server.url, demo_password()
    sign_in(page, base, "safeguarding", password)
    page.goto(f"{base}/safeguarding/")
    page.get_by_role("link", name="Deprivation of Liberty Safeguards").click()
    expect(page.get_by_test_id("dols-queue")).to_contain_text("days in breach")
    page.get_by_role("link", name="Backlog dashboard").click()
    expect(page.get_by_test_id("dols-headlines")).to_contain_text("in breach today")
    expect(page.get_by_test_id("dols-ending")).to_contain_text("Maud Thistlewood")
    assert_accessible(page)
    page.get_by_test_id("dols-breaches").get_by_role("link", name="in breach, high").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In breach: high")
    assert_accessible(page)
    page.get_by_test_id("dols-queue").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DoLS application")
    expect(page.locator("main")).to_contain_text("Arthur Pennington")

    # The care home withdraws it: the reason is needed, and what was typed stays.
    page.get_by_text("The managing authority has withdrawn it").click()
    _date(page, "Date withdrawn", datetime.date.today())
    page.get_by_role("button", name="Withdraw the application").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason it was withdrawn")
    assert_accessible(page)
    page.get_by_label("Why it was withdrawn").fill("He has moved to his daughter's home")
    page.get_by_role("button", name="Withdraw the application").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Application withdrawn")
    expect(page.locator("main")).to_contain_text("He has moved to his daughter's home")

    # Maud's authorisation ends within 28 days: the home asks for a renewal.
    page.goto(f"{base}/safeguarding/dols/backlog/")
    page.get_by_test_id("dols-ending").get_by_role("link").first.click()
    _date(page, "Date the renewal request was received", datetime.date.today())
    page.get_by_role("button", name="Record the renewal request").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Renewal request recorded")
    expect(page.locator("main")).to_contain_text("Renewal of")
    assert_accessible(page)
    page.goto(f"{base}/safeguarding/dols/backlog/")
    expect(page.get_by_test_id("dols-ending")).to_contain_text("Requested")
