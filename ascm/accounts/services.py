"""Writes about users."""

from django.db import transaction

from .models import User
from .roles import ADMINISTRATOR


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
