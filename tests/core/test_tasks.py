import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from ascm.celery import app
from ascm.core.tasks import clear_expired_sessions_task

ROOT = Path(__file__).resolve().parents[2]


def _sessions(expired: int, live: int):
    now = timezone.now()
    for n in range(expired):
        Session.objects.create(session_key=f"expired{n:032d}", session_data="", expire_date=now - timedelta(minutes=1))
    for n in range(live):
        Session.objects.create(session_key=f"live{n:035d}", session_data="", expire_date=now + timedelta(minutes=29))


@pytest.mark.django_db
def test_clearing_expired_sessions_keeps_live_ones_and_is_safe_to_run_twice():
    _sessions(expired=3, live=2)
    assert clear_expired_sessions_task.delay().get() == 3
    assert clear_expired_sessions_task.delay().get() == 0
    assert Session.objects.count() == 2


def start_worker(queue: str, env: dict, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ascm", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h",
         "--loglevel=INFO", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def worker_env(queue: str) -> dict:
    db = connection.settings_dict
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "ascm.settings.local",
        "DJANGO_SECRET_KEY": "worker-test-only",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.TEST_BROKER_URL,
        "CELERY_QUEUE": queue,
    }


@pytest.fixture
def celery_worker_process(request):
    """A real Celery worker process on the machine's broker, using the test database."""
    broker = settings.TEST_BROKER_URL
    if not broker or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (CI has both)")
    queue = f"ascm-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "ascm.settings.local",
        "DJANGO_SECRET_KEY": "worker-test-only",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
    }
    log = open(ROOT / f".worker-{queue}.log", "w+")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ascm",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    app.conf.broker_url = broker
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.seek(0)
        print("--- worker log ---\n" + log.read()[-3000:])  # shown by pytest when a test fails
        log.close()
        os.unlink(log.name)


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)  # the worker process must see committed rows
def test_a_real_worker_runs_the_task_sent_through_redis(celery_worker_process):
    _sessions(expired=4, live=1)
    clear_expired_sessions_task.apply_async(queue=celery_worker_process)
    assert _wait_for(lambda: Session.objects.count() == 1), "the worker did not clear the expired sessions"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_healthz_sees_the_running_worker(celery_worker_process, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.TEST_BROKER_URL
    assert _wait_for(lambda: client.get("/healthz").json()["checks"]["worker"]["status"] == "ok")
    body = client.get("/healthz").json()
    assert body["checks"]["broker"] == {"status": "ok"}


def run_twice_on_worker(queue: str, task, *args) -> list[int]:
    """Send `task` (with `args`) twice — beat firing again, or a message redelivered — to a real worker
    on `queue`; wait for both to succeed and return what each run returned, smallest first."""
    name = task.name.rsplit(".", 1)[-1]
    log_path = ROOT / f".worker-{queue}.log"
    with open(log_path, "w+") as log:
        worker = start_worker(queue, worker_env(queue), log)
        try:
            task.delay(*args)
            task.delay(*args)

            def finished():
                return len(re.findall(rf"{name}\[[^]]+\] succeeded", log_path.read_text())) == 2
            assert _wait_for(finished, 60), log_path.read_text()[-2000:]
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    runs = re.findall(rf"{name}\[[^]]+\] succeeded in [0-9.]+s: (\d+)", log_path.read_text())
    os.unlink(log_path)
    return sorted(int(n) for n in runs)
