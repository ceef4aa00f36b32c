"""Care: pathway episodes, assessments, care and support plans, reviews, and the settings and
reminder thresholds administrators set for them."""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import Team
from clients.models import Client
from pathways.referrals.models import Pathway, Referral


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
        db_table = "pathways_reminderthreshold"  # the table it has had since before the split
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
        db_table = "pathways_pathwaysetting"  # the table it has had since before the split
        ordering = ["pathway"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.planned_length_weeks or 'no'} weeks"


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
        db_table = "pathways_episode"  # the table it has had since before the split
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "pathway"], condition=models.Q(ended_on__isnull=True),
                                    name="episode_one_open_per_pathway",
                                    violation_error_message="The person already has an open episode on this pathway"),
        ]
        # A person's current episode (the newest open one), read from the index alone: the caseload
        # review looks it up for each of thousands of allocated people.
        indexes = [models.Index(fields=["client", "-started_on", "-id"], include=["pathway"],
                                condition=models.Q(ended_on__isnull=True), name="episode_current_idx")]

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
        db_table = "pathways_assessment"  # the table it has had since before the split
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
    # The personal budget is finance's (finance.PersonalBudget), shown here through care.extensions.plan_panels.

    class Meta:
        db_table = "pathways_supportplan"  # the table it has had since before the split
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["client"], condition=models.Q(ended_on__isnull=True), name="plan_open_client_idx")]

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
    # How far the plan's outcomes were achieved (Client Level Data's "Review Outcomes Achieved").
    outcomes_achieved = models.CharField(max_length=10, blank=True, choices=[
        ("fully", "Fully achieved"), ("partially", "Partially achieved"), ("not", "Not achieved")])

    class Meta:
        db_table = "pathways_review"  # the table it has had since before the split
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["completed_on", "due_on"], name="review_due_idx")]

    def __str__(self) -> str:
        return f"Review of {self.plan.client} due {self.due_on:%d %b %Y}"
