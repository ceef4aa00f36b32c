from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ascm.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from ascm.core.extensions import SyntheticData, synthetic_data

        from .synthetic import audit_log_generate

        synthetic_data.contribute("audit", SyntheticData(90, "audit log", audit_log_generate))
