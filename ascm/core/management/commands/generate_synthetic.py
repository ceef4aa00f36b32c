import random
import time

from django.core.management.base import BaseCommand

from ascm.core.synthetic import SyntheticRun, synthetic_generators


class Command(BaseCommand):
    help = "Fill the database with synthetic data at county scale, for benchmarks. Never real people."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000, help="People supported (up to 250,000).")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same data.")

    def handle(self, *args, people: int, seed: int, **options):
        run = SyntheticRun(people=people, seed=seed, rng=random.Random(seed))
        for name, generate in synthetic_generators():
            started = time.perf_counter()
            counts = generate(run)
            run.counts.update(counts)
            figures = ", ".join(f"{k}={v:,}" for k, v in counts.items())
            self.stdout.write(f"{name:<28} {time.perf_counter() - started:7.1f}s  {figures}")
        from django.db import connection

        if connection.vendor == "postgresql":
            # Bulk inserts leave the planner's statistics behind (autovacuum catches up later, as it
            # would in production): measure on what a settled database plans with.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
