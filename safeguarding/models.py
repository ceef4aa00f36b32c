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
    # The decision's due date, kept on the row (set once, from the target that applied when it arrived),
    # so "decided within target" is counted in the database.
    due_on = models.DateField(null=True, editable=False)

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

    def save(self, *args, **kwargs):
        if self.due_on is None and self.received_at is not None:
            self.due_on = self.decision_due()
        super().save(*args, **kwargs)

    def decision_due(self, targets: list | None = None):
        """The date the s42 decision is due: the target's working days after the day it was received."""
        from ascm.core.dates import working_days_after

        received = timezone.localtime(self.received_at).date()
        return working_days_after(received, DecisionTarget.on(received, targets))

    @property
    def decision_due_on(self):
        return self.decision_due()


# An adult at risk in a matter not yet closed: awaiting the decision, or going on to an enquiry ("none"
# is the no-enquiry outcome). The flag other apps show, and its index's condition.
ADULT_IN_OPEN_MATTER = models.Q(closed_at__isnull=True) & (models.Q(decided_at__isnull=True) | ~models.Q(outcome="none"))


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
        # The record's holding probes the first, not the whole table; the "open safeguarding" flag
        # (caseload weights, MDT agendas, the record panel) reads the second, whose condition is the flag's
        # own, so a caseload of thousands reads the open matters from the index, not every adult at risk.
        indexes = [models.Index(fields=["client"], condition=models.Q(closed_at__isnull=True), name="sg_adult_open_idx"),
                   models.Index(fields=["client"], name="sg_adult_flag_idx", condition=ADULT_IN_OPEN_MATTER)]

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


# Code lists of the Safeguarding Adults Collection (SAC). -----------------------------------------

class RiskType(models.TextChoices):
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    PSYCHOLOGICAL = "psychological", "Psychological abuse"
    FINANCIAL = "financial", "Financial or material abuse"
    DISCRIMINATORY = "discriminatory", "Discriminatory abuse"
    ORGANISATIONAL = "organisational", "Organisational abuse"
    NEGLECT = "neglect", "Neglect and acts of omission"
    DOMESTIC = "domestic", "Domestic abuse"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    MODERN_SLAVERY = "modern_slavery", "Modern slavery"
    SELF_NEGLECT = "self_neglect", "Self-neglect"


class RiskLocation(models.TextChoices):
    OWN_HOME = "own_home", "Own home"
    COMMUNITY = "community", "In the community (excluding community services)"
    COMMUNITY_SERVICE = "community_service", "In a community service"
    CARE_HOME_RESIDENTIAL = "care_home_residential", "Care home – residential"
    CARE_HOME_NURSING = "care_home_nursing", "Care home – nursing"
    HOSPITAL_ACUTE = "hospital_acute", "Hospital – acute"
    HOSPITAL_MENTAL_HEALTH = "hospital_mental_health", "Hospital – mental health"
    HOSPITAL_COMMUNITY = "hospital_community", "Hospital – community"
    OTHER = "other", "Other"


class RiskSource(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", "Service provider"
    KNOWN = "known", "Other – known to the individual"
    UNKNOWN = "unknown", "Other – unknown to the individual"


class ActionResult(models.TextChoices):
    RISK_ACTION = "risk_action", "Risk identified and action taken"
    RISK_NO_ACTION = "risk_no_action", "Risk identified and no action taken"
    INCONCLUSIVE_ACTION = "inconclusive_action", "Risk assessment inconclusive and action taken"
    INCONCLUSIVE_NO_ACTION = "inconclusive_no_action", "Risk assessment inconclusive and no action taken"
    NO_RISK_ACTION = "no_risk_action", "No risk identified and action taken"
    NO_RISK_NO_ACTION = "no_risk_no_action", "No risk identified and no action taken"
    CEASED = "ceased", "Enquiry ceased at the individual's request and no action taken"


RISK_IDENTIFIED = {ActionResult.RISK_ACTION, ActionResult.RISK_NO_ACTION}


class RiskOutcome(models.TextChoices):
    REMAINED = "remained", "Risk remained"
    REDUCED = "reduced", "Risk reduced"
    REMOVED = "removed", "Risk removed"


class Enquiry(TimeStampedModel):
    """A section 42 (or non-statutory "other") enquiry about one adult at risk."""

    class OutcomesAsked(models.TextChoices):
        EXPRESSED = "expressed", "Asked, and they expressed the outcomes they want"
        NOT_EXPRESSED = "not_expressed", "Asked, but they did not express outcomes"
        NOT_ASKED = "not_asked", "Not asked"

    class Capacity(models.TextChoices):
        HAS = "has", "They have capacity to take part in the enquiry"
        LACKS = "lacks", "They lack capacity to take part in the enquiry"
        NOT_KNOWN = "not_known", "Not known yet"

    class Support(models.TextChoices):
        ADVOCATE = "advocate", "An advocate"
        FAMILY_FRIEND = "family_friend", "A family member or friend"
        NONE = "none", "No one"

    class Achieved(models.TextChoices):
        FULLY = "fully", "Fully achieved"
        PARTIALLY = "partially", "Partially achieved"
        NOT = "not", "Not achieved"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CONCLUDED = "concluded", "Concluded"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    adult = models.OneToOneField(AdultAtRisk, on_delete=models.PROTECT, related_name="enquiry")
    kind = models.CharField(max_length=5, choices=AdultAtRisk.Outcome.choices[:2])
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="safeguarding_enquiries")
    started_on = models.DateField(default=timezone.localdate)
    # Making Safeguarding Personal: asked at the start, in the person's words.
    outcomes_asked = models.CharField(max_length=15, choices=OutcomesAsked.choices, blank=True)
    desired_outcomes = models.TextField("desired outcomes, in the person's words", blank=True)
    not_asked_reason = models.TextField(blank=True)
    capacity = models.CharField(max_length=10, choices=Capacity.choices, blank=True)
    substantial_difficulty = models.BooleanField("has substantial difficulty taking part", null=True)
    support = models.CharField("supported by", max_length=15, choices=Support.choices, blank=True)
    no_advocate_reason = models.TextField("why no advocate, despite substantial difficulty", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    concluded_on = models.DateField(null=True, blank=True)
    outcomes_achieved = models.CharField(max_length=10, choices=Achieved.choices, blank=True)
    referrer_feedback = models.TextField("feedback given to the referrer", blank=True)
    sar_referral = models.BooleanField("referred for a Safeguarding Adults Review", null=True)
    reopened_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["status", "officer"], name="sg_enquiry_work_idx"),
                   models.Index(fields=["concluded_on"], name="sg_enquiry_concluded_idx")]

    def __str__(self) -> str:
        return f"Enquiry {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:enquiry", args=[self.pk])

    @property
    def stage(self) -> str:
        if self.status == self.Status.CONCLUDED:
            return "Concluded"
        if not self.outcomes_asked:
            return "Desired outcomes to ask"
        return "Enquiring"


class Allegation(TimeStampedModel):
    """One allegation in an enquiry, as the collection counts it: type, location and source of risk;
    concluded with an action and result and, only when risk was identified, a risk outcome."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="allegations")
    risk_type = models.CharField("type of risk", max_length=25, choices=RiskType.choices)
    location = models.CharField("where it happened", max_length=25, choices=RiskLocation.choices)
    source = models.CharField("source of risk", max_length=20, choices=RiskSource.choices)
    source_client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      help_text="The alleged source, when a person on ASCM")
    source_setting = models.ForeignKey(CareSetting, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       help_text="The provider, when the source is a service provider")
    source_description = models.CharField("who the alleged source is", max_length=200, blank=True)
    details = models.TextField(blank=True)
    action_result = models.CharField(max_length=25, choices=ActionResult.choices, blank=True)
    risk_outcome = models.CharField(max_length=10, choices=RiskOutcome.choices, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_risk_type_display()} ({self.enquiry})"

    @property
    def is_concluded(self) -> bool:
        return bool(self.action_result)


class StrategyMeeting(TimeStampedModel):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Strategy discussion"
        MEETING = "meeting", "Strategy meeting"

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    attendees = models.TextField(help_text="Names, roles and organisations, partners included")
    decisions = models.TextField()

    class Meta:
        ordering = ["held_on", "pk"]


class PlanAction(TimeStampedModel):
    """One action of the safeguarding (protection) plan, with its owner and due date."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.PROTECT, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_name = models.CharField("owner (a partner without an account)", max_length=200, blank=True)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


from .models_dols import (  # noqa: E402,F401 - the DoLS models live beside safeguarding's
    LibertyApplication,
    LibertyAssessment,
    LibertyAuthorisation,
    LibertyReview,
    UrgentAuthorisation,
)
