"""Money arithmetic, in Decimal pounds and pence (never floats), in Python and in the database.

The full-year cost rule, used everywhere a package is counted against a year:
  a line costs its weekly cost for every day it runs inside the financial year (1 April to 31 March),
  counting both its first and last day, divided by seven; rounded to the penny (half up) per line,
  then added up. A 14-hour home care line at £24.50 an hour costs £343.00 a week; starting on
  1 October 2026 and running past 31 March 2027 it runs 182 days (26 weeks) in 2026–27, so
  £343.00 × 182 / 7 = £8,918.00. In 2027–28 (February has 29 days) the same start gives 183 days,
  26 weeks and a day: £8,967.00.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DateField, DecimalField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least, Round

from ascm.core.db import DaysBetween  # noqa: F401 - finance's SQL uses it (and re-exports it)
from ascm.core.years import financial_year, year_bounds  # noqa: F401 - finance's year is the council's

PENCE = Decimal("0.01")


def pounds(value) -> Decimal:
    """Rounded to the penny, half up (as a ledger rounds), from a Decimal, int or str — never a float."""
    if isinstance(value, float):
        raise TypeError("Money is never a float")
    return Decimal(value).quantize(PENCE, rounding=ROUND_HALF_UP)


def weekly_cost(units_per_week, unit_cost) -> Decimal:
    return pounds(Decimal(units_per_week) * Decimal(unit_cost))


def days_in_year(starts_on: datetime.date, ends_on: datetime.date | None, year: int) -> int:
    first, last = year_bounds(year)
    start, end = max(starts_on, first), min(ends_on or last, last)
    return max((end - start).days + 1, 0)


def year_cost(weekly, starts_on, ends_on, year: int) -> Decimal:
    """The cost inside the financial year, by the rule in this module's docstring."""
    return pounds(Decimal(weekly) * days_in_year(starts_on, ends_on, year) / 7)


def _date(value):
    return Value(value, output_field=DateField())


def line_days_expression(year: int, prefix: str = ""):
    """Days a package line runs inside the year, in SQL (0 or less when it does not)."""
    first, last = year_bounds(year)
    end = Least(Coalesce(F(f"{prefix}ends_on"), _date(last)), _date(last))
    start = Greatest(F(f"{prefix}starts_on"), _date(first))
    return DaysBetween(end, start) + 1


def line_year_cost_expression(year: int, prefix: str = ""):
    """The line's cost inside the year, in SQL: weekly × days / 7, rounded to the penny."""
    money = DecimalField(max_digits=14, decimal_places=2)
    return Round(ExpressionWrapper(F(f"{prefix}weekly_cost") * line_days_expression(year, prefix) / Value(7),
                                   output_field=money), 2, output_field=money)


def line_in_year(year: int, prefix: str = "") -> Q:
    first, last = year_bounds(year)
    return Q(**{f"{prefix}starts_on__lte": last}) & (Q(**{f"{prefix}ends_on__isnull": True})
                                                    | Q(**{f"{prefix}ends_on__gte": first}))
