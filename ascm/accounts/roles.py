"""The roles the system ships with. Administrators may add roles or change permissions later;
this only makes sure the defaults exist (it never removes a permission an administrator added).

The role slugs live here and only here: behaviour asks for permissions, never for a role by name.
Each app contributes its own models' default permissions to the `role_permissions` extension point
(ascm.accounts.extensions) from its AppConfig.ready(), so this module names only the foundation's."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

PRACTITIONER = "practitioner"
TEAM_MANAGER = "team-manager"
SAFEGUARDING_LEAD = "safeguarding-lead"
FINANCE_OFFICER = "finance-officer"
ADMINISTRATOR = "administrator"
AUDITOR = "auditor"
DISCHARGE_COORDINATOR = "discharge-coordinator"
HEAD_OF_SERVICE = "head-of-service"
FUNDING_PANEL = "funding-panel"
BROKER = "brokerage-officer"
PERFORMANCE_OFFICER = "performance-officer"

_ORG_READ = [
    "organisation.view_area",
    "organisation.view_locality",
    "organisation.view_hub",
    "organisation.view_gppractice",
    "organisation.view_team",
    "organisation.view_teammembership",
]
_ORG_WRITE = [
    f"organisation.{verb}_{model}"
    for model in ("area", "locality", "postcodedistrict", "hub", "gppractice", "team", "teammembership")
    for verb in ("add", "change", "view")
]

# Duties: what apps give default permissions to (ascm.accounts.extensions.RolePermissions), so no app
# names a role. Which default roles carry each duty is decided here, once.
CASEWORK = "casework"  # everyday work with people: records, referrals, assessments, meetings
HOLD_CASELOAD = "hold-caseload"  # named worker for people
MANAGE = "manage"  # allocate, sign off, merge, review caseloads
FINANCE = "finance"  # charging, payments and budgets
SAFEGUARD = "safeguard"  # safeguarding concerns and enquiries: the strictest records
SET_UP = "set-up"  # organisation set-up, rules, rates and thresholds
COUNTY_DISCHARGES = "county-discharges"  # every hospital stay in the county (the discharge hub), not every record
APPROVE_FUNDING = "approve-funding"  # approve care packages, up to the role's delegated limit (dated data)
BROKERAGE = "brokerage"  # find providers for care packages, county-wide
RETURNS = "returns"  # statutory returns and the county's performance figures; put right the details they need
DUTIES = {
    CASEWORK: (PRACTITIONER, TEAM_MANAGER, SAFEGUARDING_LEAD, DISCHARGE_COORDINATOR),
    HOLD_CASELOAD: (PRACTITIONER,),
    MANAGE: (TEAM_MANAGER,),
    FINANCE: (FINANCE_OFFICER,),
    SAFEGUARD: (SAFEGUARDING_LEAD,),
    SET_UP: (ADMINISTRATOR,),
    COUNTY_DISCHARGES: (DISCHARGE_COORDINATOR,),
    APPROVE_FUNDING: (TEAM_MANAGER, HEAD_OF_SERVICE, FUNDING_PANEL),
    BROKERAGE: (BROKER,),
    RETURNS: (PERFORMANCE_OFFICER,),
}

# The delegated limits the approving roles start with (weekly cost; None: no upper limit). Finance loads
# them once as dated rows, which administrators then change (finance.defaults).
APPROVAL_LIMITS = {TEAM_MANAGER: "600.00", HEAD_OF_SERVICE: "1200.00", FUNDING_PANEL: None}

DEFAULT_ROLES = {
    PRACTITIONER: {
        "name": "Practitioner",
        "is_team_role": True,
        "record_scope": "team",
        "description": "Logs referrals, assessments and notes for people allocated to their teams.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    TEAM_MANAGER: {
        "name": "Team manager",
        "is_team_role": True,
        "record_scope": "locality",
        "description": "Reviews caseloads, allocates work and signs it off for the teams they manage.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    SAFEGUARDING_LEAD: {
        "name": "Safeguarding lead",
        "is_team_role": True,
        "record_scope": "locality",
        "description": "Leads safeguarding enquiries in their locality.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    DISCHARGE_COORDINATOR: {
        "name": "Discharge hub coordinator",
        "is_team_role": True,
        "record_scope": "team",
        "description": "Works hospital discharges across the county with the hospitals' discharge hubs.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    HEAD_OF_SERVICE: {
        "name": "Head of service",
        "is_team_role": True,
        "record_scope": "locality",
        "description": "Approves care packages above a team manager's limit for their localities.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    FUNDING_PANEL: {
        "name": "Funding panel",
        "is_team_role": False,
        "record_scope": "all",
        "description": "Decides the county's largest care packages, above every delegated limit.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    BROKER: {
        "name": "Brokerage officer",
        "is_team_role": True,
        "record_scope": "all",
        "description": "Finds providers for care packages across the county and records the offers.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    PERFORMANCE_OFFICER: {
        "name": "Performance and returns officer",
        "is_team_role": False,
        "record_scope": "all",
        "description": "Makes the statutory returns and puts right the details they need; no clinical notes.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    FINANCE_OFFICER: {
        "name": "Finance officer",
        "is_team_role": True,
        "record_scope": "all",
        "description": "Manages charging, payments and budgets.",
        "permissions": _ORG_READ + ["notifications.view_notification"],
    },
    ADMINISTRATOR: {
        "name": "Administrator",
        "is_team_role": False,
        "record_scope": "none",
        "description": "Sets up localities, teams, users, roles and routing rules.",
        "permissions": _ORG_WRITE
        + [
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.view_role",
            "accounts.add_role",
            "accounts.change_role",
            "auth.view_group",
        ],
    },
    AUDITOR: {
        "name": "Read-only auditor",
        "is_team_role": False,
        "record_scope": "none",
        "description": "Reads the audit log, and nothing else.",
        "permissions": ["audit.view_auditentry"],
    },
}


def role_default_permissions(slug: str) -> list[str]:
    from .extensions import role_permissions

    extra = [perm for item in role_permissions if slug in DUTIES[item.duty] for perm in item.permissions]
    return list(dict.fromkeys(DEFAULT_ROLES[slug]["permissions"] + extra))


def roles_ensure(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> None:
    """Create the default roles and give them at least their default permissions. Safe to re-run."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("accounts", "Role")
    # Read every permission once and add the missing grants in one INSERT: this runs after every
    # migrate and every test database flush, so a query per grant would cost seconds each time.
    permission_ids = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list("pk", "content_type__app_label", "codename")
    }
    wanted = set()
    for slug, spec in DEFAULT_ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=spec["name"])
        Role.objects.using(using).get_or_create(
            slug=slug,
            defaults={
                "group": group,
                "is_team_role": spec["is_team_role"],
                "record_scope": spec["record_scope"],
                "description": spec["description"],
            },
        )
        wanted |= {(group.pk, permission_ids[dotted]) for dotted in role_default_permissions(slug) if dotted in permission_ids}
    Grant = Group.permissions.through
    granted = set(Grant.objects.using(using).filter(group_id__in={g for g, _ in wanted}).values_list("group_id", "permission_id"))
    Grant.objects.using(using).bulk_create(
        [Grant(group_id=group_id, permission_id=permission_id) for group_id, permission_id in sorted(wanted - granted)],
        ignore_conflicts=True,
    )


def roles_ensure_after_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    # post_migrate fires once per app; run once, after every app's permissions exist.
    if sender.label != "accounts":
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    roles_ensure(using=using, apps=apps)
