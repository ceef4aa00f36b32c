from django.utils import timezone

from .models import Notification


def notify(*, recipients, kind: str, key: str, title: str, url: str = "") -> int:
    """Notify each recipient once per occurrence (the key); safe to call again for the same key.
    Returns how many were newly told. (The unique constraint also guards two jobs racing.)"""
    recipients = list(recipients)
    told = set(Notification.objects.filter(key=key, recipient__in=recipients).values_list("recipient_id", flat=True))
    new = [Notification(recipient=user, kind=kind, key=key, title=title, url=url)
           for user in recipients if user.pk not in told]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def notification_mark_read(*, user, notification_id: int) -> int:
    return Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notify_many(items) -> int:
    """Batch form of notify() for scheduled jobs: items are (recipient ids, kind, key, title, url). Two
    queries per batch, whatever its size; each (recipient, key) is still sent once."""
    items = [item for item in items if item[0]]
    if not items:
        return 0
    keys = {key for _, _, key, _, _ in items}
    told = set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))
    new = []
    for recipient_ids, kind, key, title, url in items:
        for recipient_id in recipient_ids:
            if (recipient_id, key) not in told:
                told.add((recipient_id, key))
                new.append(Notification(recipient_id=recipient_id, kind=kind, key=key, title=title[:200], url=url))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def notifications_resolve(*, key: str) -> int:
    """The task a notification asked for is done (by anyone): mark it read for everyone told."""
    return Notification.objects.filter(key=key, read_at__isnull=True).update(read_at=timezone.now())
