"""A demo MDT for `make run`: next week at a Canterbury GP practice, with attendees and one person."""

import datetime

from django.utils import timezone

from ascm.organisation.models import GPPractice, Locality

from . import services
from .models import Meeting


def demo_mdt(users) -> None:
    from clients.models import Client

    pat, morgan = users.get("practitioner"), users.get("manager")
    canterbury = Locality.objects.filter(name="Canterbury").first()
    surgery = GPPractice.objects.filter(locality=canterbury).order_by("name").first()
    joan = Client.objects.filter(legacy_id="DEMO001").first()
    if not (pat and morgan and surgery and joan) or Meeting.objects.filter(title="Canterbury City MDT").exists():
        return
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    starts = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10, 0)))
    meeting = services.meeting_schedule(user=morgan, locality=canterbury, title="Canterbury City MDT", starts_at=starts,
                                        gp_practice=surgery, chair=morgan, every_weeks=2)
    for user in (morgan, pat):
        services.attendee_add(meeting=meeting, user=user)
    services.attendee_add(meeting=meeting, name="Dr Synthetic Partner", role="GP", organisation=surgery.name)
    services.agenda_add(user=pat, meeting=meeting, client=joan, reason="Home from hospital after a fall",
                        ask="A falls clinic view and community nursing input")
