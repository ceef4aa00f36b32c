"""Access policies: one per model, asked by every view, API, selector, record panel and notification.

A policy answers four questions about one kind of record (Wagtail's permission policies are the
shape):

- may this user do `action` at all?                      `policy.user_may(user, "change")`
- which records may they do it to?                      `policy.instances(user, "view")`
- this one record, or a 404 if it is out of reach?      `policy.get(user, pk)`
- who may do `action` to this record (to tell them)?     `policy.users_with(action, team_ids=…)`

Actions name permissions ("view" → "clients.view_client"), so behaviour asks for permissions and
never for a role by name: an administrator's new role works everywhere its permissions say. Reach
(which people, teams or localities a user's roles cover) is each policy's `scope`. Where one person
is given a right to one record (a named enquiry officer on a safeguarding enquiry) the policy sets
`object_grants = True` and uses django-guardian's per-object permissions through `grant`/`revoke`.

Views declare their policy with `@policy_required(policy, action)`; viewsets with `policy = …` and
`PolicyPermission`; pages about no record with SIGNED_IN or PUBLIC. A test walks every URL pattern
and fails on one that declares none.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from rest_framework import permissions as drf_permissions


class Policy:
    """Who may do what with one model's records. Subclass per model; instantiate once."""

    model = None
    # action -> "app_label.codename"; a model policy gets view/add/change from the model by default.
    perms: dict[str, str] = {}
    object_grants = False  # per-object rights for named people (django-guardian)
    grantable_actions = ("view",)  # what may be given to one person for one record
    # Refusals are 404, never 403, so that nobody outside learns the records exist (safeguarding).
    hide_refusals = False
    not_found = "Not found"

    def __init__(self, name: str = ""):
        self.name = name or type(self).__name__
        if self.model is not None:
            meta = self.model._meta
            defaults = {verb: f"{meta.app_label}.{verb}_{meta.model_name}" for verb in ("view", "add", "change")}
            self.perms = {**defaults, **type(self).perms}

    def __repr__(self) -> str:
        return f"<{self.name}>"

    # Model level -----------------------------------------------------------------------------

    def permission(self, action: str) -> str:
        try:
            return self.perms[action]
        except KeyError:
            raise ValueError(f"{self.name} has no action {action!r}") from None

    def user_may(self, user, action: str = "view") -> bool:
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.has_perm(self.permission(action)):
            return True
        # Someone given this right to one record may use the pages for it (and sees only that record).
        return (self.object_grants and action in self.grantable_actions
                and self._granted_only(user, action, self.base_queryset()).exists())

    # Instance level --------------------------------------------------------------------------

    def scope(self, user, queryset: QuerySet, action: str) -> QuerySet:
        """The records within the user's reach for `action`. Default: all of them."""
        return queryset

    def base_queryset(self) -> QuerySet:
        return self.model._default_manager.all()

    def instances(self, user, action: str = "view", queryset: QuerySet | None = None) -> QuerySet:
        queryset = self.base_queryset() if queryset is None else queryset
        # With per-record grants, holding the permission is what opens the whole scope.
        allowed = (bool(user and user.is_authenticated and user.has_perm(self.permission(action)))
                   if self.object_grants else self.user_may(user, action))
        if not allowed:
            return self._granted_only(user, action, queryset)
        scoped = self.scope(user, queryset, action)
        if self.object_grants:
            scoped = scoped | self._granted_only(user, action, queryset)
        return scoped

    def get(self, user, pk, action: str = "view", queryset: QuerySet | None = None):
        """The record, or 404 when it does not exist or is out of the user's reach: the same answer,
        so an id guessed from another locality tells nothing."""
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404(self.not_found) from None
        obj = self.instances(user, action, queryset).filter(pk=pk).first()
        if obj is None:
            raise Http404(self.not_found)
        return obj

    def user_may_for(self, user, action: str, instance) -> bool:
        return self.instances(user, action).filter(pk=instance.pk).exists()

    # People ----------------------------------------------------------------------------------

    def memberships_with(self, action: str, *, team_ids=None, user=None):
        """Current team memberships whose role gives `action` (optionally in these teams, of this user)."""
        from ascm.organisation.selectors import memberships_holding

        return memberships_holding(self.permission(action), team_ids=team_ids, user=user)

    def teams_where(self, user, action: str) -> list[int]:
        """The teams in which the user's role there gives `action` (the teams they manage, sign off in…),
        cached with the rest of their reach (a membership or a role's permissions changing moves it on)."""
        from ascm.accounts.access_cache import cached_for_user

        permission = self.permission(action)
        return cached_for_user(user, f"teams-where:{permission}", lambda: list(
            self.memberships_with(action, user=user).values_list("team_id", flat=True)))

    def users_with(self, action: str, *, team_ids=None, exclude=None):
        """Users whose team roles give `action` in these teams (by permission, never by role name)."""
        memberships = self.memberships_with(action, team_ids=team_ids).select_related("user")
        users = {m.user for m in memberships if m.user.is_active}
        if exclude is not None:
            users.discard(exclude)
        return users

    # One person, one record (django-guardian) ------------------------------------------------

    def _codename(self, action: str) -> str:
        return self.permission(action).split(".", 1)[1]

    def grant(self, user, action: str, instance) -> None:
        from guardian.shortcuts import assign_perm

        self._check_grants()
        assign_perm(self.permission(action), user, instance)

    def revoke(self, user, action: str, instance) -> None:
        from guardian.shortcuts import remove_perm

        self._check_grants()
        remove_perm(self.permission(action), user, instance)

    def _check_grants(self):
        if not self.object_grants:
            raise ValueError(f"{self.name} does not give rights to one person for one record")

    def _granted_only(self, user, action: str, queryset: QuerySet) -> QuerySet:
        if not (self.object_grants and user and user.is_authenticated):
            return queryset.none()
        from django.contrib.contenttypes.models import ContentType
        from guardian.models import UserObjectPermission

        granted = (UserObjectPermission.objects
                   .filter(user=user, content_type=ContentType.objects.get_for_model(self.model),
                           permission__codename=self._codename(action))
                   .annotate(object_id=Cast("object_pk", IntegerField())).values("object_id"))
        return queryset.filter(pk__in=granted)


class SignedIn(Policy):
    """Pages about no one record (home, your work, your inbox): any signed-in user; what each shows
    is filtered by the policies of the records on it."""

    def permission(self, action: str) -> str:
        return ""

    def user_may(self, user, action: str = "view") -> bool:
        return bool(user and user.is_authenticated and user.is_active)


class Public(Policy):
    """Pages anyone may see: sign-in, signed-out, accessibility statement, health check."""

    def permission(self, action: str) -> str:
        return ""

    def user_may(self, user, action: str = "view") -> bool:
        return True


class Staff(Policy):
    """Django's admin site: staff only (the admin checks its own model permissions)."""

    def permission(self, action: str) -> str:
        return ""

    def user_may(self, user, action: str = "view") -> bool:
        return bool(user and user.is_authenticated and user.is_staff)


SIGNED_IN = SignedIn("signed in")
PUBLIC = Public("public")
STAFF = Staff("staff")


def policy_declare(view, policy: Policy, action: str = "view"):
    """Mark a view with its policy (for class-based or library views checked elsewhere)."""
    view.policy, view.policy_action = policy, action
    return view


def policy_required(policy: Policy, action: str = "view"):
    """A page's access check: 403 unless the user may do `action` to this kind of record. Which
    record, and whether it is in reach, the view asks the same policy (`policy.get`)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not policy.user_may(request.user, action):
                if policy.hide_refusals:
                    raise Http404(policy.not_found)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return policy_declare(wrapped, policy, action)

    return decorator


class PolicyPermission(drf_permissions.BasePermission):
    """A viewset's access check from its `policy`: reads need "view", creates "add", updates
    "change", and an @action the action its `policy_actions` names (default "change"). Object
    reach comes from `get_queryset` asking `policy.instances`, so a record out of reach is a 404."""

    METHOD_ACTIONS = {"create": "add", "update": "change", "partial_update": "change"}

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405: nothing is deleted through the API
        if view.policy.user_may(request.user, self.action_for(request, view)):
            return True
        if view.policy.hide_refusals:
            raise Http404(view.policy.not_found)
        return False

    @classmethod
    def action_for(cls, request, view) -> str:
        name = getattr(view, "action", None)
        declared = getattr(view, "policy_actions", {})
        if name in declared:
            return declared[name]
        if request.method in drf_permissions.SAFE_METHODS:
            return "view"
        return cls.METHOD_ACTIONS.get(name, "change")


def view_policy(callback):
    """The policy a URL's view declares: (policy, action), or None."""
    cls = getattr(callback, "cls", None)  # DRF viewsets and APIViews
    if cls is not None:
        policy = getattr(cls, "policy", None)
        if policy is not None and PolicyPermission in tuple(cls.permission_classes):
            return policy, "per request"
        return (callback.policy, callback.policy_action) if hasattr(callback, "policy") else None
    if hasattr(callback, "policy"):
        return callback.policy, callback.policy_action
    return None


__all__ = ["Policy", "SIGNED_IN", "PUBLIC", "STAFF", "policy_required", "policy_declare",
           "PolicyPermission", "view_policy"]
