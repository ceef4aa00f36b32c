"""Finance rules: rates, lines, the state machine, approval within delegated limits, changes that need
approval again, the daily job, personal budgets, and commitments against budgets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.accounts.models import Role
from finance import services
from finance.models import ApprovalLimit, Budget, BudgetAlert, CarePackage, FinanceThreshold, PersonalBudget
from finance.selectors import approval_queue, budget_rows, commitment_lines, commitment_lines_total, commitments

from .conftest import COUNCIL, draft

pytestmark = pytest.mark.django_db
S = CarePackage.Status


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


# Rates ------------------------------------------------------------------------------------------

def test_a_rate_change_on_1_april_is_used_only_from_that_date(person, practitioner, home_care):
    march = services.package_create(user=practitioner, client=person, delivery_mechanism="commissioned",
                                    starts_on=datetime.date(2026, 3, 31))
    before = services.line_add(user=practitioner, package=march, service_type="home_care", provider=home_care,
                               units_per_week=Decimal("14"), funding=COUNCIL)
    after = services.line_add(user=practitioner, package=march, service_type="home_care", provider=home_care,
                              units_per_week=Decimal("14"), funding=COUNCIL, starts_on=datetime.date(2026, 4, 1))
    assert (before.unit_cost, before.weekly_cost) == (Decimal("23.10"), Decimal("323.40"))
    assert (after.unit_cost, after.weekly_cost) == (Decimal("24.50"), Decimal("343.00"))
    assert before.rate.effective_to == datetime.date(2026, 3, 31) and after.rate.effective_to is None


def test_rates_never_overlap_and_need_a_date(home_care):
    with pytest.raises(ValidationError) as overlap:
        services.rate_add(user=None, provider=home_care, service_type="home_care", unit_cost=Decimal("25"),
                          effective_from=datetime.date(2026, 1, 1))
    assert "overlaps the rate from 1 April 2026" in _message(overlap.value, "effective_from")
    with pytest.raises(ValidationError) as same_day:
        services.rate_add(user=None, provider=home_care, service_type="home_care", unit_cost=Decimal("25"),
                          effective_from=datetime.date(2026, 4, 1))
    assert "overlaps" in _message(same_day.value, "effective_from")
    with pytest.raises(ValidationError) as undated:
        services.rate_add(user=None, provider=home_care, service_type="home_care", unit_cost=Decimal("25"),
                          effective_from=None)
    assert "date the rate takes effect" in _message(undated.value, "effective_from")
    with pytest.raises(ValidationError) as free:
        services.rate_add(user=None, provider=home_care, service_type="home_care", unit_cost=Decimal("0"),
                          effective_from=datetime.date(2027, 4, 1))
    assert "more than £0" in _message(free.value, "unit_cost")


# Lines ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, field, message", [
    ({"units_per_week": Decimal("0")}, "units_per_week", "more than 0"),
    ({"units_per_week": Decimal("-3")}, "units_per_week", "more than 0"),
    ({"unit_cost": Decimal("-1"), "off_framework_reason": "x"}, "unit_cost", "more than £0"),
    ({"ends_on": "yesterday"}, "ends_on", "on or after the start date"),
    ({"funding": [("council", Decimal("60")), ("chc", Decimal("30"))]}, "funding", "add up to 100%; they add up to 90%"),
    ({"funding": [("council", Decimal("100")), ("council", Decimal("0"))]}, "funding", "once"),
    ({"funding": []}, "funding", "at least one"),
    ({"unit_cost": Decimal("30.00")}, "off_framework_reason", "framework rate is £24.50"),
])
def test_a_line_refuses_bad_input_with_the_field_and_why(person, practitioner, home_care, change, field, message):
    package = draft(practitioner, person)
    values = {"service_type": "home_care", "provider": home_care, "units_per_week": Decimal("14"), "funding": COUNCIL,
              **change}
    if values.get("ends_on") == "yesterday":
        values["ends_on"] = package.starts_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.line_add(user=practitioner, package=package, **values)
    assert message in _message(refused.value, field)
    assert not package.lines.exists()


def test_joint_funding_with_shares_and_an_off_framework_rate_with_its_reason(person, practitioner, home_care):
    package = draft(practitioner, person)
    line = services.line_add(user=practitioner, package=package, service_type="home_care", provider=home_care,
                             units_per_week=Decimal("10"), unit_cost=Decimal("28.00"),
                             off_framework_reason="Rural call: no framework agency covers the village",
                             funding=[("council", Decimal("50")), ("joint", Decimal("50"))])
    assert line.rate is None and line.weekly_cost == Decimal("280.00")
    assert sorted(line.funding.values_list("stream", "share_percent")) == [("council", Decimal("50.00")),
                                                                           ("joint", Decimal("50.00"))]


def test_a_closed_provider_and_a_direct_payment_with_a_provider_are_refused(person, practitioner, home_care):
    package = draft(practitioner, person)
    home_care.closed_on = timezone.localdate() - datetime.timedelta(days=1)
    home_care.save()
    with pytest.raises(ValidationError) as closed:
        services.line_add(user=practitioner, package=package, service_type="home_care", provider=home_care,
                          units_per_week=Decimal("5"), funding=COUNCIL)
    assert "closed in the providers register" in _message(closed.value, "provider")
    with pytest.raises(ValidationError) as direct:
        services.line_add(user=practitioner, package=package, service_type="direct_payment", provider=home_care,
                          units_per_week=Decimal("5"), unit_cost=Decimal("15"), funding=COUNCIL)
    assert "paid to the person" in _message(direct.value, "provider")
    paid = services.line_add(user=practitioner, package=package, service_type="direct_payment",
                             units_per_week=Decimal("6"), unit_cost=Decimal("15.50"), funding=COUNCIL)
    assert paid.weekly_cost == Decimal("93.00") and not paid.needs_provider


# The state machine and approval ------------------------------------------------------------------

def test_approval_within_the_limit_and_never_by_the_requester(person, practitioner, manager, home_care,
                                                              django_capture_on_commit_callbacks):
    from ascm.notifications.models import Notification

    package = draft(practitioner, person, lines=[("home_care", home_care, "14")])
    assert package.weekly_cost == Decimal("343.00")
    with django_capture_on_commit_callbacks(execute=True):
        services.package_submit(user=practitioner, package=package)
    # The manager (limit £600) is told; the requester is not.
    told = set(Notification.objects.filter(key=f"package-approval:{package.pk}").values_list("recipient__username", flat=True))
    assert told == {manager.username}
    with pytest.raises(ValidationError) as own:
        services.package_approve(user=practitioner, package=package)
    assert "someone else must decide it" in _message(own.value, "package")
    queue, limit = approval_queue(manager)
    assert list(queue) == [package] and limit == Decimal("600.00")
    services.package_approve(user=manager, package=package, reason="Meets the plan's outcomes")
    package.refresh_from_db()
    assert package.status == S.ACTIVE  # its start date had come
    assert package.approved_weekly_cost == Decimal("343.00") and package.decided_by == manager
    assert [(c.from_status, c.to_status) for c in package.status_changes.all()] == [
        ("", S.DRAFT), (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.APPROVED), (S.APPROVED, S.ACTIVE)]


def test_a_package_above_the_managers_limit_goes_to_a_head_of_service(person, practitioner, manager, head_of_service,
                                                                      panel_chair, home_care,
                                                                      django_capture_on_commit_callbacks):
    from ascm.notifications.models import Notification

    package = draft(practitioner, person, lines=[("home_care", home_care, "30")])  # £735.00 a week
    with django_capture_on_commit_callbacks(execute=True):
        services.package_submit(user=practitioner, package=package)
    told = set(Notification.objects.filter(key=f"package-approval:{package.pk}").values_list("recipient__username", flat=True))
    assert told == {head_of_service.username, panel_chair.username}  # not the manager: £735 is over £600
    with pytest.raises(ValidationError) as over:
        services.package_approve(user=manager, package=package)
    assert "£735.00 a week, above your approval limit (£600.00 a week)" in _message(over.value, "package")
    package.refresh_from_db()
    assert package.status == S.SUBMITTED
    services.package_approve(user=head_of_service, package=package)
    assert CarePackage.objects.get(pk=package.pk).status == S.ACTIVE


def test_a_limit_set_for_later_applies_only_from_its_date(person, practitioner, manager, home_care):
    role = Role.objects.get(slug="team-manager")
    ApprovalLimit.objects.create(role=role, weekly_limit=Decimal("800.00"),
                                 effective_from=timezone.localdate() + datetime.timedelta(days=1))
    package = draft(practitioner, person, lines=[("home_care", home_care, "30")])
    services.package_submit(user=practitioner, package=package)
    assert services.user_approval_limit(manager) == Decimal("600.00")
    assert services.user_approval_limit(manager, timezone.localdate() + datetime.timedelta(days=1)) == Decimal("800.00")
    with pytest.raises(ValidationError):
        services.package_approve(user=manager, package=package)


def test_returned_and_not_approved_need_reasons_and_moves_off_the_machine_are_refused(person, practitioner, manager,
                                                                                     home_care):
    package = draft(practitioner, person, lines=[("home_care", home_care, "14")])
    with pytest.raises(ValidationError):  # a draft cannot be approved
        services.package_approve(user=manager, package=package)
    services.package_submit(user=practitioner, package=package)
    with pytest.raises(ValidationError) as no_reason:
        services.package_return(user=manager, package=package, reason=" ")
    assert "Give the reason" in _message(no_reason.value, "reason")
    services.package_return(user=manager, package=package, reason="Add the evening call the plan describes")
    package.refresh_from_db()
    assert package.status == S.RETURNED and package.is_editable
    services.line_add(user=practitioner, package=package, service_type="home_care", provider=home_care,
                      units_per_week=Decimal("3.5"), funding=COUNCIL)
    services.package_submit(user=practitioner, package=package)
    services.package_not_approve(user=manager, package=package, reason="Needs a carer's assessment first")
    package.refresh_from_db()
    assert package.status == S.NOT_APPROVED
    with pytest.raises(ValidationError):
        services.package_submit(user=practitioner, package=package)
    with pytest.raises(ValidationError):
        services.package_move(package, S.ACTIVE, user=manager)


def test_an_approved_package_is_not_edited_a_change_is_approved_again_and_ends_it(person, practitioner, manager,
                                                                                   home_care):
    start = timezone.localdate() - datetime.timedelta(days=30)
    package = draft(practitioner, person, starts_on=start, lines=[("home_care", home_care, "14")])
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=manager, package=package)
    with pytest.raises(ValidationError) as edit:
        services.line_add(user=practitioner, package=package, service_type="home_care", provider=home_care,
                          units_per_week=Decimal("7"), funding=COUNCIL)
    assert "Make a change to it instead" in _message(edit.value, "package")
    line = package.lines.get()
    with pytest.raises(ValidationError):
        services.line_change(user=practitioner, line=line, units_per_week=Decimal("21"))
    change_from = timezone.localdate() + datetime.timedelta(days=7)
    change = services.package_change(user=practitioner, package=package, starts_on=change_from)
    services.line_change(user=practitioner, line=change.lines.get(), units_per_week=Decimal("21"))
    change.refresh_from_db()
    assert change.weekly_cost == Decimal("514.50") and change.replaces == package
    package.refresh_from_db()
    assert package.status == S.ACTIVE and package.weekly_cost == Decimal("343.00")  # runs on until the change is approved
    with pytest.raises(ValidationError):
        services.package_change(user=practitioner, package=package, starts_on=change_from)  # one change at a time
    services.package_submit(user=practitioner, package=change)
    services.package_approve(user=manager, package=change)
    package.refresh_from_db()
    change.refresh_from_db()
    assert package.status == S.ENDED and package.ends_on == change_from - datetime.timedelta(days=1)
    assert package.lines.get().ends_on == package.ends_on
    assert change.status == S.APPROVED  # it starts on its date, by the daily job


def test_the_daily_job_starts_only_approved_packages_and_ends_them_once(person, practitioner, manager, home_care):
    today = timezone.localdate()
    approved = draft(practitioner, person, starts_on=today + datetime.timedelta(days=2),
                     lines=[("home_care", home_care, "7")])
    services.package_submit(user=practitioner, package=approved)
    services.package_approve(user=manager, package=approved)
    waiting = draft(practitioner, person, starts_on=today, lines=[("home_care", home_care, "7")])
    services.package_submit(user=practitioner, package=waiting)
    assert services.packages_start_and_end(today=today + datetime.timedelta(days=1)) == (0, 0)
    assert services.packages_start_and_end(today=today + datetime.timedelta(days=2)) == (1, 0)
    assert services.packages_start_and_end(today=today + datetime.timedelta(days=2)) == (0, 0)
    waiting.refresh_from_db()
    assert waiting.status == S.SUBMITTED  # never started unapproved
    services.package_end(user=practitioner, package=CarePackage.objects.get(pk=approved.pk),
                         ends_on=today + datetime.timedelta(days=10), reason="Moving to a care home")
    assert CarePackage.objects.get(pk=approved.pk).status == S.ACTIVE
    assert services.packages_start_and_end(today=today + datetime.timedelta(days=11)) == (0, 1)
    assert services.packages_start_and_end(today=today + datetime.timedelta(days=11)) == (0, 0)
    assert CarePackage.objects.get(pk=approved.pk).status == S.ENDED


# Brokerage ----------------------------------------------------------------------------------------

def test_brokerage_records_approaches_and_the_accepted_offer_submits_the_package(person, practitioner, broker,
                                                                                 day_centre, home_care):
    package = draft(practitioner, person, lines=[("home_care", home_care, "14"), ("day_service", None, "2")])
    with pytest.raises(ValidationError):
        services.package_submit(user=practitioner, package=package)  # a service has no provider
    services.package_to_brokerage(user=practitioner, package=package)
    line = package.lines.get(service_type="day_service")
    elsewhere = draft(practitioner, person, lines=[("day_service", None, "1")])
    with pytest.raises(ValidationError) as other_package:
        services.approach_record(user=broker, line=line, provider=home_care, outcome="no_capacity", package=elsewhere)
    assert "not in this package" in _message(other_package.value, "line")
    no = services.approach_record(user=broker, line=line, provider=home_care, outcome="no_capacity", package=package)
    with pytest.raises(ValidationError) as unpriced:
        services.approach_record(user=broker, line=line, provider=day_centre, outcome="offered")
    assert "unit cost offered" in _message(unpriced.value, "offered_unit_cost")
    offer = services.approach_record(user=broker, line=line, provider=day_centre, outcome="offered",
                                     offered_unit_cost=Decimal("58.00"))
    with pytest.raises(ValidationError):
        services.offer_accept(user=broker, approach=no)
    services.offer_accept(user=broker, approach=offer)
    package.refresh_from_db()
    line.refresh_from_db()
    assert package.status == S.SUBMITTED and package.brokerage_ended_at is not None
    assert line.provider == day_centre and line.rate is not None and line.weekly_cost == Decimal("116.00")
    assert package.weekly_cost == Decimal("459.00")
    assert package.requested_by == practitioner  # the broker found a provider; the practitioner asked


def test_an_offer_off_the_framework_needs_the_reason(person, practitioner, broker, day_centre):
    package = draft(practitioner, person, lines=[("day_service", None, "2")])
    services.package_to_brokerage(user=practitioner, package=package)
    offer = services.approach_record(user=broker, line=package.lines.get(), provider=day_centre, outcome="offered",
                                     offered_unit_cost=Decimal("65.00"))
    with pytest.raises(ValidationError) as refused:
        services.offer_accept(user=broker, approach=offer)
    assert "framework rate is £58.00" in _message(refused.value, "off_framework_reason")
    services.offer_accept(user=broker, approach=offer, off_framework_reason="Specialist dementia day care")
    assert CarePackage.objects.get(pk=package.pk).weekly_cost == Decimal("130.00")


# Personal budgets ----------------------------------------------------------------------------------

def test_the_indicative_budget_comes_from_the_table_and_a_different_agreed_amount_needs_a_reason(person, practitioner,
                                                                                               manager):
    from pathways.care import assessments, plans
    from pathways.care.eligibility import ADULT_OUTCOMES

    draft_assessment = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    unable = {"nutrition": "needs_assistance", "home_safety": "endangers_safety", "clothing": "pain_distress_anxiety"}
    answers = {"what_matters": "Home", "arises_from_impairment": True, "significant_impact_on_wellbeing": True,
               "outcomes": {code: {"unable": code in unable, "reason": unable.get(code, "")} for code in ADULT_OUTCOMES}}
    saved = assessments.assessment_save_draft(user=practitioner, assessment=draft_assessment, expected_version=1,
                                              answers=answers)
    submitted = assessments.assessment_submit(user=practitioner, assessment=saved, expected_version=2,
                                              practitioner_agrees=True)
    signed = assessments.assessment_sign_off(user=manager, assessment=submitted)
    plan = plans.plan_create(user=practitioner, client=person, assessment=signed,
                             outcomes=[{"outcome": "Eat well", "met_by": "service", "how": "Lunch visit"}])
    table, points, amount = services.indicative_budget(signed)
    assert points == 4 + 4 + 3 and amount == Decimal("160.00")  # the default table: 8 points or more
    with pytest.raises(ValidationError) as reason:
        services.personal_budget_set(user=practitioner, plan=plan, agreed_weekly=Decimal("175.00"))
    assert "differs from the indicative £160.00" in _message(reason.value, "difference_reason")
    with pytest.raises(ValidationError):
        services.personal_budget_set(user=practitioner, plan=plan, agreed_weekly=Decimal("-1"))
    budget = services.personal_budget_set(user=practitioner, plan=plan, agreed_weekly=Decimal("160"))
    assert (budget.indicative_weekly, budget.agreed_weekly, budget.points, budget.table) == (
        Decimal("160.00"), Decimal("160.00"), 11, table)
    assert PersonalBudget.objects.count() == 1


def test_a_new_table_applies_to_assessments_signed_off_from_its_date():
    later = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as no_zero:
        services.allocation_table_create(user=None, effective_from=later, bands=[(4, Decimal("90"))])
    assert "start at 0 points" in _message(no_zero.value, "bands")
    with pytest.raises(ValidationError):
        services.allocation_table_create(user=None, effective_from=later, bands=[(0, Decimal("50")), (4, Decimal("40"))])
    table = services.allocation_table_create(user=None, effective_from=later, bands=[(0, Decimal("0")), (4, Decimal("95"))])
    assert services.allocation_table_on(timezone.localdate()) != table
    assert services.allocation_table_on(later) == table


# Budgets and commitments ----------------------------------------------------------------------------

def test_commitments_are_the_full_year_cost_of_approved_packages_and_the_forecast_adds_those_waiting(
        person, practitioner, manager, home_care, canterbury, finance_officer):
    from ascm.core.years import financial_year

    year = financial_year()
    first = datetime.date(year, 4, 1)
    budget = services.budget_set(user=finance_officer, year=year, locality=canterbury, service_type="home_care",
                                 amount=Decimal("10000"))
    approved = draft(practitioner, person, starts_on=first, lines=[("home_care", home_care, "14")])
    services.package_submit(user=practitioner, package=approved)
    services.package_approve(user=manager, package=approved)
    waiting = draft(practitioner, person, starts_on=first, lines=[("home_care", home_care, "2")])
    services.package_submit(user=practitioner, package=waiting)
    draft(practitioner, person, starts_on=first, lines=[("home_care", home_care, "40")])  # a draft counts nowhere
    year_days = (datetime.date(year + 1, 3, 31) - first).days + 1
    committed = (Decimal("343.00") * year_days / 7).quantize(Decimal("0.01"))
    pipeline = (Decimal("49.00") * year_days / 7).quantize(Decimal("0.01"))
    [row] = budget_rows(year=year, budgets=Budget.objects.filter(pk=budget.pk))
    assert (row.committed, row.pipeline, row.forecast) == (committed, pipeline, committed + pipeline)
    assert row.variance == Decimal("10000") - committed - pipeline and row.packages == 1
    page = commitments(finance_officer, year=year)
    assert page["totals"]["committed"] == committed and page["totals"]["amount"] == Decimal("10000.00")
    lines = commitment_lines(finance_officer, year=year, locality_id=canterbury.pk, service_type="home_care")
    assert lines.count() == 1 and commitment_lines_total(lines) == committed  # the drill-down equals the figure
    with_pipeline = commitment_lines(finance_officer, year=year, locality_id=canterbury.pk, service_type="home_care",
                                     include_pipeline=True)
    assert commitment_lines_total(with_pipeline) == row.forecast


def test_a_budget_forecast_over_is_alerted_once(person, practitioner, manager, home_care, canterbury, finance_officer):
    from ascm.core.years import financial_year
    from ascm.notifications.models import Notification

    year = financial_year()
    budget = services.budget_set(user=finance_officer, year=year, locality=canterbury, service_type="home_care",
                                 amount=Decimal("1000"))
    package = draft(practitioner, person, starts_on=datetime.date(year, 4, 1), lines=[("home_care", home_care, "14")])
    services.package_submit(user=practitioner, package=package)
    services.package_approve(user=manager, package=package)
    assert services.budgets_check_forecasts() == 1
    assert services.budgets_check_forecasts() == 0
    assert BudgetAlert.objects.get().budget == budget
    assert Notification.objects.filter(kind="budget_forecast", recipient=finance_officer).count() == 1
    assert Notification.objects.filter(kind="budget_forecast", locality=canterbury).count() == 1  # its approvers
    FinanceThreshold.objects.create(name="forecast_alert_percent", value=100, effective_from=timezone.localdate())
    services.budget_set(user=finance_officer, year=year, locality=canterbury, service_type="home_care",
                        amount=Decimal("2000"))
    assert services.budgets_check_forecasts() == 1  # raised, and overrun again


def test_budget_input_is_checked(canterbury, thanet_team, finance_officer):
    with pytest.raises(ValidationError) as zero:
        services.budget_set(user=finance_officer, year=2026, locality=canterbury, service_type="home_care", amount=0)
    assert "more than £0" in _message(zero.value, "amount")
    with pytest.raises(ValidationError) as elsewhere:
        services.budget_set(user=finance_officer, year=2026, locality=canterbury, service_type="home_care",
                            amount=Decimal("5"), team=thanet_team)
    assert "is not in Canterbury" in _message(elsewhere.value, "team")
