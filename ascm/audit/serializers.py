from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import AuditEntry


def audit_changed_fields(entry: AuditEntry) -> list[str]:
    """Which fields an entry changed, without their values: auditors see who did what to which record,
    not the note text, plan outcomes or assessment answers that the values would hold."""
    changes = entry.changes or {}
    if entry.action == AuditEntry.Action.ACCESS:
        return []  # a view changes nothing; its "reason" is the access reason below
    return sorted(changes)


def audit_reason(entry: AuditEntry) -> str:
    """The reason a user gave for viewing a record (breaking the glass, printing a copy): the audit
    trail itself. Only on views: elsewhere "reason" is a field of the record, and its value is content."""
    if entry.action != AuditEntry.Action.ACCESS:
        return ""
    reason = (entry.changes or {}).get("reason")
    return reason[1] if isinstance(reason, list) and len(reason) == 2 else ""


class AuditEntrySerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="get_action_display")
    record_type = serializers.CharField(source="content_type.model")
    actor_username = serializers.CharField(source="actor.username", default=None, allow_null=True)
    request_id = serializers.CharField(source="cid", allow_null=True)
    changed_fields = serializers.SerializerMethodField()
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_username",
            "action",
            "record_type",
            "object_pk",
            "object_repr",
            "changed_fields",
            "reason",
            "request_id",
            "remote_addr",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_changed_fields(self, entry) -> list[str]:
        return audit_changed_fields(entry)

    def get_reason(self, entry) -> str:
        return audit_reason(entry)
