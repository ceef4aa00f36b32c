"""The personal budget moves from the support plan to finance: each plan's amount becomes the agreed
amount of a PersonalBudget (before care drops the column)."""

from django.db import migrations


def forwards(apps, schema_editor):
    SupportPlan = apps.get_model("care", "SupportPlan")
    PersonalBudget = apps.get_model("finance", "PersonalBudget")
    rows = []
    for plan in SupportPlan.objects.filter(personal_budget__isnull=False).values("pk", "client_id", "assessment_id",
                                                                                 "personal_budget", "author_id",
                                                                                 "starts_on"):
        rows.append(PersonalBudget(plan_id=plan["pk"], client_id=plan["client_id"], assessment_id=plan["assessment_id"],
                                   agreed_weekly=plan["personal_budget"], agreed_by_id=plan["author_id"],
                                   agreed_on=plan["starts_on"]))
    PersonalBudget.objects.bulk_create(rows, batch_size=1000)


def backwards(apps, schema_editor):
    SupportPlan = apps.get_model("care", "SupportPlan")
    PersonalBudget = apps.get_model("finance", "PersonalBudget")
    for budget in PersonalBudget.objects.filter(agreed_weekly__isnull=False):
        SupportPlan.objects.filter(pk=budget.plan_id).update(personal_budget=budget.agreed_weekly)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial"), ("care", "0002_initial")]
    run_before = [("care", "0003_remove_supportplan_personal_budget")]

    operations = [migrations.RunPython(forwards, backwards)]
