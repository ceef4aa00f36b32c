"""The person record ("client") and what hangs off it: allocations, relationships, strengths and
networks, the chronology of case notes, break-the-glass access, merges and legacy imports."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ascm.core.models import ArchivableModel, ConstraintFieldErrorsMixin, TimeStampedModel
from ascm.organisation.models import GPPractice, Locality, PostcodeDistrict, Team

from . import identifiers
from .reference import (
    AccommodationStatus,
    AssetKind,
    ConsentToShare,
    EmploymentStatus,
    Ethnicity,
    Gender,
    NetworkKind,
    NoteType,
    PrimarySupportReason,
    RelationshipType,
    SafetyFlag,
)

MAX_AGE_YEARS = 120


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class LifespanBand(models.TextChoices):
    CHILD = "child", "Child (0–17)"
    YOUNG_ADULT = "young_adult", "Young adult (18–25, Lifespan 0–25)"
    ADULT = "adult", "Adult (26+)"


# What on the person's own record makes their case complex for caseload weighting: an interpreter or a
# safety flag. Its index's condition too, so a caseload of thousands is weighted from the index alone.
NEEDS_MORE_TIME = models.Q(interpreter_needed=True) | ~models.Q(safety_flags=[])


class Client(ConstraintFieldErrorsMixin, ArchivableModel):
    """A person we support (or their carer). Never deleted; merged duplicates point to the survivor."""

    constraint_errors = {
        "client_unique_nhs_number": ("nhs_number", "A person with this NHS number already exists"),
        "client_unique_legacy_id": ("legacy_id", "A person with this legacy ID already exists"),
    }

    legacy_id = models.CharField("legacy ID", max_length=40, null=True, blank=True)
    # Goes up with every change of the details, so a save over someone else's newer change is refused.
    version = models.PositiveIntegerField(default=1)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True)
    title = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=2, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN)
    main_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    communication_needs = models.TextField(blank=True, help_text="For example BSL, easy read, large print.")
    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="clients")
    locality_overridden = models.BooleanField(
        default=False, help_text="Locality chosen by hand rather than from the postcode district."
    )
    gp_practice = models.ForeignKey(
        GPPractice, on_delete=models.PROTECT, null=True, blank=True, related_name="clients", verbose_name="GP practice"
    )
    primary_support_reason = models.CharField(
        max_length=30, choices=PrimarySupportReason.choices, default=PrimarySupportReason.UNKNOWN
    )
    # Asked of 18–64s with long-term support (Client Level Data; ASCOF 1E/1G).
    accommodation_status = models.CharField(max_length=20, choices=AccommodationStatus.choices,
                                            default=AccommodationStatus.UNKNOWN)
    employment_status = models.CharField(max_length=20, choices=EmploymentStatus.choices,
                                         default=EmploymentStatus.UNKNOWN)
    consent_to_share = models.CharField(
        "consent to share with health partners", max_length=20, choices=ConsentToShare.choices,
        default=ConsentToShare.NOT_ASKED,
    )
    consent_recorded_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    safety_flags = models.JSONField(default=list, blank=True)
    safety_detail = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept in step with the names on every save: case- and accent-folded, and phonetic keys.
    search_given = models.CharField(max_length=100, editable=False, default="")
    search_family = models.CharField(max_length=100, editable=False, default="")
    given_phonetic = models.CharField(max_length=20, editable=False, default="")
    family_phonetic = models.CharField(max_length=20, editable=False, default="")

    class Meta:
        ordering = ["family_name", "given_name"]
        permissions = [
            ("merge_client", "Can merge duplicate person records"),
            ("import_client", "Can import people from the legacy client database"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["nhs_number"], name="client_unique_nhs_number"),
            models.UniqueConstraint(fields=["legacy_id"], name="client_unique_legacy_id"),
        ]
        indexes = [
            models.Index(fields=["date_of_birth"], name="client_dob_idx"),
            models.Index(fields=["postcode"], name="client_postcode_idx"),
            models.Index(fields=["family_phonetic", "date_of_birth"], name="client_phonetic_dob_idx"),
            models.Index(fields=["given_phonetic"], name="client_given_phonetic_idx"),
            # Name search reads a surname's matches in this order and stops at the first page.
            models.Index(fields=["search_family", "search_given", "id"], name="client_name_order_idx"),
            models.Index(fields=["id"], condition=NEEDS_MORE_TIME, name="client_more_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def display_name(self) -> str:
        preferred = f" ({self.preferred_name})" if self.preferred_name else ""
        return f"{self.title + ' ' if self.title else ''}{self.given_name} {self.family_name}{preferred}"

    @property
    def nhs_number_display(self) -> str:
        return identifiers.nhs_number_display(self.nhs_number or "")

    @property
    def nhs_number_masked(self) -> str:
        return identifiers.nhs_number_masked(self.nhs_number or "")

    def age(self, on: date | None = None) -> int | None:
        if not self.date_of_birth:
            return None
        on = on or (self.date_of_death or timezone.localdate())
        return _years_between(self.date_of_birth, on)

    @property
    def lifespan_band(self) -> str | None:
        age = self.age()
        if age is None:
            return None
        if age < 18:
            return LifespanBand.CHILD
        return LifespanBand.YOUNG_ADULT if age <= 25 else LifespanBand.ADULT

    @property
    def lifespan_band_label(self) -> str:
        band = self.lifespan_band
        return LifespanBand(band).label if band else "Date of birth not known"

    @property
    def preparing_for_adulthood(self) -> bool:
        """From 14 the Lifespan Pathway prepares for adulthood, so there is no cliff edge at 18."""
        age = self.age()
        return age is not None and 14 <= age < 18

    @property
    def safety_flag_labels(self) -> list[str]:
        return [SafetyFlag(code).label for code in self.safety_flags if code in SafetyFlag.values]

    def clean_fields(self, exclude=None):
        # Normalise before the formats are checked: people type NHS numbers and postcodes many ways.
        if self.nhs_number:
            self.nhs_number = identifiers.nhs_number_normalise(self.nhs_number)
        else:
            self.nhs_number = None
        if not self.legacy_id:
            self.legacy_id = None
        self.postcode = identifiers.postcode_normalise(self.postcode) if self.postcode else ""
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.nhs_number:
            try:
                identifiers.nhs_number_validate(self.nhs_number)
            except ValidationError as error:
                errors["nhs_number"] = error.messages
        if self.postcode:
            try:
                identifiers.postcode_validate(self.postcode)
            except ValidationError as error:
                errors["postcode"] = error.messages
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = ["Date of birth must be today or in the past"]
            elif self.date_of_birth < today.replace(year=today.year - MAX_AGE_YEARS):
                errors["date_of_birth"] = [f"Date of birth must be less than {MAX_AGE_YEARS} years ago"]
        if self.date_of_death:
            if self.date_of_death > today:
                errors["date_of_death"] = ["Date of death must be today or in the past"]
            elif self.date_of_birth and self.date_of_death < self.date_of_birth:
                errors["date_of_death"] = ["Date of death must be the same as or after the date of birth"]
        unknown = [code for code in self.safety_flags or [] if code not in SafetyFlag.values]
        if unknown:
            errors["safety_flags"] = [f"Unknown safety flag: {', '.join(unknown)}"]
        if errors:
            raise ValidationError(errors)

    def derive_search_keys(self):
        self.search_given = identifiers.name_fold(self.given_name)[:100]
        self.search_family = identifiers.name_fold(self.family_name)[:100]
        self.given_phonetic = identifiers.name_phonetic(self.given_name)[:20]
        self.family_phonetic = identifiers.name_phonetic(self.family_name)[:20]

    def derive_locality(self):
        """The locality follows the postcode district (admin-managed mapping) unless set by hand."""
        if self.locality_overridden or not self.postcode:
            return
        outward = identifiers.postcode_district(identifiers.postcode_normalise(self.postcode))
        district = PostcodeDistrict.objects.filter(code=outward).first()
        if district is not None:
            self.locality_id = district.locality_id

    def save(self, *args, **kwargs):
        self.derive_search_keys()
        self.derive_locality()
        super().save(*args, **kwargs)


class Allocation(TimeStampedModel):
    """Which team (and, once allocated, which worker) holds work with the person. Ended, never deleted."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "team"], condition=Q(ended_on__isnull=True), name="allocation_one_current_per_team"
            )
        ]
        indexes = [models.Index(fields=["team", "ended_on"], name="allocation_team_idx")]
        # Whose role carries a caseload: the people work is allocated to, counted in caseload reviews.
        permissions = [("hold_caseload", "Can hold a caseload (be allocated people)")]

    def __str__(self) -> str:
        return f"{self.client} – {self.team}"


class Relationship(TimeStampedModel):
    """Someone in the person's life: a carer, next of kin, parent… a known person or free contact details."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="relationships")
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    related_client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="related_to",
        help_text="Link to the person's own record where they are known to us.",
    )
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    is_carer = models.BooleanField(default=False)
    carer_assessment_right = models.BooleanField(
        "has a right to a carer's assessment", default=False,
        help_text="Care Act 2014 s10: a carer who appears to have needs for support.",
    )
    notes = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["relationship_type", "name"]

    def __str__(self) -> str:
        return f"{self.get_relationship_type_display()}: {self.contact_name}"

    @property
    def contact_name(self) -> str:
        return str(self.related_client) if self.related_client_id else self.name

    def clean(self):
        if not self.related_client_id and not self.name.strip():
            raise ValidationError({"name": "Enter the person's name, or link them to their own record"})
        if self.related_client_id and self.related_client_id == self.client_id:
            raise ValidationError({"related_client": "A person cannot be related to themselves"})
        if self.carer_assessment_right and not self.is_carer and self.relationship_type != "carer":
            raise ValidationError({"carer_assessment_right": "Only a carer can have a right to a carer's assessment"})


class ClientAsset(TimeStampedModel):
    """The asset-based model: what matters to the person, strengths, networks, community resources."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="assets")
    kind = models.CharField(max_length=20, choices=AssetKind.choices)
    description = models.CharField(max_length=300)
    network_kind = models.CharField(max_length=20, choices=NetworkKind.choices, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"

    def clean(self):
        if self.kind == AssetKind.NETWORK and not self.network_kind:
            raise ValidationError({"network_kind": "Choose who is in the person's network"})
        if self.kind != AssetKind.NETWORK:
            self.network_kind = ""


class CaseNote(models.Model):
    """One entry in the person's chronology. Saved once, never edited or deleted: a correction is an
    amendment (a new note that points to the original, which stays visible)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    note_type = models.CharField(max_length=20, choices=NoteType.choices)
    occurred_at = models.DateTimeField("date and time of the event")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_notes")
    amends = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["client", "-occurred_at"], name="casenote_chronology_idx")]

    def __str__(self) -> str:
        return f"{self.get_note_type_display()} on {self.occurred_at:%d %b %Y}"

    def clean(self):
        if self.occurred_at and self.occurred_at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"occurred_at": "The date of the event must be now or in the past"})
        if self.amends_id and self.amends.client_id != self.client_id:
            raise ValidationError({"amends": "An amendment must be to a note about the same person"})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A saved case note cannot be changed: add an amendment.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Case notes are never deleted.")


class BreakGlassAccess(models.Model):
    """Access to a record outside the user's reach, for a stated reason; audited and shown to managers."""

    DURATION = timedelta(hours=8)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "client", "expires_at"], name="breakglass_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.user} opened {self.client} ({self.granted_at:%d %b %Y %H:%M})"


class ClientMerge(models.Model):
    """The record of one merge: which record survived, which was archived, why, and what moved."""

    survivor = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="merge")
    reason = models.TextField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    moved = models.JSONField(default=dict)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.duplicate} merged into {self.survivor}"


class ImportRun(models.Model):
    """One legacy import: the file, who ran it, and the outcome of every row."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed: file refused"

    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True, help_text="Runs before reports were files: CSV of row, legacy ID, outcome, reason")
    report_file = models.FileField(upload_to="imports/reports/%Y/%m/", blank=True,
                                   help_text="CSV: row, legacy ID, outcome, reason (one line per row of the file)")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def report_lines(self):
        """The report's CSV lines, read as they are needed (a report has a line per row imported)."""
        if self.report_file:
            with self.report_file.open("r") as handle:
                yield from handle
        else:
            yield from self.report.splitlines(keepends=True)

    def report_text(self) -> str:
        return "".join(self.report_lines())


class CareEvent(TimeStampedModel):
    """The care-event ledger: what happened to a person that a statutory return counts (Client Level
    Data: a Request, an Assessment, a Service, a Review), written by the service that did it, with a
    reference issued once and never changed (re-exports and corrections keep it). Returns read this
    one table, not every app. Codes are ASCM's own; the return maps them to the specification's
    strings for its release."""

    class Type(models.TextChoices):
        REQUEST = "request", "Request"
        ASSESSMENT = "assessment", "Assessment"
        SERVICE = "service", "Service"
        REVIEW = "review", "Review"

    PREFIX = {Type.REQUEST: "REQ", Type.ASSESSMENT: "ASM", Type.SERVICE: "SRV", Type.REVIEW: "REV"}

    reference = models.CharField(max_length=20, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="care_events")
    event_type = models.CharField(max_length=12, choices=Type.choices)
    # What the event is about, in the app that owns it ("pathways.referral", 123): one event each.
    source_model = models.CharField(max_length=60)
    source_id = models.PositiveBigIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="When it completed (a Service may stay open)")
    outcome = models.CharField(max_length=40, blank=True)
    route_of_access = models.CharField(max_length=40, blank=True, help_text="Requests: how the person came to us")
    assessment_type = models.CharField(max_length=20, blank=True, help_text="Assessments: long_term or short_term")
    details = models.JSONField(default=dict, blank=True, help_text="What else the return needs (service type, …)")
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="Cancelled events are left out of returns")

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["event_type", "source_model", "source_id"],
                                               name="care_event_once_per_source")]
        indexes = [models.Index(fields=["event_type", "end_date"], name="care_event_period_idx"),
                   models.Index(fields=["client", "start_date"], name="care_event_client_idx")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_event_type_display()} for {self.client_id}"


class ReturnFile(TimeStampedModel):
    """A statutory return's file for a reporting period (Client Level Data, quarterly or a year), made
    by a Celery task from the care-event ledger, kept with who made it and when, downloadable again.
    Only one is made at a time for a period; a later file for the same period does not replace an
    earlier one (both are kept)."""

    class Kind(models.TextChoices):
        CLD = "cld", "Client Level Data"

    class Status(models.TextChoices):
        MAKING = "making", "Being made"
        DONE = "done", "Made"
        FAILED = "failed", "Could not be made"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CLD)
    period_start = models.DateField()
    period_end = models.DateField()
    release = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAKING)
    events_total = models.PositiveIntegerField(default=0)
    events_done = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="returns/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "period_start", "period_end"],
                                               condition=models.Q(status="making"), name="return_file_one_making")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%-d %b %Y} to {self.period_end:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("returns:file", args=[self.pk])


class ReturnProblem(models.Model):
    """A row of a return file that would be rejected or lacks a value the return needs, grouped by
    what is wrong, with the record to put it right."""

    file = models.ForeignKey(ReturnFile, on_delete=models.PROTECT, related_name="problem_rows")
    problem = models.CharField(max_length=30)
    event_reference = models.CharField(max_length=20)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_model = models.CharField(max_length=60, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["file", "problem", "event_reference"]
        indexes = [models.Index(fields=["file", "problem", "event_reference"], name="return_problem_group_idx")]

    def __str__(self) -> str:
        return f"{self.event_reference}: {self.problem}"


class ReturnTableEntry(models.Model):
    """One thing a rebuilt SALT table counts (a request, a period of short-term support, a review, a
    person or a carer), derived from a return file's rows: a figure is the count of its entries, and
    its list is those entries, so the two always agree."""

    file = models.ForeignKey(ReturnFile, on_delete=models.PROTECT, related_name="table_entries")
    table = models.CharField(max_length=20)
    row = models.CharField(max_length=200)
    column = models.CharField(max_length=60)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    event_reference = models.CharField(max_length=20)

    class Meta:
        ordering = ["file", "table", "row", "column", "event_reference"]
        indexes = [models.Index(fields=["file", "table", "row", "column"], name="return_table_cell_idx")]

    def __str__(self) -> str:
        return f"{self.table} {self.row} / {self.column}: {self.event_reference}"
