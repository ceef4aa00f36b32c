from django.utils import timezone

from .models import Notification, NotificationRead
from .versions import inboxes_changed


def notify(*, recipients, kind: str, key: str, title: str, url: str = "") -> int:
    """Notify each recipient once per occurrence (the key); safe to call again for the same key.
    Returns how many were newly told. (The unique constraint also guards two jobs racing.)"""
    recipients = list(recipients)
    told = set(Notification.objects.filter(key=key, recipient__in=recipients).values_list("recipient_id", flat=True))
    new = [Notification(recipient=user, kind=kind, key=key, title=title, url=url)
           for user in recipients if user.pk not in told]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    inboxes_changed(users=[note.recipient.pk for note in new])
    return len(new)


def notify_team(*, team, kind: str, key: str, title: str, url: str = "") -> int:
    """Notify a team: one row, whatever its size, read by each member in their own time. Once per
    occurrence (the key). Returns 1 if the team was newly told."""
    if team is None:
        return 0
    _, created = Notification.objects.get_or_create(team=team, key=key,
                                                    defaults={"kind": kind, "title": title[:200], "url": url})
    if created:
        inboxes_changed(teams=[team.pk])
    return int(created)


def notify_teams(notes: list[tuple]) -> int:
    """Notify many teams at once, each once per occurrence: (team, kind, key, title, url) tuples, one
    query for the lot (a batch of referrals routed). Returns how many were newly told."""
    rows = [Notification(team=team, kind=kind, key=key, title=title[:200], url=url)
            for team, kind, key, title, url in notes if team is not None]
    if not rows:
        return 0
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    inboxes_changed(teams=[note.team.pk for note in rows])
    return len(created)


def notify_holders(*, permission: str, kind: str, key: str, title: str, url: str = "", team=None, locality=None,
                   actor=None) -> int:
    """Notify whoever holds `permission` ("app_label.codename") in a team or a locality: one row, found
    by permission (never by role name), read by each in their own time, never shown to the actor.
    Once per occurrence (the key). Returns 1 if newly sent."""
    from django.contrib.auth.models import Permission

    if (team is None) == (locality is None):
        raise ValueError("Address holders in a team or in a locality")
    app_label, codename = permission.split(".")
    perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    place = {"team": team} if team is not None else {"locality": locality}
    _, created = Notification.objects.get_or_create(
        **place, key=key, defaults={"kind": kind, "title": title[:200], "url": url, "permission": perm, "actor": actor})
    if created:
        inboxes_changed(teams=[team.pk] if team is not None else [], localities=[locality.pk] if locality is not None else [])
    return int(created)


def notification_mark_read(*, user, notification_id) -> int:
    from .selectors import notifications_for

    note = notifications_for(user=user).filter(pk=notification_id).first()
    if note is None or note.seen_at is not None:
        return 0
    inboxes_changed(users=[user.pk])
    if note.recipient_id == user.pk:
        return Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    _, created = NotificationRead.objects.get_or_create(notification=note, user=user)
    return int(created)


def notifications_mark_all_read(*, user) -> int:
    from .selectors import notifications_for

    now = timezone.now()
    unread = notifications_for(user=user).filter(seen_at__isnull=True)
    team_ids = list(unread.filter(recipient__isnull=True).values_list("pk", flat=True))
    NotificationRead.objects.bulk_create([NotificationRead(notification_id=pk, user=user, read_at=now) for pk in team_ids],
                                         ignore_conflicts=True)
    inboxes_changed(users=[user.pk])
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now) + len(team_ids)


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
    inboxes_changed(users=[note.recipient_id for note in new])
    return len(new)


def notifications_send(rows: list[Notification]) -> int:
    """Send notifications a scheduled job has already checked against what it told before (a mix of
    people, teams and places); the unique constraints still decide between two runs racing."""
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    inboxes_changed(users=[note.recipient_id for note in rows], teams=[note.team_id for note in rows],
                    localities=[note.locality_id for note in rows])
    return len(rows)


def notifications_resolve(*, key: str) -> int:
    """The task a notification asked for is done (by anyone): mark it read for everyone told."""
    now = timezone.now()
    told = list(Notification.objects.filter(key=key).values_list("recipient_id", "team_id", "locality_id"))
    if not told:
        return 0
    inboxes_changed(users=[row[0] for row in told], teams=[row[1] for row in told], localities=[row[2] for row in told])
    return (Notification.objects.filter(key=key, recipient__isnull=False, read_at__isnull=True).update(read_at=now)
            + Notification.objects.filter(key=key, recipient__isnull=True, resolved_at__isnull=True).update(resolved_at=now))


def notifications_archive(*, older_than_days: int = 90) -> int:
    """Take old, read notifications off the inbox (kept, never deleted): a person's once they read
    them, a team's once resolved or past the age. Safe to run again; a beat job runs it nightly."""
    import datetime

    now = timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    old = Notification.objects.filter(created_at__lt=cutoff, archived_at__isnull=True)
    inboxes_changed(everyone=True)
    return (old.filter(recipient__isnull=False, read_at__isnull=False).update(archived_at=now)
            + old.filter(recipient__isnull=True).update(archived_at=now))
