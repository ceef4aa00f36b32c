import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ascm.accounts.models import User
from ascm.organisation.models import GPPractice, Locality, PostcodeDistrict, Team, TeamMembership

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(module: str, env: dict) -> dict:
    """Import a settings module in a clean process with exactly the given environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "db = settings.DATABASES['default'];"
        "print(json.dumps({'engine': db['ENGINE'], 'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
        "'debug': settings.DEBUG, 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0),"
        "'broker': settings.CELERY_BROKER_URL}))"
    )
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, "HOME": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True)
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_is_sqlite_with_tasks_in_process():
    loaded = _settings_in_subprocess("ascm.settings.local", {})
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["eager"] is True
    assert loaded["debug"] is False


def test_database_and_broker_come_from_the_environment():
    loaded = _settings_in_subprocess(
        "ascm.settings.local",
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1"},
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["eager"] is False
    assert loaded["broker"] == "redis://127.0.0.1:6379/1"


def test_debug_is_only_on_when_the_environment_says_so():
    assert _settings_in_subprocess("ascm.settings.local", {"DJANGO_DEBUG": "true"})["debug"] is True


@pytest.mark.parametrize(
    "missing, message",
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("CELERY_BROKER_URL", "CELERY_BROKER_URL"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@h/d", "CELERY_BROKER_URL": "redis://h:6379/0"}
    del env[missing]
    loaded = _settings_in_subprocess("ascm.settings.production", env)
    assert "ImproperlyConfigured" in loaded["error"] and message in loaded["error"]


def test_production_sets_hsts():
    env = {"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@h/d", "CELERY_BROKER_URL": "redis://h:6379/0"}
    assert _settings_in_subprocess("ascm.settings.production", env)["hsts"] >= 31_536_000


@pytest.mark.django_db
def test_security_headers_are_set(client):
    response = client.get("/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_healthz_reports_every_part(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"] == {"status": "ok", "detail": "tasks run in-process"}


@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200  # the application still works: saving must not need Redis
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"]["status"] == "error"


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(capsys):
    def counts():
        return [m.objects.count() for m in (Locality, PostcodeDistrict, GPPractice, Team, User, TeamMembership)]

    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert first[0] == 12
    assert "practitioner" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_shepway_is_known_by_its_current_name():
    call_command("load_demo")
    locality = Locality.objects.get(name="Folkestone and Hythe")
    assert locality.former_names == "Shepway"
    assert PostcodeDistrict.objects.get(code="TN29").locality == locality
