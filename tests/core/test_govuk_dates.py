"""The quicker `date` filter writes exactly what Django's does, for every format and value."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, engines
from django.template.defaultfilters import date as django_date

LONDON = zoneinfo.ZoneInfo("Europe/London")
VALUES = [
    datetime.date(2026, 1, 5), datetime.date(2026, 12, 31), datetime.date(1940, 9, 1),
    datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),  # 00:30 the next day in London (BST)
    datetime.datetime(2026, 1, 1, 9, 5, tzinfo=datetime.UTC), datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 5, 4, 7, 0, tzinfo=LONDON), None, "", "not a date",
]
FORMATS = ["j M Y", "j F Y", "j M Y H:i", "j F Y H:i", "j M", "D j M Y, H:i", "F Y"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_date_filter_writes_what_djangos_writes(fmt):
    template = engines["django"].from_string('{{ value|date:"' + fmt + '" }}')
    for value in VALUES:
        # Django's own filter, given local time as the template engine gives it.
        local = value.astimezone(LONDON) if isinstance(value, datetime.datetime) and value.tzinfo else value
        ours = _outcome(lambda value=value: template.render({"value": value}))
        assert ours == _outcome(lambda local=local: str(django_date(local, fmt))), (fmt, value)


def _outcome(write):
    try:
        return write()
    except TypeError as error:  # a time format for a plain date: Django refuses it, and so must we
        return type(error)


def test_it_stands_in_for_djangos_in_every_template():
    from ascm.core.templatetags import govuk_dates

    assert Template('{{ d|date:"j M Y" }}').render(Context({"d": datetime.date(2026, 2, 3)})) == "3 Feb 2026"
    assert engines["django"].engine.template_builtins[-1].filters["date"] is govuk_dates.date
