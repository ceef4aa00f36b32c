"""A practitioner finds no match, records the person and adds a note; a manager merges duplicates."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.accounts import roles
from clients.models import CaseNote, Client
from tests.clients.factories import ClientFactory, allocate
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def canterbury_team(e2e_roles):
    return TeamFactory(name="Canterbury Promoting Independence", locality=LocalityFactory(name="Canterbury"))


def test_practitioner_searches_records_a_new_person_and_adds_a_note(live_server, page, canterbury_team):
    member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), canterbury_team, roles.PRACTITIONER)
    base = live_server.url
    sign_in(page, base, "pat", PASSWORD)

    # Search from the header: nobody matches.
    page.get_by_label("Find a person by name or NHS number").fill("Ada Lovelace")
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.get_by_test_id("no-results")).to_be_visible()
    assert_accessible(page)

    # Record the person, starting from what was searched for; a mistake first.
    page.get_by_role("link", name="Record a new person").click()
    expect(page.get_by_label("Given name")).to_have_value("Ada")
    expect(page.get_by_label("Family name")).to_have_value("Lovelace")
    page.locator("#id_nhs_number").fill("943 476 5918")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("1940")
    page.get_by_label("Postcode").fill("ct1 2ab")
    page.get_by_label("Risk to lone workers").check()
    page.get_by_role("button", name="Save person").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("the check digit does not match")
    expect(page.get_by_label("Postcode")).to_have_value("ct1 2ab")
    expect(page.get_by_label("Risk to lone workers")).to_be_checked()
    assert_accessible(page)

    page.locator("#id_nhs_number").fill("943 476 5919")
    page.get_by_role("button", name="Save person").click()
    expect(page.locator("h1")).to_have_text("Ada Lovelace")
    expect(page.get_by_test_id("safety-flags")).to_contain_text("Risk to lone workers")
    expect(page.get_by_test_id("lifespan-band")).to_have_text("Adult (26+)")
    expect(page.get_by_test_id("allocations")).to_contain_text("Canterbury Promoting Independence")
    assert_accessible(page)

    # Add a note to the chronology.
    page.get_by_role("link", name="Add a note").first.click()
    page.get_by_label("Type of contact").select_option(label="Phone call")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time of the event").fill("09:15")
    page.get_by_label("Note", exact=True).fill("Ada rang about help with shopping.")
    assert_accessible(page)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_test_id("note")).to_contain_text("Ada rang about help with shopping.")
    assert_accessible(page)
    person = Client.objects.get()
    assert person.nhs_number == "9434765919" and CaseNote.objects.get().client == person


def test_manager_merges_two_duplicate_records(live_server, page, canterbury_team):
    member(UserFactory(username="morgan", first_name="Morgan", last_name="Manager"), canterbury_team, roles.TEAM_MANAGER)
    born = datetime.date(1948, 5, 1)
    survivor = allocate(ClientFactory(given_name="Joan", family_name="Fletcher", date_of_birth=born,
                                      locality=canterbury_team.locality), canterbury_team).client
    duplicate = ClientFactory(given_name="Joan", family_name="Flecher", date_of_birth=born, nhs_number=None,
                              locality=canterbury_team.locality)
    base = live_server.url
    sign_in(page, base, "morgan", PASSWORD)

    page.goto(f"{base}/people/{survivor.pk}/")
    page.get_by_role("link", name="Merge a duplicate into this record").click()
    page.get_by_test_id("merge-candidates").get_by_role("link").first.click()
    expect(page.get_by_label("Record number of the duplicate")).to_have_value(str(duplicate.pk))
    page.get_by_label("Why are these the same person?").fill("Same date of birth and address; surname misspelt")
    page.get_by_role("button", name="Compare records").click()
    expect(page.get_by_test_id("merge-comparison")).to_contain_text("Flecher")
    assert_accessible(page)
    page.get_by_label("Merge these records").check()
    page.get_by_role("button", name="Merge records").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Record {duplicate.pk} was merged into this record")
    expect(page.get_by_test_id("change-history")).to_be_visible()
    assert_accessible(page)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.archived_at is not None
