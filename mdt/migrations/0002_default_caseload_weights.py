from django.db import migrations

# A person on ongoing or complex support counts more than one receiving advice; administrators
# change these in the admin (Caseload weights).
DEFAULT_WEIGHTS = {
    "default": "1.00",
    "promoting_wellbeing": "0.50",
    "promoting_independence": "1.00",
    "supporting_independence": "1.50",
    "lifespan_0_25": "2.00",
    "lifespan_26_plus": "2.00",
    "community_mental_health": "1.50",
    "autism_and_sensory": "1.50",
}


def add_weights(apps, schema_editor):
    CaseloadWeight = apps.get_model("mdt", "CaseloadWeight")
    for pathway, weight in DEFAULT_WEIGHTS.items():
        CaseloadWeight.objects.get_or_create(pathway=pathway, defaults={"weight": weight})


class Migration(migrations.Migration):
    dependencies = [("mdt", "0001_initial")]
    operations = [migrations.RunPython(add_weights, migrations.RunPython.noop)]
