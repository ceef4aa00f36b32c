"""Routing rules in GOV.UK pages: choices to tick, moving a rule up or down, the tester beside the
list, and a warning for a rule that can never apply because an earlier one takes all its referrals."""

import pytest

from ascm.organisation.models import TeamType
from pathways.referrals import services
from pathways.referrals.defaults import routing_defaults_ensure
from pathways.referrals.models import RoutingRule
from pathways.referrals.routing import rule_covers, rules_unreachable
from tests.conftest import as_user
from tests.factories import LocalityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def R(pk, **fields):  # noqa: N802 - a rule in a table of cases
    base = {"position": pk * 10, "name": f"r{pk}", "is_active": True, "min_age": None, "max_age": None,
            "primary_support_reasons": [], "required_flags": [], "sources": [], "urgencies": [],
            "target_team_type": "integrated_triage", "target_pathway": "promoting_wellbeing"}
    return RoutingRule(pk=pk, **{**base, **fields})


@pytest.mark.parametrize("earlier,later,covers", [
    (R(1), R(2, required_flags=["sensory_loss"]), True),                                  # any referral takes all
    (R(1, required_flags=["sensory_loss"]), R(2), False),
    (R(1, required_flags=["sensory_loss"]), R(2, required_flags=["sensory_loss", "mental_health"]), True),
    (R(1, max_age=25), R(2, min_age=18, max_age=25), True),
    (R(1, max_age=25), R(2, min_age=18), False),                                          # 26+ still reach rule 2
    (R(1, min_age=18), R(2, max_age=25), False),                                          # under 18s, unknown ages
    (R(1, sources=["gp", "self"]), R(2, sources=["gp"]), True),
    (R(1, sources=["gp"]), R(2, sources=["gp", "self"]), False),
    (R(1, sources=["gp"]), R(2), False),
    (R(1, urgencies=["urgent"]), R(2, urgencies=["urgent"], primary_support_reasons=["mental_health"]), True),
])
def test_an_earlier_rule_covers_a_later_one_only_when_it_matches_all_it_would(earlier, later, covers):
    assert rule_covers(earlier, later, set(), set()) is covers


def test_localities_and_switched_off_rules_in_the_unreachable_check():
    wide, narrow, off = R(1, sources=["gp"]), R(2, sources=["gp"]), R(3, is_active=False)
    assert rules_unreachable([wide, narrow], {1: {7}, 2: {8}}) == {}                      # other places
    assert rules_unreachable([wide, narrow], {1: set(), 2: {8}}) == {2: wide}             # everywhere covers a place
    assert rules_unreachable([R(1, is_active=False), narrow], {}) == {}                   # an off rule takes nothing
    assert rules_unreachable([wide, off], {}) == {}


def test_administrator_adds_a_rule_moves_it_and_is_warned_it_could_never_apply(client, administrator,
                                                                                django_assert_max_num_queries):
    routing_defaults_ensure()
    canterbury = LocalityFactory(name="Canterbury")
    TeamFactory(team_type=TeamType.AUTISM_AND_SENSORY, locality=canterbury)
    client.force_login(administrator)
    bad = client.post("/referrals/rules/new/", {"name": "Deafblind adults", "min_age": "eighteen",
                                                "required_flags": ["sensory_loss"]})
    content = bad.content.decode()
    assert bad.status_code == 400 and "Choose the team type it goes to" in content
    assert "Enter the youngest age as a whole number" in content and 'value="Deafblind adults"' in content
    assert 'value="sensory_loss" checked' in content
    ages = client.post("/referrals/rules/new/", {"name": "Backwards", "min_age": "30", "max_age": "20",
                                                 "target_team_type": "autism_and_sensory",
                                                 "target_pathway": "autism_and_sensory"})
    assert "The maximum age must be at least the minimum age" in ages.content.decode()
    response = client.post("/referrals/rules/new/", {
        "name": "Deafblind adults", "min_age": "18", "required_flags": ["sensory_loss"], "is_active": "on",
        "target_team_type": "autism_and_sensory", "target_pathway": "autism_and_sensory"})
    rule = RoutingRule.objects.get(name="Deafblind adults")
    assert response.status_code == 302 and rule.position == RoutingRule.objects.order_by("-position")[0].position
    # A catch-all for sensory loss above it would take all its referrals.
    services.routing_rule_save(name="All sensory loss", required_flags=["sensory_loss"], is_active=True,
                               target_team_type="autism_and_sensory", target_pathway="autism_and_sensory", position=1)
    client.get("/referrals/rules/")
    with django_assert_max_num_queries(10):
        page = client.get("/referrals/rules/").content.decode()
    assert "This rule can never apply: rule ‘All sensory loss’ comes first" in page
    catch_all = RoutingRule.objects.get(name="All sensory loss")
    for _ in range(RoutingRule.objects.count()):
        assert client.post(f"/referrals/rules/{catch_all.pk}/move/down/").status_code == 302
    order = list(RoutingRule.objects.order_by("position").values_list("name", flat=True))
    assert order[-1] == "All sensory loss" and order.index("Deafblind adults") < order.index("All sensory loss")
    assert "can never apply: rule ‘All sensory loss’" not in client.get("/referrals/rules/").content.decode()


def test_the_tester_beside_the_rules_says_where_a_sample_goes(client, administrator, practitioner):
    routing_defaults_ensure()
    locality = LocalityFactory(name="Canterbury")
    lifespan = TeamFactory(team_type=TeamType.LIFESPAN_0_25, locality=locality, name="Canterbury Lifespan")
    client.force_login(administrator)
    page = client.get("/referrals/rules/", {"age": "19", "primary_support_reason": "learning_disability",
                                            "flags": ["learning_disability_or_autism"], "source": "gp",
                                            "urgency": "soon", "locality": locality.pk}).content.decode()
    assert lifespan.name in page and "learning disability or autism and age up to 25" in page
    missing = client.get("/referrals/rules/", {"age": "x", "locality": ""}).content.decode()
    assert "Choose the locality the person lives in" in missing and "Enter the age as a whole number" in missing
    client.force_login(practitioner)  # practitioners read the rules; they change nothing
    read = client.get("/referrals/rules/")
    assert read.status_code == 200 and "Add a rule" not in read.content.decode()
    assert client.get("/referrals/rules/new/").status_code == 403
    first = RoutingRule.objects.order_by("position").first()
    assert client.post(f"/referrals/rules/{first.pk}/move/down/").status_code == 403


def test_api_reorders_the_rules_and_refuses_a_partial_order(api, administrator, practitioner):
    routing_defaults_ensure()
    ids = list(RoutingRule.objects.order_by("position").values_list("pk", flat=True))
    admin = as_user(api, administrator)
    partial = admin.post("/api/v1/routing-rules/reorder/", {"order": ids[1:]}, format="json")
    assert partial.status_code == 400 and "order" in partial.json()["errors"]
    done = admin.post("/api/v1/routing-rules/reorder/", {"order": list(reversed(ids))}, format="json")
    assert done.status_code == 200 and [r["id"] for r in done.json()] == list(reversed(ids))
    assert as_user(api, practitioner).post("/api/v1/routing-rules/reorder/", {"order": ids},
                                           format="json").status_code == 403
