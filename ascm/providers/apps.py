from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    """The register of providers and care settings every domain app points to."""

    name = "ascm.providers"
    label = "providers"
    verbose_name = "Providers and care settings"

    def ready(self):
        from auditlog.registry import auditlog

        from ascm.accounts import roles
        from ascm.accounts.extensions import RolePermissions, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data

        from .demo import demo_register
        from .models import CareSetting, Provider, ProviderImport, Ward
        from .synthetic import register_generate

        for model in (Provider, CareSetting, Ward):
            auditlog.register(model, exclude_fields=["updated_at"])
        auditlog.register(ProviderImport, exclude_fields=["report"])
        demo_data.contribute("providers", DemoData(5, demo_register))
        synthetic_data.contribute("providers", SyntheticData(15, "providers and care settings", register_generate))
        look_up = ("providers.view_provider", "providers.view_caresetting", "providers.view_ward")
        role_permissions.contribute("providers:casework", RolePermissions(roles.CASEWORK, look_up))
        role_permissions.contribute("providers:finance", RolePermissions(roles.FINANCE, look_up))  # who is paid
        role_permissions.contribute("providers:set-up", RolePermissions(roles.SET_UP, tuple(
            f"providers.{verb}_{model}" for model in ("provider", "caresetting", "ward") for verb in ("view", "add", "change"))
            + ("providers.import_provider", "providers.view_providerimport", "organisation.view_team")))
