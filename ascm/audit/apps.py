from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ascm.audit"
    label = "audit"
    verbose_name = "Audit log"
