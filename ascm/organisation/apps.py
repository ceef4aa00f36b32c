from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "ascm.organisation"
    label = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from . import audit_registry, synthetic  # noqa: F401 - audit registration, benchmark generator
