"""What higher apps add to accounts: their place in the service navigation, and the permissions the
default roles are given for their models (so accounts never names another app's codenames)."""

from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint
from ascm.core.policies import SIGNED_IN, Policy


@dataclass(frozen=True)
class NavEntry:
    order: int
    text: str
    url_name: str
    policy: Policy = SIGNED_IN  # shown to users the policy lets do `action`
    action: str = "view"


@dataclass(frozen=True)
class RolePermissions:
    """Permissions the default roles carrying a duty start with. `duty` is one of ascm.accounts.roles'
    duties (CASEWORK, HOLD_CASELOAD, MANAGE, FINANCE, SET_UP): apps never name a role."""

    duty: str
    permissions: tuple[str, ...]


navigation = ExtensionPoint("navigation", NavEntry, doc="The service navigation's entries")
role_permissions = ExtensionPoint("role permissions", RolePermissions,
                                  doc="Default roles' permissions for each app's models")
