from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    label = "pathways"
    verbose_name = "Referrals and pathways"

    def ready(self):
        from . import audit_registry  # noqa: F401
