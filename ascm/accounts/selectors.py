"""Reads about users: their roles, their reach and what the navigation offers them."""

from dataclasses import dataclass

from ascm.core.templatetags.links import link_for

from .models import Role, User


def user_roles(user: User) -> list[Role]:
    """The user's roles: held directly, and through their current team memberships.

    Cached for the request and, until a role or membership changes, across requests.
    """
    from .access_cache import cached_for_user

    def compute():
        direct = list(Role.objects.filter(group__user=user).select_related("group"))
        via_teams = list(
            Role.objects.filter(memberships__user=user, memberships__ended_on__isnull=True)
            .select_related("group")
            .distinct()
        )
        return sorted({role.pk: role for role in direct + via_teams}.values(), key=lambda r: r.group.name)

    return cached_for_user(user, "roles", compute)


def user_role_summary(user: User) -> str:
    if user.is_superuser and not user_roles(user):
        return "System administrator"
    return ", ".join(role.name for role in user_roles(user)) or "No role yet"


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


def user_navigation(request) -> list[NavItem]:
    """The service navigation, built from the permissions the user's roles give."""
    user = request.user
    from .extensions import navigation

    entries = navigation.contributions()
    items = [(e.text, link_for(e.url_name), e.policy.user_may(user, e.action)) for e in entries]
    path = request.path
    allowed = [(text, href) for text, href, ok in items if ok]
    # The current item is the longest one the path is under ("/mdt/caseload/" is the caseload
    # review, not "MDT meetings" at "/mdt/").
    matches = [href for _, href in allowed if (path == href if href == "/" else path.startswith(href))]
    current = max(matches, key=len, default=None)
    return [NavItem(text, href, href == current) for text, href in allowed]


def users_for_setup(*, q: str = "", status: str = "active"):
    """The administrator's list of staff: searchable by name, username or email, active or not, with
    their direct roles and current memberships read in bulk (a fixed number of queries a page)."""
    from django.db.models import Prefetch, Q

    users = User.objects.exclude(username="AnonymousUser")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    for word in q.split()[:4]:
        users = users.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                             | Q(username__icontains=word) | Q(email__icontains=word))
    current = Prefetch("memberships", to_attr="current_memberships",
                       queryset=_memberships().filter(ended_on__isnull=True).order_by("team__name"))
    return (users.prefetch_related(Prefetch("groups__role", queryset=Role.objects.select_related("group")), current)
            .order_by("last_name", "first_name", "username"))


def _memberships():
    return User.memberships.rel.related_model.objects.select_related("team", "role__group")


def user_setup_detail(*, user: User) -> dict:
    """One user's set-up page: roles held directly and through each team, and past memberships."""
    memberships = list(_memberships().filter(user=user).order_by("ended_on", "team__name"))
    return {"direct_roles": list(Role.objects.filter(group__user=user).select_related("group").order_by("group__name")),
            "memberships": [m for m in memberships if m.ended_on is None],
            "past_memberships": [m for m in memberships if m.ended_on is not None][-20:]}


# What each app's permissions are about, in the words of the service (framework tables are left out:
# no role is given them through these pages).
PERMISSION_AREAS = {
    "clients": "People's records", "referrals": "Referrals and routing", "care": "Assessments, plans and reviews",
    "discharge": "Hospital discharge", "mdt": "MDT meetings and caseloads", "safeguarding": "Safeguarding and DoLS",
    "finance": "Finance", "providers": "Providers and care settings", "organisation": "Organisation set-up",
    "accounts": "Users and roles", "notifications": "Tasks", "audit": "Audit log", "performance": "Performance and returns",
}


def permission_plain(permission) -> str:
    """ "Can view case note" → "View case notes"; the service's own permissions are named in plain words already."""
    name = permission.name
    if name.startswith("Can "):
        verb, _, thing = name[4:].partition(" ")
        return f"{verb.capitalize()} {thing}s" if verb in ("view", "add", "change", "delete") else name[4:].capitalize()
    return name


def permissions_by_area():
    """Every permission a role may be given, grouped by area: [(area, [permission, ...]), ...]."""
    from django.contrib.auth.models import Permission

    grouped: dict[str, list] = {}
    for permission in (Permission.objects.filter(content_type__app_label__in=list(PERMISSION_AREAS))
                       .select_related("content_type").order_by("content_type__app_label", "name")):
        grouped.setdefault(permission.content_type.app_label, []).append(permission)
    return [(PERMISSION_AREAS[label], grouped[label]) for label in PERMISSION_AREAS if label in grouped]


def roles_for_setup() -> list[dict]:
    """Each role with what it may do, grouped by area in plain words, its reach and who holds it."""
    from django.contrib.auth.models import Permission
    from django.db.models import Count, Prefetch, Q

    from .roles import DEFAULT_ROLES

    shown = Permission.objects.filter(content_type__app_label__in=list(PERMISSION_AREAS)).select_related("content_type")
    roles = (Role.objects.select_related("group")
             .prefetch_related(Prefetch("group__permissions", queryset=shown.order_by("name")))
             .annotate(members=Count("memberships", filter=Q(memberships__ended_on__isnull=True), distinct=True),
                       holders=Count("group__user", filter=Q(group__user__is_active=True), distinct=True))
             .order_by("group__name"))
    result = []
    for role in roles:
        areas: dict[str, list[str]] = {}
        for permission in role.group.permissions.all():
            areas.setdefault(PERMISSION_AREAS[permission.content_type.app_label], []).append(permission_plain(permission))
        result.append({"role": role, "built_in": role.slug in DEFAULT_ROLES,
                       "areas": [(area, areas[area]) for area in PERMISSION_AREAS.values() if area in areas],
                       "held_by": role.members if role.is_team_role else role.holders})
    return result
