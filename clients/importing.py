"""Import people exported from the legacy client database (CSV, UTF-8).

Every row is validated as the browser validates a person; good rows are imported, rejected rows are
reported with the reason. Rows are matched to existing records by legacy ID, then by NHS number, so
the same file can be imported again without creating duplicates. Rows are written in batches, each
in one transaction with its audit entries: if the import stops, every row written is complete and
running it again finishes the job."""

import csv
import functools
import tempfile
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ascm.audit.models import AuditEntry
from ascm.core.csvfiles import FileRefused, csv_cell_safe, csv_rows  # noqa: F401 - FileRefused: part of this module's API
from ascm.core.db import copy_insert
from ascm.organisation.models import GPPractice, PostcodeDistrict

from . import identifiers
from .models import Client, ImportRun
from .reference import ConsentToShare, Ethnicity, Gender, PrimarySupportReason

REQUIRED_COLUMNS = ["legacy_id", "given_name", "family_name"]
OPTIONAL_COLUMNS = [
    "nhs_number", "title", "preferred_name", "date_of_birth", "date_of_death", "gender", "ethnicity",
    "main_language", "interpreter_needed", "address_line_1", "address_line_2", "town", "postcode",
    "gp_practice_code", "primary_support_reason", "consent_to_share",
]
IMPORTED_FIELDS = [
    "legacy_id", "nhs_number", "title", "given_name", "family_name", "preferred_name", "date_of_birth",
    "date_of_death", "gender", "ethnicity", "main_language", "interpreter_needed", "address_line_1",
    "address_line_2", "town", "postcode", "gp_practice_id", "locality_id", "primary_support_reason",
    "consent_to_share", "search_given", "search_family", "given_phonetic", "family_phonetic",
]
BATCH = 1000
_CHOICES = {
    "gender": (Gender, {"m": "1", "male": "1", "f": "2", "female": "2", "u": "X", "unknown": "X", "": "X"}),
    "ethnicity": (Ethnicity, {"": "99"}),
    "primary_support_reason": (PrimarySupportReason, {"": "unknown"}),
    "consent_to_share": (ConsentToShare, {"": "not_asked", "y": "given", "yes": "given", "n": "refused", "no": "refused"}),
}


REPORT_HEADER = ["row", "legacy_id", "outcome", "reason"]


def _spooled_report():
    report = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="")
    csv.writer(report).writerow(REPORT_HEADER)
    return report


@dataclass
class ImportResult:
    """The counts, and the outcome of every row written as it is decided to a temporary file (on disk
    past a megabyte), so an import's memory does not grow with its file."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    report_file: object = field(default_factory=_spooled_report, repr=False)

    def note(self, number: int, legacy_id: str, outcome: str, reason: str = "") -> None:
        csv.writer(self.report_file).writerow([csv_cell_safe(cell) for cell in (number, legacy_id, outcome, reason)])

    def report_lines(self):
        """The report's rows as read back, (row number, legacy id, outcome, reason), one at a time."""
        self.report_file.seek(0)
        reader = csv.reader(self.report_file)
        next(reader)
        for number, legacy_id, outcome, reason in reader:
            yield int(number), legacy_id, outcome, reason
        self.report_file.seek(0, 2)

    @property
    def report(self) -> list:
        return list(self.report_lines())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def report_csv(self) -> str:
        self.report_file.seek(0)
        text = self.report_file.read()
        self.report_file.seek(0, 2)
        return text


def _parse_date(value: str, label: str):
    import datetime

    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValidationError({label: f"{label.replace('_', ' ').capitalize()} must be a real date as YYYY-MM-DD or DD/MM/YYYY"})


@functools.cache
def _choice_codes(name: str) -> tuple[frozenset, dict]:
    choices, _ = _CHOICES[name]
    return frozenset(choices.values), {label.lower(): code for code, label in choices.choices}


def _choice(name: str, value: str) -> str:
    _, aliases = _CHOICES[name]
    codes, by_label = _choice_codes(name)
    raw = value.strip()
    if raw in codes:
        return raw
    folded = raw.lower()
    if folded in aliases:
        return aliases[folded]
    if folded in by_label:
        return by_label[folded]
    raise ValidationError({name: f"Unknown {name.replace('_', ' ')}: {raw}"})


class _Maps:
    """What validating a row needs, so it asks the database nothing: the GP practices and postcode
    districts (small: loaded once), and the records the current batch's legacy IDs and NHS numbers
    match (looked up per batch, never every record in the county)."""

    def __init__(self):
        self.practices = dict(GPPractice.objects.filter(archived_at__isnull=True).values_list("ods_code", "pk"))
        self.districts = dict(PostcodeDistrict.objects.values_list("code", "locality_id"))
        self.nhs_in_file: dict[str, str] = {}  # NHS number -> the legacy ID of the row that has it
        self.by_legacy: dict[str, int] = {}
        self.by_nhs: dict[str, int] = {}

    def load_batch(self, rows) -> None:
        from django.db.models import Q

        legacy = {r.get("legacy_id", "").strip() for _, r in rows} - {""}
        nhs = {identifiers.nhs_number_normalise(r.get("nhs_number", "")) for _, r in rows} - {""}
        found = Client.objects.filter(Q(legacy_id__in=legacy) | Q(nhs_number__in=nhs)).values_list(
            "pk", "legacy_id", "nhs_number")
        self.by_legacy = {code: pk for pk, code, _ in found if code in legacy}
        self.by_nhs = {number: pk for pk, _, number in found if number in nhs}


@functools.cache
def _text_fields() -> list[tuple[str, int, bool]]:
    """The imported text fields' names, maximum lengths and whether they may be blank."""
    derived = {"search_given", "search_family", "given_phonetic", "family_phonetic"}  # made from the names after
    fields = [Client._meta.get_field(name) for name in IMPORTED_FIELDS if not name.endswith("_id") and name not in derived]
    return [(f.name, f.max_length, f.blank) for f in fields if getattr(f, "max_length", None)]


def _check_fields(client: Client) -> None:
    """What full_clean's field checks would find in what a file can set (choices and dates are
    checked as they are read), without building a validator per field per row."""
    errors = {}
    for name, max_length, blank in _text_fields():
        value = getattr(client, name) or ""
        if not value and not blank:
            errors[name] = ["This field cannot be blank."]
        elif len(value) > max_length:
            errors[name] = [f"Ensure this value has at most {max_length} characters (it has {len(value)})."]
    if errors:
        raise ValidationError(errors)


def _build(row: dict, maps: _Maps, existing: dict[int, Client]) -> tuple[Client, str]:
    """The client the row describes (new or matched) and its outcome; raises ValidationError."""
    legacy_id = row["legacy_id"].strip()
    if not legacy_id:
        raise ValidationError({"legacy_id": "Every row needs a legacy ID"})
    nhs = identifiers.nhs_number_normalise(row.get("nhs_number", ""))
    if nhs:
        identifiers.nhs_number_validate(nhs)
    pk = maps.by_legacy.get(legacy_id) or (maps.by_nhs.get(nhs) if nhs else None)
    if nhs and maps.by_nhs.get(nhs) not in (None, pk):
        raise ValidationError({"nhs_number": f"This NHS number belongs to another record ({maps.by_nhs[nhs]})"})
    # What the file says, parsed and checked before any record is made (a rejected row costs little).
    born = _parse_date(row.get("date_of_birth", ""), "date_of_birth")
    died = _parse_date(row.get("date_of_death", ""), "date_of_death")
    choices = {name: _choice(name, row[name]) for name in _CHOICES if name in row}
    postcode = row.get("postcode", "").strip()
    postcode = identifiers.postcode_validate(postcode) if postcode else ""
    code = row.get("gp_practice_code", "").strip().upper()
    if code and code not in maps.practices:
        raise ValidationError({"gp_practice_code": f"There is no GP practice with the ODS code {code}"})

    client = existing.get(pk) if pk else Client()
    before = {f: getattr(client, f) for f in IMPORTED_FIELDS} if pk else None
    client.legacy_id = legacy_id
    client.nhs_number = nhs or client.nhs_number
    for name in ("title", "given_name", "family_name", "preferred_name", "address_line_1", "address_line_2", "town"):
        if name in row:
            setattr(client, name, row[name].strip())
    client.main_language = row.get("main_language", "").strip() or client.main_language or "English"
    client.interpreter_needed = row.get("interpreter_needed", "").strip().lower() in {"y", "yes", "true", "1"}
    client.date_of_birth, client.date_of_death, client.postcode = born, died, postcode
    for name, value in choices.items():
        setattr(client, name, value)
    client.gp_practice_id = maps.practices.get(code) if code else None
    if not client.locality_overridden:
        client.locality_id = maps.districts.get(identifiers.postcode_district(client.postcode), client.locality_id)
    _check_fields(client)
    client.clean()
    client.derive_search_keys()
    if before is None:
        outcome = "created"
    else:
        outcome = "unchanged" if before == {f: getattr(client, f) for f in IMPORTED_FIELDS} else "updated"
    return client, outcome


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


def people_import(*, data, user=None, run: ImportRun | None = None) -> ImportResult:
    """Import a legacy CSV export: bytes, or a binary file read as the rows are (memory flat with its
    size). Raises FileRefused if the file as a whole cannot be read."""
    started = time.perf_counter()
    reader = csv_rows(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS)
    maps = _Maps()
    result = ImportResult()
    batch_rows = []

    def flush():
        if batch_rows:
            _write_batch(batch_rows, maps, result, user=user, run=run)
            batch_rows.clear()

    try:
        for number, row in enumerate(reader, start=2):
            result.rows += 1
            row = {k: (v if isinstance(v, str) else "") for k, v in row.items() if k}
            batch_rows.append((number, row))
            if len(batch_rows) >= BATCH:
                flush()
    except csv.Error as error:
        flush()  # the rows before the fault are written and reported; running it again finishes the job
        raise FileRefused(f"The file could not be read as CSV after row {result.rows}: {error}") from None
    flush()
    result.seconds = time.perf_counter() - started
    return result


@transaction.atomic
def _write_batch(rows, maps: _Maps, result: ImportResult, *, user, run) -> None:
    maps.load_batch(rows)
    matched = [maps.by_legacy.get(r["legacy_id"].strip()) or maps.by_nhs.get(identifiers.nhs_number_normalise(r.get("nhs_number", "")))
               for _, r in rows]
    existing = Client.objects.in_bulk([pk for pk in matched if pk])
    to_create, to_update, seen = [], [], set()
    for number, row in rows:
        legacy_id = row.get("legacy_id", "").strip()
        try:
            if legacy_id in seen:
                raise ValidationError({"legacy_id": "This legacy ID appears more than once in the file"})
            nhs = identifiers.nhs_number_normalise(row.get("nhs_number", ""))
            if nhs and maps.nhs_in_file.get(nhs, legacy_id) != legacy_id:
                raise ValidationError({"nhs_number": f"This NHS number is also on the row for legacy ID "
                                                     f"{maps.nhs_in_file[nhs]} in this file"})
            client, outcome = _build(row, maps, existing)
        except ValidationError as error:
            result.rejected += 1
            result.note(number, legacy_id, "rejected", _message(error))
            continue
        seen.add(legacy_id)
        if client.nhs_number:
            maps.nhs_in_file[client.nhs_number] = legacy_id
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.note(number, legacy_id, outcome)
        if outcome == "created":
            client.created_by = user
            to_create.append(client)
        elif outcome == "updated":
            to_update.append(client)
    created = copy_insert(Client, to_create)
    if to_update:
        Client.objects.bulk_update(to_update, IMPORTED_FIELDS)
    source = f"legacy import{f' {run.pk}' if run else ''}"
    now = timezone.now()
    # One entry per record, alike but for the record: copies of one made entry (a model's __init__
    # per row is a third of an import's time).
    from django.db.models.base import ModelState

    template = AuditEntry(content_type_id=_client_type_id(), actor=user, timestamp=now, changes={"source": ["", source]})
    base = {k: v for k, v in template.__dict__.items() if k != "_state"}

    def entry(action, client):
        made = AuditEntry.__new__(AuditEntry)
        made.__dict__.update(base, object_pk=str(client.pk), object_id=client.pk, object_repr=str(client), action=action)
        made._state = ModelState()
        return made

    copy_insert(AuditEntry, [entry(action, c) for action, clients in (
        (AuditEntry.Action.CREATE, created), (AuditEntry.Action.UPDATE, to_update)) for c in clients])


def _client_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Client).pk


def import_run_execute(*, run_id: int) -> ImportRun:
    """Run an uploaded import (the admin's upload, through a task). Safe to run twice: a finished run
    is left as it is, and re-importing the same rows changes nothing."""
    run = ImportRun.objects.get(pk=run_id)
    if run.status == ImportRun.Status.FINISHED:
        return run
    # A run left "running" (its worker was killed) is simply run again: rows already written match
    # by legacy ID and come out unchanged, so running again resumes the job.
    run.status = ImportRun.Status.RUNNING
    run.save(update_fields=["status"])
    try:
        with run.file.open("rb") as handle:
            result = people_import(data=handle, user=run.uploaded_by, run=run)
    except FileRefused as error:
        run.status, run.error, run.finished_at = ImportRun.Status.FAILED, str(error), timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        return run
    for name in ("rows", "created", "updated", "unchanged", "rejected"):
        setattr(run, name, getattr(result, name))
    result.report_file.seek(0)
    run.report_file.save(f"{run.pk}-report.csv", File(result.report_file), save=False)
    run.status, run.finished_at = ImportRun.Status.FINISHED, timezone.now()
    run.save()
    return run


def import_run_restart(*, run_id: int) -> bool:
    """An administrator re-runs an import that is stuck (its worker died) or refused: it goes back to
    waiting and its task is sent again once committed. A finished run is left alone."""
    from .tasks import import_people_task

    updated = ImportRun.objects.filter(pk=run_id).exclude(status=ImportRun.Status.FINISHED).update(
        status=ImportRun.Status.PENDING, error="", finished_at=None)
    if updated:
        transaction.on_commit(lambda: import_people_task.delay(run_id))
    return bool(updated)
