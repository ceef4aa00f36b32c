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
