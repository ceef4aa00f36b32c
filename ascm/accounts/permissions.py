"""Access policies for users and roles (see ascm.core.policies)."""

from ascm.core.policies import Policy

from .models import Role, User


class UserPolicy(Policy):
    """Staff accounts: any signed-in user may "read" them (look colleagues up, to allocate, to invite
    to an MDT); viewing the set-up, creating and changing accounts is the administrator's."""

    model = User

    perms = {"read": ""}

    def user_may(self, user, action="view"):
        if action == "read":
            return bool(user and user.is_authenticated and user.is_active)
        return super().user_may(user, action)


class RolePolicy(UserPolicy):
    model = Role


user_policy = UserPolicy()
role_policy = RolePolicy()
