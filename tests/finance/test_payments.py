"""Provider payments and invoices: paid what was delivered, never more than planned, never unapproved,
never twice; the person's invoice never above the chargeable care they received."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from finance import payments, services
from finance.models import ClientInvoice, PayRunItem

from .conftest import charged, draft

pytestmark = pytest.mark.django_db
BORN_40 = datetime.date(1986, 1, 1)


def _make(user, period_start):
    """A pay run, made as its task makes it (in batches; here two lines a batch, to cross a batch's edge)."""
    run = payments.pay_run_create(user=user, period_start=period_start)
    payments.pay_run_make(run.pk, batch=2)
    run.refresh_from_db()
    return run


def _approved(practitioner, approver, person, lines, starts_on):
    package = draft(practitioner, person, starts_on=starts_on, lines=lines)
    services.package_submit(user=practitioner, package=package)
    return services.package_approve(user=approver, package=package)


@pytest.fixture
def period():
    return timezone.localdate() - datetime.timedelta(days=60)


def test_actuals_over_planned_are_held_and_under_are_paid_as_delivered(person, practitioner, manager, home_care,
                                                                       finance_officer, period):
    package = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period)  # 10 hours in 28 days
    line = package.lines.get()
    assert payments.planned_units(line, period, period + datetime.timedelta(days=27)) == Decimal("10.00")
    payments.actual_record(user=finance_officer, line=line, period_start=period, units=Decimal("14"))
    run = _make(finance_officer, period)
    item = run.items.get()
    assert item.held and "Actuals (14.00) exceed the planned 10.00" in item.hold_reason and item.amount == 0
    second = period + datetime.timedelta(days=28)
    payments.actual_record(user=finance_officer, line=line, period_start=second, units=Decimal("8"))
    paid = _make(finance_officer, second).items.get()
    assert not paid.held and paid.units_paid == Decimal("8.00") and paid.amount == Decimal("196.00")  # 8 × £24.50


def test_a_pay_run_over_a_period_already_paid_is_refused_and_nothing_is_paid_twice(person, practitioner, panel_chair,
                                                                                  orchard, finance_officer, period):
    _approved(practitioner, panel_chair, person, [("residential", orchard, "1")], period)
    run = _make(finance_officer, period)
    assert run.items.get().amount == Decimal("3280.00")  # 4 weeks at £820
    for start in (period, period + datetime.timedelta(days=10)):
        with pytest.raises(ValidationError) as twice:
            payments.pay_run_create(user=finance_officer, period_start=start)
        assert "already made: nothing is paid twice" in " ".join(twice.value.message_dict["period_start"])
    assert PayRunItem.objects.count() == 1


def test_unapproved_lines_with_actuals_are_held_and_ended_lines_take_no_actuals(person, practitioner, home_care,
                                                                                finance_officer, period):
    package = draft(practitioner, person, starts_on=period, lines=[("home_care", home_care, "5")])
    line = package.lines.get()
    payments.actual_record(user=finance_officer, line=line, period_start=period, units=Decimal("4"))
    item = _make(finance_officer, period).items.get()
    assert item.held and "not approved" in item.hold_reason
    line.ends_on = period + datetime.timedelta(days=3)
    line.save()
    with pytest.raises(ValidationError) as ended:
        payments.actual_record(user=finance_officer, line=line, period_start=period + datetime.timedelta(days=28),
                               units=Decimal("1"))
    assert "ended on" in " ".join(ended.value.message_dict["period_start"])


def test_approval_by_another_officer_makes_the_invoices_capped_at_the_care_received(
        person, practitioner, manager, home_care, finance_officer, broker, period):
    from ascm.accounts import roles
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin2"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    person.date_of_birth = BORN_40
    person.save()
    package = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period)
    assessment = services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
        user=finance_officer, client=person, setting="home", assessed_on=period, income=[{"kind": "esa", "weekly": "300"}]))
    # 300 − 112.50 − 17.00 = £170.50, capped at the package's £61.25 a week.
    assert assessment.weekly_contribution == Decimal("61.25")
    services.person_told(user=finance_officer, assessment=assessment, told_on=period)
    services.charges_start(user=finance_officer, assessment=assessment, charge_from=period)
    payments.actual_record(user=finance_officer, line=package.lines.get(), period_start=period, units=Decimal("6"))
    run = _make(finance_officer, period)
    with pytest.raises(ValidationError):
        payments.pay_run_approve(user=finance_officer, pay_run=run)  # not its maker
    payments.pay_run_approve(user=other, pay_run=run)
    invoice = ClientInvoice.objects.get()
    # Four weeks at £61.25 would be £245.00; the care received was 6 hours at £24.50: £147.00.
    assert (invoice.care_received, invoice.amount) == (Decimal("147.00"), Decimal("147.00"))
    assert payments.invoices_make(pay_run=run) == 0  # once per person and period
    rows = payments.ledger_rows(run)
    assert rows[1][-3:] == ["council", "100.00", "147.00"] and len(rows) == 2


def test_reablement_is_free_for_six_weeks_and_charged_from_week_seven_only_with_an_assessment(
        person, practitioner, manager, home_care, finance_officer):
    from ascm.accounts import roles
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin3"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    person.date_of_birth = BORN_40
    person.save()
    start = timezone.localdate() - datetime.timedelta(weeks=12)
    package = draft(practitioner, person, starts_on=start, lines=[("home_care", home_care, "7", {"reablement": True})])
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=manager, package=package)
    line = package.lines.get()
    for weeks in (0, 4):
        payments.actual_record(user=finance_officer, line=line, period_start=start + datetime.timedelta(weeks=weeks),
                               units=Decimal("28"))
    first = _make(finance_officer, start)
    payments.pay_run_approve(user=other, pay_run=first)
    assert not ClientInvoice.objects.exists()  # no assessment on file: nothing is charged
    assessment = services.financial_assessment_complete(user=finance_officer, assessment=services.financial_assessment_save(
        user=finance_officer, client=person, setting="home", assessed_on=start, income=[{"kind": "esa", "weekly": "1000"}]))
    services.person_told(user=finance_officer, assessment=assessment, told_on=start)
    services.charges_start(user=finance_officer, assessment=assessment, charge_from=start)
    second = _make(finance_officer, start + datetime.timedelta(weeks=4))
    payments.pay_run_approve(user=other, pay_run=second)
    invoice = ClientInvoice.objects.get()
    # Weeks 5–8: weeks 5 and 6 are free reablement; weeks 7 and 8 are charged: half the £686.00 delivered.
    assert invoice.care_received == Decimal("343.00") and invoice.amount == Decimal("343.00")


def test_equipment_is_nevercharged(person, practitioner, manager, orchard, finance_officer, period):
    line_package = _approved(practitioner, manager, person, [("equipment", orchard, "1", {"unit_cost": Decimal("10"),
                                                                                        "off_framework_reason": "Loan"})],
                             period)
    assert line_package.lines.get().weekly_cost == Decimal("10.00")
    assert payments._free_days(line_package.lines.get(), (period, period + datetime.timedelta(days=27))) == 28


def test_actuals_import_reports_each_row(person, practitioner, manager, home_care, finance_officer, period):
    line = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period).lines.get()
    data = (f"line,period_start,units\n{line.pk},{period.isoformat()},9\n{line.pk},not-a-date,3\n999999,"
            f"{period.isoformat()},1\n").encode()
    report = payments.actuals_import(user=finance_officer, data=data, filename="provider.csv")
    assert [row[2] for row in report] == ["recorded", "refused", "refused"]
    assert "No such package line" in report[2][3]
    assert line.actuals.get().units == Decimal("9.00")


def test_pay_runs_actuals_and_statements_in_the_pages_and_the_api(client, api, person, practitioner, manager,
                                                                  home_care, finance_officer, thanet_practitioner, period,
                                                                  django_capture_on_commit_callbacks):
    from ascm.accounts import roles
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin4"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    line = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period).lines.get()
    client.force_login(finance_officer)
    bad = client.post("/finance/actuals/", {"line": line.pk, "period_start_0": "1", "period_start_1": "13",
                                            "period_start_2": "2026", "units": "-1"})
    assert bad.status_code == 400 and "must be a real date" in bad.content.decode()
    saved = client.post("/finance/actuals/", {"line": line.pk, "period_start_0": period.day,
                                              "period_start_1": period.month, "period_start_2": period.year, "units": "9"})
    assert saved.status_code == 302 and line.actuals.get().units == Decimal("9.00")
    with django_capture_on_commit_callbacks(execute=True):  # the task makes it (in-process here)
        made = client.post("/finance/pay-runs/", {"period_start_0": period.day, "period_start_1": period.month,
                                                  "period_start_2": period.year})
    run_url = made["Location"]
    page = client.get(run_url).content.decode()
    assert "£220.50" in page and "Approve the pay run" in page  # 9 hours at £24.50
    refused = client.post(run_url + "approve/")
    assert refused.status_code == 400 and "another finance officer approves it" in refused.content.decode()
    again = client.post("/finance/pay-runs/", {"period_start_0": period.day, "period_start_1": period.month,
                                               "period_start_2": period.year})
    assert again.status_code == 400 and "nothing is paid twice" in again.content.decode()
    api.force_authenticate(other)
    run_id = int(run_url.rstrip("/").rsplit("/", 1)[1])
    approved = api.post(f"/api/v1/pay-runs/{run_id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    ledger = client.get(run_url + "ledger.csv").content.decode()
    assert ledger.splitlines()[1].endswith(",council,100.00,220.50")
    assert api.get(f"/api/v1/client-invoices/?client={person.pk}").json()["count"] == 0  # no assessment: no charge
    api.force_authenticate(thanet_practitioner)
    assert api.get("/api/v1/pay-runs/").status_code == 403
    assert client.get(f"/finance/people/{person.pk}/statement/").status_code == 200
    client.force_login(thanet_practitioner)
    assert client.get(f"/finance/people/{person.pk}/statement/").status_code == 404
    assert client.get("/finance/pay-runs/").status_code == 403


def test_the_pay_run_is_made_in_batches_shows_progress_and_resumes_without_paying_twice(
        client, person, practitioner, manager, home_care, finance_officer, canterbury, period,
        django_assert_max_num_queries):
    from tests.clients.factories import ClientFactory, allocate

    team = person.allocations.first().team
    for _ in range(5):
        someone = allocate(ClientFactory(locality=canterbury), team).client
        _approved(practitioner, manager, someone, [("home_care", home_care, "2")], period)
    run = payments.pay_run_create(user=finance_officer, period_start=period)
    assert (run.status, run.lines_total, run.lines_done) == ("making", 5, 0)
    client.force_login(finance_officer)
    assert "Being made: 0 of 5 package lines so far" in client.get(f"/finance/pay-runs/{run.pk}/").content.decode()
    with pytest.raises(ValidationError):
        payments.pay_run_approve(user=manager, pay_run=run)  # still being made
    from finance.models import PayRun

    # One batch, then the task dies; run again, it carries on after the last line done.
    lines = list(payments._pay_lines(run).order_by("pk")[:2])
    PayRunItem.objects.bulk_create([PayRunItem(pay_run=run, line=line, provider=home_care, units_planned=Decimal("8"))
                                    for line in lines])
    PayRun.objects.filter(pk=run.pk).update(last_line_id=lines[-1].pk, lines_done=2)
    assert payments.pay_run_make(run.pk, batch=2) == 3
    assert payments.pay_run_make(run.pk, batch=2) == 0  # done: a redelivered task does nothing
    run.refresh_from_db()
    assert (run.status, run.lines_done, run.items.count()) == ("draft", 5, 5)
    with django_assert_max_num_queries(20):  # the same for 5 lines or 25,000: grouped totals, a page of lines
        assert "Remittances by provider" in client.get(f"/finance/pay-runs/{run.pk}/").content.decode()


def test_the_statement_takes_payments_shows_the_balance_and_arrears_and_a_cancelled_payment_leaves_it(
        client, api, person, practitioner, manager, home_care, finance_officer, thanet_practitioner, period):
    from ascm.accounts import roles
    from ascm.audit.models import AuditEntry
    from finance.models import ClientPayment
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin5"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    package = _approved(practitioner, manager, person, [("home_care", home_care, "2.5")], period)
    charged(finance_officer, person, period)
    payments.actual_record(user=finance_officer, line=package.lines.get(), period_start=period, units=Decimal("6"))
    payments.pay_run_approve(user=other, pay_run=_make(finance_officer, period))
    invoice = ClientInvoice.objects.get()
    assert invoice.amount == Decimal("147.00")  # period ended 32 days ago: due 28 days after, so in arrears
    url = f"/finance/people/{person.pk}/statement/"
    client.force_login(finance_officer)
    page = client.get(url).content.decode()
    assert "£147.00 in arrears" in page and "Record a payment" in page
    today = timezone.localdate()
    refused = client.post(url + "payments/", {"received_on_0": today.day, "received_on_1": today.month,
                                              "received_on_2": today.year, "amount": "-5", "reference": "DD-0042"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Choose how it was paid" in body and 'value="DD-0042"' in body
    assert "govuk-error-summary" in body and not ClientPayment.objects.exists()
    saved = client.post(url + "payments/", {"received_on_0": today.day, "received_on_1": today.month,
                                            "received_on_2": today.year, "amount": "100.00", "method": "direct_debit",
                                            "reference": "DD-0042"})
    assert saved.status_code == 302
    payment = ClientPayment.objects.get()
    assert AuditEntry.objects.get_for_object(payment).filter(action=AuditEntry.Action.CREATE).exists()
    page = client.get(url).content.decode()
    assert "£47.00 in arrears" in page and "Payment by direct debit (DD-0042)" in page
    no_reason = client.post(url + f"payments/{payment.pk}/cancel/", {"payment": payment.pk, "reason": ""})
    assert no_reason.status_code == 400 and "Enter why the payment is cancelled" in no_reason.content.decode()
    client.post(url + f"payments/{payment.pk}/cancel/", {"payment": payment.pk, "reason": "Bounced"})
    payment.refresh_from_db()
    assert payment.cancelled_reason == "Bounced" and ClientPayment.objects.count() == 1  # kept, not deleted
    assert "£147.00 in arrears" in client.get(url).content.decode()

    api.force_authenticate(finance_officer)
    bad = api.post("/api/v1/client-payments/", {"client": person.pk, "received_on": today.isoformat(), "amount": "0",
                                                 "method": "card"}, format="json")
    assert bad.status_code == 400 and "amount" in bad.json()["errors"]
    made = api.post("/api/v1/client-payments/", {"client": person.pk, "received_on": today.isoformat(),
                                                  "amount": "147.00", "method": "card"}, format="json")
    assert made.status_code == 201
    statement = api.get(f"/api/v1/client-invoices/statement/?client={person.pk}").json()
    assert (statement["invoiced"], statement["paid"], statement["balance"], statement["overdue"]) == (
        "147.00", "147.00", "0.00", "0.00")
    assert len(statement["payments"]) == 2
    twice = api.post(f"/api/v1/client-payments/{payment.pk}/cancel/", {"reason": "Again"}, format="json")
    assert twice.status_code == 400
    # The person's workers read the statement but record nothing; another locality does not find it.
    api.force_authenticate(practitioner)
    assert api.get(f"/api/v1/client-invoices/statement/?client={person.pk}").status_code == 200
    assert api.post("/api/v1/client-payments/", {"client": person.pk, "received_on": today.isoformat(),
                                                 "amount": "1.00", "method": "card"}, format="json").status_code == 403
    client.force_login(practitioner)
    assert "Record a payment" not in client.get(url).content.decode()
    assert client.post(url + "payments/", {}).status_code == 403
    api.force_authenticate(thanet_practitioner)
    assert api.get(f"/api/v1/client-invoices/statement/?client={person.pk}").status_code == 404
    assert api.get(f"/api/v1/client-payments/{payment.pk}/").status_code == 404


def test_a_merge_of_two_records_invoiced_for_the_same_period_is_refused(
        person, practitioner, manager, home_care, finance_officer, canterbury, period):
    from ascm.accounts import roles
    from clients.services import client_merge
    from tests.clients.factories import ClientFactory, allocate
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin6"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    twin = allocate(ClientFactory(locality=canterbury), person.allocations.first().team).client
    for someone in (person, twin):
        line = _approved(practitioner, manager, someone, [("home_care", home_care, "2.5")], period).lines.get()
        charged(finance_officer, someone, period)
        payments.actual_record(user=finance_officer, line=line, period_start=period, units=Decimal("6"))
    payments.pay_run_approve(user=other, pay_run=_make(finance_officer, period))
    assert ClientInvoice.objects.count() == 2
    from finance.models import CarePackage

    CarePackage.objects.filter(client=twin).update(status="ended")  # only one current package: not the refusal here
    with pytest.raises(ValidationError) as refused:
        client_merge(user=manager, survivor=person, duplicate=twin, reason="The same person")
    assert "billed twice" in str(refused.value)
