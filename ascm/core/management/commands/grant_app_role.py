"""Give the application's own database role what it needs, and no more (PostgreSQL).

Production connects as a role that owns nothing: the tables belong to the role that runs the
migrations. Owning nothing, the application cannot TRUNCATE, ALTER or DISABLE TRIGGER on any
table; on the audit log it may only read and append (no UPDATE, DELETE or TRUNCATE). Run by the
owner after every migrate (docker-compose's migrate service does): new tables get the same grants.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ascm.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Grant the application's database role read/write on the tables and append-only on the audit log."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web, worker and beat processes connect as")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL set-up; the embedded SQLite default has none.")
        audit_table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no database role {role}: create it first (see README, 'Production').")
            ident = connection.ops.quote_name(role)
            database = connection.ops.quote_name(connection.settings_dict["NAME"])
            for statement in (
                f"GRANT CONNECT ON DATABASE {database} TO {ident}",
                f"GRANT USAGE ON SCHEMA public TO {ident}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ident}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ident}",
                f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {connection.ops.quote_name(audit_table)} FROM {ident}",
            ):
                cursor.execute(statement)
        self.stdout.write(f"{role}: read and write on the tables, append-only on {audit_table}, owns nothing.")
