"""Writes to the organisation. Every write validates the whole record and is audited on save."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership

_EDITABLE = {
    Team: ("name", "team_type", "locality", "hub", "email"),
    GPPractice: ("ods_code", "name", "locality", "hub"),
    Hub: ("name", "locality", "population"),
    Locality: ("name", "area", "former_names"),
    Area: ("name",),
    PostcodeDistrict: ("code", "locality"),
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


def locality_create(**fields) -> Locality:
    return _validated_save(_apply(Locality(), fields))


def locality_update(*, locality: Locality, **fields) -> Locality:
    return _validated_save(_apply(locality, fields))


def area_create(**fields) -> Area:
    return _validated_save(_apply(Area(), fields))


def area_update(*, area: Area, **fields) -> Area:
    return _validated_save(_apply(area, fields))


def postcode_district_create(**fields) -> PostcodeDistrict:
    """Map a postcode district to its locality: referrals from it are routed to that locality's teams."""
    return _validated_save(_apply(PostcodeDistrict(), fields))


def postcode_district_update(*, postcode_district: PostcodeDistrict, **fields) -> PostcodeDistrict:
    """Move a district to another locality (boundary changes); its history keeps where it was."""
    return _validated_save(_apply(postcode_district, fields))


def _still_in_use(instance) -> list[str]:
    """What must be moved or closed before a record can close: closing a locality that still has
    teams or postcode districts would leave referrals from those places with nowhere to go."""
    def count(queryset, noun: str) -> list[str]:
        n = queryset.count()
        return [f"{n} {noun}{'' if n == 1 else 's'}"] if n else []

    if isinstance(instance, Area):
        return count(instance.localities.current(), "open locality")
    if isinstance(instance, Locality):
        return (count(instance.teams.current(), "open team") + count(instance.hubs.current(), "open hub")
                + count(instance.gp_practices.current(), "open GP practice")
                + count(instance.postcode_districts.all(), "postcode district"))
    if isinstance(instance, Hub):
        return count(instance.teams.current(), "open team") + count(instance.gp_practices.current(), "open GP practice")
    if isinstance(instance, Team):  # its members would keep reaching its people through it
        return count(instance.memberships.filter(ended_on__isnull=True), "current member")
    return []


def _parent_closed(instance) -> str:
    parent = instance.area if isinstance(instance, Locality) else getattr(instance, "locality", None)
    # Asked of the database: the instance's cached parent may have been closed or reopened since.
    if parent is not None and type(parent).objects.filter(pk=parent.pk, archived_at__isnull=False).exists():
        return f"{parent} is closed: reopen it first"
    return ""


def record_archive(*, instance, reason: str = ""):
    """Close an area, locality, hub, practice or team: it stays, with its history and why it closed, but
    is no longer offered. Refused while open records still belong to it."""
    if instance.archived_at is None:
        from .extensions import close_checks

        in_use = _still_in_use(instance) + [p for check in close_checks.contributions() for p in check.in_use(instance)]
        if in_use:
            raise ValidationError({"reason": f"{instance} still has {_and(in_use)}: move or close them first"})
        instance.archived_at = timezone.now()
        instance.archive_reason = reason.strip()[:300]
        instance.save(update_fields=["archived_at", "archive_reason", "updated_at"])
    return instance


def record_reopen(*, instance):
    """Reopen a closed record (closed by mistake, or a service restarting); its history shows both."""
    if instance.archived_at is not None:
        refused = _parent_closed(instance)
        if refused:
            raise ValidationError(refused)
        instance.archived_at = None
        instance.archive_reason = ""
        instance.save(update_fields=["archived_at", "archive_reason", "updated_at"])
    return instance


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


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


@transaction.atomic
def memberships_move(*, memberships, to_team: Team, on=None, reason: str = "") -> list[TeamMembership]:
    """Move members of a team to another in one step (a team split or merged): each keeps their role,
    their membership of the old team ends that day and one in the new team begins, both with the
    reason. All or none: one who cannot move (already in the new team) refuses the whole move."""
    _not_future("on", on)
    on = on or timezone.localdate()
    memberships = list(memberships)
    if not memberships:
        raise ValidationError({"members": "Choose at least one member to move"})
    if to_team.archived_at is not None:
        raise ValidationError({"to_team": f"{to_team} is closed: choose an open team"})
    from_teams = {m.team_id for m in memberships}
    if to_team.pk in from_teams:
        raise ValidationError({"to_team": "Choose a different team from the one they are in"})
    ended = [m for m in memberships if m.ended_on is not None]
    if ended:
        raise ValidationError({"members": f"{_and([str(m.user) for m in ended])}: membership already ended"})
    already = set(TeamMembership.objects.filter(team=to_team, ended_on__isnull=True,
                                                user_id__in=[m.user_id for m in memberships])
                  .values_list("user_id", flat=True))
    if already:
        names = _and(sorted(str(m.user) for m in memberships if m.user_id in already))
        raise ValidationError({"members": f"{names} already in {to_team}: untick them, or end that membership first"})
    early = [m for m in memberships if on < m.started_on]
    if early:
        raise ValidationError({"on": f"The move must be on or after the day {early[0].user}'s membership began "
                                     f"({early[0].started_on:%-d %B %Y})"})
    note = f"Moved to {to_team}" + (f": {reason.strip()}" if reason.strip() else "")
    moved = []
    for membership in memberships:
        membership_end(membership=membership, ended_on=on, reason=note)
        moved.append(membership_add(team=to_team, user=membership.user, role=membership.role, started_on=on))
    return moved
