"""Hospital discharge on the performance dashboard: people delayed now, and the delayed days of the
people discharged in the period."""

from django.db.models import F, Sum
from django.db.models.fields import DateField
from django.db.models.functions import Cast, Now
from django.utils import timezone

from ascm.core.db import DaysBetween
from ascm.performance.extensions import Column, Measure

from .models import Discharge

SECTION = "Hospital discharge"


def _discharges(scope):
    return scope.filter(Discharge.objects.select_related("client", "hospital"), team="team_id")


COLUMNS = (Column("Person", lambda d: d.client.display_name, lambda d: d.get_absolute_url()),
           Column("Hospital", lambda d: d.hospital.name),
           Column("Ready for discharge", lambda d: f"{d.ready_on:%-d %b %Y}" if d.ready_on else "–"),
           Column("Discharged", lambda d: f"{d.discharged_on:%-d %b %Y}" if d.discharged_on else "Still in hospital"))


def _delayed_now(scope):
    return _discharges(scope).filter(status=Discharge.Status.IN_HOSPITAL, ready_on__lt=timezone.localdate())


def _discharged_late(scope):
    return _discharges(scope).filter(status=Discharge.Status.DISCHARGED, ready_on__isnull=False,
                                     ready_on__lt=F("discharged_on"))


def measures() -> dict[str, Measure]:
    return {
        "delayed-now": Measure(70, SECTION, "People delayed in hospital now", _delayed_now, COLUMNS,
                               help="In hospital after the day they were ready to leave."),
        "delayed-days-now": Measure(
            71, SECTION, "Days the people delayed now have waited", _delayed_now, COLUMNS,
            value=("days", Sum, DaysBetween(Cast(Now(), output_field=DateField()), F("ready_on")))),
        "delayed-discharges": Measure(72, SECTION, "People discharged after a delay", _discharged_late, COLUMNS,
                                      date_field="discharged_on", trend=True),
        "delayed-days": Measure(73, SECTION, "Delayed days of people discharged in the period", _discharged_late, COLUMNS,
                                date_field="discharged_on",
                                value=("days", Sum, DaysBetween(F("discharged_on"), F("ready_on")))),
    }
