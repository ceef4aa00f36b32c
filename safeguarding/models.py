"""Safeguarding adults (Care Act s42): concerns, the adults at risk in each, and the s42 decision.

The strictest records in ASCM: only the locality's safeguarding team and lead, and people given
access to one concern by name, may see them (see permissions.py). Other apps learn only that a
person has an open safeguarding matter, and whom to contact."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ascm.core.models import TimeStampedModel
from ascm.organisation.models import Locality, Team
from ascm.providers.models import CareSetting
from clients.models import Client


class DecisionTarget(models.Model):
    """Working days from receipt within which the s42 decision is due, as dated rows administrators
    set (the Kent and Medway Safeguarding Adults Board's procedures decide it). A new row applies
    from its date; earlier rows stay as the history of what applied when."""

    DEFAULT_WORKING_DAYS = 2

    working_days = models.PositiveSmallIntegerField()
    applies_from = models.DateField(unique=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applies_from"]

    def __str__(self) -> str:
        return f"{self.working_days} working days from {self.applies_from:%d %b %Y}"

    @classmethod
    def on(cls, day, targets: list | None = None) -> int:
        """The target that applied on `day`; pass `targets` (all rows, read once) for a whole list."""
        if targets is None:
            row = cls.objects.filter(applies_from__lte=day).order_by("-applies_from").first()
            return row.working_days if row else cls.DEFAULT_WORKING_DAYS
        applying = [t for t in targets if t.applies_from <= day]
        return max(applying, key=lambda t: t.applies_from).working_days if applying else cls.DEFAULT_WORKING_DAYS


class SafeguardingConcern(TimeStampedModel):
    """A concern that one or more adults are experiencing, or at risk of, abuse or neglect."""

    class Source(models.TextChoices):
        REFERRAL = "referral", "A referral's safeguarding flag"
        RECORD = "record", "Raised from the person's record"
        PARTNER = "partner", "A partner (police, NHS, provider) through the API"

    class Consent(models.TextChoices):
        GIVEN = "given", "Yes, and they agreed"
        REFUSED = "refused", "Yes, and they did not agree"
        NOT_SOUGHT = "not_sought", "No"

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting", "Awaiting the s42 decision"
        DECIDED = "decided", "Decided"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="safeguarding_concerns")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="safeguarding_concerns",
                             help_text="The locality's safeguarding team")
    source = models.CharField(max_length=10, choices=Source.choices)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="safeguarding_concern_record")
    received_at = models.DateTimeField(default=timezone.now)
    raised_by_name = models.CharField("raised by", max_length=200)
    raised_by_organisation = models.CharField(max_length=200, blank=True)
    raised_by_contact = models.CharField(max_length=200, blank=True)
    what_happened = models.TextField()
    immediate_action = models.TextField("immediate safety action taken", blank=True)
    consent = models.CharField("was the person's consent sought", max_length=12, choices=Consent.choices)
    consent_reason = models.TextField("why consent was not sought, or why the concern goes ahead without it", blank=True)
    large_scale = models.BooleanField(default=False, help_text="About a care home or provider: every adult named")
    setting = models.ForeignKey(CareSetting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                help_text="Where it happened, when it is a care setting in the register")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING_DECISION)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["team", "status", "received_at"], name="sg_concern_queue_idx"),
                   models.Index(fields=["locality", "status"], name="sg_concern_locality_idx")]
        permissions = [("decide_safeguardingconcern", "Can make the section 42 decision on a concern"),
                       ("grant_safeguardingaccess", "Can give a named person access to one concern")]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:concern", args=[self.pk])

    def decision_due(self, targets: list | None = None):
        """The date the s42 decision is due: the target's working days after the day it was received."""
        from ascm.core.dates import working_days_after

        received = timezone.localtime(self.received_at).date()
        return working_days_after(received, DecisionTarget.on(received, targets))

    @property
    def decision_due_on(self):
        return self.decision_due()


class AdultAtRisk(TimeStampedModel):
    """One adult named in a concern, with the s42 decision about them (each adult gets their own)."""

    class Route(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        INFORMATION_ADVICE = "information", "Information and advice"
        CARE_ACT_ASSESSMENT = "assessment", "Care Act assessment"
        CASE_MANAGEMENT = "case_management", "Case management"
        REVIEW = "review", "Review"
        OTHER_COUNCIL_SERVICE = "council_service", "Another council service"
        SIGNPOSTING = "signposting", "Signposting"
        OTHER_LOCAL_AUTHORITY = "other_la", "Another local authority"

    class Outcome(models.TextChoices):
        S42_ENQUIRY = "s42", "Section 42 enquiry"
        OTHER_ENQUIRY = "other", "Other (non-statutory) enquiry"
        NO_ENQUIRY = "none", "No enquiry"

    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.PROTECT, related_name="adults")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="safeguarding_adults")
    # The s42 tests, each yes or no with the reasoning (null: not decided yet).
    has_care_needs = models.BooleanField(null=True, verbose_name="has needs for care and support")
    has_care_needs_reason = models.TextField(blank=True)
    at_risk = models.BooleanField(null=True, verbose_name="is experiencing, or at risk of, abuse or neglect")
    at_risk_reason = models.TextField(blank=True)
    unable_to_protect = models.BooleanField(null=True, verbose_name="as a result is unable to protect themselves")
    unable_to_protect_reason = models.TextField(blank=True)
    route = models.CharField(max_length=20, choices=Route.choices, blank=True, help_text="When the tests are not all met")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "client"], name="sg_adult_once_per_concern")]

    def __str__(self) -> str:
        return f"{self.client} in {self.concern}"

    @property
    def tests_met(self) -> bool:
        return bool(self.has_care_needs and self.at_risk and self.unable_to_protect)

    @property
    def failed_tests(self) -> list[str]:
        labels = {"has_care_needs": "needs for care and support", "at_risk": "abuse or neglect",
                  "unable_to_protect": "unable to protect themselves"}
        return [label for name, label in labels.items() if getattr(self, name) is False]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.outcome != self.Outcome.NO_ENQUIRY


class SafeguardingAccess(models.Model):
    """A named person given access to one concern (the allocated worker, a manager, a partner's
    liaison officer): who, why, by whom, until revoked. The right itself is a django-guardian object
    permission; this row is its reason and history, listed on the case."""

    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.PROTECT, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "user"], condition=Q(revoked_at__isnull=True),
                                               name="sg_access_one_current_grant")]

    def __str__(self) -> str:
        return f"{self.user} may see {self.concern}"

    def clean(self):
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "Give the reason this person needs to see the concern"})
