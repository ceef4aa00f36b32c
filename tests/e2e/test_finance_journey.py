"""Finance from `make run`'s demo data, as the people who do it: the practitioner writes Arthur's
plan from his signed-off assessment, sets his personal budget (the indicative amount from the
resource allocation table, a different agreed amount with its reason), and builds a package with
two services, one of which needs a provider; the broker records the provider's offer and accepts
it; the team manager approves it within their limit and is refused a second package above it; the
finance officer sees the cost on the commitments page. axe-core on every page on the way."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ascm.core.demo import demo_load, demo_password
from pathways.referrals.defaults import routing_defaults_ensure

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e]


def _sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()


def test_plan_budget_package_brokerage_approval_and_commitments(live_server, page, e2e_roles):
    from ascm.core.years import financial_year
    from finance.defaults import finance_defaults_ensure
    from finance.models import CarePackage, PackageLine
    from finance.money import year_cost

    routing_defaults_ensure()
    finance_defaults_ensure()
    demo_load()
    base, password = live_server.url, demo_password()

    # The practitioner: the plan from the signed-off assessment, then the personal budget.
    sign_in(page, base, "practitioner", password)
    page.get_by_label("Find a person by name or NHS number").fill("Arthur Pennington")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("link", name=re.compile("Arthur Pennington")).first.click()
    assert_accessible(page)
    page.get_by_test_id("assessments").get_by_role("link", name="Care Act needs assessment").first.click()
    page.get_by_role("link", name="Write the care and support plan").click()
    page.get_by_label("Outcome 1: what the person wants to achieve").fill("Stay safe at home with a hot meal each day")
    page.get_by_label("Outcome 1: how it will be met").select_option(label="Commissioned services")
    page.get_by_label("Outcome 1: who does what, and when").fill("Home care visits; a day centre twice a week")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_test_id("plan-personal-budget")).to_contain_text("£160.00 a week (8 points")
    assert_accessible(page)
    page.get_by_role("link", name="Set the personal budget").click()
    expect(page.get_by_test_id("indicative-budget")).to_contain_text("£160.00 a week")
    assert_accessible(page)
    page.get_by_label("Personal budget agreed with the person, per week").fill("175.00")
    page.get_by_role("button", name="Save the personal budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the agreed amount differs from the indicative £160.00")
    expect(page.get_by_label("Personal budget agreed with the person, per week")).to_have_value("175.00")
    assert_accessible(page)
    page.get_by_label("Why it differs from the indicative amount").fill("Two day-centre days agreed with his daughter")
    page.get_by_role("button", name="Save the personal budget").click()
    expect(page.get_by_test_id("plan-personal-budget")).to_contain_text("£175.00 a week")

    # The package: home care from the framework, and a day service that needs a provider.
    page.get_by_role("link", name="Start a care package for this plan").click()
    assert_accessible(page)
    page.get_by_label("Council-commissioned support").check()
    page.get_by_role("button", name="Start the package").click()
    expect(page.get_by_test_id("package-status")).to_have_text("Draft")
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label="Home care")
    page.get_by_label("Provider (optional)", exact=True).select_option(label="Harbour Home Care (demo)")
    page.get_by_label("Units a week").fill("0")
    page.get_by_role("button", name="Add the service").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the units a week: more than 0")
    assert_accessible(page)
    page.get_by_label("Units a week").fill("14")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_test_id("weekly-cost")).to_contain_text("£343.00")
    page.get_by_text("Add a service").click()
    page.get_by_label("Service", exact=True).select_option(label="Day service")
    page.get_by_label("Units a week").fill("2")
    page.get_by_label("What it is for").fill("The day centre on Tuesdays and Fridays")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_test_id("package-lines")).to_contain_text("Needs a provider")
    page.get_by_role("button", name="Send to brokerage").click()
    expect(page.get_by_test_id("package-status")).to_have_text("In brokerage")
    package_url = page.url
    # A second, bigger package (a care home) goes straight for approval.
    page.get_by_role("link", name="Open the person's record").click()
    page.get_by_role("link", name="Start a care package for Arthur Pennington").click()
    page.get_by_label("Council-commissioned support").check()
    page.get_by_role("button", name="Start the package").click()
    page.get_by_label("Service", exact=True).select_option(label="Residential care")
    page.get_by_label("Provider (optional)", exact=True).select_option(label="Orchard Care Group (demo)")
    page.get_by_label("Units a week").fill("1")
    page.get_by_role("button", name="Add the service").click()
    expect(page.get_by_test_id("weekly-cost")).to_contain_text("£820.00")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_test_id("package-status")).to_have_text("Waiting for approval")
    care_home_url = page.url
    _sign_out(page)

    # The broker finds the day centre.
    sign_in(page, base, "broker", password)
    page.get_by_role("link", name="Care packages").first.click()
    page.get_by_role("link", name="In brokerage").click()
    assert_accessible(page)
    page.get_by_test_id("brokerage-queue").get_by_role("row").filter(has_text="Arthur Pennington").get_by_role("link").click()
    assert page.url == package_url
    page.get_by_text("Record a provider approached").click()
    page.get_by_label("Service", exact=True).select_option(label="Day service: 2.00 days a week")
    page.get_by_label("Provider approached").select_option(label="Riverside Community Trust (demo)")
    page.get_by_label("What they said").select_option(label="Offered")
    page.get_by_label("Unit cost offered, in pounds").fill("58.00")
    page.get_by_role("button", name="Record the approach").click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept the offer from Riverside Community Trust (demo)").click()
    expect(page.get_by_test_id("package-status")).to_have_text("Waiting for approval")
    expect(page.get_by_test_id("weekly-cost")).to_contain_text("£459.00")
    _sign_out(page)

    # The team manager: within the limit, approved; the care home is above it.
    sign_in(page, base, "manager", password)
    page.get_by_role("link", name="Care packages").first.click()
    expect(page.get_by_test_id("approvals-waiting")).to_have_text("2")
    page.get_by_role("link", name="Waiting for your approval").click()
    expect(page.get_by_test_id("your-limit")).to_contain_text("£600.00 a week")
    assert_accessible(page)
    page.goto(package_url)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("package-status")).to_have_text("Active")
    assert_accessible(page)
    page.goto(care_home_url)
    expect(page.locator(".govuk-warning-text")).to_contain_text("above your approval limit of £600.00")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("£820.00 a week, above your approval limit (£600.00 a week)")
    expect(page.get_by_test_id("package-status")).to_have_text("Waiting for approval")
    assert_accessible(page)
    _sign_out(page)

    # The finance officer sees the cost against Canterbury's home care budget.
    year = financial_year()
    lines = PackageLine.objects.filter(package__status__in=CarePackage.COMMITTED, service_type="home_care",
                                       package__locality__name="Canterbury")
    expected = sum((year_cost(line.weekly_cost, line.starts_on, line.ends_on, year) for line in lines), Decimal("0"))
    assert lines.count() == 2  # the demo's package and Arthur's new one
    sign_in(page, base, "finance", password)
    page.get_by_role("link", name="Care packages").first.click()
    page.get_by_role("link", name=re.compile("Commitments against budgets")).click()
    row = page.get_by_test_id("commitments").get_by_role("row").filter(has_text="Home care")
    expect(row).to_contain_text(f"£{expected:,}")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile("the packages committed")).click()
    expect(page.get_by_test_id("lines-total")).to_contain_text(f"£{expected:,} in the year")
    expect(page.get_by_test_id("commitment-lines")).to_contain_text("Arthur Pennington")
    assert_accessible(page)
    page.goto(f"{base}/finance/packages/?status=submitted")
    expect(page.get_by_test_id("packages")).to_contain_text("Arthur Pennington")
    assert_accessible(page)


def _date(page, group, day: datetime.date):
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_the_administrator_and_finance_officer_set_rates_limits_tables_and_budgets(live_server, page, e2e_roles):
    from finance.defaults import finance_defaults_ensure
    from finance.models import ApprovalLimit, Budget

    finance_defaults_ensure()
    demo_load()
    base, password = live_server.url, demo_password()
    next_april = datetime.date(datetime.date.today().year + 1, 4, 1)
    sign_in(page, base, "admin", password)
    page.get_by_role("link", name="Organisation").first.click()
    page.get_by_role("link", name="Approval limits").click()
    expect(page.get_by_test_id("limits-in-force")).to_contain_text("£600.00")
    page.get_by_label("Highest weekly cost they may approve, in pounds").fill("650")
    page.get_by_role("button", name="Set the limit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the role")
    expect(page.get_by_label("Highest weekly cost they may approve, in pounds")).to_have_value("650")
    assert_accessible(page)
    page.get_by_label("Role").select_option(label="Team manager")
    _date(page, "Takes effect on", next_april)
    page.get_by_role("button", name="Set the limit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Approval limit set")
    assert ApprovalLimit.objects.filter(role__slug="team-manager", weekly_limit=Decimal("650.00"),
                                        effective_from=next_april).exists()
    page.get_by_role("link", name="Organisation").first.click()
    page.get_by_role("link", name="Resource allocation table").click()
    assert_accessible(page)
    page.get_by_role("link", name="Organisation").first.click()
    page.get_by_role("link", name="Provider rates").click()
    page.get_by_label("Provider", exact=True).select_option(label="Harbour Home Care (demo)")
    page.get_by_label("Service", exact=True).select_option(label="Home care")
    page.get_by_label("Rate for one unit, in pounds").fill("25.40")
    _date(page, "Takes effect on", datetime.date(2026, 1, 1))
    page.get_by_role("button", name="Add the rate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("overlaps the rate from 1 April 2026")
    assert_accessible(page)
    _date(page, "Takes effect on", next_april)
    page.get_by_role("button", name="Add the rate").click()
    expect(page.get_by_test_id("rates")).to_contain_text("£25.40 per hour")
    page.get_by_role("link", name="Organisation").first.click()
    page.get_by_role("link", name="Brokerage target and budget alerts").click()
    assert_accessible(page)
    _sign_out(page)

    sign_in(page, base, "finance", password)
    page.goto(f"{base}/finance/budgets/")
    page.get_by_label("Locality", exact=True).select_option(label="Canterbury")
    page.get_by_label("Service", exact=True).select_option(label="Supported living")
    page.get_by_label("Budget for the year, in pounds").fill("-10")
    page.get_by_role("button", name="Save the budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a budget of more than £0")
    assert_accessible(page)
    page.get_by_label("Budget for the year, in pounds").fill("90000")
    page.get_by_role("button", name="Save the budget").click()
    expect(page.get_by_test_id("budgets")).to_contain_text("£90,000.00")
    assert Budget.objects.filter(service_type="supported_living", amount=Decimal("90000.00")).exists()


def test_a_financial_assessment_the_letter_charges_a_pay_run_and_the_invoice(live_server, page, e2e_roles):
    from ascm.accounts.models import User
    from ascm.providers.models import Provider
    from clients.models import Client
    from finance import services
    from finance.defaults import finance_defaults_ensure
    from finance.models import ClientInvoice

    finance_defaults_ensure()
    demo_load()
    base, password = live_server.url, demo_password()
    today = datetime.date.today()
    # Before: Priya's home care, asked for by her practitioner and approved by the manager (10 hours a week).
    priya = Client.objects.get(legacy_id="DEMO003")
    package = services.package_create(user=User.objects.get(username="practitioner"), client=priya,
                                      delivery_mechanism="commissioned", starts_on=today)
    line = services.line_add(user=package.requested_by, package=package, service_type="home_care",
                             provider=Provider.objects.get(name="Harbour Home Care (demo)"), units_per_week=Decimal("10"),
                             funding=[("council", Decimal("100"))])
    services.package_submit(user=package.requested_by, package=package)
    services.package_approve(user=User.objects.get(username="manager"), package=package)
    sign_in(page, base, "finance", password)
    page.get_by_label("Find a person by name or NHS number").fill("Priya Halvorsen")
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("link", name=re.compile("Priya Halvorsen")).first.click()
    page.get_by_role("link", name="Start a financial assessment for Priya Halvorsen").click()
    assert_accessible(page)
    page.get_by_label("Full financial assessment").check()
    page.get_by_label("Care at home (non-residential)").check()
    page.get_by_label("Capital 1: value, in pounds").fill("20000")
    page.get_by_label("Income 1: kind").select_option(label="Employment and Support Allowance")
    page.get_by_label("Income 1: a week, in pounds").fill("200.00")
    page.get_by_role("button", name="Save and check the working").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Capital 1: choose the kind")
    expect(page.get_by_label("Capital 1: value, in pounds")).to_have_value("20000")
    assert_accessible(page)
    page.get_by_label("Capital 1: kind").select_option(label="Savings and bank accounts")
    page.get_by_role("button", name="Save and check the working").click()
    expect(page.get_by_test_id("calculation")).to_contain_text("Tariff income")
    assert_accessible(page)
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_test_id("weekly-contribution")).to_have_text("£93.50")
    expect(page.get_by_test_id("told-on")).to_contain_text("nothing can be charged")
    page.get_by_role("link", name="The contribution letter (printable)").click()
    expect(page.get_by_test_id("contribution-letter")).to_contain_text("You will pay £93.50 a week")
    assert_accessible(page)
    page.go_back()
    _date(page, "The person was told on", today)
    page.get_by_role("button", name="Record the date they were told").click()
    expect(page.get_by_test_id("told-on")).to_contain_text(f"{today.day} ")
    _date(page, "Charges start on", today - datetime.timedelta(days=7))
    page.get_by_role("button", name="Save the start of charges").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Charges cannot start before the person was told")
    assert_accessible(page)
    _date(page, "Charges start on", today)
    page.get_by_role("button", name="Save the start of charges").click()
    expect(page.get_by_test_id("charge-from")).not_to_contain_text("Not set")
    page.get_by_role("link", name="Back to Priya Halvorsen").click()
    expect(page.get_by_test_id("record-care-package")).to_contain_text("£93.50 a week, charged from")

    # The provider's actuals (30 hours in the period, against 40 planned), the pay run, its approval by
    # the other finance officer, and Priya's invoice: 4 weeks at £93.50, under the £735 of care received.
    page.get_by_role("link", name="Care packages").first.click()
    page.get_by_role("link", name="Providers' actuals (hours delivered)").click()
    assert_accessible(page)
    page.get_by_label("Package line number").fill(str(line.pk))
    _date(page, "First day of the period", today)
    page.get_by_label("Hours, days or nights delivered").fill("30")
    page.get_by_role("button", name="Record the actuals").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Actuals recorded")
    page.goto(f"{base}/finance/pay-runs/")
    _date(page, "First day of the 4-week period", today)
    page.get_by_role("button", name="Make the pay run").click()
    expect(page.get_by_test_id("remittances")).to_contain_text("£735.00")
    assert_accessible(page)
    run_url = page.url
    _sign_out(page)
    sign_in(page, base, "payments", password)
    page.goto(run_url)
    page.get_by_role("button", name="Approve the pay run").click()
    expect(page.get_by_test_id("pay-run-status")).to_have_text("Approved")
    assert_accessible(page)
    assert ClientInvoice.objects.get(client=priya).amount == Decimal("374.00")
    page.goto(f"{base}/people/{priya.pk}/")
    page.get_by_role("link", name="Statement of charges for Priya Halvorsen").click()
    expect(page.get_by_test_id("statement-total")).to_contain_text("£374.00")
    assert_accessible(page)
    # Priya pays £200 by direct debit: the officer forgets how it was paid first.
    page.get_by_label("Amount received, in pounds").fill("200.00")
    page.get_by_label("Reference (optional)").fill("DD-0003")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how it was paid")
    expect(page.get_by_label("Amount received, in pounds")).to_have_value("200.00")
    assert_accessible(page)
    page.get_by_label("Direct debit").check()
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_test_id("statement-balance")).to_contain_text("£174.00")
    expect(page.get_by_test_id("statement-payment")).to_contain_text("Payment by direct debit (DD-0003)")
    assert_accessible(page)


def test_a_direct_payment_agreement_its_review_and_its_payment_in_the_pay_run(live_server, page, e2e_roles):
    from ascm.accounts.models import User
    from clients.models import Client
    from finance import services

    finance_defaults_ensure_and_demo()
    base, password = live_server.url, demo_password()
    today = datetime.date.today()
    # Before: Priya chose a direct payment for 10 hours a week of a personal assistant (£16 an hour), approved.
    priya = Client.objects.get(legacy_id="DEMO003")
    practitioner = User.objects.get(username="practitioner")
    package = services.package_create(user=practitioner, client=priya, delivery_mechanism="direct_payment",
                                      starts_on=today)
    services.line_add(user=practitioner, package=package, service_type="direct_payment", units_per_week=Decimal("10"),
                      unit_cost=Decimal("16.00"), funding=[("council", Decimal("100"))])
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=User.objects.get(username="manager"), package=package)
    sign_in(page, base, "practitioner", password)
    page.goto(f"{base}{package.get_absolute_url()}")
    page.get_by_role("link", name="Set up the direct payment agreement").click()
    assert_accessible(page)
    page.get_by_label("A nominated person (the person has capacity and asks for it)").check()
    page.get_by_label("Account (managed or prepaid card account)").fill("PPC-0003")
    page.get_by_role("button", name="Make the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the name of the person who receives the payments")
    expect(page.get_by_label("Account (managed or prepaid card account)")).to_have_value("PPC-0003")
    assert_accessible(page)
    page.get_by_label("Their name").fill("Synthetic Nominee")
    page.get_by_role("button", name="Make the agreement").click()
    expect(page.get_by_test_id("payment-schedule")).to_contain_text("£640.00")
    assert_accessible(page)
    page.get_by_label("What the review found").fill("Settling in well; the assistant comes three times a week.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Settling in well")).to_be_visible()
    agreement_url = page.url
    _sign_out(page)
    sign_in(page, base, "finance", password)
    page.goto(f"{base}/finance/pay-runs/")
    _date(page, "First day of the 4-week period", today)
    page.get_by_role("button", name="Make the pay run").click()
    expect(page.get_by_test_id("pay-run-direct-payments")).to_contain_text("£640.00 paid")
    assert_accessible(page)
    page.goto(agreement_url)
    expect(page.get_by_test_id("instalments")).to_contain_text("not yet approved")
    assert_accessible(page)


def finance_defaults_ensure_and_demo():
    from finance.defaults import finance_defaults_ensure

    finance_defaults_ensure()
    demo_load()
