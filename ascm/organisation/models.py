"""The council's organisation: areas, localities (districts), hubs, GP practices, teams, memberships."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ascm.core.models import ArchivableModel, ConstraintFieldErrorsMixin, TimeStampedModel

ods_practice_code = RegexValidator(r"^[A-Z][0-9]{5}$", "Enter an ODS code of a letter and five digits, like G82001")
postcode_district_code = RegexValidator(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$", "Enter a postcode district, like CT1 or TN23")


class OrganisationRecord(ArchivableModel):
    """Set-up data that is closed, never deleted, with why it was closed (kept in its history)."""

    archive_reason = models.CharField("why it was closed", max_length=300, blank=True)

    class Meta:
        abstract = True


class Area(OrganisationRecord):
    """A group of localities following the NHS health and care partnerships (e.g. East Kent)."""

    name = models.CharField(max_length=100, unique=True,
                            error_messages={"unique": "An area with this name already exists"})

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(OrganisationRecord):
    """A district of the county; locality MDTs and teams are organised by it."""

    name = models.CharField(max_length=100, unique=True,
                            error_messages={"unique": "A locality with this name already exists"})
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="localities")
    former_names = models.CharField(
        max_length=200, blank=True, help_text="Earlier names still found in legacy data, comma-separated."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class PostcodeDistrict(TimeStampedModel):
    """Admin-managed mapping from a postcode district (outward code) to the locality it belongs to."""

    code = models.CharField(max_length=4, unique=True, validators=[postcode_district_code],
                            error_messages={"unique": "This postcode district is already mapped to a locality: "
                                                      "change that one instead"})
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="postcode_districts")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.locality})"

    def clean_fields(self, exclude=None):
        self.code = (self.code or "").strip().upper()  # normalise before the format is checked
        super().clean_fields(exclude=exclude)


class Hub(ConstraintFieldErrorsMixin, OrganisationRecord):
    constraint_errors = {"hub_unique_name_in_locality": ("name", "This locality already has a hub with this name")}

    """A cluster of GP practices serving roughly 30,000–50,000 people."""

    name = models.CharField(max_length=100)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="hubs")
    population = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Usually 30,000 to 50,000 people."
    )

    class Meta:
        ordering = ["locality__name", "name"]
        constraints = [models.UniqueConstraint(fields=["locality", "name"], name="hub_unique_name_in_locality")]

    def __str__(self) -> str:
        return self.name


class GPPractice(OrganisationRecord):
    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        validators=[ods_practice_code],
        error_messages={"unique": "A GP practice with this ODS code already exists"},
    )
    name = models.CharField(max_length=150)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="gp_practices")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="gp_practices", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def clean_fields(self, exclude=None):
        self.ods_code = (self.ods_code or "").strip().upper()  # normalise before the format is checked
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.hub_id and self.locality_id and self.hub.locality_id != self.locality_id:
            raise ValidationError({"hub": "Choose a hub in the practice's locality"})


class TeamType(models.TextChoices):
    INTEGRATED_TRIAGE = "integrated_triage", "Integrated Triage"
    PROMOTING_INDEPENDENCE = "promoting_independence", "Promoting Independence (enablement)"
    SUPPORTING_INDEPENDENCE = "supporting_independence", "Supporting Independence"
    LIFESPAN_0_25 = "lifespan_0_25", "Lifespan 0–25"
    LIFESPAN_26_PLUS = "lifespan_26_plus", "Lifespan 26+ community learning disability"
    COMMUNITY_MENTAL_HEALTH = "community_mental_health", "Community Mental Health (joint)"
    AUTISM_AND_SENSORY = "autism_and_sensory", "Autism and Sensory"
    INTEGRATED_DISCHARGE = "integrated_discharge", "Integrated Discharge"
    SAFEGUARDING = "safeguarding", "Safeguarding"


class Team(ConstraintFieldErrorsMixin, OrganisationRecord):
    constraint_errors = {"team_unique_name_in_locality": ("name", "This locality already has a team with this name")}

    name = models.CharField(max_length=150)
    team_type = models.CharField("team type", max_length=40, choices=TeamType.choices)
    locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        related_name="teams",
        error_messages={"null": "Choose the team's locality", "blank": "Choose the team's locality"},
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="teams", null=True, blank=True)
    email = models.EmailField("team email address", blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", through_fields=("team", "user"), related_name="teams"
    )

    class Meta:
        ordering = ["locality__name", "name"]
        constraints = [models.UniqueConstraint(fields=["locality", "name"], name="team_unique_name_in_locality")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.hub_id and self.locality_id and self.hub.locality_id != self.locality_id:
            raise ValidationError({"hub": "Choose a hub in the team's locality"})


class TeamMembership(ConstraintFieldErrorsMixin, TimeStampedModel):
    """A user's place in a team, and the role they hold there. Ended, never deleted."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(
        "accounts.Role",
        on_delete=models.PROTECT,
        related_name="memberships",
        limit_choices_to={"is_team_role": True},
    )
    constraint_errors = {"membership_one_current_per_team": ("user", "This person is already a member of this team")}

    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True, help_text="Why the membership ended (a new role, a move)")

    class Meta:
        ordering = ["team__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_team",
                violation_error_message="This person is already a member of this team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.role} – {self.team}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def clean(self):
        if self.role_id and not self.role.is_team_role:
            raise ValidationError({"role": "This role is held by the user directly, not through a team"})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date"})
        if self.team_id and self.user_id and self.role_id and self.started_on:
            self._refuse_overlap()

    def _refuse_overlap(self):
        """The same person in the same role in the same team twice at once would count them twice."""
        others = TeamMembership.objects.filter(team_id=self.team_id, user_id=self.user_id, role_id=self.role_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        others = others.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.started_on))
        if self.ended_on:
            others = others.filter(started_on__lte=self.ended_on)
        clash = others.order_by("started_on").first()
        if clash:
            until = f"to {clash.ended_on:%-d %B %Y}" if clash.ended_on else "with no end date"
            raise ValidationError({"started_on": f"This person already holds this role in this team from "
                                                 f"{clash.started_on:%-d %B %Y} {until}"})
