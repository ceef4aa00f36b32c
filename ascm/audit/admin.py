from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin

from .models import AuditEntry

# auditlog registers its own admin for LogEntry; show the log once, through a read-only admin.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(LogEntryAdmin):
    """Read-only: nobody, administrators included, can change or delete an entry."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
