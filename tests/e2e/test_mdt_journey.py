"""A practitioner adds a person to the next MDT's agenda; the chair records the discussion and an action;
the manager opens the caseload review, drills into overdue reviews and reallocates a case."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ascm.accounts import roles
from clients.models import Allocation, CaseNote
from mdt import services
from pathways.care import plans
from tests.clients.factories import ClientFactory, allocate
from tests.factories import PASSWORD, LocalityFactory, TeamFactory, UserFactory, member
from tests.mdt.factories import practice

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_agenda_discussion_action_and_caseload_reallocation(live_server, page, e2e_roles):
    canterbury = LocalityFactory(name="Canterbury")
    team = TeamFactory(name="Canterbury Supporting Independence", locality=canterbury)
    pat = member(UserFactory(username="pat", first_name="Pat", last_name="Practitioner"), team, roles.PRACTITIONER).user
    member(UserFactory(username="sam", first_name="Sam", last_name="Second"), team, roles.PRACTITIONER)
    chair = member(UserFactory(username="chris", first_name="Chris", last_name="Chair"), team, roles.PRACTITIONER).user
    member(UserFactory(username="morgan", first_name="Morgan", last_name="Manager"), team, roles.TEAM_MANAGER)
    joan = allocate(ClientFactory(given_name="Joan", family_name="Fletcher", locality=canterbury,
                                  consent_to_share="not_asked", date_of_birth=datetime.date(1944, 2, 1)),
                    team, worker=pat).client
    plans.plan_create(user=pat, client=joan, outcomes=[{"outcome": "Garden again", "met_by": "network"}],
                      starts_on=timezone.localdate() - datetime.timedelta(weeks=12))  # first review overdue
    surgery = practice(canterbury, name="Westgate Surgery")
    mdt = services.meeting_schedule(user=chair, locality=canterbury, title="Canterbury City MDT", gp_practice=surgery,
                                    starts_at=timezone.now() + datetime.timedelta(minutes=30), chair=chair)
    services.attendee_add(meeting=mdt, user=chair)
    base = live_server.url

    # The practitioner adds Joan to the next meeting; without consent, the lawful basis is asked for.
    sign_in(page, base, "pat", PASSWORD)
    page.goto(f"{base}/people/{joan.pk}/")
    page.get_by_role("link", name="Add to an MDT agenda").click()
    expect(page.get_by_test_id("consent-warning")).to_contain_text("has not given consent to share")
    assert_accessible(page)
    page.get_by_label("Why the person should be discussed").fill("Two falls at home in a month")
    page.get_by_label("What is asked of the MDT").fill("A falls clinic view and physiotherapy")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("record the lawful basis")
    expect(page.get_by_label("Why the person should be discussed")).to_have_value("Two falls at home in a month")
    assert_accessible(page)
    page.get_by_label("Lawful basis for discussing them without consent").fill("Vital interests: risk of serious harm")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_test_id("agenda-item")).to_contain_text("Joan Fletcher")
    expect(page.get_by_test_id("no-consent")).to_contain_text("Vital interests")
    assert_accessible(page)
    page.context.clear_cookies()

    # The chair adds a GP as a partner attendee, records the discussion and an action for the GP.
    sign_in(page, base, "chris", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="MDT meetings").click()
    assert_accessible(page)
    page.get_by_role("link", name="Canterbury City MDT").click()
    page.get_by_label("Name", exact=True).fill("Dr Synthetic Partner")
    page.get_by_label("Role").fill("GP")
    page.get_by_label("Organisation").fill("Westgate Surgery")
    page.get_by_role("button", name="Add partner attendee").click()
    expect(page.get_by_test_id("attendees")).to_contain_text("Dr Synthetic Partner, GP, Westgate Surgery")
    page.get_by_role("link", name="Record the discussion of Joan Fletcher").click()
    page.get_by_label("Summary of the discussion").fill("Agreed a falls clinic referral and home physiotherapy")
    page.get_by_label("Action (optional)").fill("Refer to the falls clinic")
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose who owns the action")
    assert_accessible(page)
    page.get_by_label("Owner (optional)").select_option(label="Dr Synthetic Partner, GP, Westgate Surgery")
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Save the discussion").click()
    expect(page.get_by_test_id("discussion-summary")).to_contain_text("Agreed a falls clinic referral")
    expect(page.get_by_test_id("agenda-item")).to_contain_text("Refer to the falls clinic — Dr Synthetic Partner")
    assert CaseNote.objects.get(client=joan).note_type == "mdt_discussion"
    page.get_by_role("link", name="Meeting pack (printable)").click()
    expect(page.get_by_test_id("meeting-pack")).to_contain_text("Two falls at home in a month")
    assert_accessible(page)
    page.context.clear_cookies()

    # The manager reviews caseloads, drills into Pat's overdue reviews and reallocates Joan to Sam.
    sign_in(page, base, "morgan", PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseload review").click()
    expect(page.get_by_test_id("caseload-review")).to_contain_text("Pat Practitioner")
    assert_accessible(page)
    page.get_by_role("link", name="1 reviews overdue for Pat Practitioner").click()
    expect(page.get_by_test_id("drilldown")).to_contain_text("Review for Joan Fletcher")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the caseload review").click()
    page.get_by_role("link", name="1 people allocated to Pat Practitioner").click()
    page.get_by_label("Joan Fletcher").check()
    page.get_by_label("Reallocate to").select_option(label="Sam Second")
    page.get_by_role("button", name="Reallocate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for the reallocation")
    assert_accessible(page)
    page.get_by_label("Joan Fletcher").check()
    page.get_by_label("Reallocate to").select_option(label="Sam Second")
    page.get_by_label("Reason").fill("Balancing caseloads")
    page.get_by_role("button", name="Reallocate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 person reallocated to Sam Second")
    assert Allocation.objects.get(client=joan, ended_on__isnull=True).worker.username == "sam"
