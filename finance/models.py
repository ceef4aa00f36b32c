"""Finance: personal budgets from the resource allocation table, care packages (lines, rates,
funding streams), brokerage, approval within delegated limits, and budgets with the commitments
against them. Every rate, limit and threshold is a dated row administrators set; money is Decimal
pounds and pence. Nothing is deleted: packages end or are cancelled, rates and limits are
superseded by a later row, and each package's status changes are kept."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ascm.accounts.models import Role
from ascm.core.models import ConstraintFieldErrorsMixin, TimeStampedModel
from ascm.organisation.models import Locality, Team
from ascm.providers.models import Provider
from clients.models import Client
from pathways.care.models import Assessment, SupportPlan

PENCE = Decimal("0.01")


class ServiceType(models.TextChoices):
    HOME_CARE = "home_care", "Home care"
    DAY_SERVICE = "day_service", "Day service"
    RESIDENTIAL = "residential", "Residential care"
    NURSING = "nursing", "Nursing care"
    RESPITE = "respite", "Respite"
    SUPPORTED_LIVING = "supported_living", "Supported living"
    SHARED_LIVES = "shared_lives", "Shared lives"
    EQUIPMENT = "equipment", "Equipment"
    DIRECT_PAYMENT = "direct_payment", "Direct payment"


# What one unit is, per service type (units per week × the rate for one unit = the weekly cost).
SERVICE_UNITS = {
    ServiceType.HOME_CARE: "hour", ServiceType.DAY_SERVICE: "day", ServiceType.RESIDENTIAL: "week",
    ServiceType.NURSING: "week", ServiceType.RESPITE: "night", ServiceType.SUPPORTED_LIVING: "hour",
    ServiceType.SHARED_LIVES: "week", ServiceType.EQUIPMENT: "item", ServiceType.DIRECT_PAYMENT: "hour",
}


class FundingStream(models.TextChoices):
    COUNCIL = "council", "Council adult social care"
    CHC = "chc", "NHS Continuing Healthcare"
    FNC = "fnc", "Funded nursing care"
    JOINT = "joint", "Joint funding (NHS share)"
    S117 = "s117", "Mental Health Act s117 aftercare"
    BCF = "bcf", "Better Care Fund / discharge fund"


class DeliveryMechanism(models.TextChoices):
    # The names the returns use.
    DIRECT_PAYMENT = "direct_payment", "Direct payment"
    MANAGED = "managed", "Council-managed personal budget"
    COMMISSIONED = "commissioned", "Council-commissioned support"


class FinanceThreshold(models.Model):
    """Dated numbers administrators set: a new row applies from its date, and what applied when is kept."""

    class Name(models.TextChoices):
        BROKERAGE_TARGET_DAYS = "brokerage_target_days", "Working days a package may wait in brokerage"
        FORECAST_ALERT_PERCENT = "forecast_alert_percent", "Per cent of a budget at which a forecast is alerted"

    DEFAULTS = {Name.BROKERAGE_TARGET_DAYS: 5, Name.FORECAST_ALERT_PERCENT: 100}

    name = models.CharField(max_length=40, choices=Name.choices)
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    effective_from = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["name", "effective_from"], name="finance_threshold_once_a_day")]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.value} from {self.effective_from:%-d %b %Y}"

    @classmethod
    def value_on(cls, name: str, on) -> int:
        row = cls.objects.filter(name=name, effective_from__lte=on).order_by("-effective_from").first()
        return row.value if row else cls.DEFAULTS[name]


class AllocationTable(TimeStampedModel):
    """The resource allocation table: points for each outcome an assessment found the person unable
    to achieve (by why), and bands of points → an indicative weekly amount. Dated: a new table is
    used for assessments signed off from its date."""

    effective_from = models.DateField(unique=True)
    points_needs_assistance = models.PositiveSmallIntegerField(default=4)
    points_pain_distress_anxiety = models.PositiveSmallIntegerField(default=3)
    points_endangers_safety = models.PositiveSmallIntegerField(default=4)
    points_takes_significantly_longer = models.PositiveSmallIntegerField(default=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"Resource allocation table from {self.effective_from:%-d %B %Y}"

    def points_for(self, reason: str) -> int:
        return getattr(self, f"points_{reason}", 0)


class AllocationBand(models.Model):
    table = models.ForeignKey(AllocationTable, on_delete=models.PROTECT, related_name="bands")
    from_points = models.PositiveSmallIntegerField()
    weekly_amount = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        ordering = ["table", "from_points"]
        constraints = [models.UniqueConstraint(fields=["table", "from_points"], name="allocation_band_once")]

    def __str__(self) -> str:
        return f"{self.from_points} points or more: £{self.weekly_amount} a week"


class PersonalBudget(TimeStampedModel):
    """The personal budget on a support plan: the indicative amount the table gave (kept as it was
    worked out) and the amount agreed with the person."""

    plan = models.OneToOneField(SupportPlan, on_delete=models.PROTECT, related_name="personal_budget_record")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="personal_budgets")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    table = models.ForeignKey(AllocationTable, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    points = models.PositiveSmallIntegerField(null=True, blank=True)
    indicative_weekly = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    agreed_weekly = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    difference_reason = models.TextField(blank=True, help_text="Why the agreed amount differs from the indicative one")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Personal budget for {self.client}"

    def get_absolute_url(self) -> str:
        return reverse("care:plan", args=[self.plan_id])


class ProviderRate(TimeStampedModel):
    """What the council pays a provider for one unit of a service, from a date (the framework rate).
    A later row for the same provider and service ends the earlier one the day before."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="rates")
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    unit_cost = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(PENCE)])
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["provider__name", "service_type", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["provider", "service_type", "effective_from"],
                                               name="provider_rate_once_a_day")]
        indexes = [models.Index(fields=["provider", "service_type", "effective_from"], name="provider_rate_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_service_type_display()} £{self.unit_cost} per {self.unit} from {self.effective_from:%-d %b %Y}"

    @property
    def unit(self) -> str:
        return SERVICE_UNITS[self.service_type]


class ApprovalLimit(TimeStampedModel):
    """A role's delegated limit: the highest weekly cost its holders may approve, from a date.
    No amount means no upper limit (the funding panel)."""

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="approval_limits")
    weekly_limit = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(PENCE)])
    effective_from = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["role__group__name", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["role", "effective_from"], name="approval_limit_once_a_day")]

    def __str__(self) -> str:
        limit = f"up to £{self.weekly_limit} a week" if self.weekly_limit is not None else "with no upper limit"
        return f"{self.role}: {limit} from {self.effective_from:%-d %b %Y}"


class CarePackage(TimeStampedModel):
    """The services that meet a support plan's outcomes, costed line by line. Its status moves only
    through the transitions in finance.states; an approved package is never edited: a change is a
    new package (`replaces`) approved in its turn, which ends the one it replaces."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        BROKERAGE = "brokerage", "In brokerage"
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned for changes"
        NOT_APPROVED = "not_approved", "Not approved"
        APPROVED = "approved", "Approved"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        CANCELLED = "cancelled", "Cancelled"

    # Counted against budgets: approved (starting), active, and ended (for the weeks it ran).
    COMMITTED = (Status.APPROVED, Status.ACTIVE, Status.ENDED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="care_packages")
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="care_packages")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="care_packages")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="care_packages")
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    delivery_mechanism = models.CharField(max_length=20, choices=DeliveryMechanism.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    brokerage_started_at = models.DateTimeField(null=True, blank=True)
    brokerage_ended_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_weekly_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        permissions = [("approve_carepackage", "Can approve care packages up to the role's delegated limit"),
                       ("broker_carepackage", "Can broker care packages (providers approached, offers)"),
                       ("see_county_carepackage", "Can see every care package in the county")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="package_queue_idx"),
                   models.Index(fields=["client", "status"], name="package_client_idx"),
                   models.Index(fields=["locality", "status"], name="package_locality_idx"),
                   # The packages list: most recently changed first, paged.
                   models.Index(fields=["-updated_at", "-id"], name="package_recent_idx")]

    def __str__(self) -> str:
        return f"Care package {self.reference} for {self.client}"

    @property
    def reference(self) -> str:
        return f"CP{self.pk:06d}" if self.pk else "CP (new)"

    def get_absolute_url(self) -> str:
        return reverse("finance:package", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def year_cost(self, year: int):
        """What its services cost inside a financial year (finance.money's rule), from its lines."""
        from .money import year_cost

        return sum((year_cost(line.weekly_cost, line.starts_on, line.ends_on, year) for line in self.lines.all()),
                   Decimal("0.00"))


class PackageLine(TimeStampedModel):
    """One service in a package: who provides it (the person, for a direct payment), how many units a
    week at what cost, from when to when, and who pays."""

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="lines")
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="package_lines",
                                 help_text="Empty for a direct payment (paid to the person) or until brokerage finds one")
    units_per_week = models.DecimalField(max_digits=7, decimal_places=2)
    unit_cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    rate = models.ForeignKey(ProviderRate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    off_framework_reason = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    description = models.CharField(max_length=200, blank=True)
    reablement = models.BooleanField("Reablement or intermediate care (free for its first 6 weeks)", default=False)

    class Meta:
        ordering = ["package", "pk"]
        indexes = [models.Index(fields=["service_type", "starts_on"], name="package_line_type_idx")]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()}: {self.units_per_week} {self.unit}s a week"

    @property
    def unit(self) -> str:
        return SERVICE_UNITS[self.service_type]

    @property
    def shares(self) -> list["LineFunding"]:
        """Who pays now: a stream taken off a draft line is kept at 0% (nothing is deleted), not shown."""
        return [f for f in self.funding.all() if f.share_percent > 0]

    @property
    def needs_provider(self) -> bool:
        return self.provider_id is None and self.service_type != ServiceType.DIRECT_PAYMENT


class LineFunding(models.Model):
    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="funding")
    stream = models.CharField(max_length=10, choices=FundingStream.choices)
    share_percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["line", "-share_percent", "stream"]
        constraints = [models.UniqueConstraint(fields=["line", "stream"], name="line_funding_stream_once")]

    def __str__(self) -> str:
        return f"{self.get_stream_display()} {self.share_percent}%"


class PackageStatusChange(models.Model):
    """The package's history: every status change, who made it, when, why, and the weekly cost then."""

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=CarePackage.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CarePackage.Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.package.reference}: {self.from_status or 'new'} → {self.to_status}"


class ProviderApproach(TimeStampedModel):
    """Brokerage: a provider asked to take a package line, and what they said."""

    class Outcome(models.TextChoices):
        AWAITING = "awaiting", "Waiting for a reply"
        NO_CAPACITY = "no_capacity", "No capacity"
        DECLINED = "declined", "Declined"
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Offer accepted"
        OFFER_REFUSED = "offer_refused", "Offer not taken"

    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="approaches")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="approaches")
    approached_on = models.DateField(default=timezone.localdate)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, default=Outcome.AWAITING)
    offered_unit_cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    offered_start = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["line", "approached_on", "pk"]

    def __str__(self) -> str:
        return f"{self.provider} ({self.get_outcome_display()})"


class Budget(ConstraintFieldErrorsMixin, TimeStampedModel):
    """The money set aside for a financial year (starting 1 April of `year`), for a locality (or one
    of its teams) and a service type. Commitments against it are computed, never stored."""

    constraint_errors = {
        "budget_once_per_locality": ("service_type", "There is already a budget for this year, locality and service"),
        "budget_once_per_team": ("service_type", "There is already a budget for this year, team and service")}

    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2026 for 2026–27")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="budgets")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="budgets")
    service_type = models.CharField(max_length=20, choices=ServiceType.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(PENCE)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "locality__name", "service_type"]
        constraints = [
            models.UniqueConstraint(fields=["year", "locality", "service_type"], condition=models.Q(team__isnull=True),
                                    name="budget_once_per_locality"),
            models.UniqueConstraint(fields=["year", "team", "service_type"], condition=models.Q(team__isnull=False),
                                    name="budget_once_per_team")]

    def __str__(self) -> str:
        place = self.team.name if self.team_id else self.locality.name
        return f"{place} {self.get_service_type_display().lower()} {self.year}–{str(self.year + 1)[2:]}"


class BudgetAlert(models.Model):
    """A forecast over a budget, told once per budget per threshold (the daily job may run twice)."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="alerts")
    percent = models.PositiveSmallIntegerField()
    budget_amount = models.DecimalField(max_digits=12, decimal_places=2)
    forecast = models.DecimalField(max_digits=12, decimal_places=2)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["budget", "percent", "budget_amount"], name="budget_alert_once")]

    def __str__(self) -> str:
        return f"{self.budget}: forecast £{self.forecast} at {self.percent}%"


# Charging (Care and Support (Charging and Assessment of Resources) Regulations 2014) ------------------

class ChargingRates(TimeStampedModel):
    """The rates a financial assessment uses, as DHSC's circular sets them each April: capital limits,
    tariff income, the Minimum Income Guarantee by age and premium, the Personal Expenses Allowance and
    Kent's standard disability-related expenditure allowance. A table changes results only from its date."""

    effective_from = models.DateField(unique=True)
    capital_lower = models.DecimalField(max_digits=10, decimal_places=2)
    capital_upper = models.DecimalField(max_digits=10, decimal_places=2)
    tariff_step = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("250.00"),
                                      help_text="£1 a week of tariff income for every step, or part of one, above the lower limit")
    mig_18_24 = models.DecimalField("MIG, single, 18 to 24", max_digits=8, decimal_places=2)
    mig_25_to_pension = models.DecimalField("MIG, single, 25 to pension age", max_digits=8, decimal_places=2)
    mig_pension_age = models.DecimalField("MIG, single, pension age", max_digits=8, decimal_places=2, null=True,
                                          blank=True, help_text="From the DHSC circular; empty until entered")
    disability_premium = models.DecimalField(max_digits=8, decimal_places=2)
    enhanced_disability_premium = models.DecimalField(max_digits=8, decimal_places=2)
    pension_age = models.PositiveSmallIntegerField(default=66)
    personal_expenses_allowance = models.DecimalField(max_digits=8, decimal_places=2)
    dre_standard = models.DecimalField("Standard disability-related expenditure allowance", max_digits=8,
                                       decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "charging rates"

    def __str__(self) -> str:
        return f"Charging rates from {self.effective_from:%-d %B %Y}"


class FinancialAssessment(TimeStampedModel):
    """What the person can afford to pay towards their care: capital, income, disability-related
    expenditure and housing costs, worked out line by line with the rates in force on its date; or a
    declared full-cost (the person chooses to pay in full) or light-touch assessment."""

    class Kind(models.TextChoices):
        FULL = "full", "Full financial assessment"
        LIGHT_TOUCH = "light_touch", "Light-touch assessment"
        FULL_COST = "full_cost", "The person declares they will pay the full cost"

    class Setting(models.TextChoices):
        HOME = "home", "Care at home (non-residential)"
        CARE_HOME = "care_home", "Care home"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        SUPERSEDED = "superseded", "Replaced by a later assessment"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="financial_assessments")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FULL)
    setting = models.CharField(max_length=10, choices=Setting.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    assessed_on = models.DateField(default=timezone.localdate)
    disabled = models.BooleanField("Receives a disability benefit (disability premium)", default=False)
    enhanced_disability = models.BooleanField("Enhanced disability premium applies", default=False)
    capital = models.JSONField(default=list, blank=True, help_text="[{kind, description, value}]")
    income = models.JSONField(default=list, blank=True, help_text="[{kind, description, weekly}]")
    property_value = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    permanent_care_from = models.DateField(null=True, blank=True, help_text="Care homes: the start of permanent care")
    deferred_payment = models.BooleanField("A deferred payment agreement is in place", default=False)
    dre_itemised = models.JSONField(default=list, blank=True,
                                    help_text="An individual assessment: [{description, weekly}]; empty for the standard allowance")
    housing_costs = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    rates = models.ForeignKey(ChargingRates, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    lines = models.JSONField(default=list, blank=True, help_text="The calculation, line by line, as completed")
    weekly_contribution = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    pays_full_cost = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    # Telling the person before charging: the letter's date, then the day charges start (never before
    # it, unless a manager records why they are backdated).
    told_on = models.DateField(null=True, blank=True)
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    charge_from = models.DateField(null=True, blank=True)
    backdate_reason = models.TextField(blank=True)
    charge_set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    # Made by an annual re-assessment (from the assessment it replaces), not by hand.
    reassessment = models.ForeignKey("Reassessment", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="assessments")

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        permissions = [("backdate_financialassessment", "Can start charges before the person was told, with the reason")]
        indexes = [models.Index(fields=["client", "status"], name="fin_assessment_client_idx")]

    def __str__(self) -> str:
        return f"Financial assessment for {self.client} ({self.assessed_on:%-d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("finance:financial-assessment", args=[self.pk])


# Provider payments and client invoices --------------------------------------------------------------

# Services paid on what was delivered (hours or days, entered or imported as actuals); the others are
# paid as planned (a week in a care home). Direct payments are paid to the person, not in pay runs.
PAID_ON_ACTUALS = {ServiceType.HOME_CARE, ServiceType.SUPPORTED_LIVING, ServiceType.DAY_SERVICE, ServiceType.RESPITE}
FREE_SERVICES = {ServiceType.EQUIPMENT}  # community equipment and minor adaptations: never charged
REABLEMENT_FREE_WEEKS = 6


class ServiceActual(TimeStampedModel):
    """What a provider says it delivered on a line in a pay period (hours, days or nights)."""

    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="actuals")
    period_start = models.DateField()
    units = models.DecimalField(max_digits=8, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=100, blank=True, help_text="The CSV file it came from, if imported")

    class Meta:
        ordering = ["line", "period_start"]
        constraints = [models.UniqueConstraint(fields=["line", "period_start"], name="actual_once_per_period")]

    def __str__(self) -> str:
        return f"{self.line}: {self.units} from {self.period_start:%-d %b %Y}"


class PayRun(TimeStampedModel):
    """A 4-weekly payment to providers from approved package lines. Periods never overlap, so nothing
    is paid twice; approved by a finance officer, then exported for the council's ledger."""

    class Status(models.TextChoices):
        MAKING = "making", "Being made"
        DRAFT = "draft", "Draft: check the held lines"
        APPROVED = "approved", "Approved"

    period_start = models.DateField(unique=True)
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAKING)
    # Progress of the task that makes it, in batches (it resumes after the last line done if run again).
    lines_total = models.PositiveIntegerField(default=0)
    lines_done = models.PositiveIntegerField(default=0)
    last_line_id = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        permissions = [("see_finance_return", "Can see the finance return (ASC-FR): the county's expenditure and "
                                              "contributions, and the people behind each figure")]

    def __str__(self) -> str:
        return f"Pay run {self.period_start:%-d %b} to {self.period_end:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("finance:pay-run", args=[self.pk])


class PayRunItem(models.Model):
    """One line's payment in a pay run — or its hold, with the reason (never paid)."""

    pay_run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="items")
    line = models.ForeignKey(PackageLine, on_delete=models.PROTECT, related_name="payments")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="payments")
    units_planned = models.DecimalField(max_digits=8, decimal_places=2)
    units_delivered = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    units_paid = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    held = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pay_run", "provider__name", "line_id"]
        constraints = [models.UniqueConstraint(fields=["pay_run", "line"], name="pay_run_line_once")]

    def __str__(self) -> str:
        return f"{self.line}: £{self.amount}{' (held)' if self.held else ''}"


class ClientInvoice(TimeStampedModel):
    """The person's contribution for a pay period: the assessed weekly charge for the chargeable days,
    never more than the chargeable care they actually received."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    assessment = models.ForeignKey(FinancialAssessment, on_delete=models.PROTECT, related_name="invoices")
    pay_run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="invoices")
    period_start = models.DateField()
    period_end = models.DateField()
    care_received = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    lines = models.JSONField(default=list)

    class Meta:
        ordering = ["client", "-period_start"]
        constraints = [models.UniqueConstraint(fields=["client", "period_start"], name="invoice_once_per_period")]

    def __str__(self) -> str:
        return f"Invoice for {self.client}, {self.period_start:%-d %b %Y}: £{self.amount}"


INVOICE_DUE_DAYS = 28  # an invoice is due 28 days after its period ends; unpaid after that, it is in arrears


class ClientPayment(TimeStampedModel):
    """Money the person paid towards their invoices. Never deleted: one recorded in error is cancelled,
    with the reason, and leaves the balance."""

    class Method(models.TextChoices):
        DIRECT_DEBIT = "direct_debit", "Direct debit"
        CARD = "card", "Debit or credit card"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CHEQUE = "cheque", "Cheque"
        CASH = "cash", "Cash"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="client_payments")
    received_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    method = models.CharField(max_length=14, choices=Method.choices)
    reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["client", "-received_on", "-pk"]

    def __str__(self) -> str:
        return f"£{self.amount} received on {self.received_on:%-d %b %Y}"


# Direct payments ---------------------------------------------------------------------------------------

DP_FIRST_REVIEW_MONTHS = 6  # reviewed within the first 6 months (Care and support statutory guidance 12.67)
DP_REVIEW_MONTHS = 12  # then at least every 12 months


class DirectPaymentAgreement(TimeStampedModel):
    """The agreement to pay the person (or someone for them) their personal budget as a direct payment:
    paid every 4 weeks, with any surplus returned, reviewed within 6 months and then at least yearly."""

    class Recipient(models.TextChoices):
        PERSON = "person", "The person"
        NOMINATED = "nominated", "A nominated person (the person has capacity and asks for it)"
        AUTHORISED = "authorised", "An authorised person (the person lacks capacity)"

    package = models.OneToOneField(CarePackage, on_delete=models.PROTECT, related_name="direct_payment")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="direct_payments")
    recipient = models.CharField(max_length=12, choices=Recipient.choices)
    recipient_name = models.CharField(max_length=200, blank=True)
    weekly_amount = models.DecimalField(max_digits=10, decimal_places=2)
    starts_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    account_reference = models.CharField(max_length=60, blank=True, help_text="The managed or prepaid account")
    next_review_due = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["next_review_due", "pk"]
        indexes = [models.Index(fields=["ended_on", "next_review_due"], name="dp_review_due_idx")]

    def __str__(self) -> str:
        return f"Direct payment for {self.client}: £{self.weekly_amount} a week"

    def get_absolute_url(self) -> str:
        return reverse("finance:direct-payment", args=[self.pk])


class DirectPaymentReview(models.Model):
    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_review_due = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.agreement} on {self.reviewed_on:%-d %b %Y}"


class DirectPaymentSurplus(models.Model):
    """Money left in the direct payment account and returned to the council."""

    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="surpluses")
    returned_on = models.DateField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-returned_on", "-pk"]

    def __str__(self) -> str:
        return f"£{self.amount} returned on {self.returned_on:%-d %b %Y}"


class DirectPaymentInstalment(models.Model):
    """A direct payment's 4-weekly instalment in a pay run: the budget for the days the agreement runs
    in the period, paid net of the person's assessed contribution (they are not invoiced for it)."""

    pay_run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="direct_payments")
    agreement = models.ForeignKey(DirectPaymentAgreement, on_delete=models.PROTECT, related_name="instalments")
    days = models.PositiveSmallIntegerField()
    gross = models.DecimalField(max_digits=10, decimal_places=2)
    contribution = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["pay_run", "agreement"]
        constraints = [models.UniqueConstraint(fields=["pay_run", "agreement"], name="dp_instalment_once_per_run")]

    def __str__(self) -> str:
        return f"{self.agreement}: £{self.amount} for {self.days} days"


class Reassessment(TimeStampedModel):
    """Every current financial assessment worked out again on a new April table (a Celery task, in
    batches, its progress on the page). Each new contribution is charged only from the day the person
    is told of it (the letters' date, recorded for the batch)."""

    class Status(models.TextChoices):
        MAKING = "making", "Being worked out"
        DONE = "done", "Worked out: send the letters"
        TOLD = "told", "Letters sent"

    rates = models.ForeignKey(ChargingRates, on_delete=models.PROTECT, related_name="reassessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAKING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    last_assessment_id = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Re-assessment on the {self.rates}"

    def get_absolute_url(self) -> str:
        return reverse("finance:reassessment", args=[self.pk])
