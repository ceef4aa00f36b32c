"""The `date` filter, for the formats the pages use ("j M Y", "j F Y", with "H:i"), without the
format machinery: Django's `date` costs about 0.1 ms a value (format lookups, translation), which
in a 50-row list is more than its queries. Loaded as a builtin, so it stands in for Django's in
every template; any other format, and anything that is not a date, goes to Django's own filter.
English month names, as the service is in English (LANGUAGE_CODE en-gb), and the GOV.UK style."""

import datetime

from django import template
from django.template.defaultfilters import date as django_date

register = template.Library()

_SHORT = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December")


def _day_month_year(value, months) -> str:
    return f"{value.day} {months[value.month]} {value.year}"


def _with_time(value, months) -> str:
    return f"{value.day} {months[value.month]} {value.year} {value.hour:02d}:{value.minute:02d}"


_FORMATS = {
    "j M Y": (_day_month_year, _SHORT, False),
    "j F Y": (_day_month_year, _LONG, False),
    "j M Y H:i": (_with_time, _SHORT, True),
    "j F Y H:i": (_with_time, _LONG, True),
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` (already given local time, as Django's is), quicker for the usual formats."""
    known = _FORMATS.get(arg)
    if known is not None and type(value) in (datetime.date, datetime.datetime):
        format_value, months, needs_time = known
        if not needs_time or type(value) is datetime.datetime:
            return format_value(value, months)
    return django_date(value, arg)
