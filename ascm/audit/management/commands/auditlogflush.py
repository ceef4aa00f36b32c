"""django-auditlog's auditlogflush empties the audit log. ASCM's log is append-only: refuse it."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refused: the audit log is append-only and is never emptied."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("--yes", "-y", action="store_true")
        parser.add_argument("--truncate", "-t", action="store_true")
        parser.add_argument("--before-date", "-b")

    def handle(self, *args, **options):
        raise CommandError("The audit log is append-only: nobody empties it, not even an administrator. "
                           "Keeping or archiving old entries is a job for the database administrator's own account.")
