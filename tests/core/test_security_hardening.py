"""Security hardening: no caching of personal data, no redirects off the site, no sign-out by GET,
passwords people can change, API tokens that expire and can be revoked, production settings that
refuse placeholders, and an audit log the application's own database role cannot empty."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ascm.accounts.models import User
from ascm.audit.models import AuditEntry
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_records_and_api_answers_are_never_cached(client, api, practitioner, person):
    client.force_login(practitioner)
    assert client.get(f"/people/{person.pk}/")["Cache-Control"] == "no-store"
    api.force_authenticate(practitioner)
    assert api.get(f"/api/v1/clients/{person.pk}/")["Cache-Control"] == "no-store"


def test_html_is_compressed(client, practitioner, person):
    client.force_login(practitioner)
    response = client.get(f"/people/{person.pk}/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x"])
def test_next_never_leads_off_the_site(client, practitioner, target):
    from ascm.notifications.models import Notification
    from ascm.notifications.services import notify

    notify(recipients=[practitioner], kind="x", key="k", title="t", url="/work/")
    client.force_login(practitioner)
    note = Notification.objects.get()
    response = client.post(f"/notifications/{note.pk}/read/", {"next": target})
    assert response["Location"] == "/notifications/"
    assert client.post("/notifications/read-all/", {"next": "/work/"})["Location"] == "/work/"


def test_people_change_their_own_password_and_stay_signed_in(client, practitioner):
    client.force_login(practitioner)
    wrong = client.post("/account/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "a-new-long-passphrase-26",
                                                   "new_password2": "a-new-long-passphrase-26"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    practitioner.refresh_from_db()
    assert practitioner.check_password("a-new-long-passphrase-26")


def test_an_api_token_expires_and_can_be_revoked(client, api, practitioner, settings):
    client.force_login(practitioner)
    page = client.post("/account/token/").content.decode()
    token = Token.objects.get(user=practitioner)
    assert token.key in page
    assert token.key not in client.get("/account/").content.decode()  # shown once only
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/notifications/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=settings.ASCM_API_TOKEN_DAYS + 1))
    expired = api.get("/api/v1/notifications/")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    client.post("/account/token/")
    fresh = Token.objects.get(user=practitioner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {fresh.key}")
    assert api.get("/api/v1/notifications/").status_code == 200
    client.post("/account/token/revoke/")
    assert api.get("/api/v1/notifications/").status_code == 401
    assert AuditEntry.objects.filter(content_type__model="token", action=AuditEntry.Action.DELETE).exists()
    assert not AuditEntry.objects.filter(changes__icontains=fresh.key).exists()  # never the key


def test_no_anonymous_user_account_is_created_or_listed(api, administrator):
    assert not User.objects.filter(username="AnonymousUser").exists()
    User.objects.create(username="AnonymousUser")  # as an older database still holds
    api.force_authenticate(administrator)
    names = [u["username"] for u in api.get("/api/v1/users/?page_size=200").json()["results"]]
    assert "AnonymousUser" not in names and administrator.username in names


def test_the_api_docs_page_declares_its_language(client):
    assert b'<html lang="en-GB">' in client.get("/api/docs/").content


def test_govuk_frontend_is_loaded_once_from_its_hashed_address(client, practitioner):
    client.force_login(practitioner)
    page = client.get("/").content.decode()
    assert page.count("govuk-frontend.min.js") == 1 and 'data-govuk-frontend="/static/' in page
    script = (ROOT / "static" / "js" / "ascm.js").read_text()
    assert "from '/static/govuk" not in script  # no unhashed second copy


@pytest.mark.parametrize("env, message", [
    ({"DJANGO_SECRET_KEY": "changeme"}, "DJANGO_SECRET_KEY"),
    ({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "true"}, "DJANGO_DEBUG"),
])
def test_production_refuses_a_placeholder_secret_and_debug(env, message):
    environment = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1/db", "CELERY_BROKER_URL": "redis://127.0.0.1",
                   "DJANGO_SETTINGS_MODULE": "ascm.settings.production", **env}
    environment.pop("DJANGO_DEBUG", None) if "DJANGO_DEBUG" not in env else None
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=environment,
                          capture_output=True, text=True)
    assert done.returncode != 0 and message in done.stderr


def test_the_audit_log_cannot_be_flushed_by_command():
    AuditEntry.objects.log_create(User.objects.create(username="someone"), force_log=True, action=AuditEntry.Action.CREATE)
    with pytest.raises(CommandError, match="append-only"):
        call_command("auditlogflush", "--yes", "--truncate")
    assert AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_apps_own_database_role_cannot_truncate_alter_or_rewrite_the_audit_log():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    import psycopg2

    role = "ascm_test_app_role"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role} LOGIN")
    try:
        call_command("grant_app_role", role)
        AuditEntry.objects.log_create(User.objects.create(username="someone"), force_log=True,
                                      action=AuditEntry.Action.CREATE)
        params = connection.get_connection_params()
        params.update(user=role)
        params.pop("password", None)
        app = psycopg2.connect(**{k: v for k, v in params.items() if k in ("dbname", "database", "host", "port", "user")})
        app.autocommit = True
        try:
            with app.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM auditlog_logentry")
                assert cursor.fetchone()[0] >= 1
                cursor.execute("INSERT INTO auditlog_logentry (content_type_id, object_pk, object_repr, action, changes_text,"
                               " timestamp, additional_data, actor_email) SELECT content_type_id, object_pk, object_repr,"
                               " action, '', now(), additional_data, '' FROM auditlog_logentry LIMIT 1")
                cursor.execute("UPDATE clients_client SET version = version WHERE false")  # ordinary tables: yes
                for statement in ("TRUNCATE auditlog_logentry", "ALTER TABLE auditlog_logentry DISABLE TRIGGER ALL",
                                  "UPDATE auditlog_logentry SET object_repr = 'x'", "DELETE FROM auditlog_logentry"):
                    with pytest.raises(psycopg2.Error):
                        cursor.execute(statement)
        finally:
            app.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
