"""Statutory returns and the performance dashboard from `make run`'s demo data, as the people who use
them: the returns officer makes last quarter's Client Level Data file, reads its validation report,
puts a person's details right from it and makes the file again; the team manager reads the
dashboard, picks a period (a wrong one first) and opens the list behind a figure. axe on every page,
the charts included."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_the_quarters_file_its_validation_report_a_fix_and_the_file_again(live_server, page, e2e_roles):
    from ascm.core.years import financial_year, year_label
    from clients.returns import quarter_bounds, quarter_of

    demo_load()
    base, password = live_server.url, demo_password()
    today = timezone.localdate()
    this_start, _ = quarter_bounds(financial_year(today), quarter_of(today))
    last_end = this_start - timezone.timedelta(days=1)
    sign_in(page, base, "returns", password)
    page.get_by_role("link", name="Statutory returns").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Make the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the quarter")
    assert_accessible(page)
    page.get_by_label("Financial year").select_option(label=year_label(financial_year(last_end)))
    page.get_by_label(re.compile(f"^Quarter {quarter_of(last_end)}:")).check()
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_test_id("return-status")).to_have_text("Made")
    expect(page.get_by_test_id("return-rows")).to_have_text("4")
    expect(page.get_by_test_id("problem-groups")).to_contain_text("No ethnicity")
    assert_accessible(page)
    first_checksum = page.get_by_test_id("return-sha256").inner_text()
    page.get_by_role("link", name="No ethnicity").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Change their details for LREQ0000001")).click()
    page.get_by_label("Ethnicity").select_option(label="White – British")
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("link", name="Statutory returns").first.click()
    page.get_by_label("Financial year").select_option(label=year_label(financial_year(last_end)))
    page.get_by_label(re.compile(f"^Quarter {quarter_of(last_end)}:")).check()
    page.get_by_role("button", name="Make the file").click()
    expect(page.get_by_test_id("return-status")).to_have_text("Made")
    expect(page.get_by_test_id("problem-groups")).to_contain_text("No ethnicity")
    groups = page.get_by_test_id("problem-groups").inner_text()
    assert re.search(r"No ethnicity\s+2", groups), groups  # Joan's two rows are put right; Graham's remain
    assert page.get_by_test_id("return-sha256").inner_text() != first_checksum
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file (CSV)").click()
    assert "White: English, Welsh, Scottish, Northern Irish or British" in open(download.value.path()).read()

    # The old SALT tables from the file's rows: a figure and the list behind it agree.
    page.get_by_test_id("return-tables-link").click()
    expect(page.get_by_test_id("table-STS001")).to_contain_text("Nothing followed within 28 days")
    assert_accessible(page)
    figure = page.get_by_test_id("table-STS001").locator("tbody td a").first
    count = figure.inner_text().split()[0]
    figure.click()
    expect(page.get_by_test_id("entries-count")).to_have_text(f"{count} requests.")
    expect(page.get_by_test_id("table-entries").locator("tbody tr")).to_have_count(int(count))
    assert_accessible(page)


def test_the_returns_officer_reads_the_finance_return_and_the_people_behind_a_figure(live_server, page, e2e_roles):
    from ascm.core.years import financial_year

    demo_load()
    base, password = live_server.url, demo_password()
    sign_in(page, base, "returns", password)
    page.get_by_role("link", name="Finance return").first.click()
    assert_accessible(page)
    page.get_by_label("Financial year").fill(str(financial_year() + 1))
    page.get_by_role("button", name="Show the year").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("has not started yet")
    expect(page.get_by_label("Financial year")).to_have_value(str(financial_year() + 1))
    assert_accessible(page)
    page.get_by_label("Financial year").fill(str(financial_year()))
    page.get_by_role("button", name="Show the year").click()
    # Arthur's home care in the demo pay run: 27 hours at £24.50.
    expect(page.get_by_test_id("asc-fr-totals")).to_contain_text("£661.50")
    expect(page.get_by_test_id("asc-fr-home-care")).to_contain_text("£24.50")
    assert_accessible(page)
    page.get_by_test_id("asc-fr-long-65-and-over").get_by_role("link", name=re.compile("Community: home care")).first.click()
    expect(page.get_by_test_id("asc-fr-people-total")).to_contain_text("1 person: £661.50 gross")
    expect(page.get_by_test_id("asc-fr-people")).to_contain_text("Arthur")
    assert_accessible(page)


def test_the_manager_reads_the_dashboard_picks_a_period_and_opens_a_list(live_server, page, e2e_roles):
    demo_load()
    base, password = live_server.url, demo_password()
    sign_in(page, base, "manager", password)
    page.get_by_role("link", name="Performance").first.click()
    expect(page.get_by_test_id("figure-reviews-overdue")).to_be_visible()
    expect(page.get_by_test_id("trend-referrals-received")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Change whose figures or the period").click()
    fields = page.get_by_role("group", name="From")
    fields.get_by_label("Day").fill("31")
    fields.get_by_label("Month").fill("2")
    fields.get_by_label("Year").fill("2026")
    to = page.get_by_role("group", name="To")
    to.get_by_label("Day").fill("1")
    to.get_by_label("Month").fill("3")
    to.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_role("group", name="From").get_by_label("Day")).to_have_value("31")
    assert_accessible(page)
    page.get_by_role("group", name="From").get_by_label("Day").fill("1")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_test_id("period")).to_contain_text("1 February 2026 to 1 March 2026")
    page.get_by_text("Change whose figures or the period").click()
    page.get_by_role("link", name="This financial year so far").click()
    figure = page.get_by_test_id("figure-reviews-overdue").inner_text()
    page.get_by_role("link", name="Reviews overdue").click()
    expect(page.get_by_test_id("drill-count")).to_contain_text(f": {figure}")
    assert_accessible(page)
