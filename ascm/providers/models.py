"""The register of providers and care settings: hospitals and their wards, care homes, home-care
agencies, day services and voluntary organisations. Safeguarding (where abuse happened), DoLS (the
managing authority), hospital discharge (hospital, ward, destination) and finance (who is paid) all
point here. Nothing is deleted: a provider, setting or ward is closed on a date and kept."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ascm.core.models import ConstraintFieldErrorsMixin, TimeStampedModel
from ascm.organisation.models import Locality

# CQC identifiers look like 1-101234567 (one digit, a hyphen, up to eleven digits).
cqc_id = RegexValidator(r"^1-[0-9]{5,11}$", "Enter a CQC ID like 1-101234567")


class ClosableQuerySet(models.QuerySet):
    def open(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))


class Provider(ConstraintFieldErrorsMixin, TimeStampedModel):
    """The organisation that runs services: an NHS trust, a care company, a charity."""

    constraint_errors = {"provider_cqc_id_unique": ("cqc_provider_id", "Another provider in the register has this CQC ID")}

    class Kind(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        INDEPENDENT = "independent", "Independent care provider"
        VOLUNTARY = "voluntary", "Voluntary or community organisation"
        COUNCIL = "council", "The council's own service"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cqc_provider_id = models.CharField("CQC provider ID", max_length=14, blank=True, validators=[cqc_id])
    ods_code = models.CharField("ODS code", max_length=10, blank=True, help_text="NHS organisations: like RVV")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = ClosableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cqc_provider_id"], condition=~Q(cqc_provider_id=""),
                                    name="provider_cqc_id_unique"),
        ]
        permissions = [("import_provider", "Can import providers and care settings from a CSV file")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:provider", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Providers are closed, never deleted.")


class CareSetting(ConstraintFieldErrorsMixin, TimeStampedModel):
    """A place or service a provider runs: a hospital, a care home, an agency's branch, a day centre."""

    constraint_errors = {"care_setting_cqc_location_unique": (
        "cqc_location_id", "Another setting in the register has this CQC location ID")}

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", "Hospital"
        CARE_HOME = "care_home", "Care home without nursing (residential)"
        NURSING_HOME = "nursing_home", "Care home with nursing"
        HOME_CARE = "home_care", "Home care agency"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        EXTRA_CARE = "extra_care", "Extra care housing"
        DAY_SERVICE = "day_service", "Day service"
        VOLUNTARY = "voluntary", "Voluntary or community service"

    # Settings CQC registers as locations: a care home needs its location ID to be found again.
    CQC_REGISTERED = {Kind.CARE_HOME, Kind.NURSING_HOME, Kind.HOME_CARE, Kind.SUPPORTED_LIVING, Kind.EXTRA_CARE}
    # Care homes are managing authorities for the Deprivation of Liberty Safeguards, as hospitals are.
    MANAGING_AUTHORITY = {Kind.HOSPITAL, Kind.CARE_HOME, Kind.NURSING_HOME}

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="settings")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    cqc_location_id = models.CharField("CQC location ID", max_length=14, blank=True, validators=[cqc_id])
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="care_settings")
    phone = models.CharField(max_length=40, blank=True)
    beds = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Care homes and hospitals")
    closed_on = models.DateField(null=True, blank=True)

    objects = ClosableQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cqc_location_id"], condition=~Q(cqc_location_id=""),
                                    name="care_setting_cqc_location_unique"),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="care_setting_kind_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("providers:setting", args=[self.pk])

    def clean(self):
        errors = {}
        if self.kind in self.CQC_REGISTERED and not self.cqc_location_id:
            errors["cqc_location_id"] = f"Enter the CQC location ID: a {self.get_kind_display().lower()} is registered with CQC"
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Care settings are closed, never deleted.")


class Ward(ConstraintFieldErrorsMixin, TimeStampedModel):
    """A hospital ward: where a discharge is planned from."""

    constraint_errors = {"ward_name_unique_in_hospital": ("name", "This hospital already has a ward with this name")}

    setting = models.ForeignKey(CareSetting, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=100)
    specialty = models.CharField(max_length=100, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = ClosableQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["setting", "name"], name="ward_name_unique_in_hospital")]

    def __str__(self) -> str:
        return f"{self.name}, {self.setting}"

    def clean(self):
        if self.setting_id and self.setting.kind != CareSetting.Kind.HOSPITAL:
            raise ValidationError({"setting": "Wards belong to hospitals"})

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Wards are closed, never deleted.")


class ProviderImport(models.Model):
    """One CSV import of the register: who ran it, what it did to every row (kept, for the audit)."""

    filename = models.CharField(max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, help_text="[row, name, outcome, reason] per row")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d %b %Y %H:%M})"
