from auditlog.registry import auditlog

from .models import Assessment, Episode, PathwaySetting, ReminderThreshold, Review, SupportPlan

auditlog.register(Episode, exclude_fields=["updated_at"])
auditlog.register(Assessment, exclude_fields=["updated_at"])
auditlog.register(SupportPlan, exclude_fields=["updated_at"])
auditlog.register(Review, exclude_fields=["updated_at"])
auditlog.register(PathwaySetting)
auditlog.register(ReminderThreshold)
