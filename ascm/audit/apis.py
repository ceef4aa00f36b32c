from rest_framework import permissions, viewsets

from .filters import AuditEntryFilter
from .selectors import audit_entries
from .serializers import AuditEntrySerializer


class CanReadAuditLog(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("audit.view_auditentry"))


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The append-only audit log, for auditors. Filter by actor, record_type, record_id, dates."""

    queryset = audit_entries()
    serializer_class = AuditEntrySerializer
    permission_classes = [CanReadAuditLog]
    filterset_class = AuditEntryFilter
    ordering_fields = ["timestamp"]
    search_fields = []
