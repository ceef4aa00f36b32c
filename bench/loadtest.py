"""`make loadtest`: gunicorn (production settings, 4 workers) and a real Celery worker on the benchmark
database, on loopback only, driven by Locust (headless) with the practitioner mix of
bench/locustfile.py at rising concurrency; prints, for each step, the rate, p50/p95/p99 per request
kind, errors, the CPU a request of the server, the database and the load generator, how busy the
machine was, and the highest rate at which p95 stays under 300 ms. A last step drives a signed-in page
that reads no data: the ceiling Django's request stack and the base layout allow on this machine.
Results go to bench-results/loadtest.json. Bounded: each step runs LOADTEST_STEP_SECONDS.

Environment: DATABASE_URL (default the bench database, filled by `make bench`; empty, it is filled
with LOADTEST_PEOPLE synthetic people), CELERY_BROKER_URL (default redis://127.0.0.1:6379/11),
LOADTEST_USERS (the steps, default 4,8,16,32,64), LOADTEST_STEP_SECONDS (default 20),
LOADTEST_WORKERS (gunicorn workers, default 4), LOADTEST_WARMUP_SECONDS (2 users before the first
step, not counted; default 5), LOADTEST_CEILING_USERS (the ceiling step's users,
default 16; 0 to skip it), LOADTEST_PORT (default 8799), LOADTEST_OUT (the
results file), LOADTEST_BURST (referrals in the burst, default 1,000: 4 API clients at once, then how
long each took to be routed by the worker). The load test leaves its referrals in the database."""

import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
P95_GOAL_MS = 300
CORES = len(os.sched_getaffinity(0))  # the cores this process may run on (cpu_count can be the host's)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (gunicorn's workers), from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _database_cpu() -> dict[int, float]:
    """User + system CPU seconds of each of the machine's PostgreSQL processes, by pid, from /proc."""
    found, ticks = {}, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        if head.endswith("(postgres"):
            fields = rest.split()
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def database_cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """The database's CPU between two readings: what each process still running used since the first
    (a backend that began since, all of its own). A backend that ended in between is not counted, so
    this is at most an undercount (gunicorn's connections outlive a step: CONN_MAX_AGE)."""
    return sum(max(seconds - before.get(pid, 0.0), 0.0) for pid, seconds in after.items())


def _machine_busy() -> tuple[float, float]:
    """(busy, all) CPU time of the whole machine since boot, from /proc/stat, in ticks."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def per_request(seconds: float, requests: int) -> float | None:
    """CPU milliseconds a request, to one decimal; None when nothing was answered."""
    return round(seconds * 1000 / requests, 1) if requests else None


def cpu_ceiling(cpu_ms_per_request: float, cores: int) -> float:
    """The most requests a second the machine's cores could answer at that CPU cost a request, were
    nothing else running and every core kept busy."""
    return round(cores * 1000 / cpu_ms_per_request, 1)


def highest_rate(steps: list[dict], goal_ms: float = P95_GOAL_MS) -> float | None:
    """The highest requests a second of the steps whose p95 (all kinds together) is under the goal
    and that had no errors; None when none was."""
    good = [s["rps"] for s in steps if s["p95_ms"] < goal_ms and not s["failures"]]
    return max(good) if good else None


def _number(text: str) -> float:
    """A figure of Locust's CSV; 0 where it has none ("N/A" for a kind with too few requests)."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _read_stats(prefix: str) -> dict:
    """Locust's *_stats.csv: per request kind and "Aggregated"."""
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                 "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"]),
                                 "p99_ms": _number(row["99%"]), "rps": _number(row["Requests/s"])}
    return rows


def _prepare(env: dict) -> dict:
    """Sessions and API tokens for synthetic practitioners, their people, search terms and people to
    refer, made in a child process with the server's settings (its secret signs the sessions)."""
    out = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False).name
    subprocess.run([sys.executable, "-c", _PREPARE, out], cwd=ROOT, env=env, check=True)
    return {"path": out, **json.loads(Path(out).read_text())}


_PREPARE = r"""
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management import call_command
import os
from ascm.accounts import roles
from ascm.accounts.models import User
from clients.models import Allocation, Client
from rest_framework.authtoken.models import Token

call_command("migrate", verbosity=0)
if not Client.objects.exists():
    call_command("generate_synthetic", people=int(os.environ.get("LOADTEST_PEOPLE", "2000")))
staff = []
workers = (User.objects.filter(is_active=True, memberships__role__slug=roles.PRACTITIONER,
                               allocations__ended_on__isnull=True).distinct().order_by("pk")[:40])
for user in workers:
    people = list(Allocation.objects.filter(worker=user, ended_on__isnull=True).values_list("client_id", flat=True)[:50])
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "ascm.accounts.backends.RoleModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=user)
    staff.append({"username": user.username, "session": session.session_key, "token": token.key, "people": people})
names = list(Client.objects.order_by("?").values_list("family_name", flat=True)[:200])
postcodes = list(Client.objects.exclude(postcode="").order_by("?").values_list("postcode", flat=True)[:50])
from pathways.care.models import Episode
from pathways.referrals.models import Referral
# People with no open work, so a referral for them is routed rather than linked to their work.
free = (Client.objects.filter(archived_at__isnull=True, locality__isnull=False, allocations__isnull=True)
        .exclude(pk__in=Episode.objects.filter(ended_on__isnull=True).values("client_id"))
        .exclude(pk__in=Referral.objects.filter(status__in=["received", "routed", "allocated", "linked"]).values("client_id"))
        .order_by("?").values_list("pk", flat=True)[:int(os.environ.get("LOADTEST_BURST", "1000")) + 500])
free = list(free)
json.dump({"staff": staff, "searches": names + postcodes, "referable": free[:500], "burst": free[500:],
           "session_cookie": settings.SESSION_COOKIE_NAME}, open(sys.argv[1], "w"))
"""

_ROUTED = r"""
import json, sys, time
import django
django.setup()
from pathways.referrals.models import Referral
ids = json.load(open(sys.argv[1]))
deadline = time.monotonic() + 120
while time.monotonic() < deadline and Referral.objects.filter(pk__in=ids, status="received").exists():
    time.sleep(0.1)
rows = list(Referral.objects.filter(pk__in=ids).values_list("created_at", "routed_at", "status"))
created = max(c for c, _, _ in rows)
routed = [r for _, r, _ in rows if r]
print(json.dumps({"referrals": len(rows), "routed": len(routed),
                  "latencies_ms": sorted((r - c).total_seconds() * 1000 for c, r, _ in rows if r),
                  "after_last_ms": (max(routed) - created).total_seconds() * 1000 if routed else None}))
"""


def _burst(port: int, data: dict, env: dict, clients: int = 4) -> dict:
    """LOADTEST_BURST referrals posted by `clients` API clients at once; how long each took from
    created to routed, and how long after the last was created the last was routed."""
    import threading

    people = data["burst"]
    ids, lock = [], threading.Lock()

    def post(mine, token):
        for person in mine:
            body = json.dumps({"client": person, "source": "gp", "referrer_name": "Load test GP", "urgency": "soon",
                               "needs_in_persons_words": "Synthetic burst referral"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/referrals/", data=body, method="POST",
                                             headers={"Authorization": f"Token {token}",
                                                      "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own loopback server
                made = json.loads(response.read())
            with lock:
                ids.append(made["id"])

    threads = [threading.Thread(target=post, args=(people[i::clients], data["staff"][i % len(data["staff"])]["token"]))
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    posting = time.perf_counter() - started
    path = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False).name
    Path(path).write_text(json.dumps(ids))
    done = subprocess.run([sys.executable, "-c", _ROUTED, path], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    os.unlink(path)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    latencies = found.pop("latencies_ms")
    return {**found, "clients": clients, "posting_seconds": round(posting, 1),
            "p50_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
            "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)], 1) if latencies else None}


def _static_current() -> bool:
    """Whether the collected files' manifest is newer than our own static files and the packages
    installed (compressing every file again takes most of a minute)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / ".venv" / ".installed", *(p for d in ("static", "build/static") for p in (ROOT / d).rglob("*") if p.is_file())]
    return all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources if p.exists())


def _wait_for(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def _step(users: int, user_class: str, port: int, logs: str, data: dict, server, seconds: int | None = None) -> dict:
    """One bounded step of Locust at `users`, with the CPU a request of the server (gunicorn and its
    workers), the database and the load generator itself, and how busy the whole machine was."""
    import resource

    prefix = f"{logs}/step-{user_class}-{users}"
    seconds = seconds or int(os.environ.get("LOADTEST_STEP_SECONDS", "20"))
    before = (_cpu_seconds(server.pid), _database_cpu(), resource.getrusage(resource.RUSAGE_CHILDREN),
              _machine_busy())
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
         "--csv", prefix, "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5", user_class],
        cwd=ROOT, env=os.environ | {"LOADTEST_DATA": data["path"]}, stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.log", "w"), check=False)
    after = (_cpu_seconds(server.pid), _database_cpu(), resource.getrusage(resource.RUSAGE_CHILDREN),
             _machine_busy())
    load = (after[2].ru_utime + after[2].ru_stime) - (before[2].ru_utime + before[2].ru_stime)
    busy, every = after[3][0] - before[3][0], after[3][1] - before[3][1]
    stats = _read_stats(prefix)
    total = stats.get("Aggregated", {"requests": 0, "failures": 0, "p50_ms": 0, "p95_ms": 0, "p99_ms": 0, "rps": 0})
    n = total["requests"]
    cpu = {"cpu_ms_per_request": per_request(after[0] - before[0], n),
           "db_cpu_ms_per_request": per_request(database_cpu_used(before[1], after[1]), n),
           "load_cpu_ms_per_request": per_request(load, n)}
    cpu["all_cpu_ms_per_request"] = round(sum(v for v in cpu.values() if v), 1) if n else None
    return {"users": users, "kind": user_class, **total, **cpu,
            "machine_busy_percent": round(100 * busy / every, 0) if every else None,
            "kinds": {k: v for k, v in stats.items() if k != "Aggregated"}}


def _print_step(step: dict) -> None:
    kinds = ", ".join(f"{k} {v['p95_ms']:.0f}" for k, v in step["kinds"].items())
    print(f"{step['users']:>5} {step['rps']:>7.1f} {step['p50_ms']:>6.0f} {step['p95_ms']:>6.0f} {step['p99_ms']:>6.0f} "
          f"{step['failures']:>6}  {'':>17}{step['cpu_ms_per_request'] or 0:>6.1f} {step['db_cpu_ms_per_request'] or 0:>5.1f} "
          f"{step['load_cpu_ms_per_request'] or 0:>5.1f} {step['all_cpu_ms_per_request'] or 0:>5.1f}  "
          f"{step['machine_busy_percent'] or 0:>3.0f}%  {kinds}", flush=True)


def main() -> int:
    from bench.__main__ import _database_url

    port = int(os.environ.get("LOADTEST_PORT", "8799"))
    steps = [int(n) for n in os.environ.get("LOADTEST_USERS", "4,8,16,32,64").split(",")]
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
    queue = f"loadtest-{secrets.token_hex(3)}"
    env = os.environ | {
        "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "ascm.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "CELERY_BROKER_URL": broker, "CELERY_QUEUE": queue,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "false", "AXES_ENABLED": "false",
        # Connections that last the run (production reconnects once a minute, a cost too small to see), so
        # the database's CPU is read off the same backends from the start of a step to its end.
        "DATABASE_CONN_MAX_AGE": "900",
    }
    print(f"Database {env['DATABASE_URL']}; preparing sessions and tokens…", flush=True)
    data = _prepare(env)
    print(f"{len(data['staff'])} practitioners signed in; {len(data['referable'])} people to refer", flush=True)
    if not _static_current():
        print("Collecting static files (compressed, as in production)…", flush=True)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT,
                       env=env, check=True)
    logs = tempfile.mkdtemp(prefix="ascm-loadtest-")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ascm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", os.environ.get("LOADTEST_WORKERS", "4"), "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=open(f"{logs}/access.log", "w"), stderr=open(f"{logs}/gunicorn.log", "w"))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ascm", "worker", "--concurrency=1", "-Q", queue, "--loglevel=WARNING",
         "--without-gossip", "--without-mingle"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(f"{logs}/celery.log", "w"))
    results, burst, ceiling = [], None, None
    try:
        if not _wait_for(f"http://127.0.0.1:{port}/healthz", 60):
            print(Path(f"{logs}/gunicorn.log").read_text()[-2000:])
            raise SystemExit("gunicorn did not answer /healthz within a minute")
        print(f"\n{'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}  CPU ms a request: "
              f"{'server':>6} {'db':>5} {'load':>5} {'all':>5}  busy  by kind (p95 ms)")
        warmup = int(os.environ.get("LOADTEST_WARMUP_SECONDS", "5"))
        if warmup:  # each gunicorn worker's first requests fill its caches: not counted in any step
            _step(2, "Practitioner", port, logs, data, server, seconds=warmup)
        for users in steps:
            step = _step(users, "Practitioner", port, logs, data, server)
            results.append(step)
            _print_step(step)
        ceiling_users = int(os.environ.get("LOADTEST_CEILING_USERS", "16"))
        if ceiling_users:
            # The same server and the same signed-in staff on a page that reads no data: what Django's
            # request stack and the base layout alone allow on this machine, to read the mix against.
            ceiling = _step(ceiling_users, "SignedInPage", port, logs, data, server)
            print(f"\nCeiling on this machine: a signed-in page that reads no data (/accessibility/), "
                  f"{ceiling_users} users:", flush=True)
            _print_step(ceiling)
            if ceiling["all_cpu_ms_per_request"]:
                print(f"At {ceiling['all_cpu_ms_per_request']} ms of CPU a request (server, database and load "
                      f"together), {CORES} cores answer at most "
                      f"{cpu_ceiling(ceiling['all_cpu_ms_per_request'], CORES)} such pages a second", flush=True)
        if data["burst"]:
            burst = _burst(port, data, env)
            print(f"\nReferral burst: {burst['referrals']:,} created by {burst['clients']} API clients at once in "
                  f"{burst['posting_seconds']} s; created to routed p50 {burst['p50_ms']} ms, p95 {burst['p95_ms']} ms; "
                  f"the last routed {burst['after_last_ms']:.0f} ms after the last was created "
                  f"({burst['routed']:,} routed)", flush=True)
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        os.unlink(data["path"])
    best = highest_rate(results)
    print(f"\nHighest rate with p95 under {P95_GOAL_MS} ms and no errors: "
          f"{f'{best:.1f} requests a second' if best else 'none of the steps'}")
    costs = [s["all_cpu_ms_per_request"] for s in results if s["all_cpu_ms_per_request"]]
    if costs:
        print(f"The mix costs {min(costs)}–{max(costs)} ms of CPU a request in all: on {CORES} cores, at most "
              f"{cpu_ceiling(max(costs), CORES)}–{cpu_ceiling(min(costs), CORES)} requests a second")
    out = Path(os.environ.get("LOADTEST_OUT", ROOT / "bench-results" / "loadtest.json"))
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"steps": results, "highest_rate": best, "p95_goal_ms": P95_GOAL_MS, "burst": burst,
                               "ceiling": ceiling, "cores": CORES},
                              indent=2))
    print(f"Written {out} (logs in {logs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
