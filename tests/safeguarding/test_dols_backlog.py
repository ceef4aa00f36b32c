"""DoLS beyond the single application: the queue and its stored deadlines, withdrawal, renewal,
review, the annual return, the DoLS lead's backlog dashboard and the printable letters."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.accounts import roles
from safeguarding import dols
from safeguarding.dols_selectors import (
    dols_dashboard,
    dols_dashboard_cases,
    dols_return_cases,
    dols_return_figures,
    dols_return_rows,
)
from safeguarding.models_dols import LibertyApplication, LibertyAuthorisation
from tests.clients.factories import ClientFactory
from tests.documents import assert_pdf_says_what_the_page_says, assert_tagged_pdf
from tests.factories import TeamFactory, UserFactory, member
from tests.safeguarding.test_dols import _apply

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 1)


def _grant(lead, application, starts_on, ends_on, decided_on=None):
    from safeguarding.models_dols import LibertyAssessment

    assessor = UserFactory(username=f"bia-{application.pk}")
    for kind, _ in LibertyAssessment.Kind.choices:
        dols.assessment_record(user=lead, application=application, kind=kind, assessor=assessor,
                               allocated_on=application.received_on, completed_on=application.received_on,
                               outcome="met", recommended_months=12 if kind == "best_interests" else None)
    return dols.application_decide(user=lead, application=application, granted=True, starts_on=starts_on, ends_on=ends_on,
                                   representative_name="Her son", representative_kind="unpaid", decided_on=decided_on)


def test_the_deadline_is_stored_and_follows_an_extension(lead, home):
    standard = _apply(lead, home)
    urgent = _apply(lead, home, kind="urgent", urgent_granted_on=MAY)
    assert LibertyApplication.objects.get(pk=standard.pk).due_on == datetime.date(2026, 5, 21)
    assert LibertyApplication.objects.get(pk=urgent.pk).due_on == datetime.date(2026, 5, 8)
    dols.urgent_extend(user=lead, application=urgent, days=7, reason="Assessments booked")
    assert LibertyApplication.objects.get(pk=urgent.pk).due_on == datetime.date(2026, 5, 15)


def test_the_queue_shows_every_open_application_most_in_breach_first_in_bounded_queries(
        lead, home, client, django_assert_max_num_queries):
    today = timezone.localdate()
    recent = _apply(lead, home, received_on=today - datetime.timedelta(days=2))
    oldest = _apply(lead, home, received_on=today - datetime.timedelta(days=400))
    low = _apply(lead, home, received_on=today - datetime.timedelta(days=30))
    dols.application_screen(user=lead, application=low, is_deprivation=True, reasoning="Not free to leave",
                            priority="low", priority_reason="Settled, not objecting")
    withdrawn = _apply(lead, home, received_on=today - datetime.timedelta(days=500))
    dols.application_withdraw(user=lead, application=withdrawn, reason="She has moved home", on=today)
    client.force_login(lead)
    page = client.get("/safeguarding/dols/").content.decode()
    assert "3 open applications, 2 in breach" in page and withdrawn.reference not in page
    assert page.index(oldest.reference) < page.index(low.reference) < page.index(recent.reference)
    assert "380 days in breach" in page  # received 400 days ago: due on the 21st day
    only_low = client.get("/safeguarding/dols/?priority=low").content.decode()
    assert low.reference in only_low and oldest.reference not in only_low
    breached = client.get("/safeguarding/dols/?breached=1").content.decode()
    assert recent.reference not in breached and oldest.reference in breached
    for days in range(60):
        _apply(lead, home, received_on=today - datetime.timedelta(days=days))
    with django_assert_max_num_queries(12):
        many = client.get("/safeguarding/dols/")
    assert "63 open applications" in many.content.decode() and "Page 1 of 2" in many.content.decode()


def test_withdrawal_needs_a_reason_and_only_an_undecided_application(lead, home):
    application = _apply(lead, home)
    with pytest.raises(ValidationError) as no_reason:
        dols.application_withdraw(user=lead, application=application, reason=" ", on=datetime.date(2026, 5, 3))
    assert no_reason.value.message_dict["reason"] == ["Give the reason it was withdrawn"]
    with pytest.raises(ValidationError) as before:
        dols.application_withdraw(user=lead, application=application, reason="Died", on=datetime.date(2026, 4, 3))
    assert "on or after 1 May 2026" in before.value.message_dict["on"][0]
    done = dols.application_withdraw(user=lead, application=application, reason="Died", on=datetime.date(2026, 5, 3))
    assert (done.status, done.withdrawn_on, done.days_in_breach()) == ("withdrawn", datetime.date(2026, 5, 3), 0)
    with pytest.raises(ValidationError, match="Only an application not yet decided"):
        dols.application_withdraw(user=lead, application=done, reason="Again", on=datetime.date(2026, 5, 4))


def test_a_renewal_may_be_requested_from_28_days_before_it_is_needed(lead, home):
    application = _apply(lead, home)
    _grant(lead, application, datetime.date(2026, 6, 1), datetime.date(2026, 11, 30))
    authorisation = LibertyAuthorisation.objects.get(application=application)
    # Ends 30 November: needed from 1 December, so it may be asked for from 3 November.
    with pytest.raises(ValidationError) as early:
        dols.renewal_request(user=lead, authorisation=authorisation, received_on=datetime.date(2026, 11, 2))
    assert early.value.message_dict["received_on"] == [
        "A renewal may be requested from 3 November 2026 (28 days before it is needed on 1 December 2026)"]
    renewal = dols.renewal_request(user=lead, authorisation=authorisation, received_on=datetime.date(2026, 11, 3))
    assert (renewal.renewal_of, renewal.kind, renewal.needed_from) == (authorisation, "standard", datetime.date(2026, 12, 1))
    assert renewal.deadline() == datetime.date(2026, 12, 1)  # the later of the 21st day and the day needed
    assert renewal.care_arrangements == application.care_arrangements and renewal.client == application.client
    with pytest.raises(ValidationError, match="already been requested"):
        dols.renewal_request(user=lead, authorisation=authorisation, received_on=datetime.date(2026, 11, 4))


def test_a_review_varies_the_conditions_or_terminates_the_authorisation(lead, home):
    application = _apply(lead, home)
    _grant(lead, application, datetime.date(2026, 6, 1), datetime.date(2026, 11, 30))
    authorisation = LibertyAuthorisation.objects.get(application=application)
    with pytest.raises(ValidationError) as missing:
        dols.authorisation_review(user=lead, authorisation=authorisation, reviewed_on=datetime.date(2026, 7, 1),
                                  outcome="conditions_varied", notes="")
    assert set(missing.value.message_dict) == {"notes", "conditions"}
    dols.authorisation_review(user=lead, authorisation=authorisation, reviewed_on=datetime.date(2026, 7, 1),
                              outcome="conditions_varied", notes="Visits from her sister to be supported",
                              conditions="Weekly visit from her sister", requested_by="Her representative")
    authorisation.refresh_from_db()
    assert authorisation.conditions == "Weekly visit from her sister" and authorisation.status == "active"
    dols.authorisation_review(user=lead, authorisation=authorisation, reviewed_on=datetime.date(2026, 8, 1),
                              outcome="terminated", notes="She has regained capacity to decide where to live")
    authorisation.refresh_from_db()
    assert authorisation.status == "terminated" and "regained capacity" in authorisation.status_reason
    assert list(authorisation.reviews.values_list("outcome", flat=True)) == ["conditions_varied", "terminated"]


@pytest.fixture
def year_of_applications(lead, home):
    """Worked by hand for 2026-27 (1 April 2026 to 31 March 2027)."""
    person = ClientFactory(locality=home.locality, date_of_birth=datetime.date(1940, 1, 1))
    carried = _apply(lead, home, client=person, received_on=datetime.date(2026, 3, 10))  # due 30 March
    _grant(lead, carried, datetime.date(2026, 4, 20), datetime.date(2026, 10, 19), decided_on=datetime.date(2026, 4, 20))
    urgent = _apply(lead, home, kind="urgent", urgent_granted_on=MAY, received_on=MAY)  # due 8 May
    _grant(lead, urgent, datetime.date(2026, 5, 5), datetime.date(2026, 11, 4), decided_on=datetime.date(2026, 5, 5))
    refused = _apply(lead, home, received_on=datetime.date(2026, 6, 1))
    dols.application_decide(user=lead, application=refused, granted=False, reason="She has capacity to decide",
                            decided_on=datetime.date(2026, 6, 10))
    withdrawn = _apply(lead, home, received_on=datetime.date(2026, 7, 1))
    dols.application_withdraw(user=lead, application=withdrawn, reason="Discharged home", on=datetime.date(2026, 7, 5))
    old = _apply(lead, home, received_on=datetime.date(2025, 2, 1))
    dols.application_decide(user=lead, application=old, granted=False, reason="Not a deprivation",
                            decided_on=datetime.date(2025, 3, 1))
    return {"carried": carried, "urgent": urgent, "refused": refused, "withdrawn": withdrawn, "old": old, "person": person}


def test_the_return_counts_every_application_active_in_the_year(lead, year_of_applications):
    figures = {f.key: f.count for f in dols_return_figures(lead, 2026)}
    assert figures == {"active": 4, "received": 3, "brought-forward": 1, "standard": 2, "urgent": 1, "renewals": 0,
                       "granted": 2, "not-granted": 1, "withdrawn": 1, "in-time": 2, "late": 1, "open-at-end": 0}
    for key, count in figures.items():  # every figure drills down to exactly the applications behind it
        assert dols_return_cases(lead, 2026, key).count() == count
    rows = {row["application_reference"]: row for row in dols_return_rows(lead, 2026)}
    carried = rows[year_of_applications["carried"].reference]
    assert (carried["outcome"], carried["sign_off_date"], carried["days_to_sign_off"]) == (
        "granted", datetime.date(2026, 4, 20), 41)
    assert carried["authorisation_end"] == datetime.date(2026, 10, 19)
    refused = rows[year_of_applications["refused"].reference]
    assert (refused["outcome"], refused["reason_not_granted"]) == ("not_granted", "She has capacity to decide")
    assert rows[year_of_applications["withdrawn"].reference]["outcome"] == "withdrawn"
    # The year before: the March application was not yet decided at 31 March, and the person's
    # reference is the same in both years.
    before = {row["application_reference"]: row for row in dols_return_rows(lead, 2025)}
    assert set(before) == {year_of_applications["carried"].reference}  # the February 2025 one was decided in 2024-25
    assert before[carried["application_reference"]]["outcome"] == "not_decided"
    assert before[carried["application_reference"]]["person_reference"] == carried["person_reference"] == (
        f"P{year_of_applications['person'].pk:09d}")


def test_the_return_page_csv_and_api_for_the_team_only(lead, year_of_applications, client, api, practitioner,
                                                       thanet, django_assert_max_num_queries):
    from tests.conftest import as_user

    client.force_login(lead)
    with django_assert_max_num_queries(12):
        page = client.get("/safeguarding/dols/returns/?year=2026")
    assert page.status_code == 200 and 'href="/safeguarding/dols/returns/2026/late/"' in page.content.decode()
    late = client.get("/safeguarding/dols/returns/2026/late/").content.decode()
    assert year_of_applications["carried"].reference in late and year_of_applications["urgent"].reference not in late
    download = client.get("/safeguarding/dols/returns/2026.csv")
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert lines[0][:3] == ["person_reference", "application_reference", "managing_authority_type"] and len(lines) == 5
    as_user(api, lead)
    assert {f["key"]: f["count"] for f in api.get("/api/v1/dols-returns/?year=2026").json()["figures"]}["late"] == 1
    rows = api.get("/api/v1/dols-returns/rows/?year=2026").json()
    assert len(rows["results"]) == 4 and rows["has_next"] is False
    behind = api.get("/api/v1/dols-returns/applications/?year=2026&figure=withdrawn").json()
    assert [a["reference"] for a in behind["results"]] == [year_of_applications["withdrawn"].reference]
    assert api.get("/api/v1/dols-returns/applications/?year=2026&figure=nonsense").status_code == 400
    assert "year" in api.get("/api/v1/dols-returns/?year=twenty").json()["errors"]
    assert client.get("/safeguarding/dols/returns/?year=1850").status_code == 404
    # Another locality's DoLS lead counts none of them; everyone else is refused.
    other = member(UserFactory(username="thanet-dols"), TeamFactory(team_type="safeguarding", locality=thanet),
                   roles.SAFEGUARDING_LEAD).user
    assert {f.key: f.count for f in dols_return_figures(other, 2026)}["active"] == 0
    client.force_login(other)
    assert client.get("/safeguarding/dols/returns/2026/late/").content.decode().count("DL0") == 0
    client.force_login(practitioner)
    for url in ("/safeguarding/dols/returns/", "/safeguarding/dols/returns/2026.csv", "/safeguarding/dols/returns/2026/late/",
                "/safeguarding/dols/backlog/", "/safeguarding/dols/backlog/breaches/"):
        assert client.get(url).status_code == 404, url
    as_user(api, practitioner)
    assert api.get("/api/v1/dols-returns/").status_code == 404
    assert api.get("/api/v1/dols-backlog/").status_code == 404


def test_the_dashboard_counts_the_backlog_by_priority_and_age(lead, home, client, api, django_assert_max_num_queries):
    from tests.conftest import as_user

    today = timezone.localdate()

    def received(days, priority=""):
        application = _apply(lead, home, received_on=today - datetime.timedelta(days=days))
        if priority:
            dols.application_screen(user=lead, application=application, is_deprivation=True, reasoning="Not free to leave",
                                    priority=priority, priority_reason="ADASS tool")
        return application

    received(3, "high")
    received(21, "high")   # 0-21 still, and in breach from today: its last day was yesterday (the 21st)
    received(22, "high")   # 22-90
    received(200, "low")
    received(366)          # over a year, not yet prioritised
    decided = received(10, "medium")
    _grant(lead, decided, today, today + datetime.timedelta(days=20), decided_on=today)
    board = dols_dashboard(lead, today=today)
    cells = {cell.key: cell.count for row in board["grid"] for cell in row["cells"]}
    assert (cells["high_0-21"], cells["high_22-90"], cells["low_91-365"], cells["none_over-365"]) == (2, 1, 1, 1)
    assert board["open_total"] == 5 and board["breaches"] == 4 and board["new_breaches"] == 1
    assert board["average_days"] == 10 and board["decided"] == 1
    assert [a.application_id for a in board["ending"]] == [decided.pk]  # ends within 28 days
    assert dols_dashboard_cases(lead, "high_22-90").count() == 1
    assert dols_dashboard_cases(lead, "breach_high").count() == 2
    assert dols_dashboard_cases(lead, "nonsense") is None
    client.force_login(lead)
    client.get("/safeguarding/dols/backlog/")
    with django_assert_max_num_queries(10):
        page = client.get("/safeguarding/dols/backlog/").content.decode()
    assert "<svg" in page and 'href="/safeguarding/dols/backlog/high_22-90/"' in page and "Not yet requested" in page
    assert client.get("/safeguarding/dols/backlog/none_over-365/").status_code == 200
    assert client.get("/safeguarding/dols/backlog/bogus/").status_code == 404
    as_user(api, lead)
    body = api.get("/api/v1/dols-backlog/").json()
    assert body["breaches"] == 4 and {"key": "high_0-21", "label": "0 to 21 days", "count": 2} in body["figures"]
    assert api.get("/api/v1/dols-backlog/applications/?figure=breaches").json()["count"] == 4


def test_letters_print_for_the_decision_and_the_extension(lead, home, client):
    application = _apply(lead, home, kind="urgent", urgent_granted_on=MAY)
    client.force_login(lead)
    assert client.get(f"/safeguarding/dols/{application.pk}/print/decision/").status_code == 404  # not decided yet
    assert client.get(f"/safeguarding/dols/{application.pk}/print/extension/").status_code == 404  # not extended
    dols.urgent_extend(user=lead, application=application, days=5, reason="Best interests assessor booked")
    extension = client.get(f"/safeguarding/dols/{application.pk}/print/extension/").content.decode()
    assert "13 May 2026" in extension and "Best interests assessor booked" in extension
    _grant(lead, application, datetime.date(2026, 5, 10), datetime.date(2026, 11, 9))
    letter = client.get(f"/safeguarding/dols/{application.pk}/print/form/").content.decode()
    assert "10 May 2026 to 9 November 2026" in letter.replace("From ", "") and "Her son" in letter
    assert "Best interests" in letter and "Court of Protection" in letter
    pdf = client.get(f"/safeguarding/dols/{application.pk}/print/form/?format=pdf").content
    assert_tagged_pdf(pdf, title=f"Standard authorisation: the form's content: {application.reference}")
    assert_pdf_says_what_the_page_says(pdf, letter)
    assert client.get(f"/safeguarding/dols/{application.pk}/print/other/").status_code == 404


def test_the_api_withdraws_renews_and_reviews(lead, home, api):
    from tests.conftest import as_user

    as_user(api, lead)
    open_one = _apply(lead, home)
    bad = api.post(f"/api/v1/dols-applications/{open_one.pk}/withdraw/", {"reason": ""}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    assert api.post(f"/api/v1/dols-applications/{open_one.pk}/withdraw/", {"reason": "Died", "on": "2026-05-02"},
                    format="json").json()["status"] == "withdrawn"
    granted = _apply(lead, home)
    _grant(lead, granted, datetime.date(2026, 6, 1), datetime.date(2026, 11, 30))
    early = api.post(f"/api/v1/dols-applications/{granted.pk}/renewal/", {"received_on": "2026-10-01"}, format="json")
    assert early.status_code == 400 and "received_on" in early.json()["errors"]
    renewal = api.post(f"/api/v1/dols-applications/{granted.pk}/renewal/", {"received_on": "2026-11-10"}, format="json")
    assert renewal.status_code == 201 and renewal.json()["deadline"] == "2026-12-01"
    assert renewal.json()["renewal_of"] == LibertyAuthorisation.objects.get(application=granted).pk
    reviewed = api.post(f"/api/v1/dols-applications/{granted.pk}/review/", {
        "reviewed_on": "2026-07-01", "outcome": "continues", "notes": "Settled; conditions met"}, format="json")
    assert reviewed.json()["authorisation"]["reviews"][0]["outcome"] == "continues"
    no_authorisation = api.post(f"/api/v1/dols-applications/{open_one.pk}/review/", {
        "reviewed_on": "2026-07-01", "outcome": "continues", "notes": "x"}, format="json")
    assert no_authorisation.status_code == 400


def test_the_browser_forms_keep_what_was_typed(lead, home, client):
    granted = _apply(lead, home)
    _grant(lead, granted, datetime.date(2026, 6, 1), timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(lead)
    page = client.get(f"/safeguarding/dols/{granted.pk}/").content.decode()
    assert "Request a renewal" in page and "Print the decision letter" in page
    today = timezone.localdate()
    bad = client.post(f"/safeguarding/dols/{granted.pk}/review/", {
        "outcome": "conditions_varied", "notes": "Sister visits", "reviewed_on_0": today.day, "reviewed_on_1": today.month,
        "reviewed_on_2": today.year})
    body = bad.content.decode()
    assert bad.status_code == 400 and "Enter the conditions as varied" in body and "Sister visits" in body
    made = client.post(f"/safeguarding/dols/{granted.pk}/renewal/", {
        "received_on_0": today.day, "received_on_1": today.month, "received_on_2": today.year})
    renewal = LibertyApplication.objects.get(renewal_of__application=granted)
    assert made["Location"] == f"/safeguarding/dols/{renewal.pk}/"
    assert "Renewal of" in client.get(made["Location"]).content.decode()
