"""The roles the system ships with. Administrators may add roles or change permissions later;
this only makes sure the defaults exist (it never removes a permission an administrator added)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

PRACTITIONER = "practitioner"
TEAM_MANAGER = "team-manager"
SAFEGUARDING_LEAD = "safeguarding-lead"
FINANCE_OFFICER = "finance-officer"
ADMINISTRATOR = "administrator"
AUDITOR = "auditor"

_ORG_READ = [
    "organisation.view_area",
    "organisation.view_locality",
    "organisation.view_hub",
    "organisation.view_gppractice",
    "organisation.view_team",
    "organisation.view_teammembership",
]
_CLIENT_WORK = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.view_casenote",
    "clients.add_casenote",
    "clients.add_relationship",
    "clients.change_relationship",
    "clients.add_clientasset",
    "clients.change_clientasset",
]
_REFERRAL_WORK = [
    "pathways.view_referral",
    "pathways.add_referral",
    "pathways.change_referral",
    "pathways.view_routingrule",
    "notifications.view_notification",
    "pathways.view_assessment",
    "pathways.add_assessment",
    "pathways.change_assessment",
    "pathways.view_supportplan",
    "pathways.add_supportplan",
    "pathways.change_supportplan",
    "pathways.view_review",
    "pathways.change_review",
    "mdt.view_meeting",
    "mdt.add_meeting",
    "mdt.change_meeting",
    "mdt.add_attendee",
    "mdt.view_agendaitem",
    "mdt.add_agendaitem",
    "mdt.change_agendaitem",
    "mdt.view_action",
    "mdt.add_action",
    "mdt.change_action",
]
_ORG_WRITE = [
    f"organisation.{verb}_{model}"
    for model in ("area", "locality", "postcodedistrict", "hub", "gppractice", "team", "teammembership")
    for verb in ("add", "change", "view")
]

DEFAULT_ROLES = {
    PRACTITIONER: {
        "name": "Practitioner",
        "is_team_role": True,
        "record_scope": "team",
        "description": "Logs referrals, assessments and notes for people allocated to their teams.",
        "permissions": _ORG_READ + _CLIENT_WORK + _REFERRAL_WORK + ["clients.hold_caseload"],
    },
    TEAM_MANAGER: {
        "name": "Team manager",
        "is_team_role": True,
        "record_scope": "locality",
        "description": "Reviews caseloads, allocates work and signs it off for the teams they manage.",
        "permissions": _ORG_READ + _CLIENT_WORK + _REFERRAL_WORK
        + ["clients.merge_client", "clients.view_breakglassaccess", "pathways.allocate_referral",
           "pathways.sign_off_assessment", "mdt.view_caseload_review", "mdt.reallocate_caseload"],
    },
    SAFEGUARDING_LEAD: {
        "name": "Safeguarding lead",
        "is_team_role": True,
        "record_scope": "locality",
        "description": "Leads safeguarding enquiries in their locality.",
        "permissions": _ORG_READ + _CLIENT_WORK + _REFERRAL_WORK,
    },
    FINANCE_OFFICER: {
        "name": "Finance officer",
        "is_team_role": True,
        "record_scope": "all",
        "description": "Manages charging, payments and budgets.",
        "permissions": _ORG_READ + ["clients.view_client"],
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
            "clients.import_client",
            "pathways.add_routingrule",
            "pathways.change_routingrule",
            "pathways.view_routingrule",
            "pathways.change_responsetarget",
            "pathways.view_responsetarget",
            "pathways.add_pathwaysetting",
            "pathways.change_pathwaysetting",
            "pathways.view_pathwaysetting",
            "pathways.add_reminderthreshold",
            "pathways.view_reminderthreshold",
            "clients.view_importrun",
            "clients.add_importrun",
            "auth.view_group",
            "mdt.view_caseloadweight",
            "mdt.change_caseloadweight",
            "mdt.add_caseloadweight",
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


def roles_ensure(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps) -> None:
    """Create the default roles and give them at least their default permissions. Safe to re-run."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Role = apps.get_model("accounts", "Role")
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
        for dotted in spec["permissions"]:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                group.permissions.add(perm)


def roles_ensure_after_migrate(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    # post_migrate fires once per app; run once, after every app's permissions exist.
    if sender.label != "accounts":
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using, apps=apps)
    roles_ensure(using=using, apps=apps)
