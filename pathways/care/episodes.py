"""Pathway episodes and the transitions between them (the operating model's pathways, 4.4 and 4.6).

An episode ends with an outcome that suits its pathway; some outcomes hand the person on to the next
pathway (the "→" in TRANSITIONS). Anything not listed is an illegal transition."""

from pathways.referrals.models import Pathway

TRANSITIONS: dict[str, dict[str, tuple[str, str | None]]] = {
    Pathway.PROMOTING_WELLBEING: {
        "information_and_advice": ("Information and advice given", None),
        "no_ongoing_support": ("No ongoing support needed", None),
        "short_term_support": ("Short-term support → Promoting Independence", Pathway.PROMOTING_INDEPENDENCE),
        "died": ("Died", None),
    },
    Pathway.PROMOTING_INDEPENDENCE: {
        "no_ongoing_support": ("No ongoing support", None),
        "reduced_support": ("Reduced support", None),
        "ongoing_long_term_support": ("Ongoing long-term support → Supporting Independence", Pathway.SUPPORTING_INDEPENDENCE),
        "admitted_to_hospital": ("Admitted to hospital", None),
        "died": ("Died", None),
    },
    Pathway.SUPPORTING_INDEPENDENCE: {
        "needs_met_otherwise": ("Needs met in other ways", None),
        "reablement": ("Reablement → Promoting Independence", Pathway.PROMOTING_INDEPENDENCE),
        "moved_away": ("Moved out of the area", None),
        "admitted_to_hospital": ("Admitted to hospital", None),
        "died": ("Died", None),
    },
    Pathway.LIFESPAN_0_25: {
        "transition_to_lifespan_26_plus": ("Transition to adult services → Lifespan 26+", Pathway.LIFESPAN_26_PLUS),
        "transition_to_supporting_independence": ("Transition to adult services → Supporting Independence",
                                                  Pathway.SUPPORTING_INDEPENDENCE),
        "no_ongoing_support": ("No ongoing support", None),
        "moved_away": ("Moved out of the area", None),
        "died": ("Died", None),
    },
    Pathway.LIFESPAN_26_PLUS: {
        "no_ongoing_support": ("No ongoing support", None),
        "moved_away": ("Moved out of the area", None),
        "died": ("Died", None),
    },
    Pathway.COMMUNITY_MENTAL_HEALTH: {
        "recovered": ("Recovery: no ongoing support", None),
        "ongoing_long_term_support": ("Ongoing long-term support → Supporting Independence", Pathway.SUPPORTING_INDEPENDENCE),
        "moved_away": ("Moved out of the area", None),
        "died": ("Died", None),
    },
    Pathway.AUTISM_AND_SENSORY: {
        "no_ongoing_support": ("No ongoing support", None),
        "ongoing_long_term_support": ("Ongoing long-term support → Supporting Independence", Pathway.SUPPORTING_INDEPENDENCE),
        "moved_away": ("Moved out of the area", None),
        "died": ("Died", None),
    },
}


def outcome_choices(pathway: str) -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _) in TRANSITIONS[pathway].items()]
