from auditlog.registry import auditlog
from rest_framework.authtoken.models import Token

from .models import Role, User

auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
)
auditlog.register(Role)
# When a token was made and revoked, by whom; never the key itself.
auditlog.register(Token, exclude_fields=["key"])
