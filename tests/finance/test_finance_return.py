"""The finance return (ASC-FR) extracts from what was paid and invoiced: gross expenditure by primary
support reason × setting × age band, contributions as income shared to the penny, care homes' cost
per resident-week, home care's hourly rate; every figure the sum of its list of people."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ascm.accounts import roles
from ascm.core.years import financial_year
from finance import asc_fr, payments
from tests.factories import UserFactory, member, with_role

from .conftest import charged
from .test_payments import _approved, _make, period  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_invoice_is_shared_over_the_settings_it_paid_for_to_the_penny():
    figures = [asc_fr.PersonFigure(1, s, "mental_health", "18 to 64", gross=Decimal(g))
               for s, g in (("home_care", "10.00"), ("day_care", "20.00"), ("supported", "0.00"))]
    asc_fr._share(Decimal("100.00"), figures)
    assert [f.contribution for f in figures] == [Decimal("33.33"), Decimal("66.67"), Decimal("0.00")]
    assert sum(f.contribution for f in figures) == Decimal("100.00")


def test_a_year_not_started_is_refused():
    this = financial_year()
    asc_fr.year_check(this)
    with pytest.raises(ValidationError) as refused:
        asc_fr.year_check(this + 1)
    assert "has not started yet" in " ".join(refused.value.message_dict["year"])


@pytest.fixture
def paid_year(person, practitioner, manager, panel_chair, home_care, orchard, finance_officer, canterbury,
              period):  # noqa: F811
    """A 40-year-old's home care (6 hours at £24.50, invoiced £147.00) and an 80-year-old's four
    weeks in a care home at £820, in one approved pay run."""
    from tests.clients.factories import ClientFactory, allocate

    team = person.allocations.first().team
    line = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period).lines.get()
    charged(finance_officer, person, period)
    payments.actual_record(user=finance_officer, line=line, period_start=period, units=Decimal("6"))
    elder = allocate(ClientFactory(locality=canterbury, date_of_birth=datetime.date(1946, 5, 1),
                                   primary_support_reason="memory_cognition"), team).client
    _approved(practitioner, panel_chair, elder, [("residential", orchard, "1")], period)
    run = _make(finance_officer, period)
    other = member(UserFactory(username="fin9"), team, roles.FINANCE_OFFICER).user
    payments.pay_run_approve(user=other, pay_run=run)
    return {"person": person, "elder": elder, "year": financial_year(period)}


def test_the_years_extracts_by_setting_reason_and_age_with_unit_costs(paid_year):
    data = asc_fr.extract(paid_year["year"])
    young, old = data["long_term"][0], data["long_term"][1]
    assert (young["band"], old["band"]) == ("18 to 64", "65 and over")
    (row,) = young["rows"]
    home = next(c["cell"] for c in row["cells"] if c["key"] == "home_care")
    assert (home.gross, home.contribution, home.units, len(home.people)) == (
        Decimal("147.00"), Decimal("147.00"), Decimal("6.00"), 1)
    (row,) = old["rows"]
    assert row["label"] == "Support with memory and cognition"
    home = next(c["cell"] for c in row["cells"] if c["key"] == "residential")
    assert (home.gross, home.contribution) == (Decimal("3280.00"), Decimal("0.00"))
    assert data["unit_costs"][1] == {"setting": "nursing", "label": "Nursing care", "gross": Decimal("0.00"),
                                     "weeks": Decimal("0.00"), "per_week": None}
    assert (data["unit_costs"][0]["weeks"], data["unit_costs"][0]["per_week"]) == (Decimal("4.00"), Decimal("820.00"))
    assert [(h["provider"], h["hours"], h["per_hour"]) for h in data["home_care"]] == [
        ("in_house", Decimal("0.00"), None), ("external", Decimal("6.00"), Decimal("24.50"))]
    totals = data["totals"]
    assert (totals["all"].gross, totals["all"].contribution, totals["all"].net) == (
        Decimal("3427.00"), Decimal("147.00"), Decimal("3280.00"))
    assert totals["short"].gross == Decimal("0.00")
    assert asc_fr.extract(paid_year["year"] - 1)["totals"]["all"].gross == Decimal("0.00")  # the year before: nothing


def test_the_page_the_csv_and_the_api_with_each_figure_the_sum_of_its_people(
        client, api, paid_year, finance_officer, practitioner, django_assert_max_num_queries):
    year = paid_year["year"]
    client.force_login(finance_officer)
    with django_assert_max_num_queries(14):  # the same whatever the year holds: three grouped queries for the figures
        page = client.get(f"/finance/asc-fr/?year={year}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "£3,427.00" in html and "£820.00" in html and "£24.50" in html
    listed = client.get(f"/finance/asc-fr/people/?year={year}&setting=residential&band=65+and+over").content.decode()
    assert "1 person: £3,280.00 gross, £0.00 contributed." in listed and paid_year["elder"].display_name in listed
    csv_body = client.get(f"/finance/asc-fr/?year={year}&format=csv").content.decode()
    assert ",18 to 64,147.00,147.00,0.00,1,6.00" in csv_body
    assert "Unit cost per resident-week,Residential care,,,3280.00,,,,4.00" in csv_body
    future = client.get(f"/finance/asc-fr/?year={year + 1}")
    assert future.status_code == 400 and "has not started yet" in future.content.decode()
    assert 'value="' + str(year + 1) + '"' in future.content.decode()  # what was typed is kept
    assert "Enter the year as 4 digits" in client.get("/finance/asc-fr/?year=twenty").content.decode()

    api.force_authenticate(finance_officer)
    data = api.get("/api/v1/finance-return/", {"year": year}).json()
    assert data["totals"]["all"] == {"gross": "3427.00", "contribution": "147.00", "net": "3280.00", "people": 2,
                                     "units": "10.00"}
    for band in data["long_term"]:
        for row in band["rows"]:
            for one in row["cells"]:
                if one["cell"]["people"]:
                    people = api.get("/api/v1/finance-return/people/", {
                        "year": year, "setting": one["key"], "psr": row["psr"], "band": band["band"]}).json()
                    assert people["count"] == one["cell"]["people"]
                    assert sum(Decimal(p["gross"]) for p in people["results"]) == Decimal(one["cell"]["gross"])
                    assert sum(Decimal(p["contribution"]) for p in people["results"]) == Decimal(
                        one["cell"]["contribution"])
    bad = api.get("/api/v1/finance-return/people/", {"year": year, "setting": "yacht", "band": "teen"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"setting", "band"}
    assert api.get("/api/v1/finance-return/", {"year": year + 1}).status_code == 400

    # The returns officer sends it; a practitioner sees neither the figures nor the people behind them.
    officer = with_role(UserFactory(username="rory"), roles.PERFORMANCE_OFFICER)
    api.force_authenticate(officer)
    assert api.get("/api/v1/finance-return/", {"year": year}).status_code == 200
    api.force_authenticate(practitioner)
    assert api.get("/api/v1/finance-return/", {"year": year}).status_code == 403
    assert api.get("/api/v1/finance-return/people/", {"year": year}).status_code == 403
    client.force_login(practitioner)
    assert client.get(f"/finance/asc-fr/?year={year}").status_code == 403
