import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ascm.accounts.models import User
from clients.importing import FileRefused, people_import


class Command(BaseCommand):
    help = "Import people from a legacy client database CSV export (see README for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--report", type=Path, help="Where to write the per-row report (default: FILE.report.csv)")
        parser.add_argument("--user", help="Username recorded as having imported the people")

    def handle(self, *args, file: Path, report: Path | None, user: str | None, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        actor = User.objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"No such user: {user}")
        try:
            with file.open("rb") as handle:
                result = people_import(data=handle, user=actor)
        except FileRefused as error:
            raise CommandError(str(error)) from None
        report = report or file.with_suffix(".report.csv")
        result.report_file.seek(0)
        with report.open("w", encoding="utf-8", newline="") as out:
            shutil.copyfileobj(result.report_file, out)
        self.stdout.write(
            f"{result.rows:,} rows: {result.created:,} created, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged, {result.rejected:,} rejected "
            f"({result.rows_per_second:,.0f} rows per second). Report: {report}"
        )
