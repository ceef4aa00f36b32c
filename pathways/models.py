"""The front door: referrals, routing rules and response targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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

    def __str__(self) -> str:
        return f"{self.get_urgency_display()}: {self.hours} hours"


class ReminderThreshold(models.Model):
    """When the daily job reminds people, as dated rows administrators set: a new row changes
    reminders from its date on, and the history of what applied when is kept. With no row, the
    default below applies."""

    class Name(models.TextChoices):
        REVIEW_DUE_DAYS = "review_due_days", "Days before a review is due that its reminder is sent"
        ENABLEMENT_ENDING_DAYS = "enablement_ending_days", "Days before enablement's planned end that it is flagged"
        SIGNOFF_WAITING_WORKING_DAYS = ("signoff_waiting_working_days",
                                        "Working days an assessment may wait for sign-off before managers are reminded")
        AGE_NOTICE_DAYS = "age_notice_days", "Days before a young person reaches 14, 18 or 25½ that they are flagged"

    DEFAULTS = {Name.REVIEW_DUE_DAYS: 14, Name.ENABLEMENT_ENDING_DAYS: 7, Name.SIGNOFF_WAITING_WORKING_DAYS: 5,
                Name.AGE_NOTICE_DAYS: 7}

    name = models.CharField(max_length=40, choices=Name.choices)
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    effective_from = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["name", "effective_from"], name="reminder_threshold_once_a_day")]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.value} from {self.effective_from:%-d %b %Y}"

    @classmethod
    def value_on(cls, name: str, on) -> int:
        """The threshold in force on a date: the latest row from on or before it, else the default.
        Read on busy pages (the work page), so cached until a threshold is saved."""
        from django.core.cache import cache

        generation = cache.get("ascm:reminder-thresholds") or 0
        key = f"ascm:reminder-threshold:{generation}:{name}:{on.isoformat()}"
        value = cache.get(key)
        if value is None:
            row = cls.objects.filter(name=name, effective_from__lte=on).order_by("-effective_from").first()
            value = row.value if row else cls.DEFAULTS[name]
            cache.set(key, value, 3600)
        return value

    def save(self, *args, **kwargs):
        from django.core.cache import cache

        super().save(*args, **kwargs)
        try:
            cache.incr("ascm:reminder-thresholds")
        except ValueError:
            cache.set("ascm:reminder-thresholds", 1, None)


class PathwaySetting(models.Model):
    """Per pathway, the planned length of an episode (administrators set these: Promoting Independence
    is short-term enablement, up to 6 weeks by default). Blank: no planned end."""

    # Promoting Independence's planned length where no setting exists yet (the one place it is written).
    ENABLEMENT_WEEKS_DEFAULT = 6

    pathway = models.CharField(max_length=40, choices=Pathway.choices, unique=True)
    planned_length_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="Weeks from the start of an episode to its planned end; blank for no planned end")

    class Meta:
        ordering = ["pathway"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.planned_length_weeks or 'no'} weeks"


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
        ordering = ["-received_at"]
        permissions = [("allocate_referral", "Can allocate a referral to another practitioner")]
        indexes = [
            models.Index(fields=["team", "status", "received_at"], name="referral_queue_idx"),
            models.Index(fields=["status", "received_at"], name="referral_status_idx"),
            models.Index(fields=["client", "status"], name="referral_client_idx"),
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
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


class Episode(TimeStampedModel):
    """A spell on one pathway: started (often from a referral), then closed with an outcome that may
    hand the person on to the next pathway. Never deleted."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="episodes")
    pathway = models.CharField(max_length=40, choices=Pathway.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_episode")
    started_on = models.DateField(default=timezone.localdate)
    planned_end_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "pathway"], condition=models.Q(ended_on__isnull=True),
                                    name="episode_one_open_per_pathway",
                                    violation_error_message="The person already has an open episode on this pathway"),
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} for {self.client} from {self.started_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def outcome_label(self) -> str:
        from .episodes import TRANSITIONS

        return TRANSITIONS.get(self.pathway, {}).get(self.outcome, (self.outcome, None))[0]


class Assessment(TimeStampedModel):
    """A Care Act needs assessment (strengths-based) or a carer's assessment. Saved as a draft (with a
    version number so two people cannot overwrite each other), submitted, then signed off by someone
    other than the author — after which it is locked and corrections are new versions."""

    class Kind(models.TextChoices):
        NEEDS = "needs", "Care Act needs assessment"
        CARER = "carer", "Carer's assessment"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for sign-off"
        RETURNED = "returned", "Returned with comments"
        SIGNED_OFF = "signed_off", "Signed off"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assessments",
                               help_text="The person assessed (for a carer's assessment, the cared-for person)")
    carer = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="carer_assessments",
                              help_text="The carer, when they have a record of their own")
    carer_name = models.CharField(max_length=200, blank=True)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # The question page last saved: reopening the draft goes back there.
    last_section = models.CharField(max_length=30, blank=True)
    last_saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    determination = models.JSONField(default=dict, blank=True)
    practitioner_agrees = models.BooleanField(null=True, blank=True)
    disagreement_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField(blank=True)
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by")

    class Meta:
        ordering = ["-created_at"]
        permissions = [("sign_off_assessment", "Can sign off an assessment")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="assessment_signoff_idx"),
                   models.Index(fields=["author", "status"], name="assessment_author_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.client} ({self.get_status_display()})"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.SIGNED_OFF)

    @property
    def carer_display(self) -> str:
        return str(self.carer) if self.carer_id else self.carer_name


class SupportPlan(TimeStampedModel):
    """The care and support plan: the outcomes the person wants and how each will be met."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="support_plans")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="support_plans")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    outcomes = models.JSONField(default=list, help_text="[{outcome, met_by: own_strengths|network|community|service, how}]")
    contingency = models.TextField(blank=True)
    personal_budget = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"Care and support plan for {self.client} from {self.starts_on:%d %b %Y}"


class Review(TimeStampedModel):
    """A review of a care and support plan: due 6–8 weeks after the plan starts, then at least every
    12 months (Care and support statutory guidance, chapter 13)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    what_changed = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["completed_on", "due_on"], name="review_due_idx")]

    def __str__(self) -> str:
        return f"Review of {self.plan.client} due {self.due_on:%d %b %Y}"
