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
