"""`make loadtest` starts gunicorn and a Celery worker, drives a step of the practitioner mix, writes
its results and stops everything cleanly — on a tiny database of its own (the load test itself runs
minutes on the bench database, outside `make test`)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.loadtest import cpu_ceiling, database_cpu_used, highest_rate, per_request

ROOT = Path(__file__).resolve().parents[2]


def test_the_highest_rate_is_the_best_step_within_the_goal_with_no_errors():
    steps = [{"rps": 30.0, "p95_ms": 120, "failures": 0}, {"rps": 55.0, "p95_ms": 280, "failures": 0},
             {"rps": 70.0, "p95_ms": 420, "failures": 0}, {"rps": 60.0, "p95_ms": 250, "failures": 3}]
    assert highest_rate(steps) == 55.0
    assert highest_rate([{"rps": 10.0, "p95_ms": 900, "failures": 0}]) is None


def test_cpu_a_request_and_the_ceiling_it_allows():
    assert per_request(1.5, 100) == 15.0 and per_request(1.0, 0) is None
    assert cpu_ceiling(10.0, 2) == 200.0  # 2 cores at 10 ms a request: 200 a second
    assert cpu_ceiling(25.0, 2) == 80.0


def test_the_databases_cpu_counts_backends_that_began_and_never_goes_negative():
    before = {10: 5.0, 11: 2.0, 12: 9.0}  # 12 ends before the second reading
    after = {10: 6.5, 11: 2.0, 13: 0.25}  # 13 began since
    assert database_cpu_used(before, after) == 1.75
    assert database_cpu_used({20: 3.0}, {20: 3.0, 21: 0.0}) == 0.0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_load_test_starts_drives_a_step_and_stops_cleanly(tmp_path):
    # On the test database (emptied after the test): the load test fills it with a tiny county.
    if not settings.TEST_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis (CI has both)")
    db = connection.settings_dict
    name = db["NAME"]
    port = 8790 + os.getpid() % 8
    out = tmp_path / "loadtest.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadtest"], cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=os.environ | {"DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}",
                          "CELERY_BROKER_URL": settings.TEST_BROKER_URL, "LOADTEST_PEOPLE": "200",
                          "LOADTEST_WORKERS": "2", "LOADTEST_USERS": "2", "LOADTEST_STEP_SECONDS": "3", "LOADTEST_PORT": str(port),
                          "LOADTEST_CEILING_USERS": "2", "LOADTEST_WARMUP_SECONDS": "1",
                          "LOADTEST_OUT": str(out)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    written = json.loads(out.read_text())
    (step,) = written["steps"]
    assert step["requests"] > 0 and step["failures"] == 0, step
    assert step["cpu_ms_per_request"] > 0 and step["db_cpu_ms_per_request"] > 0 and step["load_cpu_ms_per_request"] > 0
    # The ceiling: signed-in staff on a page that reads no data (a redirect to sign in would fail it).
    ceiling = written["ceiling"]
    assert set(ceiling["kinds"]) == {"signed-in page"} and ceiling["requests"] > 0 and ceiling["failures"] == 0, ceiling
    assert "Ceiling on this machine" in done.stdout
    # Every user starts on the work page; the rest of the mix is drawn at random.
    assert "work page" in step["kinds"] and set(step["kinds"]) <= {"search", "record", "work page", "referral (API)"}
    with socket.socket() as probe:  # gunicorn has gone: nothing answers on its port
        assert probe.connect_ex(("127.0.0.1", port)) != 0
