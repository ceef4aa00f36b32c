"""The old SALT short- and long-term tables rebuilt from a Client Level Data file's rows, worked by
hand from the transformations' rules (CLD-REFERENCE.md §4), and every figure equal to its list."""

import datetime
import io

import pytest

from clients import returns
from clients.return_tables import ST_MAX, Derivation
from tests.clients.factories import ClientFactory
from tests.clients.test_returns import Q2_END, Q2_START, SERVICE, _event, known, returns_officer  # noqa: F401

pytestmark = pytest.mark.django_db
D = datetime.date
PSR = "Physical Support: Personal care support"
REABLEMENT = {**SERVICE, "reablement": True}
WEEKLY = {**SERVICE, "unit": "week", "unit_cost": "900.00", "units_per_week": "1.00"}


def _entries(start=Q2_START, end=Q2_END):
    derivation = Derivation(returns.codes()["columns"], start=start, end=end, codes=returns.codes())
    found = []
    returns.write_file(io.BytesIO(), start, end, la_code="886", person=lambda rows: found.extend(derivation.person(rows)))
    return found + derivation.finish()


def _cells(entries, prefix):
    return sorted((e.table, e.row, e.column, e.event_reference) for e in entries if e.table.startswith(prefix))


def test_a_person_with_a_nursing_placement_and_a_community_direct_payment_is_counted_under_nursing(known):  # noqa: F811
    _event(known, "service", 31, D(2026, 5, 1), None, "continuing", details={**WEEKLY, "service_type": "nursing"})
    _event(known, "service", 32, D(2026, 6, 1), None, "continuing",
           details={**WEEKLY, "service_type": "direct_payment", "delivery_mechanism": "direct_payment"})
    assert _cells(_entries(), "LTS001") == [("LTS001a-65", PSR, "Nursing care", "SRV00000031"),
                                            ("LTS001b-65", PSR, "Nursing care", "SRV00000031")]


def test_a_direct_payment_ended_before_the_last_day_leaves_the_snapshot_but_not_the_year(known):  # noqa: F811
    _event(known, "service", 33, D(2026, 5, 1), D(2026, 8, 31), "ended",
           details={**WEEKLY, "service_type": "direct_payment", "delivery_mechanism": "direct_payment"})
    assert _cells(_entries(), "LTS001") == [("LTS001a-65", PSR, "Community: Direct payment", "SRV00000033")]


def test_a_new_clients_request_followed_by_reablement_then_home_care(known):  # noqa: F811
    _event(known, "request", 41, D(2026, 6, 25), D(2026, 7, 3), "pathway_started", route_of_access="discharge_from_hospital")
    _event(known, "service", 42, D(2026, 7, 6), D(2026, 8, 2), "ended", details=REABLEMENT)
    _event(known, "service", 43, D(2026, 8, 4), None, "continuing", details=SERVICE)
    entries = _entries()
    assert _cells(entries, "STS001") == [("STS001", ST_MAX, "65 and over", "REQ00000041"),
                                         ("STS001-route", "Discharge from hospital", "65 and over", "REQ00000041")]
    assert _cells(entries, "STS002") == [("STS002a", "Long term support (any setting)", "65 and over", "SRV00000042")]
    assert _cells(entries, "LTS001a") == [("LTS001a-65", PSR, "Community: CASSR commissioned support", "SRV00000043")]


def test_reablement_that_ended_with_nothing_after_it_is_no_services(known):  # noqa: F811
    _event(known, "request", 44, D(2026, 7, 1), D(2026, 7, 2), "pathway_started", route_of_access="community_other")
    _event(known, "service", 45, D(2026, 7, 20), D(2026, 8, 16), "ended", details=REABLEMENT)  # 18 days: within 28
    _event(known, "service", 46, D(2026, 8, 25), None, "continuing", details=SERVICE)  # 9 days after: not a sequel
    assert _cells(_entries(), "STS002") == [("STS002a", "No services provided: other", "65 and over", "SRV00000045")]


def test_an_existing_clients_request_is_not_a_new_clients_and_their_reablement_is_sts002b(known):  # noqa: F811
    _event(known, "service", 51, D(2025, 1, 6), None, "continuing", details=SERVICE)
    _event(known, "request", 52, D(2026, 7, 10), D(2026, 7, 12), "pathway_started", route_of_access="community_other")
    _event(known, "service", 53, D(2026, 7, 14), D(2026, 8, 10), "ended", details=REABLEMENT)
    entries = _entries()
    assert _cells(entries, "STS001") == []
    assert _cells(entries, "STS002") == [("STS002b", "ST-Max for existing clients", "65 and over", "SRV00000053")]


def test_what_followed_a_request_with_no_service(canterbury):
    signposted = ClientFactory(locality=canterbury, date_of_birth=D(1990, 2, 1), primary_support_reason="mental_health")
    _event(signposted, "request", 61, D(2026, 7, 1), D(2026, 7, 1), "information_and_advice",
           route_of_access="community_other")
    _event(signposted, "request", 62, D(2026, 7, 4), D(2026, 7, 5), "information_and_advice",
           route_of_access="community_other")  # 3 days after the first ended: the same request
    assessed = ClientFactory(locality=canterbury, date_of_birth=D(1990, 2, 1), primary_support_reason="mental_health")
    _event(assessed, "request", 63, D(2026, 7, 1), D(2026, 7, 2), "pathway_started", route_of_access="community_other")
    _event(assessed, "assessment", 64, D(2026, 7, 10), D(2026, 8, 1), "not_eligible", assessment_type="long_term",
           details={"kind": "needs"})
    assert _cells(_entries(), "STS001") == [
        ("STS001", "Ended without services: NFA: Information and advice or signposting", "18 to 64", "REQ00000063"),
        ("STS001", "Nothing followed within 28 days: NFA: Information and advice or signposting", "18 to 64", "REQ00000062"),
        ("STS001-route", "Community or other route", "18 to 64", "REQ00000062"),
        ("STS001-route", "Community or other route", "18 to 64", "REQ00000063")]


def test_reviews_of_people_in_long_term_support(known):  # noqa: F811
    _event(known, "service", 71, D(2025, 1, 6), None, "continuing", details=SERVICE)
    _event(known, "review", 72, D(2026, 8, 5), D(2026, 8, 5), "continue", details={"outcomes_achieved": "partially"})
    assert _cells(_entries(), "LTS002") == [
        ("LTS002", "Continuation of support or services", "65 and over", "REV00000072"),
        ("LTS002-achieved", "Partially met", "65 and over", "REV00000072")]


def test_each_carer_is_counted_once_under_the_first_category_their_events_give(known, canterbury):  # noqa: F811
    carer = ClientFactory(locality=canterbury, date_of_birth=D(1980, 5, 2))
    _event(known, "assessment", 81, D(2026, 7, 1), D(2026, 7, 20), "eligible", assessment_type="long_term",
           details={"kind": "carer", "carer": carer.pk})
    _event(known, "assessment", 82, D(2026, 8, 1), D(2026, 8, 20), "not_eligible", assessment_type="long_term",
           details={"kind": "carer", "carer": carer.pk})
    young = ClientFactory(locality=canterbury, date_of_birth=D(2010, 5, 2))
    _event(known, "assessment", 83, D(2026, 7, 1), D(2026, 7, 20), "eligible", assessment_type="long_term",
           details={"kind": "carer", "carer": young.pk})
    assert _cells(_entries(), "LTS003") == [
        ("LTS003", "Information, advice and other universal services or signposting", "26 to 64", "ASM00000082"),
        ("LTS003", "No direct support provided to carer", "Under 18", "ASM00000083")]


def test_every_figure_equals_its_list_on_the_page_and_in_the_api(
        client, api, known, returns_officer, practitioner, canterbury, django_assert_max_num_queries):  # noqa: F811
    from clients.models import ReturnFile

    _event(known, "request", 41, D(2026, 6, 25), D(2026, 7, 3), "pathway_started", route_of_access="discharge_from_hospital")
    _event(known, "service", 42, D(2026, 7, 6), D(2026, 8, 2), "ended", details=REABLEMENT)
    _event(known, "service", 43, D(2026, 8, 4), None, "continuing", details=SERVICE)
    _event(known, "review", 44, D(2026, 9, 5), D(2026, 9, 5), "continue", details={"outcomes_achieved": "fully"})
    for n in range(3):
        person = ClientFactory(locality=canterbury, date_of_birth=D(1970 + n, 2, 1), primary_support_reason="mental_health")
        _event(person, "service", 90 + n, D(2026, 1, 1), None, "continuing",
               details={**WEEKLY, "service_type": ("residential", "nursing", "day_service")[n]})
    made = returns.return_file_start(user=returns_officer, period_start=Q2_START, period_end=Q2_END)
    returns.return_file_make(made.pk)
    returns.return_file_make(made.pk)  # a redelivered task adds nothing
    made.refresh_from_db()
    assert made.status == ReturnFile.Status.DONE and made.table_entries.count() == 13

    client.force_login(returns_officer)
    with django_assert_max_num_queries(12):
        page = client.get(f"/returns/files/{made.pk}/tables/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "STS002a: new clients" in html and "LTS003: unpaid carers" in html

    api.force_authenticate(returns_officer)
    tables = api.get(f"/api/v1/return-files/{made.pk}/tables/").json()
    checked = 0
    for table in tables:
        for line in table["rows"]:
            for cell in line["cells"]:
                if cell["count"]:
                    listed = api.get(f"/api/v1/return-files/{made.pk}/tables/{table['key']}/",
                                     {"row": line["row"], "column": cell["column"]}).json()
                    assert listed["count"] == cell["count"], (table["key"], line["row"], cell["column"])
                    on_page = client.get(f"/returns/files/{made.pk}/tables/{table['key']}/",
                                         {"row": line["row"], "column": cell["column"]}).content.decode()
                    assert f'data-testid="entries-count">{cell["count"]} ' in on_page
                    checked += 1
    assert checked == 13
    listed = client.get(f"/returns/files/{made.pk}/tables/STS002a/").content.decode()
    assert f'href="/people/{known.pk}/"' in listed and "SRV00000042" in listed  # each links to the person's record
    lts = next(t for t in tables if t["key"] == "LTS001a-18-64")
    assert lts["total"] == 3 and lts["totals"][:3] == [1, 1, 0]  # nursing, residential; day support is community
    csv_body = client.get(f"/returns/files/{made.pk}/tables/?format=csv").content.decode()
    assert '"STS001: requests for support from new clients, and what followed",Short term support: ST-Max,65 and over,1' in (
        csv_body)
    assert api.get(f"/api/v1/return-files/{made.pk}/tables/NOPE/").status_code == 400

    # Practitioners see neither the tables nor the people behind them.
    api.force_authenticate(practitioner)
    assert api.get(f"/api/v1/return-files/{made.pk}/tables/").status_code == 403
    client.force_login(practitioner)
    assert client.get(f"/returns/files/{made.pk}/tables/STS001/").status_code == 403
