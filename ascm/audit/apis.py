from rest_framework import viewsets

from ascm.core.policies import PolicyPermission

from .filters import AuditEntryFilter
from .permissions import audit_entry_policy
from .selectors import audit_entries
from .serializers import AuditEntrySerializer


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The append-only audit log, for auditors. Filter by actor, record_type, record_id, dates."""

    queryset = audit_entries()
    serializer_class = AuditEntrySerializer
    permission_classes = [PolicyPermission]
    policy = audit_entry_policy
    filterset_class = AuditEntryFilter
    ordering_fields = ["timestamp"]
    search_fields = []
