"""The council's financial year (1 April to 31 March), named by the year it starts: 2026 is 2026–27.
Returns, budgets and commitments all read it here."""

import datetime

from django.utils import timezone


def financial_year(on: datetime.date | None = None) -> int:
    on = on or timezone.localdate()
    return on.year if on.month >= 4 else on.year - 1


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def year_parse(value) -> int:
    """The financial year a request asks for ("2026" for 2026-27; empty for the current one); a
    ValueError for anything else, which pages answer 404 and the API 400."""
    year = int(value) if value not in (None, "") else financial_year()
    if not 2000 <= year <= 2100:
        raise ValueError("year out of range")
    return year


def year_label(year: int) -> str:
    return f"{year}–{str(year + 1)[2:]}"
