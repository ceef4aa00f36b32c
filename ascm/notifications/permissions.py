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
        from ascm.organisation.selectors import user_team_ids

        return queryset.filter(Q(recipient=user) | Q(team_id__in=user_team_ids(user)))


notification_policy = NotificationPolicy()
