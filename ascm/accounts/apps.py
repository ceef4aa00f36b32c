from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "ascm.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from . import audit_registry, roles  # noqa: F401

        post_migrate.connect(roles.roles_ensure_after_migrate, dispatch_uid="ascm.accounts.roles")
        from ascm.audit.permissions import audit_entry_policy
        from ascm.core.policies import STAFF
        from ascm.organisation.permissions import team_policy

        from .access_cache import access_cache_connect
        from .extensions import NavEntry, navigation

        access_cache_connect()
        # The foundation's own places; domain apps add theirs in their ready().
        navigation.contribute("home", NavEntry(0, "Home", "home"))
        navigation.contribute("organisation", NavEntry(60, "Organisation", "organisation:overview", team_policy,
                                                         action="change"))  # the set-up area: administrators
        navigation.contribute("audit", NavEntry(70, "Audit log", "audit:search", audit_entry_policy))
        navigation.contribute("api", NavEntry(80, "API", "api-docs", team_policy, "change"))
        navigation.contribute("admin", NavEntry(90, "Administration", "admin:index", STAFF))
