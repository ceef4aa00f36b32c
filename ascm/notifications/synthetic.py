"""The synthetic county's task inboxes, for benchmarks: every member of staff's own notifications and
their teams' (a few unread, most read or done, the oldest archived), by INSERT … SELECT. Safe to run
again: a notification's (recipient or team, key) is unique."""

from django.db import connection

from ascm.core.synthetic import SyntheticRun

PER_PERSON = 60  # a year of "review due", "assessment returned", "referral allocated to you"…
PER_TEAM = 120


def notifications_generate(run: SyntheticRun) -> dict:
    from .models import Notification, NotificationRead

    if connection.vendor != "postgresql":
        return {"notifications": Notification.objects.count()}
    titles = "ARRAY['A review is due for someone on your caseload', 'An assessment was returned to you', " \
             "'A referral was allocated to you', 'An MDT action is due', 'A care package was approved']"
    with connection.cursor() as cursor:
        # The newest few are unread; older ones read; the task behind every fifth done; a year back archived.
        cursor.execute(f"""
            INSERT INTO notifications_notification (recipient_id, kind, key, title, url, created_at, read_at,
                                                    resolved_at, archived_at)
            SELECT u.id, 'synthetic', 'synthetic-' || g, ({titles})[1 + (u.id + g) % 5], '',
                   now() - make_interval(hours => (g * 140)::int),
                   CASE WHEN g > 3 THEN now() - make_interval(hours => (g * 140 - 2)::int) END,
                   CASE WHEN g % 5 = 0 THEN now() - make_interval(hours => (g * 140 - 3)::int) END,
                   CASE WHEN g > 50 THEN now() - make_interval(hours => (g * 140 - 24)::int) END
            FROM accounts_user u CROSS JOIN generate_series(1, {PER_PERSON}) g
            WHERE u.username LIKE 'staff%'
            ON CONFLICT DO NOTHING""")  # noqa: S608 - constants only
        cursor.execute(f"""
            INSERT INTO notifications_notification (team_id, kind, key, title, url, created_at, resolved_at, archived_at)
            SELECT t.id, 'synthetic', 'synthetic-team-' || g, ({titles})[1 + (t.id + g) % 5], '',
                   now() - make_interval(hours => (g * 70)::int),
                   CASE WHEN g > 5 THEN now() - make_interval(hours => (g * 70 - 4)::int) END,
                   CASE WHEN g > 100 THEN now() - make_interval(hours => (g * 70 - 24)::int) END
            FROM organisation_team t CROSS JOIN generate_series(1, {PER_TEAM}) g
            ON CONFLICT DO NOTHING""")  # noqa: S608 - constants only
        # Members have read some of their teams' notifications that are not done.
        cursor.execute("""
            INSERT INTO notifications_notificationread (notification_id, user_id, read_at)
            SELECT n.id, m.user_id, n.created_at + interval '1 hour'
            FROM notifications_notification n
            JOIN organisation_teammembership m ON m.team_id = n.team_id AND m.ended_on IS NULL
            WHERE n.kind = 'synthetic' AND n.resolved_at IS NULL AND (n.id + m.user_id) % 3 <> 0
            ON CONFLICT DO NOTHING""")
    return {"notifications": Notification.objects.count(), "team notifications read": NotificationRead.objects.count()}
