"""Default response targets and routing rules (administrators change them).

Frozen: the values are copied here as they were when this migration was written, so that changing
pathways/defaults.py later never changes what this migration did (migrations import no live code)."""

from django.db import migrations

RESPONSE_TARGET_HOURS = {"urgent": 24, "soon": 72, "routine": 28 * 24}
ROUTING_RULES = [
    # position, name, min_age, max_age, required flags, sources, urgencies, team type, pathway
    (1, "Young person with a learning disability or autism", None, 25, ["learning_disability_or_autism"], [], [],
     "lifespan_0_25", "lifespan_0_25"),
    (2, "Adult with a learning disability or autism", 26, None, ["learning_disability_or_autism"], [], [],
     "lifespan_26_plus", "lifespan_26_plus"),
    (3, "Mental health", None, None, ["mental_health"], [], [], "community_mental_health", "community_mental_health"),
    (4, "Hospital discharge, older person", 65, None, ["hospital_discharge"], [], [],
     "promoting_independence", "promoting_independence"),
    (5, "Hospital discharge, younger adult", 18, 64, ["hospital_discharge"], [], [],
     "integrated_discharge", "promoting_independence"),
    (6, "Sensory loss", None, None, ["sensory_loss"], [], [], "autism_and_sensory", "autism_and_sensory"),
    (7, "Self-referral for low-level support", None, None, [], ["self"], ["routine"],
     "integrated_triage", "promoting_wellbeing"),
]


def forward(apps, schema_editor):
    ResponseTarget = apps.get_model("pathways", "ResponseTarget")
    RoutingRule = apps.get_model("pathways", "RoutingRule")
    for urgency, hours in RESPONSE_TARGET_HOURS.items():
        ResponseTarget.objects.get_or_create(urgency=urgency, defaults={"hours": hours})
    if RoutingRule.objects.exists():
        return
    for position, name, min_age, max_age, flags, sources, urgencies, team_type, pathway in ROUTING_RULES:
        RoutingRule.objects.create(
            position=position, name=name, min_age=min_age, max_age=max_age, required_flags=flags,
            sources=sources, urgencies=urgencies, target_team_type=team_type, target_pathway=pathway,
        )


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
