"""Demo organisation and logins for `make run`. Synthetic people only; one shared demo password."""


from django.conf import settings
from django.db import transaction

from ascm.accounts import roles
from ascm.accounts.models import Role, User
from ascm.accounts.services import user_sync_staff_status
from ascm.core.extensions import demo_data
from ascm.organisation.models import Team, TeamMembership
from ascm.organisation.seeding import organisation_seed

DEMO_PASSWORD_DEFAULT = "ascm-demo-2026"  # noqa: S105 - demo logins only, printed by make run

# (username, first, last, job title, global roles, [(team name, role slug)])
DEMO_USERS = [
    ("admin", "Ada", "Admin", "Systems administrator", [roles.ADMINISTRATOR], []),
    ("auditor", "Ash", "Auditor", "Information governance officer", [roles.AUDITOR], []),
    ("triage", "Tariq", "Triage", "Social care assessor", [], [("Canterbury Integrated Triage", roles.PRACTITIONER)]),
    (
        "practitioner",
        "Pat",
        "Practitioner",
        "Social worker",
        [],
        [("Canterbury Promoting Independence", roles.PRACTITIONER)],
    ),
    (
        "manager",
        "Morgan",
        "Manager",
        "Team manager",
        [],
        [
            ("Canterbury Promoting Independence", roles.TEAM_MANAGER),
            ("Canterbury Supporting Independence", roles.TEAM_MANAGER),
            ("Canterbury Integrated Triage", roles.TEAM_MANAGER),
        ],
    ),
    ("thanet", "Tam", "Thanet", "Occupational therapist", [], [("Thanet Promoting Independence", roles.PRACTITIONER)]),
    (
        "safeguarding",
        "Sol",
        "Safeguarding",
        "Safeguarding lead",
        [],
        [("Canterbury Safeguarding", roles.SAFEGUARDING_LEAD)],
    ),
    (
        "finance",
        "Fin",
        "Officer",
        "Finance officer",
        [],
        [("Canterbury Supporting Independence", roles.FINANCE_OFFICER)],
    ),
    ("hub", "Hana", "Hub", "Discharge hub coordinator", [], [("Canterbury Integrated Triage", roles.DISCHARGE_COORDINATOR)]),
    ("head", "Harper", "Head", "Head of service", [], [("Canterbury Supporting Independence", roles.HEAD_OF_SERVICE)]),
    ("broker", "Bailey", "Broker", "Brokerage officer", [], [("Canterbury Supporting Independence", roles.BROKER)]),
    ("panel", "Parisa", "Panel", "Funding panel chair", [roles.FUNDING_PANEL], []),
    ("returns", "Remy", "Returns", "Performance and returns officer", [roles.PERFORMANCE_OFFICER], []),
    # A second finance officer: a pay run is approved by someone other than its maker.
    ("payments", "Paddy", "Payments", "Finance officer (payments)", [],
     [("Canterbury Supporting Independence", roles.FINANCE_OFFICER)]),
]


def demo_password() -> str:
    return getattr(settings, "ASCM_DEMO_PASSWORD", "") or DEMO_PASSWORD_DEFAULT


@transaction.atomic
def demo_load() -> list[tuple[str, str]]:
    """Load the demo organisation and users. Running it again changes nothing."""
    organisation_seed()
    roles.roles_ensure()
    role_by_slug = {role.slug: role for role in Role.objects.select_related("group")}
    logins = []
    for username, first, last, title, direct, memberships in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "job_title": title, "email": f"{username}@ascm.invalid"},
        )
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
            user.groups.set([role_by_slug[slug].group for slug in direct])
        for team_name, slug in memberships:
            team = Team.objects.get(name=team_name)
            TeamMembership.objects.get_or_create(
                team=team, user=user, ended_on=None, defaults={"role": role_by_slug[slug]}
            )
        user_sync_staff_status(user=user)
        logins.append(
            (
                username,
                ", ".join(role_by_slug[s].name for s in direct)
                or ", ".join(sorted({role_by_slug[s].name for _, s in memberships})),
            )
        )
    users = {user.username: user for user in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    # Domain apps contribute their demo data (people, referrals, meetings) through the extension point.
    for contribution in demo_data:
        contribution.load(users)
    return logins
