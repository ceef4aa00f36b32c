from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.audit.services import audit_record_view
from ascm.core.api_schema import SummarySchema
from ascm.core.policies import PolicyPermission
from clients.selectors import client_get_for_search

from . import services
from .models import AlertRule, Discharge
from .permissions import alert_rule_policy, discharge_policy
from .serializers import (
    AlertRuleSerializer,
    CompleteSerializer,
    DelaySerializer,
    DischargeSerializer,
    MorningTimeSerializer,
    PathwaySerializer,
    PlanSerializer,
    ReadyDateSerializer,
    SummarySerializer,
)


class DischargeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Hospital stays of people known to the council (the tracking list): POST to start one (a
    hospital's discharge hub); .../ready-date/ (set, change, or reset with the reason), .../pathway/,
    .../delay/ (reason, A–I code, attribution), .../plan/, .../discharged/. ?status=in_hospital,
    ?hospital=, ?locality=, ?team= filter."""

    serializer_class = DischargeSerializer
    queryset = Discharge.objects.none()
    permission_classes = [PolicyPermission]
    policy = discharge_policy
    policy_actions = {"ready_date": "change", "pathway": "change", "delay": "change", "plan": "change",
                      "discharged": "change"}
    filterset_fields = ["status", "hospital", "locality", "team", "pathway", "attribution"]

    def get_queryset(self):
        return (discharge_policy.instances(self.request.user)
                .prefetch_related("ready_date_changes", "pathway_changes", "delay_periods", "alerts")
                .order_by("ready_on", "pk"))

    def get_object(self):
        discharge = discharge_policy.get(self.request.user, self.kwargs["pk"], queryset=self.get_queryset())
        audit_record_view(user=self.request.user, instance=discharge, reason="Hospital discharge viewed (API)")
        return discharge

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["client"] = client_get_for_search(user=self.request.user, pk=data["client"].pk)
        data.pop("referral", None)
        serializer.instance = services.discharge_start(user=self.request.user, **data)

    def _act(self, request, body_class, act):
        discharge = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        act(discharge, dict(body.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=discharge.pk)).data)

    @extend_schema(request=ReadyDateSerializer)
    @action(detail=True, methods=["post"], url_path="ready-date")
    def ready_date(self, request, pk=None):
        return self._act(request, ReadyDateSerializer,
                         lambda d, data: services.ready_date_set(user=request.user, discharge=d, **data))

    @extend_schema(request=PathwaySerializer)
    @action(detail=True, methods=["post"])
    def pathway(self, request, pk=None):
        return self._act(request, PathwaySerializer,
                         lambda d, data: services.pathway_set(user=request.user, discharge=d, **data))

    @extend_schema(request=DelaySerializer)
    @action(detail=True, methods=["post"])
    def delay(self, request, pk=None):
        return self._act(request, DelaySerializer,
                         lambda d, data: services.delay_record(user=request.user, discharge=d, **data))

    @extend_schema(request=PlanSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        return self._act(request, PlanSerializer,
                         lambda d, data: services.plan_update(user=request.user, discharge=d, **data))

    @extend_schema(request=CompleteSerializer)
    @action(detail=True, methods=["post"])
    def discharged(self, request, pk=None):
        return self._act(request, CompleteSerializer,
                         lambda d, data: services.discharge_complete(user=request.user, discharge=d, **data))


class AlertRuleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Delayed discharge alert rules (administrators): POST to add; .../retire/ from today."""

    serializer_class = AlertRuleSerializer
    queryset = AlertRule.objects.none()
    permission_classes = [PolicyPermission]
    policy = alert_rule_policy
    policy_actions = {"retire": "change", "morning_time": "view"}

    def get_queryset(self):
        return alert_rule_policy.instances(self.request.user).order_by("delayed_days", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.alert_rule_add(user=self.request.user, **serializer.validated_data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        rule = alert_rule_policy.get(request.user, pk, action="change")
        services.alert_rule_retire(user=request.user, rule=rule)
        return Response(self.get_serializer(rule).data)

    @extend_schema(methods=["get"], responses=MorningTimeSerializer)
    @extend_schema(methods=["post"], request=MorningTimeSerializer, responses=MorningTimeSerializer)
    @action(detail=False, methods=["get", "post"], url_path="morning-time")
    def morning_time(self, request):
        """When the morning job checks everyone in hospital (London time); POST to change it."""
        from .schedule import morning_time, morning_time_set

        if request.method == "POST":
            body = MorningTimeSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            morning_time_set(user=request.user, **body.validated_data)
        return Response(MorningTimeSerializer(morning_time()).data)


class DischargeSummaryViewSet(viewsets.ViewSet):
    """The morning summary (the people delayed in the user's reach, or ?hospital= / ?locality=): per
    hospital and locality, by reason and attribution, and the last 90 days day by day."""

    permission_classes = [PolicyPermission]
    policy = discharge_policy
    schema = SummarySchema()

    @extend_schema(parameters=[OpenApiParameter("hospital", int), OpenApiParameter("locality", int)],
                   responses=SummarySerializer)
    def list(self, request):
        from .summary import morning_summary

        def number(name):
            value = request.query_params.get(name, "")
            return int(value) if value.isdigit() else None

        data = morning_summary(request.user, hospital=number("hospital"), locality=number("locality"))
        return Response(SummarySerializer({**data, "by_reason": [vars(b) for b in data["by_reason"]],
                                           "by_attribution": [vars(b) for b in data["by_attribution"]]}).data)
