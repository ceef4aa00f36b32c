"""Access policy for the task inbox (see ascm.core.policies)."""

from django.db.models import Q

from ascm.core.policies import Policy

from .models import Notification


class NotificationPolicy(Policy):
    """Everyone signed in has an inbox: their own notifications, their teams', and those addressed to
    the holders of a permission in a locality when they hold it there."""

    model = Notification

    def user_may(self, user, action="view"):
        return bool(user and user.is_authenticated and user.is_active)

    def base_queryset(self):
        return Notification.objects.filter(archived_at__isnull=True)

    def scope(self, user, queryset, action):
        from ascm.organisation.selectors import user_locality_ids, user_permissions_by_place, user_team_ids

        teams, localities = user_team_ids(user), user_locality_ids(user)
        by_team, by_locality = user_permissions_by_place(user)
        # Addressed to holders of a permission: in one of the user's teams where a role of theirs there
        # holds it, or in a locality where a role of theirs in one of its teams does. The permissions
        # held per place are read once (and cached with the user's other access), so the inbox is a
        # plain filter, not a subquery per notification.
        places = Q(pk__in=[])
        for team_id, permissions in by_team.items():
            if team_id in teams:
                places |= Q(team_id=team_id, permission_id__in=sorted(permissions))
        for locality_id, permissions in by_locality.items():
            if locality_id in localities:
                places |= Q(locality_id=locality_id, permission_id__in=sorted(permissions))
        holder = Q(permission__isnull=False) & ~Q(actor=user) & places
        return queryset.filter(Q(recipient=user) | Q(team_id__in=teams, permission__isnull=True) | holder)


notification_policy = NotificationPolicy()
