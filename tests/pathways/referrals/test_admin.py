import pytest

from ascm.organisation.models import TeamType
from pathways.referrals.defaults import routing_defaults_ensure
from pathways.referrals.models import RoutingRule
from tests.factories import LocalityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_administrator_tests_a_sample_referral_against_the_rules(client, administrator):
    routing_defaults_ensure()
    locality = LocalityFactory(name="Canterbury")
    client.force_login(administrator)
    response = client.post("/admin/referrals/routingrule/test/", {
        "age": 19, "primary_support_reason": "learning_disability", "flags": ["learning_disability_or_autism"],
        "source": "gp", "urgency": "soon", "locality": locality.pk})
    assert "Rule 1: learning disability or autism and age up to 25 → Lifespan 0–25" in response.content.decode()


def test_saving_a_rule_warns_about_localities_without_its_team_type(client, administrator):
    canterbury, dover = LocalityFactory(name="Canterbury"), LocalityFactory(name="Dover")
    TeamFactory(team_type=TeamType.AUTISM_AND_SENSORY, locality=canterbury)
    client.force_login(administrator)
    response = client.post("/admin/referrals/routingrule/add/", {
        "position": 20, "name": "Deafblind", "is_active": "on", "required_flags": ["sensory_loss"],
        "localities": [canterbury.pk, dover.pk], "target_team_type": "autism_and_sensory",
        "target_pathway": "autism_and_sensory"}, follow=True)
    assert RoutingRule.objects.filter(name="Deafblind").exists()
    assert "Dover has no Autism and Sensory team" in response.content.decode()


def test_a_rule_without_a_target_is_refused(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/referrals/routingrule/add/", {
        "position": 21, "name": "Nowhere"})
    assert response.status_code == 200 and not RoutingRule.objects.filter(name="Nowhere").exists()


def test_rule_conditions_are_ticked_from_choices_and_saved_as_codes(client, administrator):
    client.force_login(administrator)
    form = client.get("/admin/referrals/routingrule/add/").content.decode()
    assert 'type="checkbox" name="sources" value="gp"' in form and "Hospital discharge" in form
    client.post("/admin/referrals/routingrule/add/", {
        "position": 30, "name": "GP urgent", "is_active": "on", "sources": ["gp"], "urgencies": ["urgent"],
        "primary_support_reasons": ["mental_health"], "target_team_type": "community_mental_health",
        "target_pathway": "community_mental_health"})
    rule = RoutingRule.objects.get(name="GP urgent")
    assert rule.sources == ["gp"] and rule.urgencies == ["urgent"] and rule.primary_support_reasons == ["mental_health"]


def test_the_sample_test_applies_the_triage_fallback_and_shows_labels(client, administrator):
    routing_defaults_ensure()
    dover = LocalityFactory(name="Dover")
    triage = TeamFactory(name="Dover Integrated Triage", team_type=TeamType.INTEGRATED_TRIAGE, locality=dover)
    client.force_login(administrator)
    page = client.post("/admin/referrals/routingrule/test/", {
        "age": 82, "primary_support_reason": "physical_personal_care", "flags": ["hospital_discharge"],
        "source": "hospital", "urgency": "urgent", "locality": dover.pk}).content.decode()
    assert "Dover has no Promoting Independence (enablement) team, so → Integrated Triage" in page  # as routing does
    assert triage.name in page and "Promoting Independence" in page and "promoting_independence" not in page
