from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from .models import Role, User


class PermissionField(serializers.SlugRelatedField):
    """A permission as "app_label.codename" (e.g. "clients.view_client")."""

    def __init__(self, **kwargs):
        from django.contrib.auth.models import Permission

        super().__init__(slug_field="codename", queryset=Permission.objects.select_related("content_type"), **kwargs)

    def to_internal_value(self, data):
        app_label, _, codename = str(data).partition(".")
        found = self.get_queryset().filter(content_type__app_label=app_label, codename=codename).first()
        if found is None:
            self.fail("does_not_exist", slug_name="permission", value=data)
        return found

    def to_representation(self, permission):
        return f"{permission.content_type.app_label}.{permission.codename}"


class RoleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="group.name", max_length=150)
    permissions = PermissionField(many=True, source="group.permissions", required=False,
                                  help_text='What the role may do: "app_label.codename" each')

    class Meta:
        model = Role
        fields = ["id", "slug", "name", "is_team_role", "record_scope", "description", "permissions"]
        read_only_fields = ["slug"]


class UserMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    role = serializers.CharField(source="role.slug")


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=Role.objects.filter(is_team_role=False),
        help_text="Organisation-wide roles (administrator, auditor). Team roles come through memberships.",
        source="direct_roles",
    )
    memberships = serializers.SerializerMethodField()
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "job_title",
            "email",
            "is_active",
            "roles",
            "memberships",
            "password",
        ]

    def get_memberships(self, user) -> list[dict]:
        current = [m for m in user.memberships.all() if m.ended_on is None]
        return UserMembershipSerializer(current, many=True).data

    def validate_password(self, value):
        validate_password(value)
        return value

    def to_representation(self, user):
        user.direct_roles = [g.role for g in user.groups.all() if hasattr(g, "role")]
        return super().to_representation(user)
