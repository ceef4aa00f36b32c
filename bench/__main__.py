"""`make bench`: fill a benchmark database at county scale and measure pages and endpoints.

Prints, for each page or endpoint, the median and 95th-percentile latency in-process (Django's
test client: the application's own cost, without network) and the number of SQL queries.
Writes the same figures to bench-results/latest.json.

Environment: DATABASE_URL (default: the machine's PostgreSQL, database ascm_bench, else SQLite),
BENCH_PEOPLE (default 250000), BENCH_RUNS (default 30), BENCH_ONLY (areas after the core pages,
e.g. care,mdt,import; default all).
"""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], capture_output=True).returncode == 0
    if ready:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "ascm_bench"], capture_output=True)
        return "postgres://postgres@127.0.0.1:5432/ascm_bench"
    return f"sqlite:///{ROOT / 'bench.sqlite3'}"


def main() -> None:
    os.environ["DATABASE_URL"] = _database_url()
    # The real settings (real password hashing), with tasks in-process and the test client's host.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascm.settings.local")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["AXES_ENABLED"] = "false"
    people = int(os.environ.get("BENCH_PEOPLE", "250000"))
    runs = int(os.environ.get("BENCH_RUNS", "30"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from ascm.accounts.models import User
    from ascm.organisation.models import Team

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), people: {people:,}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_synthetic", people=people)
    _vacuum_dead_rows()  # what earlier runs rolled back is not measured as if it were data
    print(f"Synthetic data ready in {time.perf_counter() - started:.1f}s\n")

    from ascm.accounts import roles
    from tests.factories import with_role  # the same helpers the tests use

    admin = with_role(User.objects.get_or_create(username="bench-admin")[0], roles.ADMINISTRATOR)
    auditor = with_role(User.objects.get_or_create(username="bench-auditor")[0], roles.AUDITOR)
    manager = User.objects.filter(memberships__role__slug=roles.TEAM_MANAGER).order_by("pk").first()
    practitioner = User.objects.filter(memberships__role__slug=roles.PRACTITIONER).order_by("pk").first()
    team = Team.objects.filter(memberships__user=practitioner).first()

    from ascm.organisation.synthetic import STAFF_PASSWORD

    def sign_in(client):
        return client.post("/sign-in/", {"username": practitioner.username, "password": STAFF_PASSWORD})

    from clients.identifiers import name_fold, name_phonetic
    from clients.models import Allocation, CaseNote
    from clients.models import Client as Person
    from clients.selectors import likely_duplicates

    allocation = Allocation.objects.filter(worker__isnull=False, ended_on__isnull=True).select_related("worker").first()
    worker = allocation.worker if allocation else practitioner
    person = allocation.client if allocation else Person.objects.first()
    with_nhs = Person.objects.exclude(nhs_number=None).order_by("pk")[people // 2 : people // 2 + 1].get()
    nhs_spaced = f"{with_nhs.nhs_number[:3]} {with_nhs.nhs_number[3:6]} {with_nhs.nhs_number[6:]}"
    dob = person.date_of_birth.isoformat()
    dob_parts = {"date_of_birth_0": person.date_of_birth.day, "date_of_birth_1": person.date_of_birth.month,
                 "date_of_birth_2": person.date_of_birth.year}
    from urllib.parse import urlencode

    cases = [
        ("Sign-in page", None, "get", "/sign-in/"),
        ("Sign in (POST)", None, "sign_in", None),
        ("Home (practitioner)", practitioner, "get", "/"),
        ("Home (manager)", manager, "get", "/"),
        ("Organisation overview", admin, "get", "/organisation/"),
        ("Team list (administrator)", admin, "get", "/organisation/teams/"),
        ("Team page", practitioner, "get", f"/organisation/teams/{team.pk}/"),
        ("Set-up: GP practices", admin, "get", "/organisation/gp-practices/"),
        ("Set-up: GP practice by ODS code", admin, "get", "/organisation/gp-practices/?q=Z01"),
        ("Set-up: localities", admin, "get", "/organisation/localities/"),
        ("Set-up: postcode districts", admin, "get", "/organisation/postcode-districts/"),
        ("Set-up: users", admin, "get", "/organisation/users/"),
        ("Set-up: roles", admin, "get", "/organisation/roles/"),
        ("Set-up: routing rules", admin, "get", "/referrals/rules/"),
        ("Set-up: response targets", admin, "get", "/referrals/response-targets/"),
        ("Set-up: caseload weights", admin, "get", "/mdt/caseload-weights/"),
        ("Set-up: reminder thresholds", admin, "get", "/settings/reminder-thresholds/"),
        ("Set-up: move a team's members", admin, "get", f"/organisation/teams/{team.pk}/members/move/"),
        ("Audit log search (auditor)", auditor, "get", "/audit/"),
        ("Audit log by record", auditor, "get", f"/audit/?record_id={team.pk}"),
        ("API localities", practitioner, "get", "/api/v1/localities/"),
        ("API teams", practitioner, "get", "/api/v1/teams/"),
        ("API GP practices", practitioner, "get", "/api/v1/gp-practices/"),
        ("API users", admin, "get", "/api/v1/users/"),
        ("API audit entries", auditor, "get", "/api/v1/audit-entries/"),
        ("Health check", None, "get", "/healthz"),
        # The floor: signed in, a page that reads no data (the session, the user, the base layout). Timed
        # before the pages with bare SQL, so each is also read against the least it could cost here.
        (FLOOR_PAGE, worker, "get", "/accessibility/"),
        ("Providers and care settings", practitioner, "get", "/organisation/providers/"),
        ("Find a care home", practitioner, "get", "/organisation/providers/?q=House&kind=care_home"),
        ("API care settings search", practitioner, "get", "/api/v1/care-settings/?q=House"),
        ("Task inbox (manager)", manager, "get", "/notifications/"),
        ("Find a person: NHS number", worker, "get", f"/people/?{urlencode({'q': nhs_spaced})}",
         lambda: list(Person.objects.filter(nhs_number=with_nhs.nhs_number).values_list(
             "pk", "given_name", "family_name", "date_of_birth", "postcode"))),
        ("Find a person: postcode", worker, "get", f"/people/?{urlencode({'postcode': person.postcode})}",
         lambda: list(Person.objects.filter(postcode=person.postcode).order_by("family_name", "given_name", "pk")
                      .values_list("pk", "given_name", "family_name", "date_of_birth", "postcode")[:25])),
        # A common surname (one of the synthetic county's 52: about 4,800 people each at 250,000).
        ("Find a person: name", worker, "get", f"/people/?{urlencode({'q': person.family_name})}",
         lambda: list(Person.objects.filter(search_family__gte=(folded := name_fold(person.family_name)),
                                            search_family__lt=folded[:-1] + chr(ord(folded[-1]) + 1))
                      .order_by("search_family", "search_given", "pk")
                      .values_list("pk", "given_name", "family_name", "date_of_birth", "postcode")[:51])),
        ("Find a person: misspelt name", worker, "get", f"/people/?{urlencode({'q': person.given_name[:-1] + ' ' + person.family_name[:-1] + 'e'})}"),
        ("Find a person: name + DOB", worker, "get", f"/people/?{urlencode({'q': person.family_name, **dob_parts})}"),
        ("Person record page", worker, "get", f"/people/{person.pk}/", lambda: (
            Person.objects.select_related("locality", "gp_practice").get(pk=person.pk),
            list(Allocation.objects.filter(client=person, ended_on__isnull=True).select_related("team", "worker")),
            list(CaseNote.objects.filter(client=person).order_by("-occurred_at")[:10].values_list("pk", "note_type", "text")))),
        ("Chronology page", worker, "get", f"/people/{person.pk}/notes/"),
        ("API clients search: name", worker, "get", f"/api/v1/clients/?name={person.family_name}"),
        ("API clients search: name+DOB", worker, "get", f"/api/v1/clients/?name={person.family_name}&date_of_birth={dob}"),
        ("API client record", worker, "get", f"/api/v1/clients/{person.pk}/"),
        ("Duplicate check (before save)", "call", lambda: likely_duplicates(
            given_name=person.given_name, family_name=person.family_name, date_of_birth=person.date_of_birth,
            postcode=person.postcode), None),
        ("Bare indexed name query", "call", lambda: list(Person.objects.filter(
            family_phonetic=name_phonetic(person.family_name)).only("pk")[:50]), None),
    ]
    results = []
    print(f"{'page or endpoint':<30} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  status")
    for name, user, method, path, *bare in cases:
        client = TestClient()
        if user == "call":
            function = method
            timings = []
            for i in range(runs + 3):
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    function()
                    elapsed = (time.perf_counter() - t0) * 1000
                if i >= 3:
                    timings.append(elapsed)
            timings.sort()
            row = {"name": name, "path": None, "median_ms": round(statistics.median(timings), 2),
                   "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2), "queries": len(captured), "status": 200}
            results.append(row)
            print(f"{name:<30} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} {row['queries']:>8}  (function)")
            continue
        if user is not None:
            client.force_login(user)
        timings, queries, status = [], 0, None
        for i in range(runs + 3):
            if method == "sign_in":
                client = TestClient()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = sign_in(client) if method == "sign_in" else client.get(path)
                elapsed = (time.perf_counter() - t0) * 1000
            if i >= 3:  # warm-up runs are not counted
                timings.append(elapsed)
                queries, status = len(captured), response.status_code
        timings.sort()
        row = {
            "name": name,
            "path": path,
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "queries": queries,
            "status": status,
        }
        print(f"{name:<30} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} {queries:>8}  {status}")
        if name == FLOOR_PAGE:
            _FLOOR["ms"] = row["median_ms"]
        results.append(_with_bare(row, bare[0] if bare else None, runs))

    from django.db.models import Count

    from pathways.referrals.models import Referral

    busiest = (Referral.objects.filter(status="routed").values("team").annotate(n=Count("pk")).order_by("-n").first())
    if busiest:
        from ascm.organisation.models import Team, TeamMembership

        team = Team.objects.get(pk=busiest["team"])
        queue_user = TeamMembership.objects.filter(team=team, ended_on__isnull=True).select_related("user").first().user
        def queue_sql():
            return list(Referral.objects.filter(team=team, status="routed").select_related("client")
                        .order_by("received_at")[:50].values_list("pk", "urgency", "received_at", "client__given_name",
                                                                  "client__family_name"))

        for name, path in ((f"Team queue ({busiest['n']} waiting)", f"/referrals/teams/{team.pk}/"),
                           ("API referrals by team", f"/api/v1/referrals/?team={team.pk}&status=routed")):
            results.append(_time_page(name, queue_user, path, runs, bare=queue_sql))
    # BENCH_ONLY=care,mdt times only those areas after the core pages (the whole run is about half an hour).
    only = {area for area in os.environ.get("BENCH_ONLY", "").split(",") if area}
    areas = [("care", _bench_care), ("mdt", _bench_mdt), ("safeguarding", _bench_safeguarding), ("dols", _bench_dols),
             ("discharge", _bench_discharge), ("finance", _bench_finance), ("charging", _bench_charging),
             ("returns", _bench_returns), ("routing", lambda runs: _bench_routing())]
    for area, bench in areas:
        if not only or area in only:
            results += bench(runs)

    import_rows = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    if import_rows and (not only or "import" in only):
        results.append(_bench_import(import_rows))

    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"people": people, "database": connection.vendor, "results": results}, indent=2)
    )
    failures = [r for r in results if r.get("status", 200) not in (200, 302)]
    if failures:
        print("Unexpected status:", failures, file=sys.stderr)
        sys.exit(1)


def _bench_care(runs) -> list[dict]:
    """Issue 5: the work page for a caseload of 60, the person timeline, the care pages, and the
    daily reminders job over the whole database (wall time and peak memory)."""
    import tracemalloc

    from django.db.models import Count

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.organisation.models import TeamMembership
    from clients.models import Allocation
    from pathways.care.models import Assessment, Episode, Review, SupportPlan
    from pathways.care.plans import daily_reminders
    from tests.factories import member

    # A practitioner with exactly 60 people (moved from a colleague in the same team, once).
    worker, created = User.objects.get_or_create(username="bench-caseload-60", defaults={"first_name": "Bench",
                                                                                        "last_name": "Caseload"})
    if created or not worker.memberships.exists():
        team_id = (Allocation.objects.filter(ended_on__isnull=True, worker__isnull=False).values("team")
                   .annotate(n=Count("pk")).order_by("-n")[0]["team"])
        from ascm.organisation.models import Team

        member(worker, Team.objects.get(pk=team_id), roles.PRACTITIONER)
    have = Allocation.objects.filter(worker=worker, ended_on__isnull=True).count()
    if have < 60:
        team_id = worker.memberships.first().team_id
        moving = list(Allocation.objects.filter(team_id=team_id, ended_on__isnull=True).exclude(worker=worker)
                      .values_list("pk", flat=True)[: 60 - have])
        Allocation.objects.filter(pk__in=moving).update(worker=worker)
    caseload = Allocation.objects.filter(worker=worker, ended_on__isnull=True).count()
    manager = (TeamMembership.objects.filter(team__in=worker.memberships.values("team"), role__slug=roles.TEAM_MANAGER,
                                             ended_on__isnull=True).select_related("user").first())
    with_timeline = (Episode.objects.filter(previous__isnull=True, ended_on__isnull=False, client__allocations__worker=worker)
                     .values_list("client_id", flat=True).first()
                     or Allocation.objects.filter(worker=worker).values_list("client_id", flat=True).first())
    assessment = Assessment.objects.filter(client__allocations__worker=worker, client__allocations__ended_on__isnull=True,
                                           client__archived_at__isnull=True).first()
    plan = SupportPlan.objects.filter(client__allocations__worker=worker, client__allocations__ended_on__isnull=True,
                                      client__archived_at__isnull=True).first()
    print(f"\nCare: {Episode.objects.count():,} episodes, {Assessment.objects.count():,} assessments, "
          f"{SupportPlan.objects.count():,} plans, {Review.objects.count():,} reviews; work page caseload {caseload}")
    def caseload_sql():
        return list(Allocation.objects.filter(worker=worker, ended_on__isnull=True).select_related("client")
                    .values_list("client_id", "client__given_name", "client__family_name", "client__date_of_birth"))

    rows = [_time_page(f"Work page ({caseload} people)", worker, "/work/", runs, bare=caseload_sql),
            _time_page("Person timeline (record)", worker, f"/people/{with_timeline}/", runs)]
    if assessment:
        rows.append(_time_page("Assessment page", worker, f"/assessments/{assessment.pk}/", runs))
    if plan:
        rows.append(_time_page("Care and support plan page", worker, f"/plans/{plan.pk}/", runs))
    rows.append(_time_page("API assessments (mine)", worker, f"/api/v1/assessments/?author={worker.pk}", runs))
    if manager:
        rows.append(_time_page("Overdue reviews (manager)", manager.user, "/work/overdue-reviews/", runs))
        rows.append(_time_page("Work page (manager)", manager.user, "/work/", runs))

    from django.db import transaction

    # In a transaction rolled back at the end, with the inbox emptied first, so every bench run
    # measures a first run that sends everything due.
    from ascm.notifications.models import Notification

    with transaction.atomic():
        Notification.objects.all().delete()
        tracemalloc.start()
        t0 = time.perf_counter()
        sent = daily_reminders()
        first = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        t0 = time.perf_counter()
        again = daily_reminders()
        second = time.perf_counter() - t0
        transaction.set_rollback(True)
    print(f"{'Daily reminders job':<30} first run {first:6.1f}s, {sent:,} sent, peak Python memory {peak / 2**20:.1f} MiB "
          f"(traced); run again {second:6.1f}s, {again} sent")
    rows.append({"name": "Daily reminders job", "first_run_s": round(first, 2), "sent": sent,
                 "peak_memory_mib": round(peak / 2**20, 1), "second_run_s": round(second, 2), "second_sent": again})
    return rows


def _bench_safeguarding(runs) -> list[dict]:
    """Issue 12: the team queue, an enquiry page and the Safeguarding Adults Collection for one year, at
    Kent's volumes (the generator makes about 19,000 concerns and 5,500 s42 enquiries a year)."""
    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.organisation.models import Team
    from safeguarding import returns
    from safeguarding.models import Enquiry, SafeguardingConcern
    from tests.factories import member

    team = Team.objects.filter(team_type="safeguarding").order_by("pk").first()
    if team is None:
        return []
    lead, _ = User.objects.get_or_create(username="bench-sg-lead", defaults={"first_name": "Bench", "last_name": "Lead"})
    if not lead.memberships.exists():
        member(lead, team, roles.SAFEGUARDING_LEAD)
    year = returns.current_year() - 1
    in_year = SafeguardingConcern.objects.filter(received_at__date__gte=returns.year_bounds(year)[0],
                                                 received_at__date__lte=returns.year_bounds(year)[1]).count()
    enquiry = Enquiry.objects.filter(adult__concern__locality=team.locality_id).order_by("-pk").first()
    print(f"Safeguarding: {SafeguardingConcern.objects.count():,} concerns ({in_year:,} in {year}-{str(year + 1)[2:]}), "
          f"{Enquiry.objects.filter(kind='s42').count():,} s42 enquiries; lead of {team}")
    rows = [_time_page("Safeguarding queue (lead)", lead, "/safeguarding/", runs)]
    if enquiry:
        rows.append(_time_page("Safeguarding enquiry page", lead, f"/safeguarding/enquiries/{enquiry.pk}/", runs))
    rows.append(_time_page(f"SAC tables {year}-{str(year + 1)[2:]} (locality)", lead, f"/safeguarding/returns/?year={year}",
                           max(runs // 3, 3)))
    county, _ = User.objects.get_or_create(username="bench-sg-county", defaults={"first_name": "County", "last_name": "Lead"})
    if not county.memberships.exists():
        for each in Team.objects.filter(team_type="safeguarding"):
            member(county, each, roles.SAFEGUARDING_LEAD)
    rows.append(_time_page(f"SAC tables {year}-{str(year + 1)[2:]} (county)", county, f"/safeguarding/returns/?year={year}",
                           max(runs // 3, 3)))
    rows.append(_time_page("Safeguarding overview (county)", county, "/safeguarding/overview/", max(runs // 3, 3)))
    return rows


def _bench_dols(runs) -> list[dict]:
    """Issue 13: the DoLS queue (every open application, most in breach first), the backlog dashboard
    and the annual return at Kent's volumes (about 10,000 applications a year, thousands open), for a
    locality's lead and the county; and the daily alerts job over the whole database (wall time and
    peak memory, in a transaction rolled back so every run starts alike)."""
    import tracemalloc

    from django.db import transaction

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.notifications.models import Notification
    from ascm.organisation.models import Team
    from safeguarding import returns
    from safeguarding.dols import dols_daily_alerts
    from safeguarding.models_dols import LibertyApplication
    from tests.factories import member

    team = Team.objects.filter(team_type="safeguarding").order_by("pk").first()
    if team is None or not LibertyApplication.objects.exists():
        return []
    lead = User.objects.get(username="bench-sg-lead")
    county = User.objects.get(username="bench-sg-county")
    if not lead.memberships.exists():
        member(lead, team, roles.SAFEGUARDING_LEAD)
    year = returns.current_year() - 1
    label = f"{year}-{str(year + 1)[2:]}"
    open_all = LibertyApplication.objects.filter(status__in=LibertyApplication.OPEN).count()
    print(f"DoLS: {LibertyApplication.objects.count():,} applications, {open_all:,} open across the county")
    few = max(runs // 3, 3)
    rows = [_time_page("DoLS queue (locality lead)", lead, "/safeguarding/dols/", runs),
            _time_page(f"DoLS queue (county, {open_all:,} open)", county, "/safeguarding/dols/", runs),
            _time_page("DoLS queue (county, page 40)", county, "/safeguarding/dols/?page=40", runs),
            _time_page("DoLS backlog dashboard (county)", county, "/safeguarding/dols/backlog/", runs),
            _time_page("DoLS backlog drill-down: breaches", county, "/safeguarding/dols/backlog/breaches/", runs),
            _time_page("API DoLS backlog (county)", county, "/api/v1/dols-backlog/", runs),
            _time_page(f"DoLS return {label} (county)", county, f"/safeguarding/dols/returns/?year={year}", runs),
            _time_page(f"DoLS return {label} drill-down: late", county, f"/safeguarding/dols/returns/{year}/late/", runs),
            _time_csv(f"DoLS return {label} CSV (county)", county, f"/safeguarding/dols/returns/{year}.csv", few)]
    with transaction.atomic():
        Notification.objects.filter(kind__startswith="dols_").delete()
        tracemalloc.start()
        started = time.perf_counter()
        sent = dols_daily_alerts()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        again = time.perf_counter()
        second = dols_daily_alerts()
        elapsed_again = time.perf_counter() - again
        transaction.set_rollback(True)
    row = {"name": "DoLS daily alerts job (whole county)", "path": "safeguarding.dols.dols_daily_alerts",
           "wall_s": round(elapsed, 2), "peak_mb": round(peak / 1e6, 1), "sent": sent,
           "second_run_s": round(elapsed_again, 2), "second_run_sent": second, "status": 200}
    print(f"{row['name']:<30} {elapsed:>9.2f}s peak {row['peak_mb']} MB (Python heap), sent {sent:,}; "
          f"second run {elapsed_again:.2f}s, sent {second}")
    return rows + [row]


def _bench_discharge(runs) -> list[dict]:
    """Issue 14: the patient tracking list for the county (a discharge hub coordinator) and for one
    hospital, its CSV, the morning summary, and the morning DToC job over the county (wall time, peak
    memory, queries per thousand alerts; rolled back so every run starts alike)."""
    import tracemalloc

    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.organisation.models import Team
    from pathways.discharge.alerts import discharge_alerts
    from pathways.discharge.models import Discharge, DischargeAlert
    from tests.factories import member

    in_hospital = Discharge.objects.filter(status="in_hospital").count()
    if not in_hospital:
        return []
    hub, _ = User.objects.get_or_create(username="bench-discharge-hub", defaults={"first_name": "Bench", "last_name": "Hub"})
    if not hub.memberships.exists():
        member(hub, Team.objects.order_by("pk").first(), roles.DISCHARGE_COORDINATOR)
    busiest = (Discharge.objects.filter(status="in_hospital").values("hospital").annotate(n=Count("pk"))
               .order_by("-n").first())
    print(f"Hospital discharge: {Discharge.objects.count():,} stays, {in_hospital:,} in hospital now")
    rows = [_time_page(f"Tracking list (county, {in_hospital:,} in hospital)", hub, "/discharges/", runs),
            _time_page("Tracking list (county, delayed, by name)", hub, "/discharges/?delayed=1&sort=name", runs),
            _time_page(f"Tracking list (one hospital, {busiest['n']:,})", hub, f"/discharges/?hospital={busiest['hospital']}",
                       runs),
            _time_page("Tracking list CSV (county)", hub, "/discharges/?format=csv", max(runs // 3, 3)),
            _time_page("Morning summary (county)", hub, "/discharges/summary/", max(runs // 3, 3)),
            _time_page("API discharges (county, in hospital)", hub, "/api/v1/discharges/?status=in_hospital", runs)]
    with transaction.atomic():
        DischargeAlert.objects.all().delete()
        tracemalloc.start()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            raised = discharge_alerts()
            elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        again = time.perf_counter()
        second = discharge_alerts()
        elapsed_again = time.perf_counter() - again
        transaction.set_rollback(True)
    per_thousand = round(len(captured) / max(raised, 1) * 1000, 1)
    row = {"name": "Morning DToC alerts (county)", "path": "pathways.discharge.alerts.discharge_alerts",
           "wall_s": round(elapsed, 2), "peak_mb": round(peak / 1e6, 1), "raised": raised, "queries": len(captured),
           "queries_per_1000_alerts": per_thousand, "second_run_s": round(elapsed_again, 2), "second_run_raised": second,
           "status": 200}
    print(f"{row['name']:<30} {elapsed:>9.2f}s peak {row['peak_mb']} MB, {raised:,} alerts, {len(captured)} queries "
          f"({per_thousand} per 1,000 alerts); second run {elapsed_again:.2f}s, raised {second}")
    return rows + [row]


def _bench_finance(runs) -> list[dict]:
    """Issue 15: a care package's page, the approval queue (a team manager; the funding panel, county),
    the brokerage queue, the packages list and the commitments page for the county and one locality
    (with its CSV and a drill-down), over about 25,000 active packages and five years of history."""
    from django.db.models import Count

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.core.years import financial_year
    from ascm.organisation.models import Team
    from finance.models import CarePackage, PackageLine
    from tests.factories import member, with_role

    active = CarePackage.objects.filter(status="active").count()
    if not active:
        return []
    first_team = Team.objects.order_by("pk").first()
    users = {}
    for name, role in (("finance", roles.FINANCE_OFFICER), ("broker", roles.BROKER)):
        user, _ = User.objects.get_or_create(username=f"bench-{name}", defaults={"first_name": "Bench", "last_name": name})
        if not user.memberships.exists():
            member(user, first_team, role)
        users[name] = user
    users["panel"] = with_role(User.objects.get_or_create(username="bench-panel")[0], roles.FUNDING_PANEL)
    busiest = (CarePackage.objects.filter(status="submitted").values("locality").annotate(n=Count("pk"))
               .order_by("-n").first())
    manager = (User.objects.filter(memberships__role__slug=roles.TEAM_MANAGER, memberships__ended_on__isnull=True,
                                   memberships__team__locality_id=busiest["locality"]).order_by("pk").first()
               if busiest else None)
    package = (CarePackage.objects.filter(status="active").annotate(n=Count("lines")).order_by("-n", "pk").first())
    year = financial_year()
    locality = busiest["locality"] if busiest else package.locality_id
    kind = (PackageLine.objects.filter(package__locality_id=locality, package__status="active").values("service_type")
            .annotate(n=Count("pk")).order_by("-n").first()["service_type"])
    print(f"Finance: {CarePackage.objects.count():,} care packages, {active:,} active, "
          f"{PackageLine.objects.count():,} lines")
    rows = [_time_page("Care package page", users["finance"], f"/finance/packages/{package.pk}/", runs),
            _time_page("Packages list (county)", users["finance"], "/finance/packages/", runs),
            _time_page("Packages list (active, one locality)", users["finance"],
                       f"/finance/packages/?status=active&locality={locality}", runs),
            _time_page("Approval queue (funding panel, county)", users["panel"], "/finance/approvals/", runs),
            _time_page("Brokerage queue (county)", users["broker"], "/finance/brokerage/", runs),
            _time_page("Commitments (county)", users["finance"], f"/finance/commitments/?year={year}", runs),
            _time_page("Commitments (one locality)", users["finance"], f"/finance/commitments/?year={year}&locality={locality}",
                       runs),
            _time_page("Commitments CSV (county)", users["finance"], f"/finance/commitments/?year={year}&format=csv",
                       max(runs // 3, 3)),
            _time_page("Commitments drill-down (page 1)", users["finance"], f"/finance/commitments/{year}/{locality}/{kind}/",
                       runs),
            _time_page("API commitments (county)", users["finance"], f"/api/v1/commitments/?year={year}", runs)]
    if manager is not None:
        rows.insert(3, _time_page(f"Approval queue (team manager, {busiest['n']} in the locality)", manager,
                                  "/finance/approvals/", runs))
    return rows


def _timed_job(name, job) -> dict:
    """Wall time, peak Python memory and queries of one job, inside a transaction rolled back after."""
    import tracemalloc

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        tracemalloc.start()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            count = job()
            elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        transaction.set_rollback(True)
    per_thousand = round(len(captured) / max(count, 1) * 1000, 1)
    print(f"{name:<30} {elapsed:>9.2f}s peak {peak / 1e6:.1f} MB, {count:,} done, {len(captured)} queries "
          f"({per_thousand} per 1,000)")
    return {"name": name, "wall_s": round(elapsed, 2), "peak_mb": round(peak / 1e6, 1), "done": count,
            "queries": len(captured), "queries_per_1000": per_thousand, "status": 200}


def _bench_charging(runs) -> list[dict]:
    """Issue 16: a pay run over every active package line for a 4-week period, re-assessing everyone on
    a new April table (each rolled back), the financial assessment page and a pay run's page."""
    import datetime as dt
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.organisation.models import Team
    from finance import payments, services
    from finance.defaults import CHARGING_2025
    from finance.models import ChargingRates, FinancialAssessment, PayRun
    from tests.factories import member

    assessment = FinancialAssessment.objects.filter(status="completed").order_by("pk").first()
    if assessment is None:
        return []
    officer, _ = User.objects.get_or_create(username="bench-finance", defaults={"first_name": "Bench"})
    if not officer.memberships.exists():
        member(officer, Team.objects.order_by("pk").first(), roles.FINANCE_OFFICER)
    start = dt.date.today()  # after the synthetic year of pay runs, which end yesterday
    rows = [_time_page("Financial assessment page", officer, f"/finance/financial-assessments/{assessment.pk}/", runs)]

    def pay_run():
        run = PayRun.objects.create(period_start=start, period_end=start + dt.timedelta(days=27), created_by=officer)
        return payments.pay_run_make(run.pk)

    rows.append(_timed_job("Pay run (every active line, 4 weeks)", pay_run))

    def reassess():
        figures = {k: v for k, v in CHARGING_2025.items() if k != "effective_from"}
        rates = ChargingRates.objects.create(**{**figures, "mig_pension_age": Decimal("200.00")},  # a bench figure
                                             effective_from=dt.date(dt.date.today().year + 1, 4, 1))
        with CaptureQueriesContext(connection):
            job = services.reassessment_start(user=officer, rates=rates)
        return services.reassessment_run(job.pk)

    rows.append(_timed_job("Re-assess everyone (new April table)", reassess))
    from django.db import transaction

    with transaction.atomic():
        run = PayRun.objects.create(period_start=start, period_end=start + dt.timedelta(days=27), created_by=officer)
        payments.pay_run_make(run.pk)
        rows.append(_time_page(f"Pay run page ({run.items.count():,} lines)", officer, f"/finance/pay-runs/{run.pk}/",
                               max(runs // 3, 3)))
        transaction.set_rollback(True)
    return rows


def _bench_returns(runs) -> list[dict]:
    """Issue 17: the Client Level Data file for the last ended quarter and the year to it (streamed to
    disk: wall time, peak memory, queries), its validation report's pages, and the performance
    dashboard for the county and for one team."""
    import datetime as dt
    import tempfile

    from django.db.models import Count
    from django.utils import timezone

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.core.years import financial_year
    from ascm.organisation.models import TeamMembership
    from clients import returns
    from clients.models import ReturnFile
    from tests.factories import with_role

    today = timezone.localdate()
    this_start, _ = returns.quarter_bounds(financial_year(today), returns.quarter_of(today))
    end = this_start - dt.timedelta(days=1)
    start, _ = returns.quarter_bounds(financial_year(end), returns.quarter_of(end))
    year_start = dt.date(end.year - 1, end.month, end.day) + dt.timedelta(days=1)
    rows = []
    for name, first in (("CLD file (quarter)", start), ("CLD file (year)", year_start)):
        def make(first=first):
            with tempfile.TemporaryFile() as out:
                return returns.write_file(out, first, end, la_code=returns.la_code())[0]

        rows.append(_timed_job(name, make))
    officer, _ = User.objects.get_or_create(username="bench-returns", defaults={"first_name": "Bench"})
    with_role(officer, roles.PERFORMANCE_OFFICER)
    made = ReturnFile.objects.filter(period_start=start, period_end=end, status="done").first()
    if made is None:
        made = ReturnFile.objects.create(period_start=start, period_end=end, release=returns.CLD_RELEASE, made_by=officer)
        returns.return_file_make(made.pk)
    rows.append(_time_page("CLD validation report", officer, f"/returns/files/{made.pk}/", runs))
    rows.append(_time_page("CLD problems (one group)", officer,
                           f"/returns/files/{made.pk}/problems/?problem=no_nhs_number", runs))

    def year_task():  # the task's whole job: the file, its validation report and the SALT tables
        file = ReturnFile.objects.create(period_start=year_start, period_end=end, release=returns.CLD_RELEASE,
                                         made_by=officer)
        return returns.return_file_make(file.pk)

    rows.append(_timed_job("CLD task: file, report and tables (year)", year_task))
    rows.append(_time_page(f"SALT tables ({made.table_entries.count():,} entries, quarter)", officer,
                           f"/returns/files/{made.pk}/tables/", runs))
    biggest = (made.table_entries.values("table", "row", "column").order_by().annotate(n=Count("pk")).order_by("-n")
               .first())
    if biggest:
        from urllib.parse import urlencode

        rows.append(_time_page(f"SALT figure's list (largest, {biggest['n']:,})", officer,
                               f"/returns/files/{made.pk}/tables/{biggest['table']}/?"
                               f"{urlencode({'row': biggest['row'], 'column': biggest['column']})}", runs))
    year = financial_year(today)
    rows.append(_time_page("Finance return (ASC-FR), this year", officer, f"/finance/asc-fr/?year={year}", runs))
    rows.append(_time_page("ASC-FR people, long-term 65+", officer,
                           f"/finance/asc-fr/people/?year={year}&setting=long&band=65+and+over", runs))
    rows.append(_time_page("API finance return", officer, f"/api/v1/finance-return/?year={year}", runs))
    rows.append(_time_page("Performance dashboard (county)", officer, "/performance/?scope=county", runs))
    manager = (TeamMembership.objects.filter(role__slug=roles.TEAM_MANAGER, ended_on__isnull=True)
               .select_related("user").order_by("pk").first())
    if manager is not None:
        rows.append(_time_page("Performance dashboard (team)", manager.user, "/performance/?scope=teams", runs))
    return rows


def _time_csv(name, user, path, runs) -> dict:
    """A streamed download, timed to its last byte."""
    from django.test import Client as TestClient

    client = TestClient()
    client.force_login(user)
    timings, size = [], 0
    for i in range(runs + 1):
        t0 = time.perf_counter()
        response = client.get(path)
        size = len(b"".join(response.streaming_content))
        if i:
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    row = {"name": name, "path": path, "median_ms": round(statistics.median(timings), 2), "bytes": size,
           "status": response.status_code}
    print(f"{name:<30} {row['median_ms']:>10.1f} {'':>8} {size:>8,} bytes  {row['status']}")
    return row


def _bench_mdt(runs) -> list[dict]:
    """Issue 6: the caseload review for a manager of three teams, its drill-down, and the meeting pack
    for an agenda of 25 people (page and PDF)."""
    from django.db.models import Count, Q

    from ascm.accounts import roles
    from ascm.accounts.models import User
    from ascm.organisation.models import Team, TeamMembership
    from clients.models import Allocation
    from mdt.models import Meeting
    from tests.factories import member

    teams = list(Team.objects.annotate(n=Count("allocations", filter=Q(allocations__ended_on__isnull=True)))
                 .values_list("pk", "locality_id", "n"))
    by_locality: dict[int, list] = {}
    for pk, locality, n in teams:
        by_locality.setdefault(locality, []).append((n, pk))
    # The three teams of one locality nearest 2,500 allocated people (the example), and the
    # three busiest teams in the county (the heaviest case).
    nearest = min((sorted(ts, reverse=True)[:3] for ts in by_locality.values() if len(ts) >= 3),
                  key=lambda ts: abs(sum(n for n, _ in ts) - 2500))
    busiest = sorted(((n, pk) for pk, _, n in teams), reverse=True)[:3]
    rows = []
    for username, chosen in (("bench-manager-2500", nearest), ("bench-manager-busiest", busiest)):
        manager, _ = User.objects.get_or_create(username=username, defaults={"first_name": "Bench", "last_name": "Manager"})
        if not manager.memberships.exists():
            for _, pk in chosen:
                member(manager, Team.objects.get(pk=pk), roles.TEAM_MANAGER)
        team_ids = list(manager.memberships.values_list("team_id", flat=True))
        practitioners = TeamMembership.objects.filter(team_id__in=team_ids, role__slug=roles.PRACTITIONER,
                                                      ended_on__isnull=True).values("user").distinct().count()
        allocated = Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True, worker__isnull=False).count()
        print(f"\nMDT: caseload review of {len(team_ids)} teams, {practitioners} practitioners, {allocated:,} allocated")
        def review_sql(team_ids=team_ids):
            return list(Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True).values("worker_id")
                        .annotate(n=Count("pk")).order_by("worker_id"))

        rows.append(_time_page(f"Caseload review ({allocated:,} people)", manager, "/mdt/caseload/", runs,
                               bare=review_sql))
    manager = User.objects.get(username="bench-manager-2500")
    team_ids = list(manager.memberships.values_list("team_id", flat=True))
    busiest_worker = (Allocation.objects.filter(team_id__in=team_ids, ended_on__isnull=True, worker__isnull=False)
                      .values("worker").annotate(n=Count("pk")).order_by("-n").first())
    rows += [_time_page("API caseload review (1 team)", manager, f"/api/v1/caseload-review/{team_ids[0]}/", runs),
             _time_page(f"Drill-down ({busiest_worker['n']} people)", manager,
                        f"/mdt/caseload/{busiest_worker['worker']}/allocated/", runs)]
    pack = (Meeting.objects.filter(status="scheduled", locality__teams__in=team_ids)
            .annotate(n=Count("agenda", distinct=True)).filter(n__gte=25).order_by("-n").first())
    if pack:
        rows += [_time_page(f"Meeting pack ({pack.n} people)", manager, f"/mdt/{pack.pk}/pack/", runs),
                 _time_page("Meeting pack PDF", manager, f"/mdt/{pack.pk}/pack.pdf", max(runs // 4, 3)),
                 _time_page("Meeting page", manager, f"/mdt/{pack.pk}/", runs),
                 _time_page("MDT locality overview", manager, "/mdt/localities/", runs)]
    return rows


FLOOR_PAGE = "Signed-in page, no data (floor)"
_FLOOR: dict[str, float] = {}  # the floor page's median, once timed


def least_ms(bare_ms: float, floor_ms: float | None) -> float | None:
    """The least a page could cost on this machine: its bare SQL on top of a signed-in page that reads
    nothing. None before the floor is timed."""
    return round(bare_ms + floor_ms, 2) if floor_ms is not None else None


def ratio(page_ms: float, bare_ms: float) -> float | None:
    """How many times its bare SQL a page costs (1 decimal place); None when the bare time is 0."""
    return round(page_ms / bare_ms, 1) if bare_ms > 0 else None


def _median_ms(function, runs: int, warm: int = 3) -> float:
    timings = []
    for i in range(runs + warm):
        t0 = time.perf_counter()
        function()
        if i >= warm:
            timings.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(timings), 2)


def _with_bare(row: dict, bare, runs: int) -> dict:
    """The page's row with the minimal SQL for the same rows, timed in the same run, and the ratio."""
    if bare is not None:
        row["bare_ms"] = _median_ms(bare, runs)
        row["ratio"] = ratio(row["median_ms"], row["bare_ms"])
        least = ""
        row["least_ms"] = least_ms(row["bare_ms"], _FLOOR.get("ms"))
        if row["least_ms"] is not None:
            row["over_least"] = ratio(row["median_ms"], row["least_ms"])
            least = f"; the floor + bare SQL {row['least_ms']:.1f} ms: {row['over_least']}× that"
        print(f"{'  bare SQL for the same rows':<30} {row['bare_ms']:>10.1f}  ratio {row['ratio']}×{least}")
    return row


def _time_page(name, user, path, runs, bare=None) -> dict:
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient()
    client.force_login(user)
    timings = []
    for i in range(runs + 3):
        connection.queries_log.clear()  # the log holds 9,000 queries; a full one counts as zero
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - t0) * 1000
        if i >= 3:
            timings.append(elapsed)
    timings.sort()
    row = {"name": name, "path": path, "median_ms": round(statistics.median(timings), 2),
           "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2), "queries": len(captured), "status": response.status_code}
    print(f"{name:<30} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} {row['queries']:>8}  {row['status']}")
    return _with_bare(row, bare, runs)


def _bench_routing() -> list[dict]:
    """Routing latency from create to routed with a real worker (when Redis answers), and the sweep's
    throughput over BENCH_SWEEP unrouted referrals (measured and rolled back)."""
    import uuid

    from django.db import connection, transaction
    from django.utils import timezone

    from ascm.celery import app
    from clients.models import Allocation
    from pathways.referrals.models import Referral
    from pathways.referrals.services import referral_create, referrals_sweep

    rows = []
    # People with no open work (a new referral for someone with an open episode joins that work and
    # is never routed): the synthetic county gives every allocated person an episode, so these are
    # people not allocated, referred by a practitioner.
    from clients.models import Client
    from pathways.care.models import Episode

    busy = Episode.objects.filter(ended_on__isnull=True).values("client_id")
    referrer = Allocation.objects.filter(ended_on__isnull=True, worker__isnull=False).select_related("worker").first().worker
    people = list(Client.objects.filter(allocations__isnull=True, archived_at__isnull=True).exclude(pk__in=busy)
                  .order_by("-pk")[:int(os.environ.get("BENCH_ROUTING", "100"))])
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
    ready = subprocess.run(["redis-cli", "-u", broker, "ping"], capture_output=True).returncode == 0
    if ready:
        queue = f"bench-{uuid.uuid4().hex[:6]}"
        db = connection.settings_dict
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "ascm.settings.local", "CELERY_BROKER_URL": broker,
                            "CELERY_QUEUE": queue,
                            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"}
        worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "ascm", "worker", "--pool=solo", "-Q", queue,
                                   "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        app.conf.task_always_eager, app.conf.task_default_queue, app.conf.broker_url = False, queue, broker
        try:
            time.sleep(3)
            count = int(os.environ.get("BENCH_ROUTING", "100"))
            ids = []
            for person in people[:count]:
                Referral.objects.filter(client=person).update(status="closed")
                with transaction.atomic():
                    referral = referral_create(user=referrer, client=person, source="gp",
                                               referrer_name="Bench GP", urgency="soon")
                ids.append(referral.pk)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and Referral.objects.filter(pk__in=ids, status="received").exists():
                time.sleep(0.2)
            latencies = sorted((r.routed_at - r.created_at).total_seconds() * 1000
                               for r in Referral.objects.filter(pk__in=ids, routed_at__isnull=False))
            if not latencies:
                raise RuntimeError("the worker routed no referral in two minutes: did it start? "
                                   f"(run: celery -A ascm worker -Q {queue} with CELERY_BROKER_URL={broker})")
            row = {"name": "Routing latency (real worker)", "referrals": len(ids), "routed": len(latencies),
                   "median_ms": round(statistics.median(latencies), 1),
                   "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)], 1)}
            print(f"{row['name']:<30} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}  ({row['routed']}/{row['referrals']} routed)")
            rows.append(row)
        finally:
            worker.terminate()
            worker.wait(timeout=20)
            app.conf.task_always_eager = True
    sweep = int(os.environ.get("BENCH_SWEEP", "10000"))
    if sweep:
        with transaction.atomic():
            old = timezone.now() - datetime.timedelta(minutes=5)
            Referral.objects.bulk_create([
                Referral(client_id=person.pk, locality_id=person.locality_id, source="self", urgency="routine",
                         status="received", created_at=old, received_at=old)
                for person in (people * (sweep // max(len(people), 1) + 1))[:sweep]
            ])
            t0 = time.perf_counter()
            routed = referrals_sweep(older_than_seconds=60)
            seconds = time.perf_counter() - t0
            transaction.set_rollback(True)
        row = {"name": "Sweep of unrouted referrals", "referrals": routed, "per_second": round(routed / seconds)}
        print(f"{row['name']:<30} {routed:>10,} referrals  {row['per_second']:>8,} per second")
        rows.append(row)
    return rows


def _legacy_export(path, rows: int) -> None:
    import csv

    from clients.synthetic import FAMILY, GIVEN

    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["legacy_id", "nhs_number", "given_name", "family_name", "date_of_birth", "gender", "postcode"])
        for n in range(rows):
            writer.writerow([f"IMP{n:07d}", "", GIVEN[n % len(GIVEN)], FAMILY[(n // 7) % len(FAMILY)],
                             f"{1930 + n % 70}-{1 + n % 12:02d}-{1 + n % 28:02d}", "F" if n % 2 else "M",
                             "CT1 1AA" if n % 3 else "not a postcode"])


def _vacuum_dead_rows(threshold: int = 10_000) -> None:
    """VACUUM ANALYZE the tables that rolled-back runs left dead rows in. Three rolled-back imports
    leave about 570,000 dead people, whose entries in the name indexes made the next run's misspelt-name
    search three times slower than on a settled database (autovacuum would get there, in time)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE n_dead_tup > %s", [threshold])
        for (table,) in cursor.fetchall():
            cursor.execute(f'VACUUM ANALYZE "{table}"')


def _bench_import(rows: int) -> dict:
    """Import a synthetic legacy export of `rows` rows from a file, as an upload is, and report rows
    per second; then the peak memory (Python's allocations) importing a quarter of it and all of it,
    which must not grow with the file."""
    import tempfile
    import tracemalloc

    from django.db import transaction

    from clients.importing import people_import

    def run(path, *, traced: bool):
        # Inside a transaction that is rolled back, so the benchmark database keeps N people and every
        # run measures a first import.
        with transaction.atomic(), open(path, "rb") as handle:
            if traced:
                tracemalloc.start()
            result = people_import(data=handle)
            peak = tracemalloc.get_traced_memory()[1] if traced else 0
            tracemalloc.stop()
            transaction.set_rollback(True)
        return result, peak

    with tempfile.TemporaryDirectory() as folder:
        full, quarter = f"{folder}/full.csv", f"{folder}/quarter.csv"
        _legacy_export(full, rows)
        _legacy_export(quarter, rows // 4)
        # The quarter first: it warms the database's caches after the benchmarks before it (a cold first
        # run measured half the steady rate), then the rate from the whole file, untraced.
        _, peak_quarter = run(quarter, traced=True)
        result, _ = run(full, traced=False)
        _, peak_full = run(full, traced=True)
        size = os.path.getsize(full)
    _vacuum_dead_rows()
    print(f"{'Legacy import':<30} {result.rows:>10,} rows  {result.rows_per_second:>8,.0f} rows/s  "
          f"created {result.created:,}, updated {result.updated:,}, unchanged {result.unchanged:,}, rejected {result.rejected:,}")
    print(f"{'  peak memory':<30} {peak_quarter / 1e6:>8.1f} MB for {rows // 4:,} rows, {peak_full / 1e6:.1f} MB for "
          f"{rows:,} ({size / 1e6:.1f} MB file)")
    return {"name": "Legacy import", "rows": result.rows, "rows_per_second": round(result.rows_per_second),
            "created": result.created, "unchanged": result.unchanged, "rejected": result.rejected,
            "peak_mb": {rows // 4: round(peak_quarter / 1e6, 1), rows: round(peak_full / 1e6, 1)}}


if __name__ == "__main__":
    main()
