"""An administrator sets up a team and a practitioner; the practitioner signs in."""

import pytest
from playwright.sync_api import expect

from ascm.accounts import roles
from ascm.organisation.models import Team
from tests.factories import PASSWORD, LocalityFactory, UserFactory, with_role

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def organisation(e2e_roles):
    LocalityFactory(name="Canterbury")
    LocalityFactory(name="Thanet")
    admin = with_role(UserFactory(username="ada", first_name="Ada", last_name="Admin"), roles.ADMINISTRATOR)
    auditor = with_role(UserFactory(username="ash", first_name="Ash", last_name="Auditor"), roles.AUDITOR)
    return admin, auditor


def test_administrator_creates_a_team_and_a_practitioner_who_then_signs_in(live_server, page, browser, organisation):
    base = live_server.url

    # The sign-in page is the door to everything.
    page.goto(f"{base}/organisation/")
    expect(page).to_have_url(f"{base}/sign-in/?next=/organisation/")
    assert_accessible(page)
    sign_in(page, base, "ada", "wrong password")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username and password")
    assert_accessible(page)

    sign_in(page, base, "ada", PASSWORD)
    expect(page.get_by_test_id("user-name")).to_have_text("Ada Admin")
    expect(page.get_by_test_id("user-role")).to_have_text("Administrator")
    assert_accessible(page)

    # Create a team through the GOV.UK form, making a mistake first.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    assert_accessible(page)
    page.get_by_role("link", name="Create a team").first.click()
    page.get_by_label("Team name").fill("Canterbury Enablement")
    page.get_by_role("button", name="Create team").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the team type")
    expect(summary).to_contain_text("Choose the team's locality")
    expect(page.get_by_label("Team name")).to_have_value("Canterbury Enablement")
    assert_accessible(page)
    summary.get_by_role("link", name="Choose the team type").click()
    expect(page.get_by_label("Team type")).to_be_focused()

    page.get_by_label("Team type").select_option(label="Promoting Independence (enablement)")
    page.get_by_label("Locality").select_option(label="Canterbury")
    page.get_by_role("button", name="Create team").click()
    expect(page.locator("h1")).to_have_text("Canterbury Enablement")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Team ‘Canterbury Enablement’ created")
    assert_accessible(page)
    team = Team.objects.get(name="Canterbury Enablement")

    # Create the practitioner in the administration pages, with a membership of the new team.
    page.goto(f"{base}/admin/accounts/user/add/")
    page.locator("#id_username").fill("priya")
    page.locator("#id_first_name").fill("Priya")
    page.locator("#id_last_name").fill("Practitioner")
    page.locator("#id_password1").fill("a-long-demo-passphrase")
    page.locator("#id_password2").fill("a-long-demo-passphrase")
    page.locator("input[name=_save]").click()
    expect(page.locator("#id_memberships-0-team")).to_be_visible()
    page.locator("#id_memberships-0-team").select_option(label=str(team))
    page.locator("#id_memberships-0-role").select_option(label="Practitioner")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.context.clear_cookies()  # a different person at another computer

    # The practitioner signs in and sees their home page, their role and their team.
    sign_in(page, base, "priya", "a-long-demo-passphrase")
    expect(page.locator("h1")).to_have_text("Hello, Priya")
    expect(page.get_by_test_id("user-role")).to_have_text("Practitioner")
    expect(page.get_by_test_id("home-teams")).to_contain_text("Canterbury Enablement")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    assert_accessible(page)
    page.get_by_test_id("home-teams").get_by_role("link", name="Canterbury Enablement", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("Priya Practitioner")
    assert_accessible(page)


def test_auditor_searches_the_audit_log(live_server, page, organisation):
    base = live_server.url
    Team.objects.create(name="Audited team", team_type="safeguarding", locality=LocalityFactory(name="Dover"))
    sign_in(page, base, "ash", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_test_id("audit-results")).to_contain_text("Audited team")
    assert_accessible(page)
    page.get_by_label("Record ID").fill("999999")
    page.get_by_role("button", name="Search the audit log").click()
    expect(page.get_by_test_id("audit-results")).to_contain_text("No entries match your search")
    assert_accessible(page)
