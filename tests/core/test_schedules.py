"""Daily jobs run at set times and the schedule is kept in the database, so a redeploy neither
restarts their countdown nor loses when they last ran."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("entry, hour, minute", [("daily-reminders", 6, 30), ("mdt-series", 2, 15)])
def test_daily_jobs_are_due_at_their_hour_whenever_beat_was_started(entry, hour, minute):
    schedule = settings.CELERY_BEAT_SCHEDULE[entry]["schedule"]
    assert isinstance(schedule, crontab)
    yesterday_run = datetime.datetime(2026, 11, 30, hour, minute, tzinfo=LONDON)
    schedule.nowfun = lambda: datetime.datetime(2026, 12, 1, hour, minute - 1 if minute else 0, tzinfo=LONDON)
    assert not schedule.is_due(yesterday_run).is_due  # not before its time
    schedule.nowfun = lambda: datetime.datetime(2026, 12, 1, hour, minute, 30, tzinfo=LONDON)
    assert schedule.is_due(yesterday_run).is_due  # due at its time, however recently beat restarted


@pytest.mark.django_db
def test_the_schedule_is_kept_in_the_database_for_administrators():
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    from ascm.celery import app

    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():  # what beat does with them when it starts
        ModelEntry.from_entry(name, app=app, **entry)
    reminders = PeriodicTask.objects.get(name="daily-reminders")
    assert reminders.task == "pathways.care.tasks.daily_reminders_task"
    assert (reminders.crontab.hour, reminders.crontab.minute) == ("6", "30")
