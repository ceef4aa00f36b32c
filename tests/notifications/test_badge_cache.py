"""The Tasks badge is counted once and then read from the cache until something addressed to the
user changes: their own notifications, their teams', their places', their reach, or the archive."""

import datetime

import pytest
from django.utils import timezone

from ascm.accounts import roles
from ascm.accounts.models import User
from ascm.notifications import services
from ascm.notifications.models import Notification
from ascm.notifications.selectors import unread_count
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads them (nothing memoised on the object)."""
    return User.objects.get(pk=user.pk)


def badge(user):
    return unread_count(user=fresh(user))


def test_the_count_is_read_once_and_then_from_the_cache(canterbury_team, django_assert_num_queries):
    worker = member(UserFactory(), canterbury_team, roles.PRACTITIONER).user
    services.notify_team(team=canterbury_team, kind="x", key="k-1", title="One")
    assert badge(worker) == 1
    again = fresh(worker)
    with django_assert_num_queries(0):
        assert unread_count(user=again) == 1


def test_every_change_to_an_inbox_moves_the_count(canterbury_team, thanet_team, canterbury):
    worker, colleague = (member(UserFactory(), canterbury_team, roles.PRACTITIONER).user for _ in range(2))
    manager = member(UserFactory(), canterbury_team, roles.TEAM_MANAGER).user
    outsider = member(UserFactory(), thanet_team, roles.PRACTITIONER).user
    assert [badge(u) for u in (worker, colleague, manager, outsider)] == [0, 0, 0, 0]

    services.notify(recipients=[worker], kind="x", key="mine", title="Yours")
    services.notify_team(team=canterbury_team, kind="x", key="team", title="The team's")
    assert [badge(u) for u in (worker, colleague, manager, outsider)] == [2, 1, 1, 0]

    services.notify_holders(permission="care.sign_off_assessment", locality=canterbury, kind="x", key="place",
                            title="Sign off")
    services.notify_many([([colleague.pk], "x", "many", "Scheduled", "")])
    assert [badge(u) for u in (worker, colleague, manager)] == [2, 2, 2]

    services.notifications_send([Notification(team=canterbury_team, kind="x", key="sent", title="A job's")])
    assert [badge(u) for u in (worker, colleague, manager)] == [3, 3, 3]

    services.notification_mark_read(user=fresh(worker), notification_id=Notification.objects.get(key="team").pk)
    assert [badge(u) for u in (worker, colleague)] == [2, 3]
    services.notifications_mark_all_read(user=fresh(colleague))
    assert [badge(u) for u in (worker, colleague, manager)] == [2, 0, 3]

    services.notifications_resolve(key="sent")
    services.notifications_resolve(key="place")
    assert [badge(u) for u in (worker, manager)] == [1, 1]

    newcomer = UserFactory()
    assert badge(newcomer) == 0
    member(newcomer, canterbury_team, roles.PRACTITIONER)  # joining a team: its notifications are theirs
    assert badge(newcomer) == 1

    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=120))
    services.notifications_archive()
    assert [badge(u) for u in (worker, newcomer)] == [1, 0]  # the team's left every inbox; "mine" is unread


def test_the_count_moves_again_when_the_change_commits(canterbury_team, django_capture_on_commit_callbacks):
    """A request that counted between the change and its commit saw the old rows: the bump after the
    commit makes the next page count again."""
    from ascm.accounts.access_cache import access_generation
    from ascm.notifications.versions import cached_count, inbox_key
    from ascm.organisation.selectors import user_locality_ids, user_team_ids

    worker = member(UserFactory(), canterbury_team, roles.PRACTITIONER).user
    assert badge(worker) == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify_team(team=canterbury_team, kind="x", key="k", title="Routed")
        other_request = fresh(worker)  # counts before the commit, so it sees no notification yet
        key = inbox_key(other_request, generation=access_generation(other_request), teams=user_team_ids(other_request),
                        localities=user_locality_ids(other_request))
        cached_count(key, lambda: 0)
        assert badge(worker) == 0
    assert callbacks  # the commit ran them
    assert badge(worker) == 1
