"""Finance pages: forms keep what was typed and say what is wrong; access by role and reach; audit of
views; bounded queries on the lists and the commitments page; CSV and XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from ascm.audit.models import AuditEntry
from finance import services
from finance.models import Budget, CarePackage

from .conftest import draft

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_starting_a_package_and_adding_a_service_shows_errors_and_keeps_what_was_typed(client, person, practitioner,
                                                                                      home_care):
    client.force_login(practitioner)
    page = client.get(f"/finance/packages/new/{person.pk}/")
    assert page.status_code == 200 and "New care package" in page.content.decode()
    bad = client.post(f"/finance/packages/new/{person.pk}/", {"delivery_mechanism": "commissioned",
                                                              "starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2027"})
    assert bad.status_code == 400 and "must be a real date" in bad.content.decode()
    good = client.post(f"/finance/packages/new/{person.pk}/", {"delivery_mechanism": "commissioned",
                                                               **_date("starts_on", timezone.localdate())})
    package = CarePackage.objects.get()
    assert good["Location"] == f"/finance/packages/{package.pk}/"
    refused = client.post(f"/finance/packages/{package.pk}/lines/", {
        "service_type": "home_care", "provider": home_care.pk, "units_per_week": "14",
        "unit_cost": "31.00", "description": "Morning and evening calls", "share_council": "70",
        "share_chc": "30"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "There is a problem" in body
    assert "Say why this rate is off the framework (the framework rate is £24.50)" in body
    assert "Morning and evening calls" in body and 'value="31.00"' in body
    assert not package.lines.exists()
    saved = client.post(f"/finance/packages/{package.pk}/lines/", {
        "service_type": "home_care", "provider": home_care.pk, "units_per_week": "14",
        "share_council": "100"})
    assert saved.status_code == 302
    shown = client.get(f"/finance/packages/{package.pk}/").content.decode()
    assert "£343.00" in shown and "Submit for approval" in shown
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(package.pk), actor=practitioner).exists()


def test_the_decision_form_refuses_above_the_limit_on_the_page(client, person, practitioner, manager, home_care):
    package = draft(practitioner, person, lines=[("home_care", home_care, "30")])
    services.package_submit(user=practitioner, package=package)
    client.force_login(manager)
    page = client.get(f"/finance/packages/{package.pk}/").content.decode()
    assert "above your approval limit" in page and "Record the decision" in page
    refused = client.post(f"/finance/packages/{package.pk}/decision/", {"decision": "approve"})
    assert refused.status_code == 400 and "£735.00 a week, above your approval limit" in refused.content.decode()
    returned = client.post(f"/finance/packages/{package.pk}/decision/", {"decision": "return",
                                                                         "reason": "Split the visits"})
    assert returned.status_code == 302 and CarePackage.objects.get(pk=package.pk).status == "returned"


def test_access_to_the_pages(client, person, practitioner, thanet_practitioner, finance_officer, broker, home_care):
    package = draft(practitioner, person, lines=[("home_care", home_care, "7")])
    client.force_login(thanet_practitioner)
    assert client.get(f"/finance/packages/{package.pk}/").status_code == 404
    assert client.post(f"/finance/packages/{package.pk}/submit/").status_code == 404
    assert client.get(f"/finance/packages/new/{person.pk}/").status_code == 404
    assert client.get("/finance/approvals/").status_code == 403
    client.force_login(practitioner)
    assert client.get("/finance/approvals/").status_code == 403 and client.get("/finance/brokerage/").status_code == 403
    assert client.get("/finance/commitments/").status_code == 403
    assert client.post("/finance/budgets/", {}).status_code == 403
    client.force_login(finance_officer)
    assert client.get(f"/finance/packages/{package.pk}/").status_code == 200
    record = client.get(f"/people/{person.pk}/").content.decode()
    assert package.reference in record  # the record's finance panel
    assert client.get(f"/people/{person.pk}/notes/").status_code in (403, 404)
    assert client.post(f"/finance/packages/{package.pk}/submit/").status_code == 403
    client.force_login(broker)
    assert client.get("/finance/brokerage/").status_code == 200


def test_the_lists_make_a_bounded_number_of_queries(client, person, practitioner, manager, broker, finance_officer,
                                                    home_care, canterbury, django_assert_max_num_queries):
    from tests.clients.factories import ClientFactory, allocate

    team = person.allocations.first().team
    for i in range(12):
        someone = allocate(ClientFactory(locality=canterbury), team).client
        package = draft(practitioner, someone, lines=[("home_care", home_care, str(5 + i)), ("day_service", None, "1")])
        if i % 2:
            services.package_to_brokerage(user=practitioner, package=package)
        else:
            package.lines.filter(service_type="day_service").update(provider=home_care, unit_cost=Decimal("50"))
            services.package_submit(user=practitioner, package=package)
    services.budget_set(user=finance_officer, year=timezone.localdate().year if timezone.localdate().month > 3
                        else timezone.localdate().year - 1, locality=canterbury, service_type="home_care",
                        amount=Decimal("100000"))
    for user, url, most in ((manager, "/finance/approvals/", 25), (broker, "/finance/brokerage/", 25),
                            (finance_officer, "/finance/packages/", 25), (finance_officer, "/finance/commitments/", 25),
                            (manager, "/finance/", 25)):
        client.force_login(user)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_commitments_download_as_csv_and_xlsx_with_the_same_figures(client, person, practitioner, manager, home_care,
                                                                    canterbury, finance_officer):
    from openpyxl import load_workbook

    from ascm.core.years import financial_year

    year = financial_year()
    services.budget_set(user=finance_officer, year=year, locality=canterbury, service_type="home_care",
                        amount=Decimal("5000"))
    package = draft(practitioner, person, starts_on=datetime.date(year, 4, 1), lines=[("home_care", home_care, "1")])
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=manager, package=package)
    days = (datetime.date(year + 1, 3, 31) - datetime.date(year, 4, 1)).days + 1
    committed = (Decimal("24.50") * days / 7).quantize(Decimal("0.01"))
    client.force_login(finance_officer)
    page = client.get(f"/finance/commitments/?year={year}").content.decode()
    assert f"£{committed:,}" in page and "<svg" in page
    csv_text = client.get(f"/finance/commitments/?year={year}&format=csv").content.decode()
    assert f"Canterbury,,Home care,5000.00,{committed}," in csv_text
    book = load_workbook(io.BytesIO(client.get(f"/finance/commitments/?year={year}&format=xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Locality", "Team", "Service", "Budget", "Committed")
    assert rows[1][:5] == ("Canterbury", None, "Home care", 5000, float(committed))
    drill = client.get(f"/finance/commitments/{year}/{canterbury.pk}/home_care/").content.decode()
    assert package.reference in drill and f"£{committed:,} in the year" in drill
    assert client.get("/finance/commitments/?year=20x6").status_code == 404


def test_the_set_up_pages_show_errors_and_save(client, administrator, finance_officer, home_care, canterbury):
    client.force_login(administrator)
    bad = client.post("/finance/limits/", {"weekly_limit": "-5"})
    assert bad.status_code == 400 and "Choose the role" in bad.content.decode()
    table = client.post("/finance/allocation/", {**_date("effective_from", timezone.localdate() + datetime.timedelta(days=40)),
                                                 "points_needs_assistance": "4", "points_pain_distress_anxiety": "3",
                                                 "points_endangers_safety": "4", "points_takes_significantly_longer": "2",
                                                 "band_points_1": "2", "band_amount_1": "10.00", "band_points_2": "6"})
    body = table.content.decode()
    assert table.status_code == 400 and "Band 2: enter both the points and the weekly amount" in body
    client.force_login(finance_officer)
    overlap = client.post("/finance/rates/", {"provider": home_care.pk, "service_type": "home_care", "unit_cost": "25.00",
                                              **_date("effective_from", datetime.date(2026, 1, 1))})
    assert overlap.status_code == 400 and "overlaps the rate from 1 April 2026" in overlap.content.decode()
    saved = client.post("/finance/budgets/", {"year": "2026", "locality": canterbury.pk, "service_type": "nursing",
                                              "amount": "75000"})
    assert saved.status_code == 302 and Budget.objects.get().amount == Decimal("75000.00")


def test_budgets_are_seen_county_wide_by_finance_and_the_panel_and_by_locality_otherwise(
        client, canterbury, thanet, manager, head_of_service, panel_chair, finance_officer, thanet_practitioner):
    from finance.permissions import budget_policy

    services.budget_set(user=finance_officer, year=2026, locality=canterbury, service_type="nursing", amount=Decimal("9"))
    services.budget_set(user=finance_officer, year=2026, locality=thanet, service_type="nursing", amount=Decimal("7"))
    assert budget_policy.locality_ids(finance_officer) is None and budget_policy.locality_ids(panel_chair) is None
    assert budget_policy.locality_ids(head_of_service) == {canterbury.pk} == budget_policy.locality_ids(manager)
    client.force_login(manager)
    page = client.get("/finance/commitments/?year=2026").content.decode()
    assert "Canterbury" in page and "Thanet" not in page.split('data-testid="commitments"')[1]
    assert client.get(f"/finance/commitments/2026/{thanet.pk}/nursing/").status_code == 404
    assert client.get(f"/finance/commitments/2026/{canterbury.pk}/nursing/").status_code == 200
    client.force_login(panel_chair)
    assert client.get(f"/finance/commitments/2026/{thanet.pk}/nursing/").status_code == 200
    client.force_login(thanet_practitioner)
    assert client.get("/finance/commitments/?year=2026").status_code == 403


def test_the_record_asks_only_for_the_finance_parts_a_person_has(client, practitioner, person):
    """A package but no personal budget or financial assessment: the panel reads packages only, and
    the holdings read once per process say the same as the person's own query would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clients.extensions import record_holdings_of, record_panel_holdings
    from clients.models import Client
    from tests.finance.conftest import draft

    draft(practitioner, person)
    client.force_login(practitioner)
    client.get(f"/people/{person.pk}/")
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/people/{person.pk}/").status_code == 200
    plain = [q["sql"].split("EXISTS")[0] for q in page.captured_queries]
    assert any('FROM "finance_carepackage"' in q for q in plain)
    assert not any('FROM "finance_personalbudget"' in q or 'FROM "finance_financialassessment"' in q for q in plain)
    annotated = Client.objects.annotate(**record_panel_holdings()).get(pk=person.pk)
    record_holdings_of(person)
    names = list(record_panel_holdings())
    assert {name: getattr(person, name) for name in names} == {name: getattr(annotated, name) for name in names}
    assert person.holds_finance__packages and not person.holds_finance__budget
