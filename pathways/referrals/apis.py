from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission
from ascm.organisation.selectors import team_get_for_user
from clients.selectors import client_get_for_search

from . import selectors, services
from .models import Referral, RoutingRule
from .permissions import referral_policy, routing_rule_policy
from .serializers import (
    AllocateSerializer,
    PickNextSerializer,
    QueuePageSerializer,
    QueueQuerySerializer,
    ReasonSerializer,
    ReferralSerializer,
    RerouteSerializer,
    RoutingRuleSerializer,
    RuleOrderSerializer,
    SampleReferralSerializer,
    TriageOutcomeSerializer,
)


class ReferralViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Referrals: take one (routing starts by itself), list your teams' referrals, and act on them."""

    serializer_class = ReferralSerializer
    permission_classes = [PolicyPermission]
    policy = referral_policy
    filterset_fields = {"team": ["exact"], "status": ["exact"], "urgency": ["exact"], "received_at": ["date__gte", "date__lte"]}
    ordering_fields = ["received_at"]
    queryset = Referral.objects.none()

    def get_queryset(self):
        return selectors.referrals_for_user(user=self.request.user).select_related("team").prefetch_related("events__by")

    def get_object(self):
        return selectors.referral_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        # The front door takes referrals for anyone found by search, not only people already allocated.
        client = client_get_for_search(user=self.request.user, pk=data.pop("client").pk)
        serializer.instance = services.referral_create(user=self.request.user, client=client, **data)

    def _act(self, request, body_class, act):
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        referral = act(self.get_object(), body.validated_data)
        return Response(ReferralSerializer(referral).data)

    @extend_schema(parameters=[QueueQuerySerializer], responses=QueuePageSerializer)
    @action(detail=False, methods=["get"])
    def queue(self, request):
        """A team's queue as its page shows it: waiting referrals, most urgent and oldest first, fifty to a
        page, each with its waiting time against the response target. 404 for a team not yours to see."""
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        team = team_get_for_user(user=request.user, pk=query.validated_data["team"])
        page = selectors.team_queue_page(team=team, page_number=query.validated_data["page"])
        return Response(QueuePageSerializer({"count": page.paginator.count, "page": page.number,
                                             "pages": page.paginator.num_pages, "results": page.object_list}).data)

    @extend_schema(request=PickNextSerializer, responses={200: ReferralSerializer, 204: OpenApiResponse(
        description="No referrals are waiting")})
    @action(detail=False, methods=["post"], url_path="pick-next")
    def pick_next(self, request):
        """Take the most urgent and oldest referral in your team's queue (one someone else is taking at that
        moment is skipped), allocated to you."""
        body = PickNextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        team = team_get_for_user(user=request.user, pk=body.validated_data["team"])
        referral = services.referral_pick_next(user=request.user, team=team)
        if referral is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(ReferralSerializer(selectors.referral_get_for_user(user=request.user, pk=referral.pk)).data)

    @extend_schema(request=TriageOutcomeSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="triage-outcome")
    def triage_outcome(self, request, pk=None):
        return self._act(request, TriageOutcomeSerializer,
                         lambda r, d: services.referral_close(user=request.user, referral=r, **d))

    @extend_schema(request=AllocateSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        def act(referral, data):
            worker = get_user_model().objects.filter(pk=data["worker"], is_active=True).first()
            if worker is None:
                raise ValidationError({"worker": "No such user"})
            return services.referral_allocate(user=request.user, referral=referral, worker=worker)

        return self._act(request, AllocateSerializer, act)

    @extend_schema(request=RerouteSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reroute(self, request, pk=None):
        return self._act(request, RerouteSerializer,
                         lambda r, d: services.referral_reroute(user=request.user, referral=r, **d))

    @extend_schema(request=ReasonSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(request, ReasonSerializer,
                         lambda r, d: services.referral_decline(user=request.user, referral=r, **d))


class RoutingRuleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Routing rules in order (first match wins), with how often each rule's referrals were declined."""

    queryset = RoutingRule.objects.prefetch_related("localities").order_by("position", "pk")
    serializer_class = RoutingRuleSerializer
    permission_classes = [PolicyPermission]
    policy = routing_rule_policy
    policy_actions = {"list": "read", "retrieve": "read", "test_sample": "read",  # a test POST changes nothing
                      "reorder": "change"}

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.routing_rule_save(localities=data.pop("localities", []), **data)

    @extend_schema(request=RuleOrderSerializer, responses={200: RoutingRuleSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def reorder(self, request):
        """Put the rules in this order: every rule's id once, first to last (positions become 10, 20, 30…)."""
        body = RuleOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.routing_rules_reorder(order=body.validated_data["order"])
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(request=SampleReferralSerializer, responses={200: None})
    @action(detail=False, methods=["post"], url_path="test")
    def test_sample(self, request):
        """Which rule a sample referral would meet now, and why. Nothing is saved."""
        body = SampleReferralSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        preview = services.referral_route_preview(**body.validated_data)
        team, rule = preview["team"], preview["rule"]
        return Response({"rule": rule.pk if rule else None, "team_type": team.team_type if team else None,
                         "team": team.pk if team else None, "team_name": team.name if team else None,
                         "pathway": rule.target_pathway if rule else "", "pathway_label": preview["pathway"],
                         "reason": preview["reason"],
                         "safeguarding_team": preview["safeguarding_team"].pk if preview["safeguarding_team"] else None})

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.routing_rule_save(rule=serializer.instance, localities=data.pop("localities", None),
                                                         **data)
