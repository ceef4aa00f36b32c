from auditlog.registry import auditlog

from .models import (
    Assessment,
    Episode,
    PathwaySetting,
    Referral,
    ReminderThreshold,
    ResponseTarget,
    Review,
    RoutingRule,
    SupportPlan,
)

auditlog.register(Referral, exclude_fields=["updated_at"])
auditlog.register(RoutingRule, exclude_fields=["updated_at"], m2m_fields={"localities"})
auditlog.register(ResponseTarget)
auditlog.register(Episode, exclude_fields=["updated_at"])
auditlog.register(Assessment, exclude_fields=["updated_at"])
auditlog.register(SupportPlan, exclude_fields=["updated_at"])
auditlog.register(Review, exclude_fields=["updated_at"])
auditlog.register(PathwaySetting)
auditlog.register(ReminderThreshold)
