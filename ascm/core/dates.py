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
