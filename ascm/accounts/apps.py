from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "ascm.accounts"
    label = "accounts"
    verbose_name = "Users and roles"

    def ready(self):
        from . import audit_registry, roles  # noqa: F401

        post_migrate.connect(roles.roles_ensure_after_migrate, dispatch_uid="ascm.accounts.roles")
        from .access_cache import access_cache_connect
        from .extensions import NavEntry, navigation

        access_cache_connect()
        # The foundation's own places; domain apps add theirs in their ready().
        navigation.contribute("home", NavEntry(0, "Home", "home"))
        navigation.contribute("organisation", NavEntry(60, "Organisation", "organisation:overview", "organisation.view_team"))
        navigation.contribute("audit", NavEntry(70, "Audit log", "audit:search", "audit.view_auditentry"))
        navigation.contribute("api", NavEntry(80, "API", "api-docs", "organisation.change_team"))
        navigation.contribute("admin", NavEntry(90, "Administration", "admin:index", "staff"))
