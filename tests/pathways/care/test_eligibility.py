"""The eligibility determination, table-driven (Care and Support (Eligibility Criteria) Regulations 2015)."""

import pytest

from pathways.care.eligibility import adult_eligibility, carer_eligibility

TWO = {"nutrition": "needs_assistance", "personal_hygiene": "endangers_safety"}
ONE = {"nutrition": "pain_distress_anxiety"}


@pytest.mark.parametrize(
    "impairment, unable, impact, eligible, failing",
    [
        (True, TWO, True, True, None),
        (True, ONE, True, False, "reg. 2(1)(b)"),
        (True, {}, True, False, "reg. 2(1)(b)"),
        (True, TWO, False, False, "reg. 2(1)(c)"),
        (False, TWO, True, False, "reg. 2(1)(a)"),
        (True, {**TWO, "clothing": "takes_significantly_longer"}, True, True, None),
    ],
    ids=["eligible", "fewer-than-two-outcomes", "no-outcomes", "no-significant-impact", "not-from-impairment", "three"],
)
def test_adult_eligibility_needs_all_three_conditions(impairment, unable, impact, eligible, failing):
    result = adult_eligibility(arises_from_impairment=impairment, unable=unable, significant_impact_on_wellbeing=impact)
    assert result.eligible is eligible
    not_met = [line for line in result.reasoning if line.startswith("Not met")]
    assert (not_met == []) if eligible else any(failing in line for line in not_met)


@pytest.mark.parametrize(
    "from_caring, health, unable, impact, eligible",
    [
        (True, False, {"recreation": "needs_assistance"}, True, True),   # any one outcome is enough for a carer
        (True, True, {}, True, True),                                     # or health at risk
        (True, False, {}, True, False),                                   # neither
        (True, True, {}, False, False),                                   # no significant impact
        (False, True, {"recreation": "needs_assistance"}, True, False),  # not from caring
    ],
    ids=["one-outcome", "health-at-risk", "neither", "no-impact", "not-from-caring"],
)
def test_carer_eligibility(from_caring, health, unable, impact, eligible):
    result = carer_eligibility(arises_from_caring=from_caring, health_deteriorating_or_at_risk=health, unable=unable,
                               significant_impact_on_wellbeing=impact)
    assert result.eligible is eligible
    assert len(result.reasoning) == 3


def test_the_reasoning_names_the_outcomes():
    result = adult_eligibility(arises_from_impairment=True, unable=TWO, significant_impact_on_wellbeing=True)
    assert "Managing and maintaining nutrition; Maintaining personal hygiene" in result.reasoning[1]


def test_unknown_outcomes_are_refused():
    with pytest.raises(ValueError):
        adult_eligibility(arises_from_impairment=True, unable={"flying": "needs_assistance"}, significant_impact_on_wellbeing=True)
