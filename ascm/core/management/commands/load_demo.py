from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ascm.core.demo import demo_load, demo_password


class Command(BaseCommand):
    help = "Load the demo organisation and demo logins (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow in production settings.")

    def handle(self, *args, force=False, **options):
        if settings.SETTINGS_MODULE.endswith("production") and not force:
            raise CommandError("Refusing to load demo logins into production (use --force if you mean it).")
        logins = demo_load()
        self.stdout.write(self.style.SUCCESS(f"Demo organisation loaded. Demo logins (password: {demo_password()}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<14} {role}")
