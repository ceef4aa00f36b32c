"""Direct payments: the agreement, the 4-weekly schedule, surpluses, and reviews within 6 months then
12, reminded once each by the daily job."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.core.dates import add_months
from finance import services

from .conftest import COUNCIL, charged, draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def dp_package(person, practitioner, manager):
    package = draft(practitioner, person, delivery="direct_payment")
    services.line_add(user=practitioner, package=package, service_type="direct_payment", units_per_week=Decimal("10"),
                      unit_cost=Decimal("16.00"), funding=COUNCIL)
    services.package_submit(user=practitioner, package=package)
    return services.package_approve(user=manager, package=package)


def test_the_agreement_schedule_reviews_and_surplus(dp_package, practitioner, api, thanet_practitioner):
    start = dp_package.starts_on
    with pytest.raises(ValidationError) as nominee:
        services.direct_payment_agree(user=practitioner, package=dp_package, recipient="nominated", starts_on=start)
    assert "name" in " ".join(nominee.value.message_dict["recipient_name"])
    with pytest.raises(ValidationError) as late:
        services.direct_payment_agree(user=practitioner, package=dp_package, recipient="person", starts_on=start,
                                      next_review_due=add_months(start, 7))
    assert "within 6 months" in " ".join(late.value.message_dict["next_review_due"])
    agreement = services.direct_payment_agree(user=practitioner, package=dp_package, recipient="person", starts_on=start)
    assert agreement.weekly_amount == Decimal("160.00") and agreement.next_review_due == add_months(start, 6)
    schedule = services.direct_payment_schedule(agreement, count=3)
    assert [amount for _, amount in schedule] == [Decimal("640.00")] * 3
    assert schedule[1][0] - schedule[0][0] == datetime.timedelta(weeks=4)
    with pytest.raises(ValidationError) as beyond:
        services.direct_payment_review(user=practitioner, agreement=agreement, reviewed_on=start, notes="Going well",
                                       next_review_due=add_months(start, 13))
    assert "within 12 months" in " ".join(beyond.value.message_dict["next_review_due"])
    services.direct_payment_review(user=practitioner, agreement=agreement, reviewed_on=start, notes="Going well")
    agreement.refresh_from_db()
    assert agreement.next_review_due == add_months(start, 12)
    with pytest.raises(ValidationError):
        services.direct_payment_surplus(user=practitioner, agreement=agreement, returned_on=start, amount=Decimal("0"))
    services.direct_payment_surplus(user=practitioner, agreement=agreement, returned_on=start, amount=Decimal("85.20"))
    api.force_authenticate(thanet_practitioner)
    assert api.get(f"/api/v1/direct-payments/{agreement.pk}/").status_code == 404
    api.force_authenticate(practitioner)
    body = api.get(f"/api/v1/direct-payments/{agreement.pk}/").json()
    assert body["weekly_amount"] == "160.00"
    bad = api.post(f"/api/v1/direct-payments/{agreement.pk}/review/", {"reviewed_on": start.isoformat(), "notes": "x",
                                                                       "next_review_due": add_months(start, 14).isoformat()},
                   format="json")
    assert bad.status_code == 400 and "next_review_due" in bad.json()["errors"]


def test_reviews_coming_due_are_told_once_to_the_team(dp_package, practitioner):
    from ascm.notifications.models import Notification

    start = timezone.localdate() - datetime.timedelta(days=170)
    agreement = services.direct_payment_agree(user=practitioner, package=dp_package, recipient="person",
                                              starts_on=dp_package.starts_on)
    agreement.starts_on, agreement.next_review_due = start, timezone.localdate() + datetime.timedelta(days=10)
    agreement.save()
    assert services.direct_payment_reviews_remind() == 1
    assert services.direct_payment_reviews_remind() == 0
    told = Notification.objects.get(kind="direct_payment_review")
    assert told.team == dp_package.team and "due by" in told.title


def test_the_pages_for_a_direct_payment(client, dp_package, practitioner):
    client.force_login(practitioner)
    assert "Set up the direct payment agreement" in client.get(f"/finance/packages/{dp_package.pk}/").content.decode()
    start = dp_package.starts_on
    bad = client.post(f"/finance/packages/{dp_package.pk}/direct-payment/", {
        "recipient": "authorised", "starts_on_0": start.day, "starts_on_1": start.month, "starts_on_2": start.year})
    assert bad.status_code == 400 and "Give the name of the person who receives the payments" in bad.content.decode()
    made = client.post(f"/finance/packages/{dp_package.pk}/direct-payment/", {
        "recipient": "authorised", "recipient_name": "Their daughter", "starts_on_0": start.day,
        "starts_on_1": start.month, "starts_on_2": start.year})
    page = client.get(made["Location"]).content.decode()
    assert "£640.00" in page and "Their daughter" in page


def test_direct_payments_are_paid_in_the_pay_run_net_of_the_contribution_once_and_go_to_the_ledger(
        client, dp_package, person, practitioner, manager, home_care, finance_officer):
    from ascm.accounts import roles
    from finance import payments
    from finance.models import ClientInvoice, DirectPaymentInstalment
    from tests.factories import UserFactory, member

    other = member(UserFactory(username="fin7"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    period = dp_package.starts_on
    agreement = services.direct_payment_agree(user=practitioner, package=dp_package, recipient="person", starts_on=period,
                                              account_reference="PPC-0007")
    charged(finance_officer, person, period, "200")  # £200 − £112.50 − £17.00: £70.50 a week, under the £160 budget
    run = payments.pay_run_create(user=finance_officer, period_start=period)
    payments.pay_run_make(run.pk)
    payments.pay_run_make(run.pk)  # a redelivered task pays nothing twice
    instalment = DirectPaymentInstalment.objects.get()
    assert (instalment.days, instalment.gross, instalment.contribution, instalment.amount) == (
        28, Decimal("640.00"), Decimal("282.00"), Decimal("358.00"))  # 4 weeks at £160, less 4 × £70.50
    client.force_login(finance_officer)
    assert "less £282.00 of the people's assessed contributions" in client.get(run.get_absolute_url()).content.decode()
    assert "£358.00" in client.get(agreement.get_absolute_url()).content.decode()
    payments.pay_run_approve(user=other, pay_run=run)
    assert not ClientInvoice.objects.exists()  # paid net: not invoiced as well
    row = payments.ledger_rows(run)[-1]
    assert row[4] == "Direct payment PPC-0007" and row[-3:] == ["council", "100.00", "358.00"]


def test_a_contribution_is_taken_once_across_an_invoice_and_a_direct_payment(
        dp_package, person, practitioner, manager, home_care, finance_officer):
    from ascm.accounts import roles
    from finance import payments
    from finance.models import ClientInvoice, DirectPaymentInstalment
    from tests.factories import UserFactory, member


    other = member(UserFactory(username="fin8"), person.allocations.first().team, roles.FINANCE_OFFICER).user
    period = dp_package.starts_on
    services.direct_payment_agree(user=practitioner, package=dp_package, recipient="person", starts_on=period)
    care = draft(practitioner, person, starts_on=period, lines=[("home_care", home_care, "2.5")])
    services.package_submit(user=practitioner, package=care)
    services.package_approve(user=manager, package=care)
    charged(finance_officer, person, period, "200")
    payments.actual_record(user=finance_officer, line=care.lines.get(), period_start=period, units=Decimal("6"))
    run = payments.pay_run_create(user=finance_officer, period_start=period)
    payments.pay_run_make(run.pk)
    payments.pay_run_approve(user=other, pay_run=run)
    invoice, instalment = ClientInvoice.objects.get(), DirectPaymentInstalment.objects.get()
    # £282.00 due for the 4 weeks: £147.00 invoiced for the home care received, the other £135.00 netted off.
    assert (invoice.amount, instalment.contribution) == (Decimal("147.00"), Decimal("135.00"))
