"""The front door as triage really uses it, from `make run`'s demo data: record a new person, make a
hospital-discharge referral with a safeguarding concern, see it routed by its rule to the right team
with the reason, see the safeguarding team told, and see the referral on the person's record."""

import datetime

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from pathways.referrals.defaults import routing_defaults_ensure

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def test_triage_records_a_person_and_their_discharge_referral_is_routed_and_safeguarding_told(live_server, page,
                                                                                             e2e_roles):
    routing_defaults_ensure()  # as the migration leaves them
    demo_load()
    base, password = live_server.url, demo_password()
    born = datetime.date.today().replace(year=datetime.date.today().year - 81)

    sign_in(page, base, "triage", password)
    page.get_by_label("Find a person by name or NHS number").fill("Edna Synthetica")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("link", name="Record a new person").click()
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("Postcode").fill("CT1 2AB")
    assert_accessible(page)
    page.get_by_role("button", name="Save person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edna Synthetica")

    page.get_by_role("link", name="Make a referral").click()
    page.get_by_label("Hospital").first.check()
    expect(page.get_by_text("Referrer's name (optional)")).to_have_count(0)  # needed, so not "optional"
    page.get_by_label("Referrer's name").fill("Discharge hub nurse")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What the referrer says the person needs").fill("Ready to go home; needs help to wash and dress")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Urgent").check()
    page.get_by_role("checkbox", name="Hospital discharge").check()
    page.get_by_role("checkbox", name="Safeguarding concern").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # no ward yet: told, nothing lost
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the ward for a hospital discharge referral")
    assert_accessible(page)
    page.get_by_label("Ward (hospital discharge)").fill("Ward 7")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Take referral").click()

    # Routed by its rule, not "linked" to the team that recorded her.
    expect(page.get_by_test_id("referral-status")).to_have_text("In the team's queue")
    expect(page.get_by_test_id("routing-reason")).to_have_text(
        "Rule 4: hospital discharge and age 65+ → Promoting Independence")
    expect(page.get_by_test_id("referral-summary")).to_contain_text("Canterbury Promoting Independence")
    expect(page.get_by_test_id("referral-summary")).to_contain_text("also Canterbury Safeguarding")
    assert_accessible(page)

    # The referral is on her record.
    page.get_by_role("link", name="Open the person's record").click()
    referrals = page.get_by_test_id("record-referrals")
    expect(referrals).to_contain_text("In the team's queue with Canterbury Promoting Independence")
    expect(referrals).to_contain_text("Safeguarding concern")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").first.click()

    # The safeguarding lead is told, and opening the task reads it.
    sign_in(page, base, "safeguarding", password)
    page.get_by_test_id("inbox").click()
    page.get_by_role("link", name="Safeguarding concern in a referral for Edna Synthetica").click()
    expect(page.get_by_test_id("referral-summary")).to_contain_text("Ward 7")
    page.get_by_test_id("inbox").click()
    read = page.get_by_test_id("notifications").get_by_role("listitem").filter(
        has_text="Safeguarding concern in a referral for Edna Synthetica")
    expect(read).not_to_contain_text("New")
    assert_accessible(page)


@pytest.mark.parametrize("username, path", [("triage", "/people/?q=a"), ("manager", "/mdt/caseload/"),
                                            ("auditor", "/audit/")])
def test_wide_tables_fit_a_375px_screen(live_server, page, e2e_roles, username, path):
    from tests.clients.factories import ClientFactory

    demo_load()
    for n in range(5):
        ClientFactory(given_name=f"Alexandrina{n}", family_name="Longsurname-Doublebarrelled")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, username, demo_password())
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the page itself never scrolls sideways
    assert_accessible(page)


def test_triage_works_a_long_queue_a_page_at_a_time_and_picks_up_the_most_urgent(live_server, page, e2e_roles):
    """A busy week: 57 referrals waiting in the demo's Canterbury Integrated Triage queue."""
    from django.utils import timezone

    from ascm.organisation.models import Team
    from pathways.referrals.models import Referral
    from tests.clients.factories import ClientFactory

    demo_load()
    team = Team.objects.get(name="Canterbury Integrated Triage")
    now = timezone.now()
    for n in range(57):
        ClientFactory(given_name=f"Waiting{n}", family_name="Synthetica", locality=team.locality)
    waiting = [Referral(client=person, locality=team.locality, team=team, status="routed", source="gp",
                        referrer_name="Dr Synthetic", needs_in_persons_words="Help at home", routing_reason="Rule 9",
                        urgency="urgent" if n == 30 else "routine", received_at=now - datetime.timedelta(hours=n))
               for n, person in enumerate(team.locality.clients.filter(family_name="Synthetica", given_name__startswith="Waiting"))]
    Referral.objects.bulk_create(waiting)
    base = live_server.url
    sign_in(page, base, "triage", demo_password())
    page.get_by_role("link", name="queue of Canterbury Integrated Triage").click()
    queue = page.get_by_test_id("team-queue")
    expect(queue.locator("caption")).to_have_text("57 waiting, most urgent and oldest first: 1 to 50 shown")
    expect(queue.locator("tbody tr")).to_have_count(50)
    expect(queue.locator("tbody tr").first).to_contain_text("Urgent")
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(queue.locator("caption")).to_have_text("57 waiting, most urgent and oldest first: 51 to 57 shown")
    expect(queue.locator("tbody tr")).to_have_count(7)
    assert_accessible(page)
    page.get_by_role("link", name="Previous page").click()
    page.get_by_role("button", name="Pick up the next referral").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have picked up this referral")
    urgent = Referral.objects.get(team=team, urgency="urgent", referrer_name="Dr Synthetic")
    assert urgent.status == "allocated" and urgent.allocated_to.username == "triage"
    page.goto(f"{base}/referrals/teams/{team.pk}/")
    expect(queue.locator("caption")).to_contain_text("56 waiting")
