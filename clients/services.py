"""Writes to person records. Each service validates the whole record; every change is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from ascm.audit.services import audit_record_view, audit_records_moved

from .extensions import merge_handlers
from .identifiers import nhs_number_normalise
from .models import Allocation, BreakGlassAccess, CareEvent, CaseNote, Client, ClientAsset, ClientMerge, Relationship
from .permissions import break_glass_policy, client_policy
from .selectors import clients_in_reach, likely_duplicates

CLIENT_FIELDS = (
    "legacy_id", "nhs_number", "title", "given_name", "family_name", "preferred_name", "date_of_birth",
    "date_of_death", "gender", "ethnicity", "main_language", "interpreter_needed", "communication_needs",
    "address_line_1", "address_line_2", "town", "postcode", "locality", "locality_overridden", "gp_practice",
    "primary_support_reason", "accommodation_status", "employment_status", "consent_to_share", "safety_flags",
    "safety_detail",
)


class LikelyDuplicate(ValidationError):
    """Raised before saving a person who may already be known; the caller shows them and asks to confirm."""

    def __init__(self, candidates: list[Client]):
        super().__init__(
            "This person may already have a record. Check the people listed, or confirm this is someone new.",
            code="likely_duplicate",
        )
        self.candidates = candidates


class ExistingNhsNumber(ValidationError):
    def __init__(self, existing: Client):
        super().__init__({"nhs_number": "A person with this NHS number already exists"}, code="nhs_exists")
        self.existing = existing


def _save(instance):
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError("This record clashes with one saved at the same moment. Check and try again.") from error
    return instance


def _apply_client_fields(client: Client, fields: dict, *, user) -> Client:
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    consent_before = client.consent_to_share
    for name, value in fields.items():
        setattr(client, name, value)
    if client.consent_to_share != consent_before:
        client.consent_recorded_on, client.consent_recorded_by = timezone.localdate(), user
    if "locality" in fields and fields["locality"] is not None and "locality_overridden" not in fields:
        client.locality_overridden = True
    return client


@transaction.atomic
def client_create(*, user, team=None, confirmed_not_duplicate: bool = False, **fields) -> Client:
    """Record a new person. A person whose NHS number is known is refused (ExistingNhsNumber, with the
    record); a likely duplicate (same DOB and similar name, or same name and postcode) is refused
    (LikelyDuplicate) unless the user confirmed it is someone new. The creator's team holds the person."""
    client = _apply_client_fields(Client(created_by=user), fields, user=user)
    if client.nhs_number:
        existing = Client.objects.filter(nhs_number=nhs_number_normalise(client.nhs_number)).first()
        if existing:
            raise ExistingNhsNumber(existing)
    client.full_clean()
    if not confirmed_not_duplicate:
        candidates = likely_duplicates(
            given_name=client.given_name, family_name=client.family_name,
            date_of_birth=client.date_of_birth, postcode=client.postcode,
        )
        if candidates:
            raise LikelyDuplicate(candidates)
    _save(client)
    if team is not None:
        Allocation.objects.create(client=client, team=team, reason="Recorded the person")
    return client


class EditConflict(ValidationError):
    """Someone else saved the record after the version the user started from. Nothing is saved: the
    caller keeps what the user typed and shows the current record beside it."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else while you were editing. Nothing you typed has been "
                         "lost: check their change, then save again.", code="conflict")
        self.current = current


@transaction.atomic
def client_update(*, user, client: Client, expected_version: int | None = None, **fields) -> Client:
    """Change a person's details (the change history shows who changed what). With expected_version
    (the version the user opened), a save over a newer one is refused with EditConflict."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if expected_version is not None and expected_version != client.version:
        raise EditConflict(client)
    client.version += 1
    if fields.get("nhs_number"):
        existing = Client.objects.filter(nhs_number=nhs_number_normalise(fields["nhs_number"])).exclude(pk=client.pk).first()
        if existing:
            raise ExistingNhsNumber(existing)
    return _save(_apply_client_fields(client, fields, user=user))


def client_archive(*, user, client: Client) -> Client:
    if client.archived_at is None:
        client.archived_at = timezone.now()
        client.save(update_fields=["archived_at", "updated_at"])
    return client


def client_record_viewed(*, user, client: Client) -> None:
    """Every view of a person's record is audited."""
    audit_record_view(user=user, instance=client)


@transaction.atomic
def client_break_glass(*, user, client: Client, reason: str) -> BreakGlassAccess:
    """Open a record outside the user's reach for a stated reason: audited with the reason, listed for
    the user's managers, and valid for one working day."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": "Explain why you need to see this record (at least 10 characters)"})
    if not break_glass_policy.user_may(user, "add"):
        raise PermissionDenied
    access = BreakGlassAccess.objects.create(
        user=user, client=client, reason=reason, expires_at=timezone.now() + BreakGlassAccess.DURATION
    )
    audit_record_view(user=user, instance=client, reason=f"Break the glass: {reason}")
    return access


def allocation_start(*, client: Client, team, worker=None, reason: str = "") -> Allocation:
    """Allocate the person to a team (and worker). A team holds a person once at a time."""
    return _save(Allocation(client=client, team=team, worker=worker, reason=reason))


def _end(instance, on=None):
    """Allocations, relationships and strengths are ended, never deleted: the history stays."""
    if instance.ended_on is None:
        instance.ended_on = on or timezone.localdate()
        instance.save(update_fields=["ended_on", "updated_at"])
    return instance


def allocation_end(*, allocation: Allocation, on=None) -> Allocation:
    return _end(allocation, on)


def note_add(*, user, client: Client, note_type: str, occurred_at, text: str, amends: CaseNote | None = None) -> CaseNote:
    """Add a note to the chronology. Notes are never edited: to correct one, add an amendment."""
    if amends is not None and amends.amends_id:
        amends = amends.amends  # amendments attach to the original note
    return _save(CaseNote(client=client, note_type=note_type, occurred_at=occurred_at, text=text, author=user, amends=amends))


def relationship_add(*, client: Client, **fields) -> Relationship:
    return _save(Relationship(client=client, **fields))


def relationship_end(*, relationship: Relationship) -> Relationship:
    return _end(relationship)


def asset_add(*, client: Client, **fields) -> ClientAsset:
    return _save(ClientAsset(client=client, **fields))


def asset_end(*, asset: ClientAsset) -> ClientAsset:
    return _end(asset)


def client_merge_move_rows(*, user, model, field: str, survivor: Client, duplicate: Client) -> dict[str, int]:
    """Move one model's rows from the duplicate to the survivor, audited. A unique rule the move would
    break (both have an open episode on the same pathway) stops the merge with a clear message."""
    related = model._base_manager.filter(**{field: duplicate})
    pks = list(related.values_list("pk", flat=True))
    if not pks:
        return {}
    try:
        with transaction.atomic():
            count = related.update(**{field: survivor})
    except IntegrityError as error:
        raise ValidationError(
            f"These records cannot be merged yet: both have {model._meta.verbose_name_plural} "
            "that a person can only have one of at a time. Close the duplicate's one first, then merge."
        ) from error
    audit_records_moved(user=user, model=model, pks=pks, field=field, old=duplicate.pk, new=survivor.pk)
    return {f"{model._meta.label}.{field}": count}


def client_merge_own_rows(user, survivor: Client, duplicate: Client) -> dict[str, int]:
    """The people app's own rows: allocations, notes, relationships (both ends), strengths, events."""
    # The survivor's team keeps its own allocation; the duplicate's copy is ended.
    kept = Allocation.objects.filter(client=survivor, ended_on__isnull=True).values("team")
    Allocation.objects.filter(client=duplicate, ended_on__isnull=True, team__in=kept).update(ended_on=timezone.localdate())
    moved = {}
    for relation in Client._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label != "clients" or model in (ClientMerge, BreakGlassAccess):
            continue
        if relation.field.name == "merged_into" or not (relation.one_to_many or relation.one_to_one):
            continue
        moved.update(client_merge_move_rows(user=user, model=model, field=relation.field.name,
                                            survivor=survivor, duplicate=duplicate))
    return moved


@transaction.atomic
def client_merge(*, user, survivor: Client, duplicate: Client, reason: str) -> ClientMerge:
    """Merge a duplicate into the surviving record. Everything linked to the duplicate moves to the
    survivor (each app contributes a merge handler for its own rows); the duplicate is archived and
    points to the survivor; the merge is recorded with its reason, and every row moved is audited."""
    if not client_policy.user_may(user, "merge"):
        raise PermissionDenied
    # Both records must be the user's to open: a merge moves everything, so it must not bring a
    # record from another locality into their reach (nor give that locality reach into the survivor).
    if clients_in_reach(user=user).filter(pk__in=[survivor.pk, duplicate.pk]).count() != len({survivor.pk, duplicate.pk}):
        raise Http404("No such person")
    if survivor.pk == duplicate.pk:
        raise ValidationError("Choose two different records to merge")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Explain why these records are the same person"})
    locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError("One of these records has already been merged")

    moved = {}
    # Every app moves its own rows (the merge_handlers extension point): clients never reaches into
    # the models of the apps above it.
    for handler in merge_handlers:
        moved.update(handler.move(user, survivor, duplicate))

    taken = []
    for name in ("nhs_number", "legacy_id", "date_of_birth", "gp_practice", "postcode"):
        if not getattr(survivor, name) and getattr(duplicate, name):
            taken.append(name)
    values = {name: getattr(duplicate, name) for name in taken}
    duplicate.nhs_number = duplicate.nhs_number if "nhs_number" not in taken else None
    duplicate.legacy_id = duplicate.legacy_id if "legacy_id" not in taken else None
    duplicate.merged_into = survivor
    duplicate.archived_at = timezone.now()
    duplicate.save()
    if values:
        for name, value in values.items():
            setattr(survivor, name, value)
        survivor.save()
    moved["details_taken"] = taken
    return ClientMerge.objects.create(survivor=survivor, duplicate=duplicate, reason=reason.strip(), merged_by=user, moved=moved)


def care_event_record(*, client: Client, event_type: str, source, start_date, end_date=None, outcome: str = "",
                      route_of_access: str = "", assessment_type: str = "", details: dict | None = None) -> CareEvent:
    """Write (or bring up to date) the ledger's event for `source` (the referral, assessment, review or
    service it is about). Safe to call again: one event per source and type, and its reference, once
    issued, never changes. Fields given as empty leave what is recorded."""
    source_model = source._meta.label_lower
    given = {name: value for name, value in {
        "client": client, "start_date": start_date, "end_date": end_date, "outcome": outcome,
        "route_of_access": route_of_access, "assessment_type": assessment_type, "details": details,
    }.items() if value not in (None, "")}
    event, created = CareEvent.objects.get_or_create(
        event_type=event_type, source_model=source_model, source_id=source.pk,
        defaults={**given, "reference": _care_event_reference(event_type, source.pk)})
    # A new event is written once, whole; a known one only when something given differs.
    changed = [name for name, value in given.items()
               if (event.client_id != value.pk if name == "client" else getattr(event, name) != value)]
    if not created and changed:
        for name in changed:
            setattr(event, name, given[name])
        event.save()
    return event


def _care_event_reference(event_type: str, source_id: int) -> str:
    """REQ00000123: the type's prefix and the source's own id, so the reference is unique in the council
    and the same however often the file is made."""
    return f"{CareEvent.PREFIX[event_type]}{source_id:08d}"


def care_event_cancel(*, source, event_type: str) -> int:
    """The event should not be counted (entered in error): kept, marked cancelled, left out of returns."""
    return CareEvent.objects.filter(event_type=event_type, source_model=source._meta.label_lower, source_id=source.pk,
                                    cancelled_at__isnull=True).update(cancelled_at=timezone.now())
