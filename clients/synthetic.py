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


AUDIT_PER_PERSON = 5
NOTES_PER_PERSON = 40  # on average: about 10 million at Kent's 250,000 people, as the legacy chronologies hold
NOTE_TEXTS = [
    "Phoned to check how the week had gone; managing with the morning call, asked about a later visit on Sundays.",
    "Home visit with the occupational therapist: grab rails fitted, bath board ordered, carer shown how to use it.",
    "Daughter called: worried about falls at night. Agreed to refer for a sensor mat and to review at the MDT.",
    "Discussed at the locality MDT with the GP and district nurse; medication review booked, no change to support.",
    "Letter sent confirming the outcome of the review and the contribution, with the easy read version enclosed.",
    "Office contact: neighbour dropped in a note of concern about missed shopping; spoke to the person, all well.",
    "Visit: the person wants to get back to the lunch club; arranged transport with the community group.",
    "Provider rang: two calls missed over the weekend because of staff sickness; person safe, daughter covered.",
    "Carer's assessment discussed; carer would like a break once a month and information about the carers' centre.",
    "Telephone review with the person and their son: goals met, reablement ended, ongoing low-level support only.",
    "Hospital ward called: expected discharge on Friday, package to restart, equipment to be checked before then.",
    "Short note: person declined the visit today, said they would prefer next week; rearranged for Tuesday.",
]
RELATIONSHIP_TYPES = ["carer", "next_of_kin", "child", "spouse_partner", "friend", "other_family"]
ASSETS = [("what_matters", "", "Seeing the grandchildren on Sundays and keeping the garden tidy"),
          ("strength", "", "Knows their own routine well and manages their medication with a dosette box"),
          ("network", "family", "Daughter visits three times a week and does the shopping"),
          ("network", "neighbour", "Neighbour checks in each morning"),
          ("community_resource", "", "Lunch club at the village hall on Wednesdays")]


def _sql_array(values) -> str:
    """A PostgreSQL array literal of constants (our own text, never input)."""
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
    return f"ARRAY[{quoted}]"


def chronology_generate(run: SyntheticRun) -> dict:
    """Case notes (about NOTES_PER_PERSON each, 0 to twice that, over the last years), relationships and
    strengths for the synthetic people, by INSERT … SELECT a batch of people at a time: 10 million rows at
    the speed of bulk loading; and the audit log about them (views and a change each). Safe to run
    again: a person who has notes (or relationships, assets, audit entries) gets no more."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from ascm.accounts.models import User

    from .models import CaseNote, ClientAsset, Relationship

    people = Client.objects.filter(legacy_id__startswith="SYN")
    first = people.order_by("pk").values_list("pk", flat=True).first()
    last = people.order_by("-pk").values_list("pk", flat=True).first()
    staff = list(User.objects.filter(username__startswith="staff").order_by("pk").values_list("pk", flat=True)[:2000])
    if first is None or not staff:
        return {"case notes": 0}
    if connection.vendor != "postgresql":  # the embedded default: a few notes each, made in Python
        return _chronology_small(people, staff)
    authors, texts = f"ARRAY[{', '.join(map(str, staff))}]", _sql_array(NOTE_TEXTS)
    kinds = _sql_array(["phone_call", "visit", "office_contact", "mdt_discussion", "letter", "other"])
    span = 2 * NOTES_PER_PERSON + 1
    client_type = ContentType.objects.get_for_model(Client).pk
    statements = [
        # The allocated worker writes the note where there is one; else one of the county's staff.
        f"""INSERT INTO clients_casenote (client_id, note_type, occurred_at, text, author_id, created_at)
            SELECT c.id, ({kinds})[1 + (c.id + g) % 6],
                   now() - make_interval(days => (g * 9 + c.id % 11)::int, mins => ((c.id * 7 + g * 13) % 600)::int),
                   ({texts})[1 + (c.id * 3 + g) % {len(NOTE_TEXTS)}],
                   coalesce(w.worker_id, ({authors})[1 + (c.id + g * 7) % {len(staff)}]), now()
            FROM clients_client c
            LEFT JOIN LATERAL (SELECT a.worker_id FROM clients_allocation a WHERE a.client_id = c.id
                               AND a.ended_on IS NULL AND a.worker_id IS NOT NULL LIMIT 1) w ON true
            CROSS JOIN LATERAL generate_series(1, (c.id * 7919) % {span}) g
            WHERE c.legacy_id LIKE 'SYN%%' AND c.id BETWEEN %(lo)s AND %(hi)s
              AND NOT EXISTS (SELECT 1 FROM clients_casenote n WHERE n.client_id = c.id)""",  # noqa: S608 - constants
        f"""INSERT INTO clients_relationship (created_at, updated_at, client_id, relationship_type, name, phone, email,
                                              address, is_carer, carer_assessment_right, notes)
            SELECT now(), now(), c.id, t.kind, 'Synthetic contact ' || c.id || '-' || g,
                   '01632 960' || lpad(((c.id + g) % 1000)::text, 3, '0'), '', '', t.kind = 'carer',
                   t.kind = 'carer' AND c.id % 2 = 0, ''
            FROM clients_client c CROSS JOIN LATERAL generate_series(1, c.id % 3) g
            CROSS JOIN LATERAL (SELECT ({_sql_array(RELATIONSHIP_TYPES)})[1 + (c.id + g) % {len(RELATIONSHIP_TYPES)}] AS kind) t
            WHERE c.legacy_id LIKE 'SYN%%' AND c.id BETWEEN %(lo)s AND %(hi)s
              AND NOT EXISTS (SELECT 1 FROM clients_relationship r WHERE r.client_id = c.id)""",  # noqa: S608 - constants
        f"""INSERT INTO clients_clientasset (created_at, updated_at, client_id, kind, network_kind, description, contact)
            SELECT now(), now(), c.id, ({_sql_array(a[0] for a in ASSETS)})[i], ({_sql_array(a[1] for a in ASSETS)})[i],
                   ({_sql_array(a[2] for a in ASSETS)})[i], ''
            FROM clients_client c
            CROSS JOIN LATERAL (SELECT 1 + (c.id + g) % {len(ASSETS)} AS i FROM generate_series(1, 1 + c.id % 3) g) a
            WHERE c.legacy_id LIKE 'SYN%%' AND c.id BETWEEN %(lo)s AND %(hi)s
              AND NOT EXISTS (SELECT 1 FROM clients_clientasset x WHERE x.client_id = c.id)""",  # noqa: S608 - constants
        # The audit log about people: each record opened a few times (by its worker, or by staff) and changed once.
        f"""INSERT INTO auditlog_logentry (content_type_id, object_pk, object_id, object_repr, action, changes,
                                           changes_text, timestamp, actor_id, additional_data)
            SELECT {client_type}, c.id::text, c.id, c.given_name || ' ' || c.family_name, CASE WHEN g = 1 THEN 1 ELSE 3 END,
                   CASE WHEN g = 1 THEN jsonb_build_object('phone', jsonb_build_array('', '01632 960' || lpad((c.id % 1000)::text, 3, '0'))) END,
                   '', now() - make_interval(days => (g * 23 + c.id % 19)::int, mins => (c.id % 600)::int),
                   coalesce(w.worker_id, ({authors})[1 + (c.id + g * 3) % {len(staff)}]), '{{"synthetic": true}}'::jsonb
            FROM clients_client c
            LEFT JOIN LATERAL (SELECT a.worker_id FROM clients_allocation a WHERE a.client_id = c.id
                               AND a.ended_on IS NULL AND a.worker_id IS NOT NULL LIMIT 1) w ON true
            CROSS JOIN generate_series(1, {AUDIT_PER_PERSON}) g
            WHERE c.legacy_id LIKE 'SYN%%' AND c.id BETWEEN %(lo)s AND %(hi)s
              AND c.id NOT IN (SELECT x.object_id FROM auditlog_logentry x WHERE x.content_type_id = {client_type}
                               AND x.object_id BETWEEN %(lo)s AND %(hi)s)""",  # noqa: S608 - constants
    ]
    statements = [statement.replace(" % ", " %% ") for statement in statements]  # modulo, beside the parameters
    with connection.cursor() as cursor:
        fast = _without_row_triggers(cursor)
        for start in range(first, last + 1, 10_000):
            with transaction.atomic():
                if fast:
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for statement in statements:
                    cursor.execute(statement, {"lo": start, "hi": start + 9_999})
    return {"case notes": CaseNote.objects.count(), "relationships": Relationship.objects.count(),
            "strengths and networks": ClientAsset.objects.count(),
            "audit entries about people": people.count() * AUDIT_PER_PERSON}


def _without_row_triggers(cursor) -> bool:
    """Whether the bulk inserts may skip the foreign-key checks at commit (one per row: most of the
    time for 10 million notes), as pg_restore --disable-triggers does: only a superuser may, and the
    rows are made from ids the same statement reads. The audit log's own triggers guard UPDATE and
    DELETE, which these never do."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def _chronology_small(people, staff) -> dict:
    from .models import CaseNote

    if CaseNote.objects.filter(client__legacy_id__startswith="SYN").exists():
        return {"case notes": CaseNote.objects.count()}
    now = timezone.now()
    notes = [CaseNote(client_id=pk, note_type="phone_call", occurred_at=now - datetime.timedelta(days=n * 9),
                      text=NOTE_TEXTS[(pk + n) % len(NOTE_TEXTS)], author_id=staff[(pk + n) % len(staff)])
             for pk in people.values_list("pk", flat=True) for n in range(3)]
    CaseNote.objects.bulk_create(notes, batch_size=5000)
    return {"case notes": len(notes)}
