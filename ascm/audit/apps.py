from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ascm.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from . import synthetic  # noqa: F401 - registers the benchmark data generator
