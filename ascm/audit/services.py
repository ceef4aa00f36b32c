"""Writing to the audit log beyond what django-auditlog records on every save."""

from .models import AuditEntry


def audit_record_view(*, user, instance, reason: str = "") -> AuditEntry:
    """Record that a user viewed a record. Every view of a person's record is audited;
    a view with a stated reason (for example breaking the glass) keeps the reason."""
    return AuditEntry.objects.log_create(
        instance,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        actor=user,
        actor_email=user.email,
        changes={"reason": ["", reason]} if reason else None,
    )
