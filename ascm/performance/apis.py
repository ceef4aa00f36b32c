"""The dashboard in the API: GET /api/v1/performance/dashboard/?scope=&from=&to= gives every figure the user may
see (this period, the previous one); /api/v1/performance/{key}/ the rows behind one figure."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission

from . import selectors
from .extensions import performance_measures
from .permissions import dashboard_policy

PARAMETERS = [OpenApiParameter("scope", str, description="teams, locality:{id} or county"),
              OpenApiParameter("from", str, description="YYYY-MM-DD"), OpenApiParameter("to", str)]


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField(source="measure.section")
    label = serializers.CharField(source="measure.label")
    unit = serializers.SerializerMethodField()
    value = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)
    rows = serializers.IntegerField(source="count")
    snapshot = serializers.SerializerMethodField(help_text="True: a figure for now, not the period")

    def get_unit(self, figure) -> str:
        return figure.measure.value[0] if figure.measure.value else "count"

    def get_snapshot(self, figure) -> bool:
        return not figure.measure.date_field


class DashboardSerializer(serializers.Serializer):
    scope = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    previous_start = serializers.DateField()
    previous_end = serializers.DateField()
    figures = FigureSerializer(many=True)


def _scope(request):
    try:
        start, end = selectors.period_parse(request.query_params.get("from", ""), request.query_params.get("to", ""))
    except ValidationError as error:
        raise ValidationError({"from" if k == "from" else k: v for k, v in error.message_dict.items()}) from None
    return selectors.scope_for(request.user, request.query_params.get("scope", ""), start, end)


class PerformanceViewSet(viewsets.ViewSet):
    permission_classes = [PolicyPermission]
    policy = dashboard_policy
    lookup_value_regex = "[a-z0-9-]+"  # figures are named, not numbered

    @extend_schema(parameters=PARAMETERS, responses=DashboardSerializer)
    @action(detail=False, methods=["get"])
    def dashboard(self, request):
        scope = _scope(request)
        previous = scope.previous()
        figures = [f for _, group in selectors.dashboard(request.user, scope) for f in group]
        return Response(DashboardSerializer({
            "scope": scope.label, "period_start": scope.start, "period_end": scope.end, "previous_start": previous.start,
            "previous_end": previous.end, "figures": figures}).data)

    @extend_schema(parameters=PARAMETERS, responses={200: {"type": "object"}})
    def retrieve(self, request, pk=None):
        from django.http import Http404
        from rest_framework.pagination import PageNumberPagination

        measure = dict(performance_measures.items()).get(pk)
        if measure is None or (measure.permission and not request.user.has_perm(measure.permission)):
            raise Http404("No such figure")
        scope = _scope(request)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.drill_rows(measure, scope), request, view=self)
        return paginator.get_paginated_response([{c.header: c.value(row) for c in measure.columns} for row in page])
