from rest_framework import serializers

from .models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="get_action_display")
    record_type = serializers.CharField(source="content_type.model")
    actor_username = serializers.CharField(source="actor.username", default=None)
    request_id = serializers.CharField(source="cid")

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
            "changes",
            "request_id",
            "remote_addr",
        ]
