from rest_framework import serializers

from ascm.accounts.models import Role

from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "archived_at", "archive_reason"]
        read_only_fields = ["archive_reason"]
        validators = []
        extra_kwargs = {"name": {"validators": []}}  # the service's full_clean reports a clash in plain words


class LocalitySerializer(serializers.ModelSerializer):
    area_name = serializers.CharField(source="area.name", read_only=True)
    postcode_districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Locality
        fields = ["id", "name", "area", "area_name", "former_names", "postcode_districts", "archived_at", "archive_reason"]
        read_only_fields = ["archive_reason"]
        extra_kwargs = {"name": {"validators": []}}


class HubSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hub
        fields = ["id", "name", "locality", "population", "archived_at", "archive_reason"]
        read_only_fields = ["archive_reason"]
        validators = []


class GPPracticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = GPPractice
        fields = ["id", "ods_code", "name", "locality", "hub", "archived_at", "archive_reason"]
        read_only_fields = ["archive_reason"]
        extra_kwargs = {"ods_code": {"validators": []}}


class TeamSerializer(serializers.ModelSerializer):
    team_type_display = serializers.CharField(source="get_team_type_display", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "team_type", "team_type_display", "locality", "hub", "email", "archived_at",
                  "archive_reason"]
        read_only_fields = ["archive_reason"]
        validators = []  # the service's full_clean reports a clash against the right field


class TeamMembershipSerializer(serializers.ModelSerializer):
    role_name = serializers.CharField(source="role.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = TeamMembership
        fields = ["id", "team", "team_name", "user", "role", "role_name", "started_on", "ended_on", "end_reason"]
        read_only_fields = ["ended_on", "end_reason"]
        validators = []


class MembershipEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="The last day; today if not given")
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True)


class MembershipRoleSerializer(serializers.Serializer):
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.filter(is_team_role=True))
    on = serializers.DateField(required=False, allow_null=True, help_text="The day of the change; today if not given")
    reason = serializers.CharField(max_length=250, required=False, allow_blank=True)


class PostcodeDistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostcodeDistrict
        fields = ["id", "code", "locality"]
        extra_kwargs = {"code": {"validators": []}}


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="Why it is closing")


class MembersMoveSerializer(serializers.Serializer):
    members = serializers.PrimaryKeyRelatedField(many=True, queryset=TeamMembership.objects.none(),
                                                 help_text="Current memberships of this team")
    to_team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.current())
    on = serializers.DateField(required=False, allow_null=True, help_text="The day of the move; today if not given")
    reason = serializers.CharField(max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        team = self.context.get("team")
        if team is not None:  # only this team's current members can be moved from it
            self.fields["members"].child_relation.queryset = TeamMembership.objects.filter(
                team=team, ended_on__isnull=True).select_related("user", "role", "team")
