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


def test_holders_of_a_permission_in_a_team_are_told_in_one_row(canterbury_team, thanet_team, canterbury, team_of_three):
    """"Whoever signs off in this team": found by permission, not role name; never the actor."""
    managers = [member(UserFactory(), canterbury_team, roles.TEAM_MANAGER).user for _ in range(3)]
    elsewhere = member(UserFactory(), thanet_team, roles.TEAM_MANAGER).user
    author = managers[0]
    sent = services.notify_holders(permission="care.sign_off_assessment", team=canterbury_team, actor=author,
                                   kind="signoff_requested", key="a-1", title="Sign this off", url="/work/")
    assert sent == 1 and Notification.objects.count() == 1
    assert services.notify_holders(permission="care.sign_off_assessment", team=canterbury_team, kind="signoff_requested",
                                   key="a-1", title="Sign this off") == 0  # once per occurrence
    assert [unread_count(user=u) for u in managers] == [0, 1, 1]  # not the author
    assert [unread_count(user=u) for u in team_of_three] == [0, 0, 0]  # practitioners do not sign off
    assert unread_count(user=elsewhere) == 0
    services.notification_mark_read(user=managers[1], notification_id=Notification.objects.get().pk)
    assert [unread_count(user=u) for u in managers] == [0, 0, 1]
    services.notifications_resolve(key="a-1")
    assert unread_count(user=managers[2]) == 0


def test_holders_in_a_locality_are_told_whichever_of_its_teams_they_are_in(canterbury_team, canterbury, thanet,
                                                                           thanet_team):
    from tests.factories import TeamFactory

    second_team = TeamFactory(locality=canterbury, name="Canterbury Supporting Independence (test)")
    here = member(UserFactory(), second_team, roles.TEAM_MANAGER).user
    there = member(UserFactory(), thanet_team, roles.TEAM_MANAGER).user
    practitioner = member(UserFactory(), second_team, roles.PRACTITIONER).user
    services.notify_holders(permission="referrals.allocate_referral", locality=canterbury, kind="x", key="l-1",
                            title="Someone in Canterbury should allocate this")
    assert (unread_count(user=here), unread_count(user=there), unread_count(user=practitioner)) == (1, 0, 0)
    with pytest.raises(ValueError):
        services.notify_holders(permission="referrals.allocate_referral", kind="x", key="l-2", title="Nowhere")
