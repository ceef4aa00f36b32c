"""The morning DToC job at 07:30 London time (administrators change it from there) and the council's
starting escalation rules, which administrators change on the alert rules page."""

import datetime

from django.db import migrations

RULES = [("Delayed: the worker and team", 1, "worker"), ("Delayed: the team", 1, "team"),
         ("Delayed 3 days: the team manager", 3, "team_manager"),
         ("Delayed 7 days: the locality's head of service", 7, "locality")]


def forwards(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    Rule = apps.get_model("discharge", "AlertRule")
    if not Task.objects.filter(name="dtoc-morning-alerts").exists():
        crontab, _ = Crontab.objects.get_or_create(minute="30", hour="7", day_of_week="*", day_of_month="*",
                                                   month_of_year="*", timezone="Europe/London")
        Task.objects.create(name="dtoc-morning-alerts", task="pathways.discharge.tasks.dtoc_morning_task", crontab=crontab)
    if not Rule.objects.exists():
        Rule.objects.bulk_create([Rule(name=n, delayed_days=d, recipient=r, effective_from=datetime.date(2026, 1, 1))
                                  for n, d, r in RULES])


class Migration(migrations.Migration):
    dependencies = [("discharge", "0001_hospital_discharge"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
