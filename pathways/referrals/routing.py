"""Deciding where a referral goes. Pure functions over the referral and the ordered rules, so the
decision can be tested table-driven and explained to the person reading the referral."""

from dataclasses import dataclass

from ascm.organisation.models import TeamType

from .models import Pathway, Referral, RoutingRule


@dataclass(frozen=True)
class Decision:
    team_type: str
    pathway: str
    rule: RoutingRule | None
    reason: str


def _conditions(rule: RoutingRule) -> list[str]:
    words = []
    if rule.required_flags:
        from .models import FLAGS

        words.append(" and ".join(FLAGS[f].lower() for f in rule.required_flags))
    if rule.min_age is not None and rule.max_age is not None:
        words.append(f"age {rule.min_age}–{rule.max_age}")
    elif rule.min_age is not None:
        words.append(f"age {rule.min_age}+")
    elif rule.max_age is not None:
        words.append(f"age up to {rule.max_age}")
    if rule.primary_support_reasons:
        from clients.reference import PrimarySupportReason

        words.append("primary support reason " + " or ".join(_label(PrimarySupportReason, c) for c in rule.primary_support_reasons))
    if rule.sources:
        from .models import ReferralSource

        words.append("from " + " or ".join(_label(ReferralSource, c) for c in rule.sources))
    if rule.urgencies:
        from .models import Urgency

        words.append(" or ".join(_label(Urgency, c) for c in rule.urgencies))
    return words


def _label(choices, code: str) -> str:
    """The words people read for a code (a code no longer in the list is shown as it is)."""
    return str(dict(choices.choices).get(code, code)).lower()


def rule_matches(rule: RoutingRule, referral: Referral, *, locality_ids: set[int] | None = None) -> bool:
    """Every condition the rule gives must hold; an empty condition holds for everyone."""
    age = referral.client.age()
    if rule.min_age is not None and (age is None or age < rule.min_age):
        return False
    if rule.max_age is not None and (age is None or age > rule.max_age):
        return False
    if rule.primary_support_reasons and referral.client.primary_support_reason not in rule.primary_support_reasons:
        return False
    if not set(rule.required_flags or []) <= referral.flags:
        return False
    if rule.sources and referral.source not in rule.sources:
        return False
    if rule.urgencies and referral.urgency not in rule.urgencies:
        return False
    if locality_ids and referral.locality_id not in locality_ids:
        return False
    return True


def routing_decide(referral: Referral, rules: list[RoutingRule], rule_localities: dict[int, set[int]]) -> Decision:
    """The first active rule that matches decides; with none, the locality's Integrated Triage team."""
    for rule in rules:
        if rule.is_active and rule_matches(rule, referral, locality_ids=rule_localities.get(rule.pk)):
            why = " and ".join(_conditions(rule)) or "any referral"
            reason = f"Rule {rule.position}: {why} → {Pathway(rule.target_pathway).label}"
            return Decision(rule.target_team_type, rule.target_pathway, rule, reason)
    return Decision(TeamType.INTEGRATED_TRIAGE, "", None, "No rule matched → Integrated Triage")


def localities_missing_team_type(team_type: str, locality_ids: set[int] | None = None) -> list[str]:
    """The localities a rule could route to that have no team of its target type (they fall back to triage)."""
    from ascm.organisation.models import Locality, Team

    localities = Locality.objects.current()
    if locality_ids:
        localities = localities.filter(pk__in=locality_ids)
    having = set(Team.objects.current().filter(team_type=team_type).values_list("locality_id", flat=True))
    return [loc.name for loc in localities.order_by("name") if loc.pk not in having]


def _covers_choice(earlier: list, later: list) -> bool:
    """ "Any of" lists: empty means anything, so the earlier covers the later if it is empty or holds all of it."""
    return not earlier or (bool(later) and set(later) <= set(earlier))


def rule_covers(earlier: RoutingRule, later: RoutingRule, earlier_localities: set[int], later_localities: set[int]) -> bool:
    """Every referral `later` matches, `earlier` matches too (so, coming first, it takes them all)."""
    if earlier.min_age is not None and (later.min_age is None or later.min_age < earlier.min_age):
        return False
    if earlier.max_age is not None and (later.max_age is None or later.max_age > earlier.max_age):
        return False
    if not set(earlier.required_flags or []) <= set(later.required_flags or []):
        return False
    return (_covers_choice(earlier.primary_support_reasons or [], later.primary_support_reasons or [])
            and _covers_choice(earlier.sources or [], later.sources or [])
            and _covers_choice(earlier.urgencies or [], later.urgencies or [])
            and _covers_choice(sorted(earlier_localities), sorted(later_localities)))


def rules_unreachable(rules: list[RoutingRule], rule_localities: dict[int, set[int]]) -> dict[int, RoutingRule]:
    """The active rules that can never apply, each with the earlier active rule that takes all their
    referrals (rules in their order)."""
    found, earlier = {}, []
    for rule in rules:
        if not rule.is_active:
            continue
        mine = rule_localities.get(rule.pk, set())
        blocker = next((e for e in earlier if rule_covers(e, rule, rule_localities.get(e.pk, set()), mine)), None)
        if blocker is not None:
            found[rule.pk] = blocker
        earlier.append(rule)
    return found


def rule_conditions_words(rule: RoutingRule, locality_names: list[str]) -> str:
    words = _conditions(rule) + ([f"in {' or '.join(locality_names)}"] if locality_names else [])
    return " and ".join(words) or "any referral"
