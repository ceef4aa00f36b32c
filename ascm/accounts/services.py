"""Writes about users."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import User
from .roles import ADMINISTRATOR


def _refuse_losing_the_last_administrator(user: User, *, stays_active: bool, stays_admin: bool, field: str) -> None:
    """Someone must always be able to set the service up: the last active administrator can be
    neither deactivated nor have the role taken away (locked, so two changes at once cannot both pass)."""
    if stays_active and stays_admin:
        return
    admins = list(User.objects.select_for_update().filter(is_active=True, groups__role__slug=ADMINISTRATOR)
                  .values_list("pk", flat=True))
    if admins == [user.pk]:
        raise ValidationError({field: f"{user} is the only active administrator: give someone else the "
                                      "administrator role first"})


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    roles=(),
) -> User:
    """Create a user with their organisation-wide roles. Team roles come through memberships."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email, job_title=job_title)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if roles:
        user.groups.set([role.group for role in roles])
    return user_sync_staff_status(user=user)


@transaction.atomic
def user_update(*, user: User, roles=None, **fields) -> User:
    was_admin = user.groups.filter(role__slug=ADMINISTRATOR).exists()
    if was_admin and user.is_active:
        stays_admin = roles is None or any(role.slug == ADMINISTRATOR for role in roles)
        _refuse_losing_the_last_administrator(user, stays_active=fields.get("is_active", True), stays_admin=stays_admin,
                                              field="roles" if not stays_admin else "is_active")
    if fields.get("is_active") is False and user.is_active:
        fields.setdefault("deactivated_at", timezone.now())
    elif fields.get("is_active") and not user.is_active:
        fields.update(deactivated_at=None, deactivation_reason="")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    if roles is not None:
        user.groups.set([role.group for role in roles])
    return user_sync_staff_status(user=user)


def user_sync_staff_status(*, user: User) -> User:
    """Administrators use the Django admin, so they are staff; nobody else is."""
    is_admin = user.groups.filter(role__slug=ADMINISTRATOR).exists()
    if user.is_staff != is_admin and not user.is_superuser:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])
    return user


def user_set_password(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def user_deactivate(*, user: User, reason: str) -> User:
    """They can no longer sign in or use a token; the account and everything it did stay (never
    deleted). Their team memberships are left as they are, for their manager to end or move."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why they can no longer sign in"})
    if not user.is_active:
        return user
    user = user_update(user=user, is_active=False, deactivation_reason=reason.strip()[:300])
    from .tokens import token_revoke

    token_revoke(user=user)  # inactive users are refused anyway; a dormant credential need not stay
    return user


def user_reactivate(*, user: User) -> User:
    return user_update(user=user, is_active=True) if not user.is_active else user


def user_reset_password(*, user: User, password: str) -> User:
    """An administrator sets a new password (forgotten, or feared known): their sessions end, as any
    password change ends them, and their API token is revoked."""
    from .tokens import token_revoke

    user_set_password(user=user, password=password)
    token_revoke(user=user)
    return user


def _role_validate(*, name: str, permissions, role=None) -> None:
    from django.contrib.auth.models import Group

    errors = {}
    if not name.strip():
        errors["name"] = "Enter the role's name"
    elif Group.objects.filter(name__iexact=name.strip()).exclude(pk=role.group_id if role else None).exists():
        errors["name"] = "There is already a role with this name"
    if not list(permissions):
        errors["permissions"] = "Choose at least one thing this role may do"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def role_create(*, name: str, description: str = "", is_team_role: bool = True, record_scope: str = "team",
                permissions=()):
    """A role the council defines (beside the service's own): a permission group and its reach."""
    from django.contrib.auth.models import Group
    from django.utils.text import slugify

    from .models import Role

    permissions = list(permissions)
    _role_validate(name=name, permissions=permissions)
    group = Group.objects.create(name=name.strip())
    group.permissions.set(permissions)
    base = slugify(name)[:40] or "role"
    slug, n = base, 1
    while Role.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    role = Role(group=group, slug=slug, description=description.strip(), is_team_role=is_team_role,
                record_scope=record_scope)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def role_update(*, role, name: str, description: str = "", record_scope: str, permissions=()):
    """Change a council-defined role. The service's own roles are set by the service (their defaults
    come back at every release), so they are refused here: make a new role instead."""
    from .roles import DEFAULT_ROLES

    if role.slug in DEFAULT_ROLES:
        raise ValidationError({"name": "This role is set by the service and cannot be changed here: create a new role "
                                       "with what you need"})
    permissions = list(permissions)
    _role_validate(name=name, permissions=permissions, role=role)
    role.group.name = name.strip()
    role.group.save(update_fields=["name"])
    role.group.permissions.set(permissions)
    role.description, role.record_scope = description.strip(), record_scope
    role.full_clean()
    role.save()
    return role
