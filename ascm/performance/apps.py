from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "ascm.performance"
    label = "performance"
    verbose_name = "Performance"

    def ready(self):
        from auditlog.registry import auditlog

        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions

        from .models import ExportFile
        from .permissions import dashboard_policy

        auditlog.register(ExportFile)  # who exported which list, when

        navigation.contribute("performance", NavEntry(45, "Performance", "performance:dashboard", dashboard_policy))
        role_permissions.contribute("performance:manage", RolePermissions(roles.MANAGE, ("performance.view_dashboard",)))
        role_permissions.contribute("performance:approve", RolePermissions(roles.APPROVE_FUNDING, (
            "performance.view_dashboard",)))
        role_permissions.contribute("performance:safeguard", RolePermissions(roles.SAFEGUARD, (
            "performance.view_dashboard",)))
        role_permissions.contribute("performance:returns", RolePermissions(roles.RETURNS, (
            "performance.view_dashboard", "performance.view_county_dashboard")))
