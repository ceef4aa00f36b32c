"""Care Act 2014 eligibility: the Care and Support (Eligibility Criteria) Regulations 2015.

Pure functions over the practitioner's answers, so the determination can be shown with its
reasoning and tested table-driven. The practitioner confirms it or records why they disagree."""

from dataclasses import dataclass, field

# Regulation 2(2): the specified outcomes for adults needing care.
ADULT_OUTCOMES = {
    "nutrition": "Managing and maintaining nutrition",
    "personal_hygiene": "Maintaining personal hygiene",
    "toilet_needs": "Managing toilet needs",
    "clothing": "Being appropriately clothed",
    "home_safety": "Being able to make use of the home safely",
    "habitable_home": "Maintaining a habitable home environment",
    "relationships": "Developing and maintaining family or other personal relationships",
    "work_education_volunteering": "Accessing and engaging in work, training, education or volunteering",
    "community_facilities": "Making use of necessary facilities or services in the local community, including "
                            "public transport and recreational facilities or services",
    "caring_for_a_child": "Carrying out any caring responsibilities the adult has for a child",
}

# Regulation 3(2): the outcomes for carers.
CARER_OUTCOMES = {
    "caring_for_a_child": "Carrying out any caring responsibilities the carer has for a child",
    "caring_for_others": "Providing care to other persons for whom the carer provides care",
    "habitable_home": "Maintaining a habitable home environment in the carer's home",
    "nutrition": "Managing and maintaining nutrition",
    "relationships": "Developing and maintaining family or other personal relationships",
    "work_education_volunteering": "Engaging in work, training, education or volunteering",
    "community_facilities": "Making use of necessary facilities or services in the local community",
    "recreation": "Engaging in recreational activities",
}

# Regulation 2(3): what "unable to achieve" means.
UNABLE_REASONS = {
    "needs_assistance": "Unable to achieve it without assistance (including prompting)",
    "pain_distress_anxiety": "Able without assistance, but it causes significant pain, distress or anxiety",
    "endangers_safety": "Able without assistance, but it endangers or is likely to endanger the health or safety "
                        "of the adult or others",
    "takes_significantly_longer": "Able without assistance, but it takes significantly longer than would normally be expected",
}


@dataclass(frozen=True)
class Determination:
    eligible: bool
    reasoning: list[str] = field(default_factory=list)


def adult_eligibility(*, arises_from_impairment: bool, unable: dict[str, str],
                      significant_impact_on_wellbeing: bool) -> Determination:
    """Regulation 2(1): eligible when all three hold — (a) the needs arise from or are related to a
    physical or mental impairment or illness; (b) as a result the adult is unable to achieve two or
    more of the specified outcomes; (c) as a consequence there is, or is likely to be, a significant
    impact on the adult's wellbeing. `unable` maps outcome → reason (an UNABLE_REASONS key)."""
    unknown = [o for o in unable if o not in ADULT_OUTCOMES] + [r for r in unable.values() if r not in UNABLE_REASONS]
    if unknown:
        raise ValueError(f"Unknown outcomes or reasons: {', '.join(unknown)}")
    reasoning = []
    condition_a = arises_from_impairment
    reasoning.append(("Met" if condition_a else "Not met") + ": the needs arise from or are related to a physical or "
                     "mental impairment or illness (reg. 2(1)(a))")
    count = len(unable)
    condition_b = count >= 2
    listed = "; ".join(ADULT_OUTCOMES[o] for o in unable) or "none"
    reasoning.append(("Met" if condition_b else "Not met") + f": unable to achieve {count} of the specified outcomes "
                     f"(two or more are needed) — {listed} (reg. 2(1)(b))")
    condition_c = significant_impact_on_wellbeing
    reasoning.append(("Met" if condition_c else "Not met") + ": as a consequence there is, or is likely to be, a "
                     "significant impact on wellbeing (reg. 2(1)(c))")
    return Determination(condition_a and condition_b and condition_c, reasoning)


def carer_eligibility(*, arises_from_caring: bool, health_deteriorating_or_at_risk: bool, unable: dict[str, str],
                      significant_impact_on_wellbeing: bool) -> Determination:
    """Regulation 3(1): eligible when (a) the needs arise as a consequence of providing necessary care
    for an adult; and (b) the carer's physical or mental health is, or is at risk of, deteriorating,
    or the carer is unable to achieve ANY of the specified outcomes; and (c) as a consequence there is,
    or is likely to be, a significant impact on the carer's wellbeing."""
    unknown = [o for o in unable if o not in CARER_OUTCOMES] + [r for r in unable.values() if r not in UNABLE_REASONS]
    if unknown:
        raise ValueError(f"Unknown outcomes or reasons: {', '.join(unknown)}")
    reasoning = [("Met" if arises_from_caring else "Not met") + ": the needs arise as a consequence of providing "
                 "necessary care for an adult (reg. 3(1)(a))"]
    listed = "; ".join(CARER_OUTCOMES[o] for o in unable)
    condition_b = health_deteriorating_or_at_risk or bool(unable)
    why = []
    if health_deteriorating_or_at_risk:
        why.append("the carer's health is deteriorating or at risk of deteriorating")
    if unable:
        why.append(f"unable to achieve: {listed}")
    reasoning.append(("Met" if condition_b else "Not met") + ": " + (" and ".join(why) or
                     "the carer's health is not at risk and every outcome can be achieved") + " (reg. 3(1)(b))")
    reasoning.append(("Met" if significant_impact_on_wellbeing else "Not met") + ": as a consequence there is, or is "
                     "likely to be, a significant impact on the carer's wellbeing (reg. 3(1)(c))")
    return Determination(arises_from_caring and condition_b and significant_impact_on_wellbeing, reasoning)
