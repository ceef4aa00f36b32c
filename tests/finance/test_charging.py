"""The financial assessment, by the hand-worked cases (finance.charging's docstring states the rules)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance import services
from finance.charging import calculate, tariff_income
from finance.defaults import CHARGING_2025
from finance.models import ChargingRates, FinancialAssessment
from tests.documents import assert_pdf_says_what_the_page_says, assert_tagged_pdf

pytestmark = pytest.mark.django_db
ON = datetime.date(2026, 6, 1)
BORN_70 = datetime.date(1956, 1, 1)
BORN_40 = datetime.date(1986, 1, 1)


@pytest.fixture
def rates():
    return ChargingRates.objects.get(effective_from=CHARGING_2025["effective_from"])


@pytest.mark.parametrize("capital, tariff", [("20000", "23.00"), ("15750", "6.00"), ("14251", "1.00"),
                                             ("14250", "0.00"), ("0", "0.00"), ("23250", "36.00")])
def test_tariff_income_is_a_pound_a_week_for_every_250_or_part(rates, capital, tariff):
    assert tariff_income(Decimal(capital), rates) == Decimal(tariff)


def test_capital_of_30000_in_a_care_home_pays_the_full_cost(rates):
    result = calculate(setting="care_home", rates=rates, on=ON, born=BORN_70,
                       capital=[{"kind": "savings", "value": "30000"}], income=[], cost_of_care=Decimal("820.00"))
    assert result.pays_full_cost and result.weekly_contribution == Decimal("820.00")
    assert ("Capital is above the upper limit of £23,250.00", "You pay the full cost of your care") in result.lines


def test_a_care_home_contribution_keeps_the_personal_expenses_allowance(rates):
    # £15,750 → £6 tariff; pension £200 + £6 − £30.65 PEA = £175.35.
    result = calculate(setting="care_home", rates=rates, on=ON, born=BORN_70,
                       capital=[{"kind": "savings", "value": "15750"}],
                       income=[{"kind": "state_pension", "weekly": "200.00"}], cost_of_care=Decimal("820.00"))
    assert result.weekly_contribution == Decimal("175.35") and not result.pays_full_cost
    assert ("Less the Personal Expenses Allowance you keep", "£30.65") in result.lines


def test_the_home_counts_after_the_first_12_weeks_of_permanent_care(rates):
    started = ON - datetime.timedelta(weeks=11)
    within = calculate(setting="care_home", rates=rates, on=ON, born=BORN_70, capital=[], income=[],
                       property_value=Decimal("250000"), permanent_care_from=started, cost_of_care=Decimal("820"))
    assert not within.pays_full_cost and within.weekly_contribution == Decimal("0.00")
    after = calculate(setting="care_home", rates=rates, on=ON + datetime.timedelta(weeks=2), born=BORN_70, capital=[],
                      income=[], property_value=Decimal("250000"), permanent_care_from=started, cost_of_care=Decimal("820"))
    assert after.pays_full_cost and after.weekly_contribution == Decimal("820.00")
    deferred = calculate(setting="care_home", rates=rates, on=ON + datetime.timedelta(weeks=20), born=BORN_70, capital=[],
                         income=[], property_value=Decimal("250000"), permanent_care_from=started, deferred_payment=True,
                         cost_of_care=Decimal("820"))
    assert not deferred.pays_full_cost


def test_care_at_home_income_less_mig_dre_and_disregards_capped_at_the_cost_of_care(rates):
    # 40, disabled: MIG £112.50 + £49.65 = £162.15. Income counted: ESA £200 + PIP daily living £72.65;
    # earnings and PIP mobility are disregarded; capital £20,000 → £23 tariff. Assessable £295.65;
    # less MIG £162.15 and the standard DRE £17.00, less housing £10: £106.50.
    income = [{"kind": "esa", "weekly": "200.00"}, {"kind": "pip_daily_living", "weekly": "72.65"},
              {"kind": "earnings", "weekly": "50.00"}, {"kind": "pip_mobility", "weekly": "28.70"}]
    result = calculate(setting="home", rates=rates, on=ON, born=BORN_40, capital=[{"kind": "savings", "value": "20000"}],
                       income=income, property_value=Decimal("180000"), housing_costs=Decimal("10.00"), disabled=True,
                       cost_of_care=Decimal("343.00"))
    assert result.weekly_contribution == Decimal("106.50")
    assert ("Income: Earnings (disregarded, not counted)", "£50.00") in result.lines
    assert ("The home you live in (not counted for care at home)", "£0.00") in result.lines
    capped = calculate(setting="home", rates=rates, on=ON, born=BORN_40, capital=[], income=income, disabled=True,
                       cost_of_care=Decimal("60.00"))
    assert capped.weekly_contribution == Decimal("60.00")
    itemised = calculate(setting="home", rates=rates, on=ON, born=BORN_40, capital=[], income=[{"kind": "esa", "weekly": "150"}],
                         dre_items=[{"description": "Extra laundry", "weekly": "12.00"}], cost_of_care=Decimal("343"))
    assert itemised.weekly_contribution == Decimal("25.50")  # 150 − 112.50 − 12.00
    below = calculate(setting="home", rates=rates, on=ON, born=BORN_40, capital=[], income=[{"kind": "esa", "weekly": "90"}],
                      cost_of_care=Decimal("343"))
    assert below.weekly_contribution == Decimal("0.00")  # never below nothing


def test_pension_age_needs_the_circulars_figure(rates):
    with pytest.raises(ValueError, match="pension-age Minimum Income Guarantee"):
        calculate(setting="home", rates=rates, on=ON, born=BORN_70, capital=[], income=[])
    rates.mig_pension_age = Decimal("228.70")
    result = calculate(setting="home", rates=rates, on=ON, born=BORN_70, capital=[],
                       income=[{"kind": "state_pension", "weekly": "260.00"}], cost_of_care=Decimal("100"))
    assert result.weekly_contribution == Decimal("14.30")  # 260 − 228.70 − 17.00


def test_a_new_table_changes_a_result_only_from_its_date(person, finance_officer):
    person.date_of_birth = BORN_40
    person.save()
    services.charging_rates_add(user=finance_officer, effective_from=datetime.date(2026, 4, 1),
                                **{**{k: v for k, v in CHARGING_2025.items() if k != "effective_from"},
                                   "mig_25_to_pension": Decimal("120.00")})
    with pytest.raises(ValidationError) as twice:
        services.charging_rates_add(user=finance_officer, effective_from=datetime.date(2026, 4, 1),
                                    **{k: v for k, v in CHARGING_2025.items() if k != "effective_from"})
    assert "already rates from 1 April 2026" in " ".join(twice.value.message_dict["effective_from"])
    results = []
    for day in (datetime.date(2026, 3, 31), datetime.date(2026, 4, 1)):
        draft = services.financial_assessment_save(user=finance_officer, client=person, setting="home", assessed_on=day,
                                                   income=[{"kind": "esa", "weekly": "200"}])
        results.append(services.financial_assessment_complete(user=finance_officer, assessment=draft))
    assert [r.weekly_contribution for r in results] == [Decimal("70.50"), Decimal("63.00")]  # 200−112.50−17; 200−120−17
    results[0].refresh_from_db()
    assert results[0].status == FinancialAssessment.Status.SUPERSEDED and results[1].status == "completed"


def test_negative_amounts_and_changes_to_a_completed_assessment_are_refused(person, finance_officer):
    with pytest.raises(ValidationError) as negative:
        services.financial_assessment_save(user=finance_officer, client=person, setting="home",
                                           assessed_on=ON, capital=[{"kind": "savings", "value": "-5"}])
    assert "cannot be negative" in " ".join(negative.value.message_dict["capital"])
    with pytest.raises(ValidationError):
        services.financial_assessment_save(user=finance_officer, client=person, setting="home", assessed_on=ON,
                                           income=[{"kind": "esa", "weekly": "-1"}])
    person.date_of_birth = BORN_40
    person.save()
    done = services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
        user=finance_officer, client=person, setting="home", assessed_on=ON, income=[{"kind": "esa", "weekly": "100"}]))
    assert done.weekly_contribution == Decimal("0.00") and done.lines[-1] == ["Your weekly contribution", "£0.00"]
    with pytest.raises(ValidationError):
        services.financial_assessment_save(user=finance_officer, client=person, assessment=done, setting="home",
                                           assessed_on=ON)


def test_charges_start_only_after_the_person_is_told_unless_a_manager_backdates(person, finance_officer, manager):
    from finance.permissions import financial_assessment_policy

    person.date_of_birth = BORN_40
    person.save()
    draft = services.financial_assessment_save(user=finance_officer, client=person, setting="home", assessed_on=ON,
                                               income=[{"kind": "esa", "weekly": "200"}])
    with pytest.raises(ValidationError) as not_done:
        services.person_told(user=finance_officer, assessment=draft, told_on=ON)
    assert "Complete the assessment" in " ".join(not_done.value.message_dict["assessment"])
    done = services.financial_assessment_complete(user=finance_officer, assessment=draft)
    with pytest.raises(ValidationError) as untold:
        services.charges_start(user=finance_officer, assessment=done, charge_from=ON)
    assert "Tell the person their contribution first" in " ".join(untold.value.message_dict["charge_from"])
    told_on = ON + datetime.timedelta(days=3)
    services.person_told(user=finance_officer, assessment=done, told_on=told_on)
    with pytest.raises(ValidationError) as early:
        services.charges_start(user=finance_officer, assessment=done, charge_from=ON)
    assert "cannot start before the person was told (4 June 2026)" in " ".join(early.value.message_dict["charge_from"])
    assert financial_assessment_policy.user_may(manager, "backdate")
    with pytest.raises(ValidationError) as why:
        services.charges_start(user=manager, assessment=done, charge_from=ON)
    assert "reason" in " ".join(why.value.message_dict["backdate_reason"])
    services.charges_start(user=manager, assessment=done, charge_from=ON, backdate_reason="The letter was delayed by us")
    assert done.charge_from == ON and done.backdate_reason == "The letter was delayed by us"
    services.charges_start(user=finance_officer, assessment=done, charge_from=told_on)
    assert done.charge_from == told_on and done.backdate_reason == ""


def test_financial_assessments_through_the_api_and_the_pages(api, client, person, finance_officer, practitioner,
                                                             thanet_practitioner):
    person.date_of_birth = BORN_40
    person.save()
    api.force_authenticate(finance_officer)
    negative = api.post("/api/v1/financial-assessments/", {"client": person.pk, "setting": "home",
                                                           "assessed_on": ON.isoformat(),
                                                           "capital": [{"kind": "savings", "value": "-1"}]}, format="json")
    assert negative.status_code == 400 and "capital" in negative.json()["errors"]
    made = api.post("/api/v1/financial-assessments/", {"client": person.pk, "setting": "home", "assessed_on": ON.isoformat(),
                                                       "capital": [{"kind": "savings", "value": "20000"}],
                                                       "income": [{"kind": "esa", "weekly": "200"}]}, format="json")
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    done = api.post(f"/api/v1/financial-assessments/{pk}/complete/", {}, format="json").json()
    assert done["weekly_contribution"] == "93.50" and done["status"] == "completed"  # 200 + 23 − 112.50 − 17
    early = api.post(f"/api/v1/financial-assessments/{pk}/charges/", {"charge_from": ON.isoformat()}, format="json")
    assert early.status_code == 400 and "charge_from" in early.json()["errors"]
    assert api.post(f"/api/v1/financial-assessments/{pk}/told/", {"told_on": ON.isoformat()},
                    format="json").json()["told_on"] == ON.isoformat()
    api.force_authenticate(thanet_practitioner)
    assert api.get(f"/api/v1/financial-assessments/{pk}/").status_code == 404
    api.force_authenticate(practitioner)
    assert api.get(f"/api/v1/financial-assessments/{pk}/").status_code == 200  # the worker reads it
    assert api.post(f"/api/v1/financial-assessments/{pk}/told/", {"told_on": ON.isoformat()},
                    format="json").status_code == 403
    client.force_login(finance_officer)
    page = client.get(f"/finance/financial-assessments/{pk}/").content.decode()
    assert "Tariff income" in page and "£93.50" in page
    letter = client.get(f"/finance/financial-assessments/{pk}/letter/").content.decode()
    assert "£93.50 a week" in letter and "If you think this is wrong" in letter
    pdf = client.get(f"/finance/financial-assessments/{pk}/letter/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert_tagged_pdf(pdf.content, title="What you will pay towards your care")
    assert_pdf_says_what_the_page_says(pdf.content, letter)
    refused = client.post(f"/finance/people/{person.pk}/financial-assessments/new/", {
        "kind": "full", "setting": "home", "assessed_on_0": "1", "assessed_on_1": "6", "assessed_on_2": "2026",
        "capital_value_1": "500", "income_kind_1": "esa", "income_weekly_1": "-4"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Capital 1: choose the kind" in body and 'value="500"' in body
    assert FinancialAssessment.objects.count() == 1


def test_everyone_is_reassessed_on_a_new_april_table_in_batches_and_charged_from_the_letters(
        client, person, finance_officer, django_capture_on_commit_callbacks):
    from finance.models import Reassessment
    from tests.clients.factories import ClientFactory

    people = [person] + [ClientFactory(locality=person.locality, date_of_birth=BORN_40) for _ in range(4)]
    person.date_of_birth = BORN_40
    person.save()
    for someone in people:
        services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
            user=finance_officer, client=someone, setting="home", assessed_on=ON, income=[{"kind": "esa", "weekly": "200"}]))
    april = services.charging_rates_add(user=finance_officer, effective_from=datetime.date(2027, 4, 1),
                                        **{**{k: v for k, v in CHARGING_2025.items() if k != "effective_from"},
                                           "mig_25_to_pension": Decimal("115.00")})
    with django_capture_on_commit_callbacks(execute=False):
        job = services.reassessment_start(user=finance_officer, rates=april)
    assert (job.status, job.total) == ("making", 5)
    client.force_login(finance_officer)
    assert "0 of 5 financial assessments" in client.get(f"/finance/reassessments/{job.pk}/").content.decode()
    assert services.reassessment_run(job.pk, batch=2) == 5
    assert services.reassessment_run(job.pk, batch=2) == 0  # done: run again, nothing twice
    job.refresh_from_db()
    new = FinancialAssessment.objects.filter(reassessment=job)
    assert job.status == "done" and new.count() == 5
    assert set(new.values_list("weekly_contribution", flat=True)) == {Decimal("68.00")}  # 200 − 115 − 17
    assert FinancialAssessment.objects.filter(status="superseded").count() == 5
    assert not new.filter(charge_from__isnull=False).exists()  # not charged before they are told
    with pytest.raises(ValidationError):
        services.reassessment_start(user=finance_officer, rates=april)
    told = client.post(f"/finance/reassessments/{job.pk}/letters/", {
        "told_on_0": ON.day, "told_on_1": ON.month, "told_on_2": ON.year})
    assert told.status_code == 302
    assert set(new.values_list("charge_from", flat=True)) == {datetime.date(2027, 4, 1)}  # the rates' date, later
    assert Reassessment.objects.get().status == "told"
    # Bulk writes are audited a row each: made, superseded, and charged from the letters' date.
    from ascm.audit.models import AuditEntry

    for someone in new:
        entries = AuditEntry.objects.get_for_object(someone)
        assert {e.action for e in entries} == {AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE}
        assert any(e.changes.get("charge_from") == ["", "2027-04-01"] and e.actor == finance_officer for e in entries)
    superseded = FinancialAssessment.objects.filter(status="superseded").first()
    assert AuditEntry.objects.get_for_object(superseded).filter(changes__status=["completed", "superseded"]).exists()


def test_the_reassessment_in_the_api(api, person, finance_officer, practitioner, django_capture_on_commit_callbacks):
    person.date_of_birth = BORN_40
    person.save()
    services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
        user=finance_officer, client=person, setting="home", assessed_on=ON, income=[{"kind": "esa", "weekly": "200"}]))
    april = services.charging_rates_add(user=finance_officer, effective_from=datetime.date(2027, 4, 1),
                                        **{k: v for k, v in CHARGING_2025.items() if k != "effective_from"})
    api.force_authenticate(practitioner)
    assert api.post("/api/v1/reassessments/", {"rates": april.pk}, format="json").status_code == 403
    api.force_authenticate(finance_officer)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process here
        made = api.post("/api/v1/reassessments/", {"rates": april.pk}, format="json")
    assert made.status_code == 201
    job = api.get(f"/api/v1/reassessments/{made.json()['id']}/").json()
    assert (job["status"], job["total"], job["done"]) == ("done", 1, 1)
    bad = api.post(f"/api/v1/reassessments/{job['id']}/letters/", {"told_on": "2026-13-01"}, format="json")
    assert bad.status_code == 400 and "told_on" in bad.json()["errors"]
    told = api.post(f"/api/v1/reassessments/{job['id']}/letters/", {"told_on": ON.isoformat()}, format="json")
    assert told.status_code == 200 and told.json()["status"] == "told"
    again = api.post("/api/v1/reassessments/", {"rates": april.pk}, format="json")
    assert again.status_code == 400 and "rates" in again.json()["errors"]
