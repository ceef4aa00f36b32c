"""Default response targets and routing rules. Administrators change them; these only fill an
empty table (used by the initial data migration, the demo and the tests)."""

from django.apps import apps as global_apps

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


def routing_defaults_ensure(apps=global_apps) -> None:
    ResponseTarget = apps.get_model("referrals", "ResponseTarget")
    RoutingRule = apps.get_model("referrals", "RoutingRule")
    for urgency, hours in RESPONSE_TARGET_HOURS.items():
        ResponseTarget.objects.get_or_create(urgency=urgency, defaults={"hours": hours})
    if RoutingRule.objects.exists():
        return
    for position, name, min_age, max_age, flags, sources, urgencies, team_type, pathway in ROUTING_RULES:
        RoutingRule.objects.create(
            position=position, name=name, min_age=min_age, max_age=max_age, required_flags=flags,
            sources=sources, urgencies=urgencies, target_team_type=team_type, target_pathway=pathway,
        )
