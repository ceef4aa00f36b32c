"""Working days in England: weekdays that are not bank holidays (the `holidays` package keeps the
list, including substitute days)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def nth_working_day_back(day: datetime.date, n: int) -> datetime.date:
    """The n-th most recent working day on or before `day` (n=1: `day` itself if it is one)."""
    while True:
        if is_working_day(day):
            n -= 1
            if n == 0:
                return day
        day -= datetime.timedelta(days=1)


def working_days_after(day: datetime.date, n: int) -> datetime.date:
    """The date n working days after `day` (a target "within 2 working days of receipt")."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is on or before start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


# Dates a case record can sensibly hold. Outside them a typing slip (0001-01-01, 9999-12-31) would
# reach date arithmetic (a review due six weeks after 9999-12-31) and fail; it is refused instead.
EARLIEST = datetime.date(1900, 1, 1)
FUTURE_LIMIT = datetime.timedelta(days=366)


def date_check(value: datetime.date | None, *, field: str, label: str, future: bool = True,
               not_before: datetime.date | None = None) -> None:
    """Raise a field ValidationError for a date outside what the record can hold: before 1900, more
    than a year ahead (or after today, when future=False), or before `not_before`."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    if value is None:
        return
    today = timezone.localdate()
    if value < max(EARLIEST, not_before or EARLIEST):
        floor = not_before if not_before and not_before > EARLIEST else EARLIEST
        raise ValidationError({field: f"{label} must be on or after {floor:%-d %B %Y}"})
    if not future and value > today:
        raise ValidationError({field: f"{label} must be today or in the past"})
    if value > today + FUTURE_LIMIT:
        raise ValidationError({field: f"{label} must be within a year from today"})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
