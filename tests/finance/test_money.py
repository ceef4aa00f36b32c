"""Money: Decimal pounds and pence, the full-year rule (finance.money's docstring), the same in SQL."""

import datetime
from decimal import Decimal

import pytest

from finance.money import days_in_year, pounds, weekly_cost, year_cost


def test_fourteen_hours_of_home_care_at_24_50_is_343_a_week():
    assert weekly_cost(Decimal("14"), Decimal("24.50")) == Decimal("343.00")
    assert str(weekly_cost(14, "24.50")) == "343.00"


def test_a_package_starting_on_1_october_costs_the_days_to_31_march_over_seven():
    start = datetime.date(2026, 10, 1)
    assert days_in_year(start, None, 2026) == 182  # 26 weeks exactly: 1 October 2026 to 31 March 2027
    assert year_cost(Decimal("343.00"), start, None, 2026) == Decimal("8918.00")
    # 2027–28 holds 29 February: 183 days, 26 weeks and a day.
    assert days_in_year(datetime.date(2027, 10, 1), None, 2027) == 183
    assert year_cost(Decimal("343.00"), datetime.date(2027, 10, 1), None, 2027) == Decimal("8967.00")


def test_only_the_days_inside_the_year_count():
    assert days_in_year(datetime.date(2025, 1, 1), None, 2026) == 365
    assert days_in_year(datetime.date(2026, 4, 1), datetime.date(2026, 4, 7), 2026) == 7
    assert year_cost(Decimal("70.00"), datetime.date(2026, 4, 1), datetime.date(2026, 4, 7), 2026) == Decimal("70.00")
    assert days_in_year(datetime.date(2025, 4, 1), datetime.date(2026, 3, 31), 2026) == 0
    assert year_cost(Decimal("343.00"), datetime.date(2027, 4, 1), None, 2026) == Decimal("0.00")


def test_pence_round_half_up_and_floats_are_refused():
    assert pounds(Decimal("10.005")) == Decimal("10.01")
    assert weekly_cost(Decimal("7.5"), Decimal("19.99")) == Decimal("149.93")  # 149.925
    with pytest.raises(TypeError):
        pounds(0.1)
