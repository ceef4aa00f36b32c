from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")


def audit_entries_for_record(*, instance) -> QuerySet[AuditEntry]:
    """The history of one record, newest first (for a record's change-history panel)."""
    return AuditEntry.objects.get_for_object(instance).select_related("actor").order_by("-timestamp", "-id")
