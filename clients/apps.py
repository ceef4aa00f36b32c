from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    label = "clients"
    verbose_name = "People we support"

    def ready(self):
        from . import audit_registry, synthetic  # noqa: F401 - audit registration, benchmark generator
