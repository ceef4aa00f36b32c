"""The front door: referrals, routing rules and response targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import Locality, Team, TeamType
from clients.models import Client
from clients.reference import PrimarySupportReason


class Pathway(models.TextChoices):
    PROMOTING_WELLBEING = "promoting_wellbeing", "Promoting Wellbeing"
    PROMOTING_INDEPENDENCE = "promoting_independence", "Promoting Independence"
    SUPPORTING_INDEPENDENCE = "supporting_independence", "Supporting Independence"
    LIFESPAN_0_25 = "lifespan_0_25", "Lifespan 0–25"
    LIFESPAN_26_PLUS = "lifespan_26_plus", "Lifespan 26+"
    COMMUNITY_MENTAL_HEALTH = "community_mental_health", "Community Mental Health"
    AUTISM_AND_SENSORY = "autism_and_sensory", "Autism and Sensory"


class ReferralSource(models.TextChoices):
    SELF = "self", "Self"
    FAMILY_FRIEND = "family_friend", "Family or friend"
    GP = "gp", "GP"
    HOSPITAL = "hospital", "Hospital / Integrated Discharge Team"
    COMMUNITY_HEALTH = "community_health", "Community health"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    POLICE = "police", "Police"
    CARE_PROVIDER = "care_provider", "Care provider"
    OTHER_COUNCIL = "other_council", "Other council"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


URGENCY_RANK = {Urgency.URGENT: 0, Urgency.SOON: 1, Urgency.ROUTINE: 2}

# The flags a referral can carry, and a rule can require.
FLAGS = {
    "hospital_discharge": "Hospital discharge",
    "safeguarding_concern": "Safeguarding concern",
    "mental_health": "Mental health",
    "learning_disability_or_autism": "Learning disability or autism",
    "sensory_loss": "Sensory loss",
    "carer_needs_support": "Carer needing support",
}


class ResponseTarget(models.Model):
    """How soon a referral of each urgency should be picked up (administrators set these)."""

    urgency = models.CharField(max_length=10, choices=Urgency.choices, unique=True)
    hours = models.PositiveIntegerField(help_text="Hours from receipt to allocation")

    class Meta:
        db_table = "pathways_responsetarget"  # the table it has had since before the split

    def __str__(self) -> str:
        return f"{self.get_urgency_display()}: {self.hours} hours"


class RoutingRule(TimeStampedModel):
    """An ordered rule: when every condition given holds, the referral goes to the person's locality
    team of the target type, on the suggested pathway. The first matching rule wins."""

    position = models.PositiveIntegerField(help_text="Rules are tried in this order, lowest first")
    name = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)
    min_age = models.PositiveIntegerField(null=True, blank=True)
    max_age = models.PositiveIntegerField(null=True, blank=True)
    primary_support_reasons = models.JSONField(default=list, blank=True, help_text="Any of these (empty: any)")
    required_flags = models.JSONField(default=list, blank=True, help_text="All of these flags (empty: none needed)")
    sources = models.JSONField(default=list, blank=True, help_text="Any of these sources (empty: any)")
    urgencies = models.JSONField(default=list, blank=True, help_text="Any of these urgencies (empty: any)")
    localities = models.ManyToManyField(Locality, blank=True, help_text="Only in these localities (empty: all)")
    target_team_type = models.CharField(max_length=40, choices=TeamType.choices)
    target_pathway = models.CharField(max_length=40, choices=Pathway.choices)
    decline_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        db_table = "pathways_routingrule"  # the table it has had since before the split
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"Rule {self.position}: {self.name}"

    def clean(self):
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors["max_age"] = "The maximum age must be at least the minimum age"
        unknown = [f for f in self.required_flags or [] if f not in FLAGS]
        if unknown:
            errors["required_flags"] = f"Unknown flags: {', '.join(unknown)}"
        unknown = [r for r in self.primary_support_reasons or [] if r not in PrimarySupportReason.values]
        if unknown:
            errors["primary_support_reasons"] = f"Unknown primary support reasons: {', '.join(unknown)}"
        unknown = [s for s in self.sources or [] if s not in ReferralSource.values]
        if unknown:
            errors["sources"] = f"Unknown sources: {', '.join(unknown)}"
        unknown = [u for u in self.urgencies or [] if u not in Urgency.values]
        if unknown:
            errors["urgencies"] = f"Unknown urgencies: {', '.join(unknown)}"
        if errors:
            raise ValidationError(errors)


class Referral(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received, waiting to be routed"
        ROUTED = "routed", "In the team's queue"
        ALLOCATED = "allocated", "Allocated"
        LINKED = "linked", "Linked to existing work"
        CLOSED = "closed", "Closed"

    # Waiting in a team's queue to be acted on: routed there, or linked to the team's open work.
    WAITING = (Status.ROUTED, Status.LINKED)

    class Outcome(models.TextChoices):
        PATHWAY_STARTED = "pathway_started", "Progressed to a pathway episode"
        INFORMATION_AND_ADVICE = "information_and_advice", "Information and advice given"
        SIGNPOSTED = "signposted", "Signposted to a community resource"
        NO_FURTHER_ACTION = "no_further_action", "No further action"
        SUPPORT_DECLINED = "support_declined", "Support declined by the person"
        ADDED_TO_OPEN_WORK = "added_to_open_work", "Added to the person's open work"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    needs_in_persons_words = models.TextField("presenting needs, in the person's words", blank=True)
    needs_referrer = models.TextField("presenting needs, as the referrer describes them", blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    hospital_discharge = models.BooleanField(default=False)
    ward = models.CharField(max_length=100, blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    expected_discharge_on = models.DateField(null=True, blank=True)
    safeguarding_concern = models.BooleanField(default=False)
    mental_health = models.BooleanField(default=False)
    learning_disability_or_autism = models.BooleanField(default=False)
    sensory_loss = models.BooleanField(default=False)
    carer_needs_support = models.BooleanField(default=False)
    consent_given = models.BooleanField("the person consents to the referral", default=False)
    received_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    suggested_pathway = models.CharField(max_length=40, choices=Pathway.choices, blank=True)
    routing_rule = models.ForeignKey(RoutingRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    routing_reason = models.CharField(max_length=300, blank=True)
    routed_at = models.DateTimeField(null=True, blank=True)
    safeguarding_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    linked_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="linked")
    link_reason = models.CharField(max_length=300, blank=True)
    allocated_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allocated_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    community_resource = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        db_table = "pathways_referral"  # the table it has had since before the split
        ordering = ["-received_at"]
        permissions = [("allocate_referral", "Can allocate a referral to another practitioner")]
        indexes = [
            models.Index(fields=["team", "status", "received_at"], name="referral_queue_idx"),
            models.Index(fields=["status", "received_at"], name="referral_status_idx"),
            models.Index(fields=["client", "status"], name="referral_client_idx"),
            # The open safeguarding concern flag probes this small index, never every referral.
            models.Index(fields=["client"], condition=models.Q(safeguarding_concern=True) & ~models.Q(status="closed"),
                         name="referral_open_concern_idx"),
        ]

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    def __str__(self) -> str:
        return f"Referral {self.pk} for {self.client}"

    @property
    def flags(self) -> set[str]:
        return {name for name in FLAGS if getattr(self, name)}

    @property
    def flag_labels(self) -> list[str]:
        return [FLAGS[name] for name in FLAGS if getattr(self, name)]

    def clean(self):
        errors = {}
        if self.admitted_on and self.expected_discharge_on and self.expected_discharge_on < self.admitted_on:
            errors["expected_discharge_on"] = "The expected discharge date must be on or after the admission date"
        if self.hospital_discharge and not self.ward.strip():
            errors["ward"] = "Enter the ward for a hospital discharge referral"
        if self.source != ReferralSource.SELF and not self.referrer_name.strip():
            errors["referrer_name"] = "Enter the name of the person making the referral"
        if self.client_id and self.client.date_of_birth is None and not self.referrer_name.strip():
            errors["referrer_name"] = "Without a date of birth, we need the referrer's details to identify the person"
        if self.client_id and self.client.age() is not None and self.client.age() > 120:
            errors["client"] = "The person would be over 120 years old: check their date of birth"
        if self.received_at and self.received_at > timezone.now() + datetime.timedelta(minutes=5):
            errors["received_at"] = "The referral cannot be received in the future"
        if errors:
            raise ValidationError(errors)


class ReferralEvent(models.Model):
    """The referral's history in words: routed, re-routed, declined, allocated, closed, linked."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20)
    detail = models.CharField(max_length=400)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "pathways_referralevent"  # the table it has had since before the split
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"
