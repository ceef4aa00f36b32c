"""Writes to the organisation. Every write validates the whole record and is audited on save."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import GPPractice, Hub, Locality, Team, TeamMembership

_EDITABLE = {
    Team: ("name", "team_type", "locality", "hub", "email"),
    GPPractice: ("ods_code", "name", "locality", "hub"),
    Hub: ("name", "locality", "population"),
    Locality: ("name", "area", "former_names"),
}


def _validated_save(instance, *, update_fields=None):
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as error:  # a race the validation could not see
        raise ValidationError("This record clashes with one saved at the same moment. Check and try again.") from error
    return instance


def _apply(instance, fields: dict):
    allowed = _EDITABLE[type(instance)]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def team_create(**fields) -> Team:
    """Create a team. A team always belongs to one locality and has a unique name there."""
    return _validated_save(_apply(Team(), fields))


def team_update(*, team: Team, **fields) -> Team:
    return _validated_save(_apply(team, fields))


def gp_practice_create(**fields) -> GPPractice:
    """Create a GP practice. ODS codes are unique; a practice's hub is in its locality."""
    return _validated_save(_apply(GPPractice(), fields))


def gp_practice_update(*, gp_practice: GPPractice, **fields) -> GPPractice:
    return _validated_save(_apply(gp_practice, fields))


def hub_create(**fields) -> Hub:
    return _validated_save(_apply(Hub(), fields))


def hub_update(*, hub: Hub, **fields) -> Hub:
    return _validated_save(_apply(hub, fields))


def locality_update(*, locality: Locality, **fields) -> Locality:
    return _validated_save(_apply(locality, fields))


def record_archive(*, instance):
    """Archive a locality, hub, practice or team: it stays, with its history, but is no longer offered."""
    if instance.archived_at is None:
        instance.archived_at = timezone.now()
        instance.save(update_fields=["archived_at", "updated_at"])
    return instance


def _not_future(field: str, day) -> None:
    # What a member may reach follows their current memberships, so a change takes effect the day it is made.
    if day and day > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future: make the change on the day"})


@transaction.atomic
def membership_add(*, team: Team, user, role, started_on=None) -> TeamMembership:
    """Add a user to a team in a role. A user holds one current membership per team."""
    _not_future("started_on", started_on)
    membership = TeamMembership(team=team, user=user, role=role)
    if started_on:
        membership.started_on = started_on
    return _validated_save(membership)


def membership_end(*, membership: TeamMembership, ended_on=None, reason: str = "") -> TeamMembership:
    """End a membership (kept for history, never deleted), with why where it is given."""
    _not_future("ended_on", ended_on)
    if membership.ended_on is None:
        membership.ended_on = ended_on or timezone.localdate()
        membership.end_reason = reason.strip()[:300]
        _validated_save(membership, update_fields=["ended_on", "end_reason", "updated_at"])
    return membership


@transaction.atomic
def membership_change_role(*, membership: TeamMembership, role, on=None, reason: str = "") -> TeamMembership:
    """Give a member a new role in the team from a date: their membership in the old role ends that day
    (with the reason) and one in the new role begins, so the history shows both."""
    _not_future("on", on)
    on = on or timezone.localdate()
    if membership.ended_on is not None:
        raise ValidationError({"role": "This membership has ended: add the person to the team again instead"})
    if role.pk == membership.role_id:
        raise ValidationError({"role": f"{membership.user} already holds this role in this team: choose another"})
    if on < membership.started_on:
        raise ValidationError({"on": f"The change must be on or after the day the membership began "
                                     f"({membership.started_on:%-d %B %Y})"})
    note = f"Role changed to {role.name}" + (f": {reason.strip()}" if reason.strip() else "")
    membership_end(membership=membership, ended_on=on, reason=note)
    return membership_add(team=membership.team, user=membership.user, role=role, started_on=on)
