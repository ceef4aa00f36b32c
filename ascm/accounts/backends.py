from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleModelBackend(ModelBackend):
    """Permissions from the user's own roles and from the roles of their current team memberships."""

    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(
            Q(group__user=user_obj)
            | Q(group__role__memberships__user=user_obj, group__role__memberships__ended_on__isnull=True)
        ).distinct()
