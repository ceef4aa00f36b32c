from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AuditEntry(AbstractLogEntry):
    """One append-only line of the audit log: who did what to which record, when, from where.

    Besides these guards, database triggers (migration 0002) refuse UPDATE and DELETE of a row,
    so not even an administrator with SQL through the application's account can rewrite history.
    """

    objects = LogEntryManager.from_queryset(AuditEntryQuerySet)()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["content_type", "object_pk", "-timestamp"], name="audit_record_idx"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        if self.actor_id is None:
            from ascm.core.middleware import get_request_user

            user = get_request_user()
            if user is not None:
                self.actor, self.actor_email = user, user.email
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")
