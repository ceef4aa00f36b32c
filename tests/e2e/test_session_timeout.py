"""The GOV.UK timeout warning appears before the idle limit and keeps the person signed in."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_timeout_warning_offers_to_stay_signed_in(live_server, page, e2e_roles, settings):
    settings.SESSION_COOKIE_AGE = 124  # the warning comes 120 seconds before: after 4 seconds here
    UserFactory(username="pat", first_name="Pat")
    sign_in(page, live_server.url, "pat", PASSWORD)

    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible(timeout=15_000)
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)

    with page.expect_response("**/session/keepalive/") as keepalive:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert keepalive.value.status == 204
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.locator("h1")).to_have_text("Hello, Pat")


def test_a_note_typed_and_left_idle_is_kept_through_the_automatic_sign_out(live_server, page, e2e_roles, settings):
    from ascm.accounts import roles
    from clients.models import CaseNote
    from tests.clients.factories import ClientFactory, allocate
    from tests.factories import TeamFactory, member

    settings.SESSION_COOKIE_AGE = 10  # signed out after 10 idle seconds here (30 minutes for real)
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 4
    team = TeamFactory()
    pat = UserFactory(username="pat", first_name="Pat")
    member(pat, team, roles.PRACTITIONER)
    person = allocate(ClientFactory(locality=team.locality), team, pat).client
    sign_in(page, live_server.url, "pat", PASSWORD)
    page.goto(f"{live_server.url}/people/{person.pk}/notes/new/")
    page.get_by_label("Type of contact").select_option(label="Phone call")
    page.get_by_label("Note", exact=True).fill("Her son rang: she fell on Tuesday")

    # Nobody touches anything: the warning comes, then the page's own timer signs her out.
    expect(page.get_by_role("heading", name="Sign in to", exact=False)).to_be_visible(timeout=20_000)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("we will save your work")
    assert not CaseNote.objects.exists()
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("It has now been submitted")).to_be_visible()
    assert CaseNote.objects.get().text == "Her son rang: she fell on Tuesday"
