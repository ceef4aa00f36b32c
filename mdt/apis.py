from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission
from clients.selectors import client_get_for_user

from . import selectors, services
from .models import Action, AgendaItem, Meeting
from .permissions import action_policy, agenda_item_policy, caseload_review_policy, meeting_policy
from .serializers import (
    ActionSerializer,
    ActionStatusSerializer,
    AgendaItemSerializer,
    AttendeeCreateSerializer,
    AttendeeSerializer,
    CaseloadSerializer,
    DiscussionSerializer,
    MeetingSerializer,
    ReallocateSerializer,
    WithdrawSerializer,
)


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """MDT meetings of your localities. Create one (every_weeks for a series); add attendees — staff by
    user id, partners by name, role and organisation (they get no access)."""

    serializer_class = MeetingSerializer
    permission_classes = [PolicyPermission]
    policy = meeting_policy
    policy_actions = {"attendees": "add_attendee"}
    queryset = Meeting.objects.none()
    filterset_fields = ["locality", "status", "gp_practice", "hub"]

    def get_queryset(self):
        return selectors.meetings_for_user(user=self.request.user).prefetch_related("attendees").order_by("starts_at")

    def perform_create(self, serializer):
        from ascm.organisation.selectors import user_locality_ids

        data = dict(serializer.validated_data)
        if data["locality"].pk not in user_locality_ids(self.request.user):
            raise ValidationError({"locality": "Choose one of your localities"})
        serializer.instance = services.meeting_schedule(user=self.request.user, chair=self.request.user, **data)

    @extend_schema(request=AttendeeCreateSerializer, responses=AttendeeSerializer)
    @action(detail=True, methods=["post"])
    def attendees(self, request, pk=None):
        from ascm.accounts.models import User

        body = AttendeeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data["user"] is not None:
            data["user"] = User.objects.filter(pk=data["user"], is_active=True).first()
            if data["user"] is None:
                raise ValidationError({"user": "No such user"})
        attendee = services.attendee_add(meeting=self.get_object(), **data)
        return Response(AttendeeSerializer(attendee).data, status=201)


class AgendaItemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """People on MDT agendas. POST adds one (lawful_basis needed without consent to share); POST
    .../discussion/ records the discussion, which goes into the person's chronology."""

    serializer_class = AgendaItemSerializer
    permission_classes = [PolicyPermission]
    policy = agenda_item_policy
    queryset = AgendaItem.objects.none()
    filterset_fields = ["meeting", "client"]

    def get_queryset(self):
        return AgendaItem.objects.filter(meeting__in=selectors.meetings_for_user(user=self.request.user)).order_by("pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        meeting = selectors.meeting_get_for_user(user=self.request.user, pk=data.pop("meeting").pk)
        client = client_get_for_user(user=self.request.user, pk=data.pop("client").pk)
        serializer.instance = services.agenda_add(user=self.request.user, meeting=meeting, client=client, **data)

    @extend_schema(request=WithdrawSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.agenda_withdraw(user=request.user, item=self.get_object(), **body.validated_data)
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=DiscussionSerializer, responses=AgendaItemSerializer)
    @action(detail=True, methods=["post"])
    def discussion(self, request, pk=None):
        body = DiscussionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.discussion_record(user=request.user, item=self.get_object(), **body.validated_data)
        return Response(AgendaItemSerializer(item).data)


class ActionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """MDT actions: ?mine=true for yours. An action needs an owner (a user, or a partner attendee of the
    meeting) and a due date; POST .../status/ marks it done, cancelled or open."""

    serializer_class = ActionSerializer
    permission_classes = [PolicyPermission]
    policy = action_policy
    queryset = Action.objects.none()
    filterset_fields = ["agenda_item", "status", "owner"]

    def get_queryset(self):
        actions = Action.objects.filter(agenda_item__meeting__in=selectors.meetings_for_user(user=self.request.user))
        if self.request.query_params.get("mine") == "true":
            actions = actions.filter(owner=self.request.user)
        return actions.order_by("due_on", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        item = selectors.agenda_item_get_for_user(user=self.request.user, pk=data.pop("agenda_item").pk)
        serializer.instance = services.action_add(user=self.request.user, item=item,
                                                  description=data.get("description", ""),
                                                  owner=data.get("owner"), owner_attendee=data.get("owner_attendee"),
                                                  due_on=data.get("due_on"))

    @extend_schema(request=ActionStatusSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        body = ActionStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.action_set_status(user=request.user, action=self.get_object(), **body.validated_data)
        return Response(ActionSerializer(done).data)


_TEAM_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The team's id")


@extend_schema_view(retrieve=extend_schema(parameters=[_TEAM_ID]), reallocate=extend_schema(parameters=[_TEAM_ID]))
class CaseloadReviewViewSet(viewsets.ViewSet):
    """The caseload review of one team you manage: GET /caseload-review/{team id}/ returns the
    per-practitioner table; POST .../reallocate/ moves people to another practitioner of the team."""

    permission_classes = [PolicyPermission]
    policy = caseload_review_policy
    policy_actions = {"retrieve": "view", "reallocate": "reallocate"}

    def _team(self, request, pk):
        return selectors.managed_team_get(user=request.user, pk=int(pk))

    @extend_schema(responses=CaseloadSerializer)
    def retrieve(self, request, pk=None):
        team = self._team(request, pk)
        review = selectors.caseload_review(team_ids=[team.pk], pathway=request.query_params.get("pathway", ""))
        return Response(CaseloadSerializer({"team": team.pk, "oldest_unallocated_referral": review["teams"][0].oldest_unallocated,
                                            "practitioners": review["rows"]}).data)

    @extend_schema(request=ReallocateSerializer, responses=None)
    @action(detail=True, methods=["post"])
    def reallocate(self, request, pk=None):
        from ascm.accounts.models import User

        team = self._team(request, pk)
        body = ReallocateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        moved = services.caseload_reallocate(user=request.user, team=team, client_ids=data["client_ids"],
                                             to_worker=User.objects.filter(pk=data["to_worker"]).first(),
                                             reason=data["reason"])
        return Response({"reallocated": [a.client_id for a in moved]})
