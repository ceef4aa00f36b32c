from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Notification, NotificationRead
from .permissions import notification_policy
from .versions import cached_count, inbox_key


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's inbox: their own notifications and their teams' (one row per team notification),
    each with `seen_at`, when this user read it (or when anyone resolved it)."""
    mine = NotificationRead.objects.filter(notification=OuterRef("pk"), user=user).values("read_at")[:1]
    return (notification_policy.instances(user)
            .annotate(seen_at=Coalesce("read_at", "resolved_at", Subquery(mine))))


def unread_count(*, user) -> int:
    """The Tasks badge: counted only when something addressed to this user has changed (see versions)."""
    from ascm.accounts.access_cache import access_generation
    from ascm.organisation.selectors import user_locality_ids, user_team_ids

    key = inbox_key(user, generation=access_generation(user), teams=user_team_ids(user),
                    localities=user_locality_ids(user))
    return cached_count(key, lambda: notifications_for(user=user).filter(seen_at__isnull=True).count())
