from auditlog.registry import auditlog

from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership

for model in (Area, Locality, PostcodeDistrict, Hub, GPPractice, Team, TeamMembership):
    auditlog.register(model, exclude_fields=["updated_at"])
