"""Access policy for the task inbox (see ascm.core.policies)."""

from django.db.models import Exists, OuterRef, Q

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
        from ascm.organisation.models import TeamMembership
        from ascm.organisation.selectors import user_locality_ids, user_team_ids

        teams, localities = user_team_ids(user), user_locality_ids(user)
        holding = TeamMembership.objects.filter(user=user, ended_on__isnull=True,
                                                role__group__permissions=OuterRef("permission_id"))
        holder = Q(permission__isnull=False) & ~Q(actor=user) & (
            Q(team_id__in=teams) & Exists(holding.filter(team_id=OuterRef("team_id")))
            | Q(locality_id__in=localities) & Exists(holding.filter(team__locality_id=OuterRef("locality_id"))))
        return queryset.filter(Q(recipient=user) | Q(team_id__in=teams, permission__isnull=True) | holder)


notification_policy = NotificationPolicy()
