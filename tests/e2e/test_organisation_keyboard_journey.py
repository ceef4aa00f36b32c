"""An administrator, from `make run`'s demo data and with the keyboard alone, creates a team, adds two
members, gives one a new role and ends the other's membership; every page, error states included,
passes axe-core. Then the wide tables stay inside their own region on a 375 px screen."""

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from ascm.organisation.models import Team

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]

_FOCUSED = r"""() => {
  const e = document.activeElement;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : (e.getAttribute('aria-label') || '');
  const style = getComputedStyle(e);
  return {text: (e.textContent || e.value || '').replace(/\s+/g, ' ').trim(), label: label.trim(), tag: e.tagName,
          visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
}"""


def tab_to(page, text: str, *, backwards: bool = False, limit: int = 250) -> None:
    """Press Tab until the element whose text or label starts with `text` has the focus, and check
    the focus can be seen."""
    page.wait_for_load_state()
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(_FOCUSED)
        if focused["text"].startswith(text) or focused["label"].startswith(text):
            assert focused["visible"], f"the focus on {text!r} cannot be seen"
            return
    raise AssertionError(f"Tab never reached {text!r}")


def press_enter(page) -> None:
    """Enter on the focused link or button, which loads the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page, label: str, value: str) -> None:
    tab_to(page, label)
    page.keyboard.type(value)


def choose(page, label: str, option: str) -> None:
    """A select, with the keyboard: the arrow keys move through its options."""
    tab_to(page, label)
    checked = page.locator("select:focus option:checked")
    for _ in range(60):
        if (checked.text_content() or "").strip().startswith(option):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option!r} is not among the choices for {label!r}")


def test_administrator_sets_up_a_team_and_its_members_with_the_keyboard(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    expect(page.get_by_test_id("user-name")).to_have_text("Ada Admin")
    tab_to(page, "Organisation")
    press_enter(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    assert_accessible(page)
    tab_to(page, "Create a team")
    press_enter(page)

    # A team with no locality is refused, with what was typed kept.
    fill(page, "Team name", "Canterbury Keyboard Team")
    choose(page, "Team type", "Supporting Independence")
    tab_to(page, "Create team")
    press_enter(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the team's locality")
    expect(page.get_by_label("Team name")).to_have_value("Canterbury Keyboard Team")
    assert_accessible(page)
    choose(page, "Locality", "Canterbury")
    tab_to(page, "Create team")
    press_enter(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Canterbury Keyboard Team")
    team = Team.objects.get(name="Canterbury Keyboard Team")
    assert_accessible(page)

    # Two members: a mistake first (nobody by that name), then Pat and Tariq.
    for person, role in (("not-a-user", "Practitioner"), ("practitioner", "Practitioner"), ("triage", "Practitioner")):
        tab_to(page, "Add a member")
        press_enter(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a member")
        fill(page, "Username or email address", person)
        choose(page, "Role in the team", role)
        tab_to(page, "Add to the team")
        press_enter(page)
        if person == "not-a-user":
            summary = page.locator(".govuk-error-summary")
            expect(summary).to_contain_text("No one who can sign in has that username or email address")
            expect(summary).to_be_focused()  # GOV.UK Frontend moves the focus to the summary
            assert_accessible(page)
            tab_to(page, "Back to Canterbury Keyboard Team", backwards=True)
            press_enter(page)
            continue
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"added to {team.name}")
    members = page.get_by_test_id("members")
    expect(members).to_contain_text("Pat Practitioner")
    expect(members).to_contain_text("Tariq Triage")
    assert_accessible(page)

    # Pat becomes the team's manager.
    tab_to(page, "Change role of Pat Practitioner")
    press_enter(page)
    choose(page, "New role in the team", "Team manager")
    fill(page, "Reason for the change", "Acting manager while recruiting")
    tab_to(page, "Change role")
    press_enter(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Pat Practitioner is now Team manager")
    expect(members.get_by_role("row", name="Pat Practitioner")).to_contain_text("Team manager")

    # Tariq's membership ends; a reason is needed first.
    tab_to(page, "End membership of Tariq Triage")
    press_enter(page)
    tab_to(page, "End membership")
    press_enter(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why their membership is ending")
    assert_accessible(page)
    fill(page, "Reason", "Moved to the Thanet team")
    tab_to(page, "End membership")
    press_enter(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Tariq Triage's membership")
    expect(members).not_to_contain_text("Tariq Triage")
    past = page.get_by_test_id("past-members")
    expect(past).to_contain_text("Moved to the Thanet team")
    expect(past).to_contain_text("Role changed to Team manager: Acting manager while recruiting")
    assert_accessible(page)


def _no_page_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} px wide in a {width[1]} px window"


@pytest.mark.parametrize("who,path,what", [
    ("practitioner", "/people/?q=Fletcher", "search results"),
    ("manager", "/mdt/caseload/", "caseload review"),
    ("auditor", "/audit/", "audit log"),
    ("admin", "/organisation/teams/", "team list"),
])
def test_wide_tables_scroll_inside_their_region_on_a_small_screen(live_server, browser, e2e_roles, who, path, what):
    demo_load()
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, who, demo_password())
    page.goto(f"{live_server.url}{path}")
    expect(page.locator("table").first).to_be_visible()
    _no_page_scroll(page)
    assert_accessible(page)
    context.close()


def test_administrator_manages_accounts_in_the_organisation_area(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    assert_accessible(page)
    page.get_by_label("Name, username or email address").fill("Pat")
    page.get_by_role("button", name="Find users").click()
    expect(page.get_by_test_id("users")).to_contain_text("Canterbury Promoting Independence (practitioner)")

    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_role("button", name="Create the account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter their last name")
    expect(page.get_by_label("First name")).to_have_value("Nia")
    assert_accessible(page)
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("New password", exact=True).fill("a-long-synthetic-passphrase")
    page.get_by_label("The new password again").fill("a-long-synthetic-passphrase")
    page.get_by_label("Read-only auditor").check()
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nia Newcomer")
    expect(page.get_by_test_id("direct-roles")).to_have_text("Read-only auditor")
    assert_accessible(page)

    # The only administrator cannot deactivate themselves.
    page.goto(f"{base}/organisation/users/")
    page.get_by_test_id("users").get_by_role("link", name="Ada Admin").click()
    page.get_by_role("link", name="Deactivate Ada Admin").click()
    page.get_by_label("Why can they no longer sign in?").fill("Trying it")
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("only active administrator")
    expect(page.get_by_label("Why can they no longer sign in?")).to_have_value("Trying it")
    assert_accessible(page)

    page.goto(f"{base}/organisation/users/?q=nia")
    page.get_by_test_id("users").get_by_role("link", name="Nia Newcomer").click()
    page.get_by_role("link", name="Deactivate Nia Newcomer").click()
    page.get_by_label("Why can they no longer sign in?").fill("Account made by mistake")
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Account made by mistake")
    assert_accessible(page)


def test_administrator_reads_the_roles_and_creates_one(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Roles", exact=True).click()
    expect(page.get_by_test_id("role-practitioner")).to_contain_text("People allocated to their teams")
    page.get_by_test_id("role-practitioner").get_by_text("What Practitioner may do").click()
    expect(page.get_by_test_id("role-practitioner")).to_contain_text("People's records")
    assert_accessible(page)
    page.get_by_role("button", name="Create a role").click()
    page.get_by_label("Role name").fill("Occupational therapist")
    page.get_by_role("button", name="Save the role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one thing this role may do")
    expect(page.get_by_label("Role name")).to_have_value("Occupational therapist")
    assert_accessible(page)
    page.get_by_label("View clients").check()
    page.get_by_role("button", name="Save the role").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Role ‘Occupational therapist’ saved")
    expect(page.get_by_test_id("role-occupational-therapist")).to_contain_text("Through a team membership")
    assert_accessible(page)


def test_administrator_sets_a_routing_rule_and_tries_it(live_server, page, e2e_roles):
    demo_load()
    base = live_server.url
    sign_in(page, base, "admin", demo_password())
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Organisation").click()
    page.get_by_role("link", name="Routing rules (with the rule tester)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Routing rules")
    assert_accessible(page)
    page.get_by_role("button", name="Add a rule").click()
    page.get_by_label("Rule name").fill("Deafblind adults")
    page.get_by_label("Youngest age").fill("eighteen")
    page.get_by_label("Sensory loss").check()
    page.get_by_role("button", name="Save the rule").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the team type it goes to")
    expect(summary).to_contain_text("Enter the youngest age as a whole number")
    expect(page.get_by_label("Rule name")).to_have_value("Deafblind adults")
    expect(page.get_by_label("Sensory loss")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Youngest age").fill("18")
    page.get_by_label("Send the referral to the locality's").select_option(label="Autism and Sensory")
    page.get_by_label("On the pathway").select_option(index=1)
    page.get_by_role("button", name="Save the rule").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Rule ‘Deafblind adults’ saved")
    rules = page.get_by_test_id("rules")
    expect(rules).to_contain_text("Deafblind adults")
    page.get_by_role("button", name="Move up rule Deafblind adults").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("moved up")
    assert_accessible(page)

    page.get_by_label("Age (optional)").fill("40")
    page.locator("#tester").get_by_label("Sensory loss").check()
    page.get_by_label("Locality").select_option(label="Canterbury")
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_test_id("tester-result")).to_be_visible()
    assert_accessible(page)
