from auditlog.admin import LogEntryAdmin
from django.contrib import admin

from .models import AuditEntry

# auditlog registers its own admin for the swapped model; replace it with a read-only one.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(LogEntryAdmin):
    """Read-only: nobody, administrators included, can change or delete an entry."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
