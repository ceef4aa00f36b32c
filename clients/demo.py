"""Demo people for `make run`: synthetic names, test-range NHS numbers, allocated to Pat Practitioner."""

import datetime

from ascm.organisation.models import Locality, Team

from .models import Allocation, Client
from .synthetic import synthetic_nhs

DEMO_PEOPLE = [
    ("DEMO001", "Joan", "Fletcher", datetime.date(1944, 2, 1), "given", "physical_personal_care"),
    ("DEMO002", "Arthur", "Pennington", datetime.date(1938, 7, 19), "not_asked", "memory_cognition"),
    ("DEMO003", "Priya", "Halvorsen", datetime.date(2001, 11, 5), "given", "learning_disability"),
    ("DEMO004", "Graham", "Oduya", datetime.date(1961, 4, 30), "refused", "mental_health"),
]


def demo_people(users) -> None:
    pat = users.get("practitioner")
    canterbury = Locality.objects.filter(name="Canterbury").first()
    team = Team.objects.filter(name="Canterbury Promoting Independence").first()
    if pat is None or canterbury is None or team is None:
        return
    for n, (legacy_id, given, family, born, consent, reason) in enumerate(DEMO_PEOPLE):
        client = demo_person(n, legacy_id, given, family, born, canterbury, consent_to_share=consent,
                             primary_support_reason=reason)
        Allocation.objects.get_or_create(client=client, team=team, ended_on=None, defaults={"worker": pat,
                                                                                            "reason": "Demo"})


def demo_person(n: int, legacy_id: str, given: str, family: str, born: datetime.date, locality, **fields) -> Client:
    """One synthetic demo person (number n gives a test-range NHS number and a street number); other
    apps' demo data (DoLS, say) records its own people with it. Running it again changes nothing."""
    client, created = Client.objects.get_or_create(legacy_id=legacy_id, defaults={
        "given_name": given, "family_name": family, "date_of_birth": born, "nhs_number": synthetic_nhs(900_000 + n),
        "postcode": "CT1 1AA", "town": "Canterbury", "address_line_1": f"{n + 1} Demo Street", "locality": locality, **fields})
    if created:
        client.derive_search_keys()
        client.save()
    return client


LEGACY_SOURCE = "legacy.history"  # events the council's legacy database recorded before ASCM


def demo_history(users) -> None:
    """The demo people's history brought across from the legacy database, in the last quarter that has
    ended: so `make run`'s returns officer has a Client Level Data file to make (and problems in it
    to put right: the demo people's ethnicity is not recorded). Safe to run again."""
    from django.utils import timezone

    from ascm.core.years import financial_year

    from .models import CareEvent
    from .returns import quarter_bounds, quarter_of

    today = timezone.localdate()
    start, _ = quarter_bounds(financial_year(today), quarter_of(today))
    last_start, last_end = quarter_bounds(financial_year(start - datetime.timedelta(days=1)),
                                          quarter_of(start - datetime.timedelta(days=1)))
    people = {c.legacy_id: c for c in Client.objects.filter(legacy_id__in=[p[0] for p in DEMO_PEOPLE])}
    history = [  # (person, type, days into the quarter it started, days it took, outcome, extra)
        ("DEMO001", CareEvent.Type.REQUEST, 3, 2, "information_and_advice", {"route_of_access": "community_other"}),
        ("DEMO004", CareEvent.Type.REQUEST, 10, 5, "pathway_started", {"route_of_access": "discharge_from_hospital"}),
        ("DEMO004", CareEvent.Type.ASSESSMENT, 16, 20, "eligible", {"assessment_type": "long_term",
                                                                    "details": {"kind": "needs"}}),
        ("DEMO001", CareEvent.Type.REVIEW, 40, 0, "continue", {"details": {"outcomes_achieved": "partially"}}),
    ]
    for n, (legacy_id, kind, offset, took, outcome, extra) in enumerate(history, start=1):
        person = people.get(legacy_id)
        if person is None:
            continue
        began = last_start + datetime.timedelta(days=offset)
        CareEvent.objects.get_or_create(source_model=LEGACY_SOURCE, source_id=n, event_type=kind, defaults={
            "reference": f"L{CareEvent.PREFIX[kind]}{n:07d}", "client": person, "start_date": began,
            "end_date": min(began + datetime.timedelta(days=took), last_end), "outcome": outcome, **extra})
