"""Writes to the register of providers and care settings. Nothing is deleted: closing keeps the
record (and its history in the audit log) for the work that points to it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ascm.core.csvfiles import csv_report, csv_rows
from ascm.core.dates import date_check
from ascm.organisation.models import Locality

from .models import CareSetting, Provider, ProviderImport, Ward

PROVIDER_FIELDS = ["name", "kind", "cqc_provider_id", "ods_code", "phone", "email"]
SETTING_FIELDS = ["provider", "name", "kind", "cqc_location_id", "address_line_1", "town", "postcode", "locality",
                  "phone", "beds"]


def _postcode(value: str) -> str:
    compact = "".join((value or "").split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else compact


def _save(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def provider_create(**fields) -> Provider:
    return _save(Provider(), {k: v for k, v in fields.items() if k in PROVIDER_FIELDS})


@transaction.atomic
def provider_update(*, provider: Provider, **fields) -> Provider:
    return _save(provider, {k: v for k, v in fields.items() if k in PROVIDER_FIELDS})


def _close(instance, closed_on: datetime.date | None, what: str):
    closed_on = closed_on or timezone.localdate()
    date_check(closed_on, field="closed_on", label="The closing date")
    if instance.closed_on is not None:
        raise ValidationError({"closed_on": f"This {what} is already closed (from {instance.closed_on:%d %B %Y})"})
    instance.closed_on = closed_on
    instance.save(update_fields=["closed_on", "updated_at"])
    return instance


@transaction.atomic
def provider_close(*, provider: Provider, closed_on: datetime.date | None = None) -> Provider:
    """Close a provider and every setting and ward of theirs still open (kept, never deleted)."""
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    _close(provider, closed_on, "provider")
    for setting in provider.settings.filter(closed_on__isnull=True):
        setting_close(setting=setting, closed_on=provider.closed_on)
    return provider


@transaction.atomic
def setting_create(**fields) -> CareSetting:
    fields["postcode"] = _postcode(fields.get("postcode", ""))
    setting = _save(CareSetting(), {k: v for k, v in fields.items() if k in SETTING_FIELDS})
    if not setting.provider.is_open:
        raise ValidationError({"provider": f"{setting.provider} is closed: choose an open provider"})
    return setting


@transaction.atomic
def setting_update(*, setting: CareSetting, **fields) -> CareSetting:
    if "postcode" in fields:
        fields["postcode"] = _postcode(fields["postcode"])
    return _save(setting, {k: v for k, v in fields.items() if k in SETTING_FIELDS})


@transaction.atomic
def setting_close(*, setting: CareSetting, closed_on: datetime.date | None = None) -> CareSetting:
    setting = CareSetting.objects.select_for_update().get(pk=setting.pk)
    _close(setting, closed_on, "care setting")
    setting.wards.filter(closed_on__isnull=True).update(closed_on=setting.closed_on)
    return setting


@transaction.atomic
def ward_add(*, setting: CareSetting, name: str, specialty: str = "") -> Ward:
    if not setting.is_open:
        raise ValidationError({"name": f"{setting} is closed: a closed hospital takes no new wards"})
    if Ward.objects.filter(setting=setting, name__iexact=(name or "").strip()).exists():
        raise ValidationError({"name": f"{setting} already has a ward called {name.strip()}"})
    return _save(Ward(setting=setting), {"name": name, "specialty": specialty})


@transaction.atomic
def ward_update(*, ward: Ward, name: str | None = None, specialty: str | None = None) -> Ward:
    fields = {k: v for k, v in (("name", name), ("specialty", specialty)) if v is not None}
    if "name" in fields and Ward.objects.filter(setting=ward.setting_id, name__iexact=fields["name"].strip()).exclude(pk=ward.pk).exists():
        raise ValidationError({"name": f"{ward.setting} already has a ward called {fields['name'].strip()}"})
    return _save(ward, fields)


@transaction.atomic
def ward_close(*, ward: Ward, closed_on: datetime.date | None = None) -> Ward:
    return _close(Ward.objects.select_for_update().get(pk=ward.pk), closed_on, "ward")


# Import ---------------------------------------------------------------------------------------

REQUIRED_COLUMNS = ["provider_name", "setting_name", "setting_type"]
OPTIONAL_COLUMNS = ["provider_type", "cqc_provider_id", "ods_code", "cqc_location_id", "address_line_1", "town",
                    "postcode", "locality", "phone", "beds", "ward", "ward_specialty", "closed_on"]


def _choice(choices, value: str, column: str, default: str = "") -> str:
    value = (value or "").strip()
    if not value and default:
        return default
    for code, label in choices.choices:
        if value.lower() in (code, label.lower()):
            return code
    raise ValidationError({column: f"{column.replace('_', ' ').capitalize()} ‘{value}’ is not one of: "
                                   + ", ".join(code for code, _ in choices.choices)})


class _Lookups:
    """What the import matches against, read once per file."""

    def __init__(self):
        self.localities = {loc.name.lower(): loc for loc in Locality.objects.all()}
        self.providers_by_cqc = {p.cqc_provider_id: p for p in Provider.objects.exclude(cqc_provider_id="")}
        self.providers_by_name = {p.name.lower(): p for p in Provider.objects.all()}
        self.settings_by_cqc = {s.cqc_location_id: s for s in CareSetting.objects.exclude(cqc_location_id="")}


def _provider_for(row: dict, lookups: _Lookups) -> tuple[Provider, bool]:
    cqc = row.get("cqc_provider_id", "").strip()
    provider = lookups.providers_by_cqc.get(cqc) if cqc else None
    provider = provider or lookups.providers_by_name.get(row["provider_name"].strip().lower())
    fields = {"name": row["provider_name"], "cqc_provider_id": cqc, "ods_code": row.get("ods_code", ""),
              "kind": _choice(Provider.Kind, row.get("provider_type", ""), "provider_type", default=Provider.Kind.INDEPENDENT)}
    if provider is None:
        provider = _save(Provider(), fields)
        lookups.providers_by_name[provider.name.lower()] = provider
        if cqc:
            lookups.providers_by_cqc[cqc] = provider
        return provider, True
    changed = {k: v for k, v in fields.items() if k != "name" and v and getattr(provider, k) != v}
    if changed:
        _save(provider, changed)
    return provider, bool(changed)


def _setting_fields(row: dict, provider: Provider, lookups: _Lookups) -> dict:
    locality_name = row.get("locality", "").strip()
    locality = lookups.localities.get(locality_name.lower()) if locality_name else None
    if locality_name and locality is None:
        raise ValidationError({"locality": f"There is no locality called ‘{locality_name}’"})
    beds = row.get("beds", "").strip()
    if beds and not beds.isdigit():
        raise ValidationError({"beds": "Beds must be a whole number"})
    return {"provider": provider, "name": row["setting_name"].strip(),
            "kind": _choice(CareSetting.Kind, row["setting_type"], "setting_type"),
            "cqc_location_id": row.get("cqc_location_id", "").strip(), "address_line_1": row.get("address_line_1", "").strip(),
            "town": row.get("town", "").strip(), "postcode": _postcode(row.get("postcode", "")), "locality": locality,
            "phone": row.get("phone", "").strip(), "beds": int(beds) if beds else None}


def _existing_setting(fields: dict, lookups: _Lookups) -> CareSetting | None:
    if fields["cqc_location_id"]:
        return lookups.settings_by_cqc.get(fields["cqc_location_id"])
    return (CareSetting.objects.filter(provider=fields["provider"], name__iexact=fields["name"],
                                       postcode=fields["postcode"]).first())


def _import_row(row: dict, lookups: _Lookups) -> str:
    """One row, in its own savepoint: created, updated or unchanged (or ValidationError)."""
    for column in REQUIRED_COLUMNS:
        if not row.get(column, "").strip():
            raise ValidationError({column: f"{column.replace('_', ' ').capitalize()} is empty"})
    closed_on = row.get("closed_on", "").strip()
    closed = None
    if closed_on:
        try:
            closed = datetime.date.fromisoformat(closed_on)
        except ValueError:
            raise ValidationError({"closed_on": "Closed on must be a date as YYYY-MM-DD"}) from None
    provider, provider_changed = _provider_for(row, lookups)
    fields = _setting_fields(row, provider, lookups)
    setting = _existing_setting(fields, lookups)
    outcome = "unchanged"
    if setting is None:
        setting = _save(CareSetting(), fields)
        if setting.cqc_location_id:
            lookups.settings_by_cqc[setting.cqc_location_id] = setting
        outcome = "created"
    else:
        # A blank cell leaves what the register holds: the file only adds and corrects.
        changed = {k: v for k, v in fields.items() if v not in ("", None) and getattr(setting, k) != v}
        if changed:
            _save(setting, changed)
            outcome = "updated"
    ward = row.get("ward", "").strip()
    if ward and not setting.wards.filter(name__iexact=ward).exists():
        if setting.kind != CareSetting.Kind.HOSPITAL:
            raise ValidationError({"ward": "Only hospitals have wards"})
        ward_add(setting=setting, name=ward, specialty=row.get("ward_specialty", ""))
        outcome = "updated" if outcome == "unchanged" else outcome
    if closed and setting.closed_on is None:
        setting_close(setting=setting, closed_on=closed)
        outcome = "updated" if outcome == "unchanged" else outcome
    if outcome == "unchanged" and provider_changed:
        outcome = "updated"
    return outcome


def providers_import(*, data: bytes, filename: str, user=None) -> ProviderImport:
    """Import the register from CSV. Safe to run again with the same file (nothing is doubled):
    settings are matched by CQC location ID, or by provider, name and postcode. Every row's outcome
    (created, updated, unchanged, or rejected with the reason) is kept in the import's report.
    Raises FileRefused if the file as a whole cannot be read."""
    reader = csv_rows(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    lookups = _Lookups()
    run = ProviderImport(filename=filename[:255], imported_by=user)
    report = []
    for number, row in enumerate(reader, start=2):
        row = {k: (v if isinstance(v, str) else "") for k, v in row.items() if k}
        run.rows += 1
        label = " / ".join(part for part in (row.get("provider_name", "").strip(), row.get("setting_name", "").strip()) if part)
        try:
            with transaction.atomic():
                outcome = _import_row(row, lookups)
        except ValidationError as error:
            lookups = _Lookups()  # the row's savepoint was rolled back: forget what it added
            run.rejected += 1
            reasons = "; ".join(f"{m}" for messages in error.message_dict.values() for m in messages) \
                if hasattr(error, "error_dict") else "; ".join(error.messages)
            report.append([number, label, "rejected", reasons])
            continue
        setattr(run, outcome, getattr(run, outcome) + 1)
        report.append([number, label, outcome, ""])
    run.report = report
    run.save()
    return run


def provider_import_report_csv(run: ProviderImport) -> str:
    return csv_report(["row", "provider / setting", "outcome", "reason"], run.report)
