"""MDT activity on the performance dashboard: meetings held and people discussed."""

from django.urls import reverse

from ascm.performance.extensions import Column, Measure

from .models import AgendaItem, Meeting

SECTION = "MDT activity"


def measures() -> dict[str, Measure]:
    meetings = (Column("Meeting", lambda m: m.title, lambda m: reverse("mdt:meeting", args=[m.pk])),
                Column("When", lambda m: f"{m.starts_at:%-d %b %Y %H:%M}"), Column("Locality", lambda m: m.locality.name))
    people = (Column("Person", lambda a: a.client.display_name, lambda a: reverse("mdt:meeting", args=[a.meeting_id])),
              Column("Meeting", lambda a: a.meeting.title), Column("Discussed", lambda a: f"{a.discussed_at:%-d %b %Y}"))
    return {
        "mdt-meetings-held": Measure(60, SECTION, "MDT meetings held", lambda s: s.filter(
            Meeting.objects.filter(status=Meeting.Status.HELD).select_related("locality")), meetings,
            date_field="starts_at"),
        "mdt-people-discussed": Measure(61, SECTION, "People discussed at an MDT", lambda s: s.filter(
            AgendaItem.objects.filter(discussed_at__isnull=False).select_related("client", "meeting"),
            locality="meeting__locality_id"), people, date_field="discussed_at"),
    }
