from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ascm.organisation.selectors import user_team_ids

from .models import Notification, NotificationRead


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's inbox: their own notifications and their teams' (one row per team notification),
    each with `seen_at`, when this user read it (or when anyone resolved it)."""
    mine = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user).values("read_at")[:1]
    return (Notification.objects.filter(Q(recipient=user) | Q(team_id__in=user_team_ids(user)), archived_at__isnull=True)
            .annotate(seen_at=Coalesce("read_at", "resolved_at", Subquery(mine))))


def unread_count(*, user) -> int:
    return notifications_for(user=user).filter(seen_at__isnull=True).count()
