"""Access policy for the audit log (see ascm.core.policies)."""

from ascm.core.policies import Policy

from .models import AuditEntry


class AuditEntryPolicy(Policy):
    model = AuditEntry


audit_entry_policy = AuditEntryPolicy()
