"""Synthetic organisation and staff at county scale, for benchmarks. Deterministic for a seed,
bulk-inserted, and safe to run again (existing rows are kept, nothing is duplicated)."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ascm.accounts import roles
from ascm.accounts.models import Role, User
from ascm.core.synthetic import SyntheticRun

from .models import Team, TeamMembership
from .seeding import organisation_seed

STAFF_PASSWORD = "synthetic-staff-2026"  # noqa: S105 - synthetic benchmark logins only
FIRST = ["Alex", "Sam", "Jo", "Chris", "Ravi", "Nia", "Tom", "Mei", "Ola", "Kit", "Lee", "Ana", "Ben", "Zara"]
LAST = ["Ashdown", "Brook", "Crane", "Dale", "Elm", "Ford", "Gale", "Heath", "Ivy", "Marsh", "Reed", "Wood"]


@transaction.atomic
def organisation_and_staff_generate(run: SyntheticRun) -> dict:
    # Kent: about 1.6 million people, hubs of 30,000–50,000, about 200 GP practices.
    organisation_seed(hubs_per_locality=4, practices_per_hub=5, seed=run.seed)
    roles.roles_ensure()
    practitioner = Role.objects.get(slug=roles.PRACTITIONER)
    manager = Role.objects.get(slug=roles.TEAM_MANAGER)
    teams = list(Team.objects.order_by("pk"))
    # About one member of staff per hundred people supported (a county has ~2,500 for ~250,000).
    staff = max(len(teams) * 3, run.people // 100)
    password = make_password(STAFF_PASSWORD)
    users = [
        User(
            username=f"staff{n:05d}",
            first_name=run.rng.choice(FIRST),
            last_name=run.rng.choice(LAST),
            email=f"staff{n:05d}@ascm.invalid",
            job_title="Social worker",
            password=password,
        )
        for n in range(1, staff + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=2000)
    by_name = dict(User.objects.filter(username__startswith="staff").values_list("username", "pk"))
    memberships = []
    for n in range(1, staff + 1):
        team = teams[(n - 1) % len(teams)]
        role = manager if n <= len(teams) else practitioner  # the first pass gives every team its manager
        memberships.append(TeamMembership(team=team, user_id=by_name[f"staff{n:05d}"], role=role))
    TeamMembership.objects.bulk_create(memberships, ignore_conflicts=True, batch_size=2000)
    return {"teams": len(teams), "staff": User.objects.filter(username__startswith="staff").count()}
