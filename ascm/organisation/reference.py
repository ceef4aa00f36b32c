"""Kent's organisation as demo defaults (../shared/DOMAIN.md): editable data, not a gazetteer.

GP practice names and ODS codes made here are synthetic (codes start with Z, which no real
practice uses)."""

AREAS = {
    "East Kent": ["Ashford", "Canterbury", "Dover", "Folkestone and Hythe", "Thanet"],
    "North Kent": ["Dartford", "Gravesham", "Swale"],
    "West Kent": ["Maidstone", "Sevenoaks", "Tonbridge and Malling", "Tunbridge Wells"],
}

FORMER_NAMES = {"Folkestone and Hythe": "Shepway"}


def _range(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{n}" for n in range(first, last + 1)]


POSTCODE_DISTRICTS = {
    "Canterbury": _range("CT", 1, 6),
    "Thanet": _range("CT", 7, 12),
    "Dover": _range("CT", 13, 17),
    "Folkestone and Hythe": _range("CT", 18, 21) + _range("TN", 28, 29),
    "Ashford": _range("TN", 23, 27),
    "Dartford": _range("DA", 1, 4),
    "Gravesham": _range("DA", 11, 13),
    "Swale": _range("ME", 9, 13),
    "Maidstone": _range("ME", 14, 18),
    "Tonbridge and Malling": _range("ME", 19, 20) + _range("TN", 9, 12),
    "Sevenoaks": _range("TN", 13, 16),
    "Tunbridge Wells": _range("TN", 1, 4),
}

# Team types every locality has; the specialist services are hosted by one locality per area.
LOCALITY_TEAM_TYPES = [
    "integrated_triage",
    "promoting_independence",
    "supporting_independence",
    "integrated_discharge",
    "safeguarding",
]
AREA_TEAM_TYPES = ["lifespan_0_25", "lifespan_26_plus", "community_mental_health", "autism_and_sensory"]

TEAM_NAMES = {
    "integrated_triage": "Integrated Triage",
    "promoting_independence": "Promoting Independence",
    "supporting_independence": "Supporting Independence",
    "integrated_discharge": "Integrated Discharge",
    "safeguarding": "Safeguarding",
    "lifespan_0_25": "Lifespan 0–25",
    "lifespan_26_plus": "Lifespan 26+ Community Learning Disability",
    "community_mental_health": "Community Mental Health",
    "autism_and_sensory": "Autism and Sensory",
}

PRACTICE_WORDS = [
    "Riverside",
    "Station Road",
    "Orchard",
    "Market Place",
    "Hillview",
    "Meadow",
    "Harbour",
    "Castle",
    "Priory",
    "Beacon",
    "Oak Tree",
    "Weald",
    "Downs",
    "Chalk Cliff",
    "Hop Garden",
]
PRACTICE_KINDS = ["Surgery", "Medical Centre", "Health Centre", "Practice"]
