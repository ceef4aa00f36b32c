"""From `make run`'s demo data, the administrator keeps the registers (GP practices, localities), moves
a team's members after confirming, and sets response targets, caseload weights, pathway settings and
reminder thresholds: every page and error state passes axe-core. Then the pages reflow at 200% zoom."""

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from ascm.organisation.models import GPPractice, TeamMembership

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def _organisation(page, base, link: str):
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name=link, exact=True).click()


def _close_is_refused(page, name: str, noun: str, reason: str):
    """From a record's change page: closing it is refused while it is in use, the reason kept."""
    page.get_by_role("button", name=f"Close {name}").click()
    page.get_by_label("Why is it closing?").fill(reason)
    page.get_by_role("button", name=f"Close {noun}").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("move or close them first")
    expect(page.get_by_label("Why is it closing?")).to_have_value(reason)
    assert_accessible(page)


def test_administrator_keeps_the_gp_practices_and_localities(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    known = GPPractice.objects.filter(locality__name="Canterbury").order_by("ods_code").first()
    sign_in(page, base, "admin", demo_password())
    _organisation(page, base, "GP practices")
    expect(page.get_by_role("heading", level=1)).to_have_text("GP practices")
    assert_accessible(page)
    page.get_by_label("Practice name or ODS code").fill(known.ods_code.lower())
    page.get_by_role("button", name="Search").click()
    table = page.get_by_test_id("register")
    expect(table).to_contain_text(known.name)
    expect(table.locator("tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Add a GP practice").click()
    page.get_by_label("ODS code").fill("g99123")
    page.get_by_label("Practice name").fill("Synthetic Riverside Surgery")
    page.get_by_role("button", name="Add GP practice").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the locality")
    expect(page.get_by_label("Practice name")).to_have_value("Synthetic Riverside Surgery")
    assert_accessible(page)
    page.get_by_label("Locality").select_option(label="Canterbury")
    page.get_by_role("button", name="Add GP practice").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("GP practice ‘Synthetic Riverside Surgery’ added")

    page.get_by_label("Practice name or ODS code").fill("G99123")
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id("register").get_by_role("link", name="Synthetic Riverside Surgery").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close Synthetic Riverside Surgery").click()
    page.get_by_role("button", name="Close GP practice").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why it is closing")
    assert_accessible(page)
    page.get_by_label("Why is it closing?").fill("Merged with a neighbouring practice")
    page.get_by_role("button", name="Close GP practice").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("closed")
    page.get_by_label("Show").select_option(label="Closed")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("register")).to_contain_text("Merged with a neighbouring practice")
    assert_accessible(page)

    # A locality with teams cannot be closed: the reason typed is kept.
    _organisation(page, base, "Localities")
    page.get_by_test_id("register").get_by_role("link", name="Canterbury", exact=True).click()
    _close_is_refused(page, "Canterbury", "locality", "Boundary review")


def test_administrator_moves_a_teams_members_after_confirming(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    _organisation(page, base, "Teams")
    page.get_by_role("link", name="Canterbury Promoting Independence", exact=True).click()
    page.get_by_role("button", name="Move members to another team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move members to another team")
    page.get_by_label("Pat Practitioner").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the team they are moving to")
    expect(page.get_by_label("Pat Practitioner")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Move them to").select_option(label="Canterbury Supporting Independence (Canterbury)")
    page.get_by_label("Reason").fill("Caseloads rebalanced")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move 1 member to Canterbury Supporting Independence?")
    expect(page.get_by_test_id("moving")).to_contain_text("Pat Practitioner")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the move").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 member moved to Canterbury Supporting Independence")
    expect(page.get_by_test_id("members")).to_contain_text("Pat Practitioner")
    assert TeamMembership.objects.get(user__username="practitioner", team__name="Canterbury Promoting Independence",
                                      ended_on__isnull=False).end_reason.endswith("Caseloads rebalanced")

    # The team it left still has members and people: closing it is refused, the reason kept.
    page.goto(f"{base}/organisation/teams/")
    page.get_by_role("link", name="Canterbury Promoting Independence", exact=True).click()
    page.get_by_role("link", name="Change team details").click()
    _close_is_refused(page, "Canterbury Promoting Independence", "team", "Merged")


def test_administrator_sets_targets_weights_and_thresholds(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    _organisation(page, base, "Response targets")
    assert_accessible(page)
    page.get_by_label("Urgent referrals").fill("100")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Soon referrals cannot have less time than urgent ones")
    expect(page.get_by_label("Urgent referrals")).to_have_value("100")
    assert_accessible(page)
    page.get_by_label("Urgent referrals").fill("12")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Response targets saved")
    expect(page.get_by_label("Urgent referrals")).to_have_value("12")

    _organisation(page, base, "Caseload weights")
    assert_accessible(page)
    group = page.get_by_role("group", name="Supporting Independence")
    group.get_by_label("Weight", exact=True).fill("2")
    group.get_by_label("Weight of a complex case").fill("1.5")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A complex case must count at least as much")
    assert_accessible(page)
    group.get_by_label("Weight of a complex case").fill("2.5")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Caseload weights saved")

    _organisation(page, base, "Pathway settings (planned episode lengths)")
    assert_accessible(page)
    _organisation(page, base, "Reminder thresholds")
    page.get_by_label("Days before a review is due that its reminder is sent").fill("21")
    page.get_by_role("group", name="Changes apply from").get_by_label("Year").fill("2020")
    page.get_by_role("group", name="Changes apply from").get_by_label("Day").fill("1")
    page.get_by_role("group", name="Changes apply from").get_by_label("Month").fill("1")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be in the past")
    assert_accessible(page)
    for part in ("Day", "Month", "Year"):
        page.get_by_role("group", name="Changes apply from").get_by_label(part).fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reminder thresholds saved")
    expect(page.get_by_test_id("threshold-history")).to_contain_text("Days before a review is due")
    assert_accessible(page)


ZOOMED = {
    "admin": ["/organisation/", "/organisation/gp-practices/", "/mdt/caseload-weights/", "/organisation/users/"],
    "practitioner": ["/", "/people/?q=Fletcher"],
    "manager": ["/mdt/caseload/"],
}


def test_pages_reflow_at_200_percent_zoom(live_server, browser, e2e_roles):
    """200% zoom on a 1280 px screen is a 640 px-wide page at twice the pixel density: nothing may
    need sideways scrolling."""
    demo_load()
    for who, paths in ZOOMED.items():
        context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
        page = context.new_page()
        sign_in(page, live_server.url, who, demo_password())
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{path} scrolls sideways at 200%: {width[0]} px wide in a {width[1]} px window"
            assert_accessible(page)
        context.close()


def test_every_page_linked_from_the_organisation_area_passes_axe(live_server, page, e2e_roles):
    """Every set-up page an administrator reaches from the Organisation area, and each register's
    form in its error state."""
    from ascm.organisation.registers import REGISTERS

    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    page.goto(f"{base}/organisation/")
    hrefs = page.locator("main ul.govuk-list").first.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) >= 20
    for href in hrefs:
        response = page.goto(href)
        assert response.status == 200, href
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    for slug in REGISTERS:
        page.goto(f"{base}/organisation/{slug}/new/")
        page.locator("main form[method=post] button[type=submit]").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)
