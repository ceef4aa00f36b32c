"""The audit log is append-only at the database level: UPDATE and DELETE of a row raise an error,
whoever asks (the admin, a shell, a bug). TRUNCATE is left to the DBA's own account and tests."""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON auditlog_logentry;
DROP FUNCTION IF EXISTS audit_entry_refuse_change();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON auditlog_logentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON auditlog_logentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE refused'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_entry_no_update;", "DROP TRIGGER IF EXISTS audit_entry_no_delete;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(forward, reverse)]
