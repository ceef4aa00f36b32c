"""Client Level Data from the care-event ledger, worked by hand from the specification's rules: which
events a period holds, each row's strings, references that survive edits, a carer's assessment as
the carer's row, the same bytes when nothing changed, and the validation report."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from ascm.accounts import roles
from clients import returns
from clients.models import ReturnFile
from clients.services import care_event_cancel, care_event_record
from tests.factories import UserFactory, with_role

pytestmark = pytest.mark.django_db
Q2_START, Q2_END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)


@pytest.fixture
def returns_officer():
    return with_role(UserFactory(username="remy"), roles.PERFORMANCE_OFFICER)


@pytest.fixture
def known(person, canterbury):
    """A person with everything the return needs."""
    from tests.factories import GPPracticeFactory

    person.nhs_number, person.gender, person.ethnicity = "9990000018", "2", "A"
    person.date_of_birth, person.primary_support_reason = datetime.date(1950, 3, 14), "physical_personal_care"
    person.gp_practice = GPPracticeFactory(ods_code="G99001")
    person.save()
    return person


def _event(person, event_type, pk, start, end=None, outcome="", **kwargs):
    class Source:  # stands in for the referral, assessment, review or line the event is about
        _meta = type("Meta", (), {"label_lower": kwargs.pop("source_model", f"tests.{event_type}")})

    source = Source()
    source.pk = pk
    return care_event_record(client=person, event_type=event_type, source=source, start_date=start, end_date=end,
                             outcome=outcome, **kwargs)


def _rows(start=Q2_START, end=Q2_END):
    out = io.BytesIO()
    returns.write_file(out, start, end, la_code="886")
    return list(csv.DictReader(io.StringIO(out.getvalue().decode())))


SERVICE = {"service_type": "home_care", "reablement": False, "delivery_mechanism": "commissioned",
           "unit": "hour", "unit_cost": "24.50", "units_per_week": "7.00"}


def test_a_period_holds_completed_requests_assessments_and_reviews_and_running_services(known):
    _event(known, "request", 1, datetime.date(2026, 6, 20), datetime.date(2026, 7, 2), "information_and_advice",
           route_of_access="community_other")
    _event(known, "request", 2, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), "information_and_advice")  # before
    _event(known, "review", 3, datetime.date(2026, 8, 5), datetime.date(2026, 8, 5), "continue",
           details={"outcomes_achieved": "partially"})
    _event(known, "service", 4, datetime.date(2025, 1, 6), None, "continuing", details=SERVICE)  # open
    _event(known, "service", 5, datetime.date(2025, 1, 6), datetime.date(2026, 6, 30), "ended", details=SERVICE)
    _event(known, "assessment", 6, datetime.date(2026, 7, 1), None, assessment_type="long_term",
           details={"kind": "needs"})  # not completed yet
    cancelled = _event(known, "request", 7, datetime.date(2026, 7, 1), datetime.date(2026, 7, 3), "signposted")
    care_event_cancel(source=type("S", (), {"pk": 7, "_meta": type("M", (), {"label_lower": "tests.request"})})(),
                      event_type="request")
    rows = {r["Event Reference"]: r for r in _rows()}
    assert set(rows) == {"REQ00000001", "REV00000003", "SRV00000004"}  # cancelled.reference left out
    assert cancelled.reference not in rows
    request, review, service = rows["REQ00000001"], rows["REV00000003"], rows["SRV00000004"]
    assert (request["Event Type"], request["Event Outcome"], request["Request: Route of Access"]) == (
        "Request", "NFA: Information and advice or signposting", "Community or other route")
    assert request["Primary Support Reason"] == "Physical Support: Personal care support"
    assert (review["Review Outcomes Achieved"], review["Event Outcome"]) == ("Partially met",
                                                                             "Continuation of support or services")
    assert service["Event End Date"] == "" and service["Service Type"] == "Long term support: Community"
    assert (service["Service Component"], service["Delivery Mechanism"], service["Unit Cost"],
            service["Cost Frequency (Unit Type)"], service["Planned units per week"]) == (
        "Home support or domiciliary care", "CASSR commissioned support", "24.50", "Hourly", "7.00")
    assert (request["LA Code"], request["NHS Number"], request["LA Person Unique Identifier"]) == (
        "886", "9990000018", str(known.pk))
    assert (request["Birth Month"], request["Birth Year"], request["Gender"], request["GP Practice Code"]) == (
        "03", "1950", "Female", "G99001")
    assert request["Ethnicity"] == "White: English, Welsh, Scottish, Northern Irish or British"
    assert request["Accommodation Status"] == ""  # 76: asked only of 18 to 64s


def test_an_edited_event_keeps_its_reference_and_the_file_is_the_same_bytes_when_nothing_changed(known):
    _event(known, "service", 9, datetime.date(2026, 4, 1), None, "continuing", details=SERVICE)
    first, second = io.BytesIO(), io.BytesIO()
    assert returns.write_file(first, Q2_START, Q2_END, la_code="886") == returns.write_file(
        second, Q2_START, Q2_END, la_code="886")
    assert first.getvalue() == second.getvalue()
    _event(known, "service", 9, datetime.date(2026, 4, 1), datetime.date(2026, 8, 31), "ended", details=SERVICE)
    (row,) = _rows()
    assert (row["Event Reference"], row["Event End Date"], row["Event Outcome"]) == (
        "SRV00000009", "2026-08-31", "NFA: Support ended as planned")


def test_recording_an_event_writes_it_once_and_again_only_when_something_given_differs(known,
                                                                                       django_assert_num_queries):
    created = _event(known, "service", 12, datetime.date(2026, 4, 1), None, "continuing", details=SERVICE)
    assert (created.reference, created.outcome, created.details) == ("SRV00000012", "continuing", SERVICE)
    with django_assert_num_queries(1):  # read, found unchanged: nothing written
        same = _event(known, "service", 12, datetime.date(2026, 4, 1), None, "continuing", details=SERVICE)
    assert same.updated_at == created.updated_at
    ended = _event(known, "service", 12, datetime.date(2026, 4, 1), datetime.date(2026, 8, 31), "ended")
    assert (ended.pk, ended.end_date, ended.outcome, ended.details) == (
        created.pk, datetime.date(2026, 8, 31), "ended", SERVICE)  # what was not given is kept
    ended.refresh_from_db()
    assert ended.updated_at > created.updated_at and ended.reference == "SRV00000012"


def test_a_carers_assessment_is_the_carers_row(known, canterbury):
    from tests.clients.factories import ClientFactory

    carer = ClientFactory(locality=canterbury, nhs_number="9990000026", date_of_birth=datetime.date(1980, 5, 2))
    _event(known, "assessment", 11, datetime.date(2026, 7, 1), datetime.date(2026, 7, 20), "eligible",
           assessment_type="long_term", details={"kind": "carer", "carer": carer.pk})
    _event(known, "assessment", 12, datetime.date(2026, 7, 1), datetime.date(2026, 7, 20), "eligible",
           assessment_type="long_term", details={"kind": "carer"})  # the carer has no record
    _event(known, "assessment", 13, datetime.date(2026, 7, 1), datetime.date(2026, 7, 20), "eligible",
           assessment_type="long_term", details={"kind": "mca"})  # never in CLD
    rows = {r["Event Reference"]: r for r in _rows()}
    assert set(rows) == {"ASM00000011", "ASM00000012"}
    row = rows["ASM00000011"]
    assert (row["Client Type"], row["LA Person Unique Identifier"], row["NHS Number"]) == (
        "Unpaid carer", str(carer.pk), "9990000026")
    assert (row["Primary Support Reason"], row["Assessment Type"]) == (
        "Social support: Support to unpaid carer", "Long term assessment")
    assert rows["ASM00000012"]["LA Person Unique Identifier"] == ""


def test_periods_must_be_a_quarter_or_the_year_to_one_and_have_ended():
    today = datetime.date(2026, 12, 1)
    returns.period_check(Q2_START, Q2_END, today=today)
    returns.period_check(datetime.date(2025, 10, 1), Q2_END, today=today)  # the rolling year
    for start, end, message in [
        (datetime.date(2026, 7, 1), datetime.date(2026, 8, 31), "not the last day of a quarter"),
        (datetime.date(2026, 8, 1), Q2_END, "a quarter, or the 12 months"),
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "has not ended yet"),
    ]:
        with pytest.raises(ValidationError) as refused:
            returns.period_check(start, end, today=today)
        assert message in " ".join(refused.value.message_dict["period"])


def test_the_file_is_made_by_a_task_with_its_validation_report_and_a_second_is_refused_while_one_is_made(
        client, api, known, returns_officer, practitioner, django_capture_on_commit_callbacks):
    known.primary_support_reason, known.ethnicity = "unknown", "99"
    known.save()
    _event(known, "service", 21, datetime.date(2026, 4, 1), None, "continuing", details={**SERVICE, "unit_cost": None},
           source_model="finance.packageline")
    _event(known, "review", 22, datetime.date(2026, 8, 1), datetime.date(2026, 8, 1), "continue")
    client.force_login(returns_officer)
    form = {"year": "2026", "quarter": "2", "span": "quarter"}
    with django_capture_on_commit_callbacks(execute=False):
        made = client.post("/returns/", form)
    assert made.status_code == 302
    file = ReturnFile.objects.get()
    assert (file.status, file.events_total) == ("making", 2)
    assert "Being made: 0 of 2 events" in client.get(file.get_absolute_url()).content.decode()
    twice = client.post("/returns/", form)
    assert twice.status_code == 400 and "already being made" in twice.content.decode()
    assert returns.return_file_make(file.pk) == 2
    assert returns.return_file_make(file.pk) == 0  # made: a redelivered task does nothing
    file.refresh_from_db()
    assert (file.status, file.rows, file.problems) == ("done", 2, 6)  # PSR and ethnicity on both rows
    page = client.get(file.get_absolute_url()).content.decode()
    assert "No primary support reason" in page and "A service with no unit cost" in page
    assert "A review without the outcomes achieved" in page and "No ethnicity" in page
    listed = client.get(f"/returns/files/{file.pk}/problems/?problem=no_primary_support_reason").content.decode()
    assert f"/people/{known.pk}/edit/" in listed
    download = client.get(f"/returns/files/{file.pk}/download/")
    body = b"".join(download.streaming_content).decode()
    assert body.splitlines()[0].startswith("LA Code,Reporting Period Start Date") and "SRV00000021" in body
    from ascm.audit.models import AuditEntry

    assert AuditEntry.objects.get_for_object(file).filter(action=AuditEntry.Action.ACCESS).exists()

    api.force_authenticate(returns_officer)
    bad = api.post("/api/v1/return-files/", {"period_start": "2026-07-01", "period_end": "2026-08-31"}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post("/api/v1/return-files/", {"period_start": "2026-07-01", "period_end": "2026-09-30"},
                         format="json")
    assert again.status_code == 201
    second = api.get(f"/api/v1/return-files/{again.json()['id']}/").json()
    assert second["status"] == "done" and second["sha256"] == file.sha256  # nothing changed: the same bytes
    problems = api.get(f"/api/v1/return-files/{second['id']}/problems/?problem=no_unit_cost").json()
    assert problems["count"] == 1 and problems["results"][0]["event_reference"] == "SRV00000021"
    # Practitioners neither make nor see returns (they hold every person's identifiers).
    api.force_authenticate(practitioner)
    assert api.get("/api/v1/return-files/").status_code == 403
    assert api.get(f"/api/v1/return-files/{file.pk}/download/").status_code == 403
    client.force_login(practitioner)
    assert client.get("/returns/").status_code == 403
    assert client.get(f"/returns/files/{file.pk}/download/").status_code == 403
