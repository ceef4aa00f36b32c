from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from ascm.core.db import CompiledOnce

from .access_cache import cached_for_user


def _user_by_pk(pk):
    from .models import User

    return User._default_manager.filter(pk=pk)


_user = CompiledOnce(_user_by_pk)  # read on every request: compiled once


class RoleModelBackend(ModelBackend):
    """Permissions from the user's own roles and from the roles of their current team memberships,
    cached across requests until something that could change them does (access_cache)."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj)
            | Q(group__role__memberships__user=user_obj, group__role__memberships__ended_on__isnull=True)
        ).distinct()

    def get_user(self, user_id):
        try:
            found = _user(int(user_id))
        except (TypeError, ValueError):
            return None
        return found[0] if found and self.user_can_authenticate(found[0]) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached_for_user(user_obj, "permissions",
                                                   lambda: super(RoleModelBackend, self).get_all_permissions(user_obj))
        return user_obj._perm_cache
