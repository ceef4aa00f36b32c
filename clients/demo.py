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
