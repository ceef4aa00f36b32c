"""A notification to a team is one row, read by each member in their own time; a done task is read
for everyone; old read notifications leave the inbox and are kept."""

import datetime

import pytest
from django.utils import timezone

from ascm.accounts import roles
from ascm.notifications import services
from ascm.notifications.models import Notification
from ascm.notifications.selectors import notifications_for, unread_count
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_of_three(canterbury_team):
    return [member(UserFactory(), canterbury_team, roles.PRACTITIONER).user for _ in range(3)]


def test_a_team_is_told_in_one_row_and_each_member_reads_it_themselves(canterbury_team, team_of_three, client):
    first, second, third = team_of_three
    assert services.notify_team(team=canterbury_team, kind="referral_routed", key="r-1", title="Routed", url="/work/") == 1
    assert services.notify_team(team=canterbury_team, kind="referral_routed", key="r-1", title="Routed") == 0  # once
    assert Notification.objects.count() == 1
    assert [unread_count(user=u) for u in team_of_three] == [1, 1, 1]
    client.force_login(first)
    note = Notification.objects.get()
    assert client.get(f"/notifications/{note.pk}/")["Location"] == "/work/"  # opening it reads it, for them
    assert [unread_count(user=u) for u in team_of_three] == [0, 1, 1]
    services.notifications_mark_all_read(user=second)
    assert [unread_count(user=u) for u in team_of_three] == [0, 0, 1]
    assert "to your team" in client.get("/notifications/").content.decode()


def test_a_resolved_team_task_is_read_for_everyone(canterbury_team, team_of_three):
    services.notify_team(team=canterbury_team, kind="x", key="task-9", title="Do this")
    services.notifications_resolve(key="task-9")
    assert [unread_count(user=u) for u in team_of_three] == [0, 0, 0]


def test_someone_outside_the_team_never_sees_its_notifications(canterbury_team, team_of_three, thanet_practitioner, api):
    services.notify_team(team=canterbury_team, kind="x", key="k", title="Private to the team")
    assert notifications_for(user=thanet_practitioner).count() == 0
    note = Notification.objects.get()
    api.force_authenticate(thanet_practitioner)
    assert api.post(f"/api/v1/notifications/{note.pk}/read/").json()["marked"] == 0
    api.force_authenticate(team_of_three[0])
    inbox = api.get("/api/v1/notifications/?read_at__isnull=true").json()
    assert inbox["count"] == 1 and inbox["results"][0]["team"] == canterbury_team.pk


def test_old_read_notifications_are_archived_not_deleted(canterbury_team, team_of_three, practitioner):
    services.notify(recipients=[practitioner], kind="x", key="old-read", title="Old")
    services.notify(recipients=[practitioner], kind="x", key="old-unread", title="Old, unread")
    services.notify_team(team=canterbury_team, kind="x", key="old-team", title="Old team")
    Notification.objects.filter(key="old-read").update(read_at=timezone.now())
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=120))
    assert services.notifications_archive() == 2  # the read one and the team's
    assert services.notifications_archive() == 0  # run again: nothing more
    assert [n.key for n in notifications_for(user=practitioner)] == ["old-unread"]
    assert Notification.objects.count() == 3  # kept
