from auditlog.registry import auditlog
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token

from .models import Role, User

auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    m2m_fields={"groups"},
)
auditlog.register(Role)
# A role's permissions are its group's: who changed what a role may do, and when.
auditlog.register(Group, m2m_fields={"permissions"})
# When a token was made and revoked, by whom; never the key itself.
auditlog.register(Token, exclude_fields=["key"])
