"""Locality MDT meetings around GP practices and hubs: the series and its meetings, attendees (staff
and named partners without accounts), the agenda of people, discussions and actions; and the
caseload weights managers' caseload review uses. Nothing is deleted: meetings are cancelled,
actions closed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import GPPractice, Hub, Locality
from clients.models import CaseNote, Client


class MeetingSeries(TimeStampedModel):
    """A recurring MDT meeting, e.g. every second Monday at 10:00 at a GP practice."""

    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="mdt_series")
    title = models.CharField(max_length=200)
    gp_practice = models.ForeignKey(GPPractice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    first_at = models.DateTimeField()
    every_weeks = models.PositiveSmallIntegerField(default=2)
    until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["locality__name", "title"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.title


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="mdt_meetings")
    title = models.CharField(max_length=200)
    gp_practice = models.ForeignKey(GPPractice, on_delete=models.PROTECT, null=True, blank=True, related_name="mdt_meetings")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="mdt_meetings")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["series", "starts_at"], name="meeting_once_per_series_slot")]
        indexes = [models.Index(fields=["locality", "starts_at"], name="meeting_locality_idx")]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    # A discussion can be recorded from an hour before the meeting starts (people arrive early).
    DISCUSSION_OPENS_BEFORE = datetime.timedelta(hours=1)

    @property
    def discussion_open(self) -> bool:
        return self.status != self.Status.CANCELLED and self.starts_at <= timezone.now() + self.DISCUSSION_OPENS_BEFORE

    @property
    def venue(self) -> str:
        return str(self.gp_practice or self.hub or "")

    def clean(self):
        if not self.gp_practice_id and not self.hub_id:
            raise ValidationError({"gp_practice": "Choose the GP practice or hub where the meeting is held"})


class Attendee(models.Model):
    """Someone at the meeting: a member of staff (a user) or a partner recorded by name, role and
    organisation — a GP, community nurse, mental health trust or voluntary sector worker, who has
    no account and no access to the system."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=100, blank=True)
    organisation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        who = self.user.get_full_name() if self.user_id else self.name
        return ", ".join(part for part in (who, self.role, self.organisation) if part)

    @property
    def is_partner(self) -> bool:
        return self.user_id is None


class AgendaItem(TimeStampedModel):
    """A person on a meeting's agenda, with the reason and what is asked of the MDT. Without consent to
    share with health partners, the practitioner records the lawful basis for discussing them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="mdt_agenda_items")
    reason = models.TextField()
    ask = models.TextField("what is asked of the MDT")
    consent_at_adding = models.CharField(max_length=20)
    lawful_basis = models.TextField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    discussed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    note = models.OneToOneField(CaseNote, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "client"], condition=models.Q(withdrawn_at__isnull=True),
                                               name="agenda_person_once_per_meeting",
                                               violation_error_message="This person is already on the agenda")]

    def __str__(self) -> str:
        return f"{self.client} at {self.meeting}"


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="mdt_actions")
    owner_attendee = models.ForeignKey(Attendee, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(owner__isnull=False) | models.Q(owner_attendee__isnull=False), name="action_has_owner")]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def owner_display(self) -> str:
        return self.owner.get_full_name() if self.owner_id else str(self.owner_attendee)

    def is_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())


class CaseloadWeight(models.Model):
    """How much one person on a pathway counts in a practitioner's weighted caseload, and how much if
    their case is complex (a safety flag, an interpreter, or an open safeguarding concern).
    Administrators set these; a person with no open episode counts the `default` row."""

    pathway = models.CharField(max_length=40, unique=True, help_text="A pathway code, or 'default'")
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    complex_weight = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True,
        help_text="For a complex case: a safety flag, an interpreter, or an open safeguarding concern. "
                  "Blank: the same as the weight.")

    class Meta:
        ordering = ["pathway"]
        permissions = [("view_caseload_review", "Can review the caseloads of the teams they manage"),
                       ("reallocate_caseload", "Can reallocate people between practitioners in their teams")]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.weight}"
