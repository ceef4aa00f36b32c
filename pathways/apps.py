from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    label = "pathways"
    verbose_name = "Referrals and pathways"

    def ready(self):
        from . import audit_registry, synthetic  # noqa: F401 - audit registration, benchmark generator
