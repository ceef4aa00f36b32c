import pytest

from ascm.organisation.models import TeamType
from pathways.defaults import routing_defaults_ensure
from pathways.models import RoutingRule
from tests.factories import LocalityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_administrator_tests_a_sample_referral_against_the_rules(client, administrator):
    routing_defaults_ensure()
    locality = LocalityFactory(name="Canterbury")
    client.force_login(administrator)
    response = client.post("/admin/pathways/routingrule/test/", {
        "age": 19, "primary_support_reason": "learning_disability", "flags": ["learning_disability_or_autism"],
        "source": "gp", "urgency": "soon", "locality": locality.pk})
    assert "Rule 1: learning disability or autism and age up to 25 → Lifespan 0–25" in response.content.decode()


def test_saving_a_rule_warns_about_localities_without_its_team_type(client, administrator):
    canterbury, dover = LocalityFactory(name="Canterbury"), LocalityFactory(name="Dover")
    TeamFactory(team_type=TeamType.AUTISM_AND_SENSORY, locality=canterbury)
    client.force_login(administrator)
    response = client.post("/admin/pathways/routingrule/add/", {
        "position": 20, "name": "Deafblind", "is_active": "on", "primary_support_reasons": "[]",
        "required_flags": '["sensory_loss"]', "sources": "[]", "urgencies": "[]",
        "localities": [canterbury.pk, dover.pk], "target_team_type": "autism_and_sensory",
        "target_pathway": "autism_and_sensory"}, follow=True)
    assert RoutingRule.objects.filter(name="Deafblind").exists()
    assert "Dover has no Autism and Sensory team" in response.content.decode()


def test_a_rule_without_a_target_is_refused(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/pathways/routingrule/add/", {
        "position": 21, "name": "Nowhere", "primary_support_reasons": "[]", "required_flags": "[]",
        "sources": "[]", "urgencies": "[]"})
    assert response.status_code == 200 and not RoutingRule.objects.filter(name="Nowhere").exists()
