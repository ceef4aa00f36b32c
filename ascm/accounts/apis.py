from rest_framework import mixins, viewsets

from ascm.core.policies import PolicyPermission

from . import services
from .models import Role, User
from .permissions import role_policy, user_policy
from .serializers import RoleSerializer, UserSerializer


class RoleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Roles, with what each may do. Administrators create roles and change the ones they created (the
    service's own are set by the service); none is deleted."""

    queryset = Role.objects.select_related("group").prefetch_related("group__permissions__content_type").order_by("group__name")
    serializer_class = RoleSerializer
    permission_classes = [PolicyPermission]
    policy = role_policy
    policy_actions = {"list": "read", "retrieve": "read"}

    def perform_create(self, serializer):
        data = serializer.validated_data
        group = data.pop("group")
        serializer.instance = services.role_create(name=group["name"], permissions=group.get("permissions", []), **data)

    def perform_update(self, serializer):
        role, data = serializer.instance, serializer.validated_data
        group = data.get("group", {})
        serializer.instance = services.role_update(
            role=role, name=group.get("name", role.name), description=data.get("description", role.description),
            record_scope=data.get("record_scope", role.record_scope),
            permissions=group["permissions"] if "permissions" in group else list(role.group.permissions.all()))


class UserViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff with their roles. Administrators create and change users; nobody deletes one
    (set is_active to false)."""

    # Not guardian's "AnonymousUser", which older databases still hold: it is no member of staff.
    queryset = User.objects.exclude(username="AnonymousUser").prefetch_related(
        "groups__role", "memberships__team", "memberships__role").order_by("last_name", "first_name", "username")
    serializer_class = UserSerializer
    permission_classes = [PolicyPermission]
    policy = user_policy
    policy_actions = {"list": "read", "retrieve": "read"}
    filterset_fields = ["is_active", "memberships__team"]
    search_fields = ["username", "first_name", "last_name", "email"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        roles = data.pop("direct_roles", [])
        serializer.instance = services.user_create(password=data.pop("password", None), roles=roles, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        roles = data.pop("direct_roles", None)
        password = data.pop("password", None)
        user = services.user_update(user=serializer.instance, roles=roles, **data)
        if password:
            services.user_set_password(user=user, password=password)
        serializer.instance = user
