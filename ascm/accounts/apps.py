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

        access_cache_connect()
