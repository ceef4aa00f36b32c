"""Reads of the organisation, filtered by what the user may see."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ascm.accounts.access_cache import cached_for_user
from ascm.accounts.models import Role
from ascm.accounts.selectors import user_roles

from .models import Locality, Team, TeamMembership
from .permissions import team_policy


def _user_places(user) -> tuple:
    """The user's current teams and their localities, and the permissions their roles there give (by
    team and by locality): one query, cached with the rest of their reach."""
    def read():
        teams, localities, by_team, by_locality = set(), set(), {}, {}
        for team, locality, permission in (TeamMembership.objects.filter(user=user, ended_on__isnull=True)
                                           .values_list("team_id", "team__locality_id", "role__group__permissions")):
            teams.add(team)
            localities.add(locality)
            if permission is not None:
                by_team.setdefault(team, set()).add(permission)
                by_locality.setdefault(locality, set()).add(permission)
        return (frozenset(teams), frozenset(localities), {k: frozenset(v) for k, v in by_team.items()},
                {k: frozenset(v) for k, v in by_locality.items()})

    # A new name for the new shape: entries cached by the last release (teams and localities only)
    # are never read as this one.
    return cached_for_user(user, "places-and-permissions", read)


def user_team_ids(user) -> set[int]:
    return set(_user_places(user)[0])


def user_locality_ids(user) -> set[int]:
    return set(_user_places(user)[1])


def user_permissions_by_place(user) -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
    """The ids of the permissions the user's roles give them in each of their teams, and in each
    locality through its teams (for what is addressed to the holders of a permission in a place)."""
    places = _user_places(user)
    return places[2], places[3]


def user_record_scope(user) -> str:
    """The widest reach over people's records that any of the user's roles gives."""
    order = [Role.RecordScope.NONE, Role.RecordScope.TEAM, Role.RecordScope.LOCALITY, Role.RecordScope.ALL]
    scopes = [role.record_scope for role in user_roles(user)]
    return max(scopes, key=order.index, default=Role.RecordScope.NONE)


def teams_for_user(*, user) -> QuerySet[Team]:
    """Teams whose work the user may look into: administrators and county-wide roles see all
    teams; managers and leads every team in their localities; practitioners their own teams."""
    teams = (
        Team.objects.current()
        .select_related("locality", "hub")
        .annotate(member_count=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
        .order_by("locality__name", "name", "pk")  # an aggregate drops the model's ordering
    )
    return team_policy.work_scope(user, teams)


def teams_of_member(*, user) -> list[Team]:
    """The teams the user belongs to now, with the role they hold in each."""
    memberships = TeamMembership.objects.filter(user=user, ended_on__isnull=True, team__archived_at__isnull=True)
    teams = []
    for membership in memberships.select_related("team__locality", "role__group").order_by("team__name"):
        membership.team.member_role = membership.role
        teams.append(membership.team)
    return teams


def memberships_holding(perm: str, *, team_ids=None, user=None) -> QuerySet[TeamMembership]:
    """Current memberships whose role grants `perm` ("app_label.codename"): who may sign off, review a
    caseload or hold one in a team. Asked by permission, never by role name, so a role an administrator
    invents (a senior practitioner who signs off) is asked and reminded like the defaults."""
    app_label, codename = perm.split(".")
    memberships = TeamMembership.objects.filter(
        ended_on__isnull=True, role__group__permissions__codename=codename,
        role__group__permissions__content_type__app_label=app_label)
    if team_ids is not None:
        memberships = memberships.filter(team_id__in=team_ids)
    if user is not None:
        memberships = memberships.filter(user=user)
    return memberships


def team_get_for_user(*, user, pk: int) -> Team:
    """The team, or 404 when the user may not look into it (they must not learn it exists)."""
    team = teams_for_user(user=user).filter(pk=pk).first()
    if team is None:
        raise Http404("No such team")
    return team


def team_members(*, team: Team) -> QuerySet[TeamMembership]:
    return (
        TeamMembership.objects.filter(team=team, ended_on__isnull=True)
        .select_related("user", "role__group")
        .order_by("user__last_name", "user__first_name")
    )


def team_past_members(*, team: Team, limit: int = 50) -> list[TeamMembership]:
    """The team's ended memberships, the latest first, with why each ended (the team's history)."""
    return list(TeamMembership.objects.filter(team=team, ended_on__isnull=False).select_related("user", "role__group")
                .order_by("-ended_on", "-pk")[:limit])


def team_membership_get(*, team: Team, pk: int) -> TeamMembership:
    """A current membership of this team, or 404 (an id from another team is not found here)."""
    membership = team_members(team=team).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such member of this team")
    return membership


def localities_overview() -> QuerySet[Locality]:
    return (
        Locality.objects.current()
        .select_related("area")
        .annotate(
            team_count=Count("teams", filter=Q(teams__archived_at__isnull=True), distinct=True),
            practice_count=Count("gp_practices", filter=Q(gp_practices__archived_at__isnull=True), distinct=True),
            hub_count=Count("hubs", filter=Q(hubs__archived_at__isnull=True), distinct=True),
        )
        .order_by("area__name", "name")
    )
