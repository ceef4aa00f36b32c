from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    label = "clients"
    verbose_name = "People we support"

    def ready(self):
        from ascm.accounts.selectors import NavEntry, navigation_register
        from ascm.core.home import home_panel_register

        from . import audit_registry, demo, synthetic  # noqa: F401 - audit, demo data, benchmark generator
        from .selectors import caseload_panel

        home_panel_register("caseload", order=10, template="clients/_caseload_panel.html", context=caseload_panel)
        navigation_register("people", NavEntry(20, "People", "clients:search", "clients.view_client"))
