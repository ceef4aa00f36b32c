from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.api import ArchivingViewSetMixin
from ascm.core.policies import PolicyPermission

from . import services
from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership
from .permissions import (
    area_policy,
    gp_practice_policy,
    hub_policy,
    locality_policy,
    postcode_district_policy,
    team_membership_policy,
    team_policy,
)
from .serializers import (
    AreaSerializer,
    CloseSerializer,
    GPPracticeSerializer,
    HubSerializer,
    LocalitySerializer,
    MembershipEndSerializer,
    MembershipRoleSerializer,
    MembersMoveSerializer,
    PostcodeDistrictSerializer,
    TeamMembershipSerializer,
    TeamSerializer,
)

# Reference data: any signed-in user reads it (forms and partners' systems look it up); writes need
# the administrator's permissions.
READ_REFERENCE = {"list": "read", "retrieve": "read", "archive": "change", "reopen": "change", "end": "change",
                  "change_role": "change", "move_members": "change"}


class ArchiveAction:
    @extend_schema(request=CloseSerializer, description="Close (archive) the record: it is kept with its history and "
                   "the reason, never deleted. Refused while open records still belong to it.")
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = services.record_archive(instance=self.get_object(), reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(instance).data)

    @extend_schema(request=None, description="Reopen a closed record (refused while what it belongs to is closed).")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        instance = services.record_reopen(instance=self.get_object())
        return Response(self.get_serializer(instance).data)


class OrganisationViewSet(
    ArchivingViewSetMixin,
    ArchiveAction,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    permission_classes = [PolicyPermission]
    policy_actions = READ_REFERENCE


class AreaViewSet(OrganisationViewSet):
    """Areas group localities (East, North and West Kent)."""

    policy = area_policy
    queryset = Area.objects.order_by("name")
    serializer_class = AreaSerializer
    search_fields = ["name"]
    create_service = services.area_create
    update_service = services.area_update
    update_instance_arg = "area"


class LocalityViewSet(OrganisationViewSet):
    """Localities (the county's districts). Administrators add, rename, regroup and close them."""

    policy = locality_policy
    queryset = Locality.objects.select_related("area").prefetch_related("postcode_districts").order_by("name")
    serializer_class = LocalitySerializer
    filterset_fields = ["area"]
    search_fields = ["name", "former_names"]
    create_service = services.locality_create
    update_service = services.locality_update
    update_instance_arg = "locality"


class PostcodeDistrictViewSet(ArchivingViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                              viewsets.ReadOnlyModelViewSet):
    """Which locality each postcode district belongs to (referrals are routed by it). PATCH moves one."""

    policy = postcode_district_policy
    queryset = PostcodeDistrict.objects.order_by("code")
    serializer_class = PostcodeDistrictSerializer
    permission_classes = [PolicyPermission]
    policy_actions = READ_REFERENCE
    filterset_fields = ["locality", "code"]
    search_fields = ["code"]
    create_service = services.postcode_district_create
    update_service = services.postcode_district_update
    update_instance_arg = "postcode_district"


class HubViewSet(OrganisationViewSet):
    policy = hub_policy
    queryset = Hub.objects.order_by("locality__name", "name")
    serializer_class = HubSerializer
    filterset_fields = ["locality"]
    search_fields = ["name"]
    create_service = services.hub_create
    update_service = services.hub_update
    update_instance_arg = "hub"


class GPPracticeViewSet(OrganisationViewSet):
    policy = gp_practice_policy
    queryset = GPPractice.objects.order_by("name")
    serializer_class = GPPracticeSerializer
    filterset_fields = ["locality", "hub", "ods_code"]
    search_fields = ["name", "ods_code"]
    create_service = services.gp_practice_create
    update_service = services.gp_practice_update
    update_instance_arg = "gp_practice"


class TeamViewSet(OrganisationViewSet):
    policy = team_policy
    queryset = Team.objects.order_by("locality__name", "name")
    serializer_class = TeamSerializer
    filterset_fields = ["locality", "team_type", "hub"]
    search_fields = ["name"]
    create_service = services.team_create
    update_service = services.team_update
    update_instance_arg = "team"

    @extend_schema(request=MembersMoveSerializer, responses={201: TeamMembershipSerializer(many=True)},
                   description="Move members to another team in one step: each keeps their role; their membership "
                               "here ends that day and one in the new team begins. All or none.")
    @action(detail=True, methods=["post"], url_path="move-members")
    def move_members(self, request, pk=None):
        team = self.get_object()
        body = MembersMoveSerializer(data=request.data, context={"team": team})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        moved = services.memberships_move(memberships=data["members"], to_team=data["to_team"], on=data.get("on"),
                                          reason=data["reason"])
        return Response(TeamMembershipSerializer(moved, many=True).data, status=201)


class TeamMembershipViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Who is in which team, in which role. End a membership with POST .../end/ (optionally the last
    day and why); give a new role with POST .../change-role/ (the old membership ends, a new one
    begins: both kept). None is deleted."""

    policy = team_membership_policy
    queryset = TeamMembership.objects.select_related("team", "role__group").order_by("team__name", "id")
    serializer_class = TeamMembershipSerializer
    permission_classes = [PolicyPermission]
    policy_actions = READ_REFERENCE
    filterset_fields = ["team", "user", "role"]

    def perform_create(self, serializer):
        serializer.instance = services.membership_add(**serializer.validated_data)

    @extend_schema(request=MembershipEndSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = self.get_object()
        body = MembershipEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = services.membership_end(membership=membership, ended_on=body.validated_data.get("ended_on"),
                                             reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=MembershipRoleSerializer, responses={201: TeamMembershipSerializer})
    @action(detail=True, methods=["post"], url_path="change-role")
    def change_role(self, request, pk=None):
        membership = self.get_object()
        body = MembershipRoleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        new = services.membership_change_role(membership=membership, role=data["role"], on=data.get("on"),
                                              reason=data.get("reason", ""))
        return Response(self.get_serializer(new).data, status=201)
