"""Fuzzy name search on PostgreSQL: trigram indexes (pg_trgm) on the folded names. They also serve
the prefix (LIKE 'smi%') searches. SQLite uses the phonetic keys and plain indexes instead."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS client_search_family_trgm ON clients_client USING gin (search_family gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS client_search_given_trgm ON clients_client USING gin (search_given gin_trgm_ops)",
]
REVERSE = ["DROP INDEX IF EXISTS client_search_family_trgm", "DROP INDEX IF EXISTS client_search_given_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in REVERSE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
