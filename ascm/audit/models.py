from auditlog.models import LogEntry, LogEntryManager
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(LogEntry):
    """One append-only line of the audit log (django-auditlog's LogEntry): who did what to which
    record, when, from where, with which request.

    Beyond these guards, database triggers (migration 0002) refuse UPDATE and DELETE of a row,
    so nobody (an administrator, a shell, a bug) can rewrite history through the application.
    """

    objects = LogEntryManager.from_queryset(AuditEntryQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


@receiver(pre_save, sender=LogEntry, dispatch_uid="ascm.audit.guard")
@receiver(pre_save, sender=AuditEntry, dispatch_uid="ascm.audit.guard.proxy")
def audit_entry_guard(sender, instance, **kwargs):
    if not instance._state.adding:
        raise PermissionError("Audit entries cannot be changed.")
    if instance.actor_id is None:
        # API requests authenticate inside the view, after auditlog's middleware has run.
        from ascm.core.middleware import get_request_user

        user = get_request_user()
        if user is not None:
            instance.actor, instance.actor_email = user, user.email
