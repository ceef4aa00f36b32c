"""Deprivation of Liberty Safeguards: applications from managing authorities, urgent authorisations,
the six assessments, and standard authorisations. An application and its authorisation carry a
scheme (DoLS now) and the body that decides (the supervisory body), so the Liberty Protection
Safeguards can be added as another scheme with its own rules without rewriting these."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import Locality, Team
from ascm.providers.models import CareSetting
from clients.models import Client


class Scheme(models.TextChoices):
    DOLS = "dols", "Deprivation of Liberty Safeguards"


# The scheme's rules, in one place: what the law sets (Mental Capacity Act 2005, Schedule A1).
DOLS_RULES = {
    "min_age": 18,
    "decide_within_days": 21,  # a standard request
    "request_ahead_days": 28,  # a standard request, or a renewal, may arrive this early
    "urgent_days": 7,  # an urgent authorisation by the managing authority
    "urgent_extension_days": 7,  # once, by the supervisory body
    "max_months": 12,  # a standard authorisation
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return datetime.date(year, month, min(day.day, last))


class LibertyApplication(TimeStampedModel):
    """A request from a managing authority (a care home or hospital) for a standard authorisation,
    perhaps with an urgent authorisation it has granted itself."""

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard request"
        URGENT = "urgent", "Urgent authorisation and standard request"

    class Priority(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSESSING = "assessing", "Being assessed"
        GRANTED = "granted", "Authorised"
        NOT_GRANTED = "not_granted", "Not authorised"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = [Status.RECEIVED, Status.ASSESSING]

    reference = models.CharField(max_length=20, unique=True, editable=False)
    scheme = models.CharField(max_length=10, choices=Scheme.choices, default=Scheme.DOLS)
    supervisory_body = models.CharField(max_length=100, default="Kent County Council")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="liberty_applications")
    managing_authority = models.ForeignKey(CareSetting, on_delete=models.PROTECT, related_name="liberty_applications")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text="The DoLS team that works it")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    received_on = models.DateField()
    needed_from = models.DateField(null=True, blank=True, help_text="A standard request may arrive up to 28 days ahead")
    care_arrangements = models.TextField("the care arrangements that may deprive them of liberty")
    renewal_of = models.ForeignKey("LibertyAuthorisation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="renewals")
    # Screening: is this a deprivation of liberty? A multi-factor judgement ([2026] UKSC 16): the reasoning.
    is_deprivation = models.BooleanField(null=True)
    screening_reasoning = models.TextField(blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, blank=True)
    priority_reason = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    decided_on = models.DateField(null=True, blank=True)
    not_granted_reason = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    # The statutory deadline, kept on the row (set by the services from deadline()) so the queue, the
    # dashboard and the daily job sort and count in the database, whatever the backlog.
    due_on = models.DateField(null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["received_on", "pk"]
        permissions = [("sign_libertyapplication", "Can decide (sign) a DoLS application as the supervisory body")]
        indexes = [models.Index(fields=["status", "received_on"], name="dols_application_queue_idx"),
                   models.Index(fields=["status", "due_on"], name="dols_application_due_idx"),
                   models.Index(fields=["client", "received_on"], name="dols_application_client_idx")]

    def __str__(self) -> str:
        return f"DoLS application {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:dols-application", args=[self.pk])

    @property
    def rules(self) -> dict:
        return DOLS_RULES

    def deadline(self) -> datetime.date:
        """The last day to decide: the urgent authorisation's end; or, for a standard request, the
        21st day counting the day it arrived (received 1 May: decided by 21 May, in breach on the
        22nd) — and, for a request sent ahead, no earlier than the day it is needed."""
        urgent = getattr(self, "urgent", None) if self.kind == self.Kind.URGENT else None
        if urgent is not None:
            return urgent.ends_on
        last = self.received_on + datetime.timedelta(days=self.rules["decide_within_days"] - 1)
        return max(last, self.needed_from) if self.needed_from else last

    def deadline_refresh(self) -> None:
        """Keep the stored deadline in step (after receipt, an urgent authorisation or its extension)."""
        self.due_on = self.deadline()
        type(self).objects.filter(pk=self.pk).update(due_on=self.due_on)

    def days_in_breach(self, today=None) -> int:
        if self.status not in self.OPEN:
            return 0
        today = today or timezone.localdate()
        return max(0, (today - (self.due_on or self.deadline())).days)

    @property
    def closed_on(self) -> datetime.date | None:
        """The day it stopped being open: decided, or withdrawn."""
        return self.decided_on or self.withdrawn_on


class UrgentAuthorisation(TimeStampedModel):
    """Granted by the managing authority for up to 7 days; the council may extend it once, by up to 7."""

    application = models.OneToOneField(LibertyApplication, on_delete=models.PROTECT, related_name="urgent")
    granted_on = models.DateField()
    ends_on = models.DateField()
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    def __str__(self) -> str:
        return f"Urgent authorisation to {self.ends_on:%d %b %Y}"


class LibertyAssessment(TimeStampedModel):
    """One of the six assessments, allocated to an assessor (staff, or a partner named)."""

    class Kind(models.TextChoices):
        AGE = "age", "Age"
        NO_REFUSALS = "no_refusals", "No refusals"
        MENTAL_CAPACITY = "mental_capacity", "Mental capacity"
        MENTAL_HEALTH = "mental_health", "Mental health"
        ELIGIBILITY = "eligibility", "Eligibility"
        BEST_INTERESTS = "best_interests", "Best interests"

    class Outcome(models.TextChoices):
        MET = "met", "Requirement met"
        NOT_MET = "not_met", "Requirement not met"

    application = models.ForeignKey(LibertyApplication, on_delete=models.PROTECT, related_name="assessments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assessor_name = models.CharField(max_length=200, blank=True, help_text="A partner assessor without an account")
    assessor_role = models.CharField(max_length=100, blank=True,
                                     help_text="Best interests assessor; mental health assessor (a doctor)")
    allocated_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    equivalent_reference = models.CharField("equivalent assessment reused", max_length=100, blank=True,
                                            help_text="An assessment done in the last 12 months, reused where the law allows")
    recommended_months = models.PositiveSmallIntegerField(null=True, blank=True,
                                                          help_text="Best interests: the longest authorisation recommended")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="dols_assessment_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} assessment"


class LibertyAuthorisation(TimeStampedModel):
    """A standard authorisation the supervisory body granted."""

    class Representative(models.TextChoices):
        UNPAID = "unpaid", "Unpaid (family or friend)"
        PAID = "paid", "Paid representative"

    class Status(models.TextChoices):
        ACTIVE = "active", "In force"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated"

    application = models.OneToOneField(LibertyApplication, on_delete=models.PROTECT, related_name="authorisation")
    scheme = models.CharField(max_length=10, choices=Scheme.choices, default=Scheme.DOLS)
    starts_on = models.DateField()
    ends_on = models.DateField()
    conditions = models.TextField(blank=True)
    representative_name = models.CharField(max_length=200)
    representative_kind = models.CharField(max_length=10, choices=Representative.choices)
    signatory = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    status_changed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["ends_on", "pk"]
        indexes = [models.Index(fields=["status", "ends_on"], name="dols_authorisation_end_idx")]

    def __str__(self) -> str:
        return f"Authorisation {self.starts_on:%d %b %Y} to {self.ends_on:%d %b %Y}"


class LibertyReview(TimeStampedModel):
    """A review of a standard authorisation (Schedule A1, Part 8): asked for by the person, their
    representative or the managing authority, or by the supervisory body; its outcome is kept."""

    class Outcome(models.TextChoices):
        CONTINUES = "continues", "Continues unchanged"
        CONDITIONS_VARIED = "conditions_varied", "Continues with conditions varied"
        TERMINATED = "terminated", "Terminated: a requirement is no longer met"

    authorisation = models.ForeignKey(LibertyAuthorisation, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    requested_by = models.CharField(max_length=200, blank=True, help_text="Who asked for it")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    notes = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d %b %Y}: {self.get_outcome_display()}"
