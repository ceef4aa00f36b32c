from auditlog.registry import auditlog

from .models import Role, User

auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
)
auditlog.register(Role)
