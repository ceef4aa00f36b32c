from auditlog.registry import auditlog

from .models import Referral, ResponseTarget, RoutingRule

auditlog.register(Referral, exclude_fields=["updated_at"])
auditlog.register(RoutingRule, exclude_fields=["updated_at"], m2m_fields={"localities"})
auditlog.register(ResponseTarget)
