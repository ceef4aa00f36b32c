"""Hospital discharge: the council's side of a person's stay in an acute bed — the discharge ready
date (DRD) and its history, the discharge pathway, delays with their reasons and attribution, and
the alerts that escalate a delay. Delayed days are counted from the current DRD: if the person
meets the criteria to reside again the DRD is reset and only the final period counts."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import Locality, Team
from ascm.providers.models import CareSetting, Ward
from clients.models import Client
from pathways.referrals.models import Referral


class DischargePathway(models.IntegerChoices):
    HOME = 0, "Pathway 0: home, no new support"
    HOME_WITH_SUPPORT = 1, "Pathway 1: home with support"
    COMMUNITY_BED = 2, "Pathway 2: a community bed (rehabilitation)"
    CARE_HOME = 3, "Pathway 3: a care home (likely permanent)"


class NhsDelayReason(models.TextChoices):
    """The NHS acute discharge data's reasons a person who is ready to go is still in hospital."""

    CARE_HOME_BED = "care_home_bed", "Awaiting a care home bed (likely permanent)"
    COMMUNITY_BED = "community_bed", "Awaiting a community rehabilitation bed"
    HOME_CARE = "home_care", "Awaiting resources to assess and start care at home"
    MEDICAL = "medical", "Awaiting a medical decision or discharge summary"
    EQUIPMENT = "equipment", "Awaiting equipment or adaptations"
    THERAPY = "therapy", "Awaiting a therapy decision"
    TRANSPORT = "transport", "Awaiting transport"
    MEDICINES = "medicines", "Awaiting medicines to take home"


class LocalDelayCode(models.TextChoices):
    """The older delayed transfer of care codes, still used locally."""

    A = "A", "A: completion of assessment"
    B = "B", "B: public funding"
    C = "C", "C: further non-acute NHS care"
    DI = "Di", "Di: residential home placement"
    DII = "Dii", "Dii: nursing home placement"
    E = "E", "E: care package in own home"
    F = "F", "F: community equipment and adaptations"
    G = "G", "G: patient or family choice"
    H = "H", "H: disputes"
    I = "I", "I: housing"  # noqa: E741 - the code's own letter


class Attribution(models.TextChoices):
    NHS = "nhs", "NHS"
    SOCIAL_CARE = "social_care", "Social care"
    BOTH = "both", "Both"


class Destination(models.TextChoices):
    HOME = "home", "Home"
    HOME_ENABLEMENT = "home_enablement", "Home, with Kent Enablement at Home"
    CARE_HOME = "care_home", "A care home"
    COMMUNITY_BED = "community_bed", "A community bed"
    OTHER = "other", "Somewhere else"
    DIED = "died", "Died in hospital"


class Discharge(TimeStampedModel):
    """One stay in hospital, from admission (or the referral) to the day the person leaves."""

    class Status(models.TextChoices):
        IN_HOSPITAL = "in_hospital", "In hospital"
        DISCHARGED = "discharged", "Discharged"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="discharges")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="discharge")
    hospital = models.ForeignKey(CareSetting, on_delete=models.PROTECT, related_name="discharges")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="discharges")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             help_text="The team working the discharge (the person's allocated team)")
    admitted_on = models.DateField()
    expected_on = models.DateField("expected date of discharge", null=True, blank=True)
    # The current discharge ready date; its history is in ReadyDateChange (a reset clears it).
    ready_on = models.DateField("discharge ready date", null=True, blank=True)
    pathway = models.PositiveSmallIntegerField(choices=DischargePathway.choices, null=True, blank=True)
    bridging_care = models.TextField(blank=True)
    planned_destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    planned_setting = models.ForeignKey(CareSetting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                        help_text="The care home or community bed, from the register")
    unpaid_carers = models.TextField("unpaid carers involved", blank=True)
    # The current delay, kept on the row for the tracking list; its history is in DelayPeriod.
    delay_reason = models.CharField(max_length=20, choices=NhsDelayReason.choices, blank=True)
    delay_code = models.CharField(max_length=4, choices=LocalDelayCode.choices, blank=True)
    attribution = models.CharField(max_length=12, choices=Attribution.choices, blank=True)
    next_action = models.CharField(max_length=200, blank=True)
    next_action_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_HOSPITAL)
    discharged_on = models.DateField(null=True, blank=True)
    destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    destination_setting = models.ForeignKey(CareSetting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    discharge_note = models.TextField(blank=True)
    # Set on every change that may raise or close an alert; the task (or the sweep, if the broker was
    # down) clears it once the alerts are checked.
    alerts_due = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["ready_on", "pk"]
        permissions = [("see_county_discharge", "Can see every hospital discharge in the county (discharge hub)"),
                       ("escalate_discharge", "Is told when a delayed discharge is escalated")]
        indexes = [models.Index(fields=["status", "ready_on"], name="discharge_tracking_idx"),
                   models.Index(fields=["alerts_due"], name="discharge_alerts_due_idx",
                                condition=models.Q(alerts_due=True))]
        constraints = [models.UniqueConstraint(fields=["client"], condition=models.Q(status="in_hospital"),
                                               name="discharge_one_stay_at_a_time")]

    def __str__(self) -> str:
        return f"Discharge {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("discharge:record", args=[self.pk])

    def delayed_days(self, today: datetime.date | None = None) -> int:
        """Days in the bed after the current DRD (only the final period after a reset counts)."""
        if self.ready_on is None:
            return 0
        end = self.discharged_on or today or timezone.localdate()
        return max(0, (end - self.ready_on).days)

    @property
    def is_delayed(self) -> bool:
        return self.status == self.Status.IN_HOSPITAL and self.delayed_days() > 0


class ReadyDateChange(models.Model):
    """Each setting, change or reset of the discharge ready date: who, when, why."""

    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="ready_date_changes")
    ready_on = models.DateField(null=True, blank=True, help_text="Empty when reset")
    reset = models.BooleanField(default=False, help_text="The person met the criteria to reside again")
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return "Reset" if self.reset else f"Ready {self.ready_on:%d %b %Y}"


class PathwayChange(models.Model):
    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="pathway_changes")
    pathway = models.PositiveSmallIntegerField(choices=DischargePathway.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return self.get_pathway_display()


class DelayPeriod(models.Model):
    """A reason for the delay from a day on, until the next period starts: the history that lets
    delayed days be attributed to each reason."""

    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="delay_periods")
    starts_on = models.DateField()
    reason = models.CharField(max_length=20, choices=NhsDelayReason.choices)
    code = models.CharField(max_length=4, choices=LocalDelayCode.choices)
    attribution = models.CharField(max_length=12, choices=Attribution.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on:%d %b %Y}"


class AlertRule(TimeStampedModel):
    """A threshold administrators set: when a delay reaches `delayed_days` (for a pathway and an
    attribution, or any), who is told. Dated: a rule applies from its date until it is retired."""

    class Recipient(models.TextChoices):
        WORKER = "worker", "The allocated worker"
        TEAM = "team", "The team"
        TEAM_MANAGER = "team_manager", "The team's managers"
        LOCALITY = "locality", "Managers across the locality (head of service)"

    name = models.CharField(max_length=100)
    pathway = models.PositiveSmallIntegerField(choices=DischargePathway.choices, null=True, blank=True,
                                               help_text="Empty: every pathway")
    attribution = models.CharField(max_length=12, choices=Attribution.choices, blank=True,
                                   help_text="Empty: whoever the delay is attributed to")
    delayed_days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    effective_from = models.DateField(default=timezone.localdate)
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["delayed_days", "pk"]

    def __str__(self) -> str:
        return self.name


class DischargeAlert(models.Model):
    """A rule's threshold reached for one stay at one DRD: raised once (the unique constraint), and
    closed when the person leaves or the DRD moves."""

    discharge = models.ForeignKey(Discharge, on_delete=models.PROTECT, related_name="alerts")
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    ready_on = models.DateField()
    delayed_days = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=100, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["discharge", "rule", "ready_on"], name="discharge_alert_once")]

    def __str__(self) -> str:
        return f"{self.rule} at {self.delayed_days} days"

    def key(self) -> str:
        return f"dtoc-{self.discharge_id}-{self.rule_id}-{self.ready_on}"
