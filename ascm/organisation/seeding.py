"""Creating the organisation in bulk: the demo set-up and the synthetic data generator.

Idempotent: everything is found by its natural key before it is made."""

import random

from django.db import transaction

from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team
from .reference import (
    AREA_TEAM_TYPES,
    AREAS,
    FORMER_NAMES,
    LOCALITY_TEAM_TYPES,
    POSTCODE_DISTRICTS,
    PRACTICE_KINDS,
    PRACTICE_WORDS,
    TEAM_NAMES,
)


@transaction.atomic
def organisation_seed(*, hubs_per_locality: int = 2, practices_per_hub: int = 3, seed: int = 1) -> dict:
    """Areas, localities, postcode districts, hubs, GP practices and teams. Safe to re-run."""
    rng = random.Random(seed)
    localities = {}
    for area_name, locality_names in AREAS.items():
        area, _ = Area.objects.get_or_create(name=area_name)
        for name in locality_names:
            locality, _ = Locality.objects.get_or_create(
                name=name, defaults={"area": area, "former_names": FORMER_NAMES.get(name, "")}
            )
            localities[name] = locality

    existing_codes = set(PostcodeDistrict.objects.values_list("code", flat=True))
    PostcodeDistrict.objects.bulk_create(
        [
            PostcodeDistrict(code=code, locality=localities[name])
            for name, codes in POSTCODE_DISTRICTS.items()
            for code in codes
            if code not in existing_codes
        ]
    )

    practice_number = 0
    existing_hubs = {(h.locality_id, h.name): h for h in Hub.objects.all()}
    existing_practices = set(GPPractice.objects.values_list("ods_code", flat=True))
    new_practices = []
    for locality_index, locality in enumerate(localities.values()):
        for hub_number in range(1, hubs_per_locality + 1):
            name = f"{locality.name} Hub {hub_number}"
            hub = existing_hubs.get((locality.pk, name))
            if hub is None:
                hub = Hub.objects.create(name=name, locality=locality, population=rng.randint(30_000, 50_000))
            for _ in range(practices_per_hub):
                practice_number += 1
                code = f"Z{locality_index + 1:02d}{practice_number:03d}"
                if code in existing_practices:
                    continue
                words = rng.choice(PRACTICE_WORDS), rng.choice(PRACTICE_KINDS)
                new_practices.append(
                    GPPractice(
                        ods_code=code, name=f"{words[0]} {words[1]}, {locality.name}", locality=locality, hub=hub
                    )
                )
    GPPractice.objects.bulk_create(new_practices)

    existing_teams = set(Team.objects.values_list("locality_id", "name"))
    new_teams = []
    hosts = [localities[names[0]] for names in AREAS.values()]
    for locality in localities.values():
        types = LOCALITY_TEAM_TYPES + (AREA_TEAM_TYPES if locality in hosts else [])
        for team_type in types:
            name = f"{locality.name} {TEAM_NAMES[team_type]}"
            if (locality.pk, name) not in existing_teams:
                new_teams.append(Team(name=name, team_type=team_type, locality=locality))
    Team.objects.bulk_create(new_teams)
    return {
        "localities": len(localities),
        "hubs": Hub.objects.count(),
        "gp_practices": GPPractice.objects.count(),
        "teams": Team.objects.count(),
    }
