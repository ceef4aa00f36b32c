"""What higher apps add to accounts: their place in the service navigation, and the permissions the
default roles are given for their models (so accounts never names another app's codenames)."""

from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint


@dataclass(frozen=True)
class NavEntry:
    order: int
    text: str
    url_name: str
    permission: str = ""  # shown to users who hold it ("" for everyone signed in; "staff" for staff)


@dataclass(frozen=True)
class RolePermissions:
    """Permissions the default roles carrying a duty start with. `duty` is one of ascm.accounts.roles'
    duties (CASEWORK, HOLD_CASELOAD, MANAGE, FINANCE, SET_UP): apps never name a role."""

    duty: str
    permissions: tuple[str, ...]


navigation = ExtensionPoint("navigation", NavEntry, doc="The service navigation's entries")
role_permissions = ExtensionPoint("role permissions", RolePermissions,
                                  doc="Default roles' permissions for each app's models")
