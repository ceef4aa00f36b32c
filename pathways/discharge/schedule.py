"""The morning DToC job's time, which administrators see and change. It lives in django-celery-beat's
tables (not in settings, which beat would write back over the change at every start)."""

from django import forms
from django.core.exceptions import PermissionDenied

from ascm.core.forms import GovukFormMixin

from .permissions import alert_rule_policy

MORNING_TASK = "dtoc-morning-alerts"
DEFAULT_TIME = (7, 30)


def morning_task_ensure():
    """The morning job's entry, at 07:30 London time unless an administrator has changed it."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    task = PeriodicTask.objects.filter(name=MORNING_TASK).select_related("crontab").first()
    if task is None:
        hour, minute = DEFAULT_TIME
        crontab, _ = CrontabSchedule.objects.get_or_create(minute=str(minute), hour=str(hour), day_of_week="*",
                                                           day_of_month="*", month_of_year="*", timezone="Europe/London")
        task = PeriodicTask.objects.create(name=MORNING_TASK, task="pathways.discharge.tasks.dtoc_morning_task",
                                           crontab=crontab)
    return task


def morning_time() -> dict:
    crontab = morning_task_ensure().crontab
    return {"hour": int(crontab.hour), "minute": int(crontab.minute)}


def morning_time_set(*, user, hour: int, minute: int):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if not alert_rule_policy.user_may(user, "change"):
        raise PermissionDenied
    task = morning_task_ensure()
    crontab, _ = CrontabSchedule.objects.get_or_create(minute=str(minute), hour=str(hour), day_of_week="*",
                                                       day_of_month="*", month_of_year="*", timezone="Europe/London")
    task.crontab = crontab
    task.save()
    PeriodicTask.objects.filter(pk=task.pk).update(last_run_at=None)
    return task


class MorningTimeForm(GovukFormMixin, forms.Form):
    hour = forms.IntegerField(label="Hour (0 to 23)", min_value=0, max_value=23,
                              error_messages={"required": "Enter the hour, from 0 to 23", "min_value": "Enter the hour, from 0 to 23",
                                              "max_value": "Enter the hour, from 0 to 23"})
    minute = forms.IntegerField(label="Minute (0 to 59)", min_value=0, max_value=59,
                                error_messages={"required": "Enter the minute, from 0 to 59",
                                                "min_value": "Enter the minute, from 0 to 59",
                                                "max_value": "Enter the minute, from 0 to 59"})
