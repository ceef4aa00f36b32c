"""Synthetic people at county scale for benchmarks: bulk-inserted, deterministic for a seed, safe to
re-run (it tops up to the number asked for). Never real people: NHS numbers are in the test range."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun
from ascm.organisation.models import GPPractice, PostcodeDistrict, Team

from .identifiers import nhs_number_check_digit
from .models import Allocation, Client
from .permissions import client_policy
from .reference import Ethnicity, Gender, PrimarySupportReason

GIVEN = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya",
         "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theo", "Jack", "Charlie",
         "Margaret", "Patricia", "Barbara", "Joan", "Dorothy", "Irene", "Brian", "Derek", "Keith", "Trevor", "Zoë",
         "Siobhán", "Agnieszka", "Mohammed", "Priya", "Chidi", "Kwame", "Mei", "Oksana", "Raj", "Aisha", "Tomasz"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
          "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
          "Hughes", "Edwards", "Turner", "Khan", "Hill", "Moore", "Cooper", "Ward", "Morris", "King", "Watson",
          "Harrison", "Morgan", "Baker", "Young", "Allen", "Mitchell", "Nowak", "Okafor", "O'Brien", "Mensah",
          "Kowalski", "Chen", "Singh", "Ahmed", "Lewis", "Walsh", "Fletcher", "Ashdown", "Farrow", "Pennington"]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def synthetic_nhs(n: int) -> str | None:
    """A distinct test-range number for each n below a million (7919 is prime to 10**6); about one
    in eleven first-nine-digit strings has no valid check digit, and that person has no NHS number."""
    first_nine = f"999{(n * 7919) % 1_000_000:06d}"
    check = nhs_number_check_digit(first_nine)
    return None if check is None else first_nine + str(check)


def people_generate(run: SyntheticRun) -> dict:
    existing = Client.objects.filter(legacy_id__startswith="SYN").count()
    if existing >= run.people:
        return {"people": existing}
    rng = run.rng
    districts = list(PostcodeDistrict.objects.values_list("code", "locality_id"))
    practices: dict[int, list[int]] = {}
    for pk, locality_id in GPPractice.objects.values_list("pk", "locality_id"):
        practices.setdefault(locality_id, []).append(pk)
    teams: dict[int, list[int]] = {}
    for pk, locality_id in Team.objects.exclude(team_type__in=["integrated_triage", "safeguarding"]).values_list("pk", "locality_id"):
        teams.setdefault(locality_id, []).append(pk)
    workers: dict[int, list[int]] = {}
    for team_id, user_id in client_policy.memberships_with("hold_caseload").values_list("team_id", "user_id"):
        workers.setdefault(team_id, []).append(user_id)
    today = timezone.localdate()
    for start in range(existing, run.people, 5000):
        batch = []
        for n in range(start, min(start + 5000, run.people)):
            code, locality_id = districts[n % len(districts)]
            age = min(int(rng.triangular(0, 104, 82)), 104)
            born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
            nhs = synthetic_nhs(n) if rng.random() < 0.95 else None
            client = Client(
                legacy_id=f"SYN{n:07d}", nhs_number=nhs, given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY),
                date_of_birth=born, gender=rng.choice([Gender.MALE, Gender.FEMALE]),
                ethnicity=rng.choice([Ethnicity.WHITE_BRITISH] * 8 + [Ethnicity.ASIAN_INDIAN, Ethnicity.BLACK_AFRICAN, Ethnicity.WHITE_OTHER]),
                address_line_1=f"{rng.randint(1, 200)} Synthetic Road", town="Kent",
                postcode=f"{code} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                locality_id=locality_id, gp_practice_id=rng.choice(practices.get(locality_id) or [None]),
                primary_support_reason=rng.choice(PrimarySupportReason.values),
            )
            client.derive_search_keys()
            batch.append(client)
        with transaction.atomic():
            created = Client.objects.bulk_create(batch)
            allocations = []
            for client in created:
                if rng.random() < 0.2 and teams.get(client.locality_id):
                    team_id = rng.choice(teams[client.locality_id])
                    worker = rng.choice(workers.get(team_id) or [None])
                    allocations.append(Allocation(client=client, team_id=team_id, worker_id=worker, started_on=today))
            Allocation.objects.bulk_create(allocations)
    return {"people": Client.objects.filter(legacy_id__startswith="SYN").count(),
            "allocations": Allocation.objects.count()}


def care_events_insert(select_sql: str) -> int:
    """Add the ledger's events for synthetic records already made, in one INSERT … SELECT (the apps
    bulk-load their records, which no service sees). `select_sql` gives, in order: reference, client_id,
    event_type, source_model, source_id, start_date, end_date, outcome, route_of_access, assessment_type,
    details (JSON). Safe to run again: an event that exists is left as it is."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clients_careevent (created_at, updated_at, reference, client_id, event_type, source_model,"  # noqa: S608 - built from constants, no input
            " source_id, start_date, end_date, outcome, route_of_access, assessment_type, details)"
            f" SELECT {sql_now()}, {sql_now()}, e.* FROM ({select_sql}) e WHERE true ON CONFLICT DO NOTHING")
        return cursor.rowcount


def sql_now() -> str:
    from django.db import connection

    return "now()" if connection.vendor == "postgresql" else "CURRENT_TIMESTAMP"


def sql_reference(prefix: str, column: str) -> str:
    """REQ00000123 in SQL: the type's prefix and the id padded to 8 digits (as care_event_record makes it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"'{prefix}' || lpad({column}::text, 8, '0')"
    return f"'{prefix}' || printf('%08d', {column})"


def sql_local_date(column: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE 'Europe/London')::date"
    return f"date({column})"


def sql_json(**values: str) -> str:
    """A JSON object in SQL: each key (a plain name) with its SQL value."""
    from django.db import connection

    pairs = ", ".join(f"'{key}', {value}" for key, value in values.items())
    return f"{'jsonb_build_object' if connection.vendor == 'postgresql' else 'json_object'}({pairs})"
