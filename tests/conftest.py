import pytest
from rest_framework.test import APIClient

from ascm.accounts import roles

from .factories import LocalityFactory, TeamFactory, UserFactory, member, with_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (what users may reach is cached across requests)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _roles(db):
    """Roles are data: migrate creates them once for the session (and post_migrate brings them back
    after a transactional test's flush). Ensuring them again costs a query, not a full seeding."""
    from ascm.accounts.models import Role

    if Role.objects.count() < len(roles.DEFAULT_ROLES):
        roles.roles_ensure()


@pytest.fixture
def canterbury():
    return LocalityFactory(name="Canterbury")


@pytest.fixture
def thanet():
    return LocalityFactory(name="Thanet")


@pytest.fixture
def canterbury_team(canterbury):
    return TeamFactory(name="Canterbury Promoting Independence", locality=canterbury)


@pytest.fixture
def thanet_team(thanet):
    return TeamFactory(name="Thanet Promoting Independence", locality=thanet)


@pytest.fixture
def administrator():
    return with_role(UserFactory(username="admin1", first_name="Ada", last_name="Admin"), roles.ADMINISTRATOR)


@pytest.fixture
def auditor():
    return with_role(UserFactory(username="auditor1", first_name="Ash", last_name="Auditor"), roles.AUDITOR)


@pytest.fixture
def practitioner(canterbury_team):
    user = UserFactory(username="pat", first_name="Pat", last_name="Practitioner")
    member(user, canterbury_team, roles.PRACTITIONER)
    return user


@pytest.fixture
def manager(canterbury_team):
    user = UserFactory(username="morgan", first_name="Morgan", last_name="Manager")
    member(user, canterbury_team, roles.TEAM_MANAGER)
    return user


@pytest.fixture
def person(canterbury_team, practitioner, canterbury):
    """A person allocated to the Canterbury team, with the practitioner as their worker."""
    from tests.clients.factories import ClientFactory, allocate

    return allocate(ClientFactory(locality=canterbury), canterbury_team, worker=practitioner).client


@pytest.fixture
def thanet_practitioner(thanet_team):
    user = UserFactory(username="tam", first_name="Tam", last_name="Thanet")
    member(user, thanet_team, roles.PRACTITIONER)
    return user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """SQLite empties tables with DELETE between transactional tests, so there the test database
    drops the audit log's DELETE guard; on PostgreSQL the flush deletes with triggers off."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    elif connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
        if superuser:
            _flush_by_delete(type(connection.ops))


def _flush_by_delete(operations):
    """Between transactional tests PostgreSQL's TRUNCATE of ~110 tables costs about a second, mostly
    for tables that are empty; DELETE of a few rows costs nothing. With triggers off for the
    transaction (foreign-key checks and the audit log's append-only guard), so order does not matter.
    Resetting sequences (the flush command's own use) still truncates."""
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica;"] + [
            f"DELETE FROM {self.quote_name(table)};" for table in sorted(tables)  # noqa: S608 - quoted table names
        ]

    operations.sql_flush = sql_flush


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    """The API client, signed in as the user (as if by token or session)."""
    api.force_authenticate(user)
    return api
