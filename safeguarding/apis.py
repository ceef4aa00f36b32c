from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ascm.audit.services import audit_record_view
from ascm.core.api_schema import SummarySchema, paged
from ascm.core.policies import PolicyPermission
from clients.selectors import client_get_for_search

from . import dols, enquiries, services
from .models import AdultAtRisk, Enquiry, SafeguardingAccess, SafeguardingConcern
from .models_dols import LibertyApplication
from .permissions import concern_policy, dols_policy, enquiry_policy
from .serializers import (
    AccessSerializer,
    ActionAddSerializer,
    AddAdultSerializer,
    AllegationAddSerializer,
    AllegationConcludeSerializer,
    ConcludeSerializer,
    DecisionSerializer,
    DolsAssessmentSerializer,
    DolsBacklogSerializer,
    DolsDecisionSerializer,
    DolsExtendSerializer,
    DolsRenewalSerializer,
    DolsReturnRowsSerializer,
    DolsReturnSerializer,
    DolsReviewSerializer,
    DolsScreenSerializer,
    DolsStatusSerializer,
    DolsWithdrawSerializer,
    EnquirySerializer,
    LibertyApplicationSerializer,
    MeetingAddSerializer,
    OfficerSerializer,
    PersonalSerializer,
    ReopenSerializer,
    RevokeSerializer,
    SacMissingSerializer,
    SacTableSerializer,
    SafeguardingConcernSerializer,
)


class SafeguardingConcernViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Safeguarding concerns. Partners' systems (the police, NHS) raise one with POST, naming the adult
    or adults at risk; raising does not let them read it back. Only the locality's safeguarding team
    and named people see concerns: anyone else gets 404 for every one. POST .../decision/ records the
    s42 decision on one adult; .../access/ gives a named person access, .../revoke-access/ takes it away."""

    serializer_class = SafeguardingConcernSerializer
    queryset = SafeguardingConcern.objects.none()
    permission_classes = [PolicyPermission]
    policy = concern_policy
    policy_actions = {"decision": "decide", "access": "grant", "revoke_access": "grant", "adults": "change"}
    filterset_fields = ["status", "locality"]

    def get_queryset(self):
        return concern_policy.instances(self.request.user).prefetch_related("adults").order_by("received_at", "pk")

    def get_object(self):
        concern = concern_policy.get(self.request.user, self.kwargs["pk"])
        audit_record_view(user=self.request.user, instance=concern, reason="Safeguarding concern viewed (API)")
        return concern

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        # Partners name people found by search; the concern does not need them to be in reach.
        clients = [client_get_for_search(user=self.request.user, pk=c.pk) for c in data.pop("clients")]
        serializer.instance = services.concern_raise(user=self.request.user, clients=clients,
                                                     source=SafeguardingConcern.Source.PARTNER, **data)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        # What was raised is acknowledged, not shown back: the sender may not be able to see it.
        return Response({"id": response.data["id"], "reference": response.data["reference"],
                         "decision_due_on": response.data["decision_due_on"]}, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=SafeguardingConcernSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        concern = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        adult = AdultAtRisk.objects.filter(pk=data.pop("adult"), concern=concern).first()
        if adult is None:
            raise Http404("Not found")
        services.decision_record(user=request.user, adult=adult, **data)
        concern.refresh_from_db()
        return Response(SafeguardingConcernSerializer(concern).data)

    @extend_schema(request=AddAdultSerializer, responses={201: SafeguardingConcernSerializer})
    @action(detail=True, methods=["post"])
    def adults(self, request, pk=None):
        """Name another adult at risk (a large-scale concern names every one), by NHS number."""
        concern = self.get_object()
        body = AddAdultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.concern_add_adult(user=request.user, concern=concern, nhs_number=body.validated_data["nhs_number"])
        concern.refresh_from_db()
        return Response(SafeguardingConcernSerializer(concern).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AccessSerializer, responses={201: AccessSerializer})
    @action(detail=True, methods=["post"])
    def access(self, request, pk=None):
        concern = self.get_object()
        body = AccessSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = services.access_grant(user=request.user, concern=concern, grantee=body.validated_data["user"],
                                       reason=body.validated_data.get("reason", ""))
        return Response(AccessSerializer(access).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=AccessSerializer)
    @action(detail=True, methods=["post"], url_path="revoke-access")
    def revoke_access(self, request, pk=None):
        concern = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = SafeguardingAccess.objects.filter(pk=body.validated_data["access"], concern=concern).first()
        if access is None:
            raise Http404("Not found")
        return Response(AccessSerializer(services.access_revoke(user=request.user, access=access,
                                                                reason=body.validated_data["reason"])).data)


class SafeguardingEnquiryViewSet(viewsets.ReadOnlyModelViewSet):
    """Section 42 and other enquiries, for those who may see their concern (404 for everyone else).
    POST .../officer/, .../personal/ (Making Safeguarding Personal), .../allegations/,
    .../conclude-allegation/, .../meetings/, .../actions/, .../conclude/, .../reopen/."""

    serializer_class = EnquirySerializer
    queryset = Enquiry.objects.none()
    permission_classes = [PolicyPermission]
    policy = enquiry_policy
    filterset_fields = ["status", "officer", "kind"]
    policy_actions = {name: "view" for name in ("officer", "personal", "allegations", "conclude_allegation", "meetings",
                                                 "actions", "conclude", "reopen")}  # the services check who may change

    def get_queryset(self):
        return (enquiry_policy.instances(self.request.user).select_related("adult")
                .prefetch_related("allegations", "meetings", "actions").order_by("started_on", "pk"))

    def get_object(self):
        enquiry = enquiry_policy.get(self.request.user, self.kwargs["pk"],
                                     queryset=Enquiry.objects.select_related("adult__concern"))
        audit_record_view(user=self.request.user, instance=enquiry, reason="Safeguarding enquiry viewed (API)")
        return enquiry

    def _act(self, request, body_class, act, created=False):
        enquiry = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        act(enquiry, dict(body.validated_data))
        enquiry = self.get_queryset().get(pk=enquiry.pk)
        return Response(EnquirySerializer(enquiry).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=OfficerSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def officer(self, request, pk=None):
        return self._act(request, OfficerSerializer,
                         lambda e, d: enquiries.enquiry_allocate(user=request.user, enquiry=e, officer=d["officer"]))

    @extend_schema(request=PersonalSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def personal(self, request, pk=None):
        return self._act(request, PersonalSerializer,
                         lambda e, d: enquiries.enquiry_personal(user=request.user, enquiry=e, **d))

    @extend_schema(request=AllegationAddSerializer, responses={201: EnquirySerializer})
    @action(detail=True, methods=["post"])
    def allegations(self, request, pk=None):
        return self._act(request, AllegationAddSerializer,
                         lambda e, d: enquiries.allegation_add(user=request.user, enquiry=e, **d), created=True)

    @extend_schema(request=AllegationConcludeSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"], url_path="conclude-allegation")
    def conclude_allegation(self, request, pk=None):
        def act(enquiry, data):
            allegation = enquiry.allegations.filter(pk=data.pop("allegation")).first()
            if allegation is None:
                raise Http404("Not found")
            enquiries.allegation_conclude(user=request.user, allegation=allegation, **data)

        return self._act(request, AllegationConcludeSerializer, act)

    @extend_schema(request=MeetingAddSerializer, responses={201: EnquirySerializer})
    @action(detail=True, methods=["post"])
    def meetings(self, request, pk=None):
        return self._act(request, MeetingAddSerializer,
                         lambda e, d: enquiries.meeting_add(user=request.user, enquiry=e, **d), created=True)

    @extend_schema(request=ActionAddSerializer, responses={201: EnquirySerializer})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        return self._act(request, ActionAddSerializer,
                         lambda e, d: enquiries.action_add(user=request.user, enquiry=e, **d), created=True)

    @extend_schema(request=ConcludeSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        return self._act(request, ConcludeSerializer,
                         lambda e, d: enquiries.enquiry_conclude(user=request.user, enquiry=e, **d))

    @extend_schema(request=ReopenSerializer, responses=EnquirySerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._act(request, ReopenSerializer,
                         lambda e, d: enquiries.enquiry_reopen(user=request.user, enquiry=e, reason=d["reason"]))


def _api_year(request) -> int:
    """?year= for a return's endpoint: a field-level 400 for anything that is not a year."""
    from .returns import year_parse

    try:
        return year_parse(request.query_params.get("year"))
    except ValueError:
        raise ValidationError({"year": ["Enter the year the financial year starts, like 2026"]}) from None


class SafeguardingReturnViewSet(viewsets.ViewSet):
    """The Safeguarding Adults Collection for a financial year (?year=2026 for 2026-27): every table of
    SG1, SG2 and SG3 with each figure's cases; .../missing/ lists cases with data missing."""

    permission_classes = [PolicyPermission]
    policy = concern_policy

    def _year(self, request) -> int:
        return _api_year(request)

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=SacTableSerializer(many=True))
    def list(self, request):
        from . import returns

        tables = returns.sac_tables(user=request.user, year=self._year(request))
        data = [{"part": part, "key": t.key, "title": t.title, "unit": t.unit, "total": t.total,
                 "rows": [{"key": r.key, "label": r.label, "count": r.count, "ids": r.ids} for r in t.rows]}
                for part, part_tables in tables.items() for t in part_tables]
        return Response(SacTableSerializer(data, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=SacMissingSerializer(many=True))
    @action(detail=False, methods=["get"])
    def missing(self, request):
        from . import returns

        return Response(SacMissingSerializer(returns.sac_missing(user=request.user, year=self._year(request)), many=True).data)


class LibertyApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deprivation of Liberty Safeguards applications (the DoLS team's; 404 for everyone else): every
    open one with its statutory deadline and days in breach. POST to record one (urgent ones with the
    managing authority's date); .../screen/, .../extend/ (once), .../assessments/, .../decision/
    (signatories), .../authorisation/ (end, suspend, terminate), .../review/, .../renewal/ (up to 28 days
    before it is needed: a new application), .../withdraw/."""

    serializer_class = LibertyApplicationSerializer
    queryset = LibertyApplication.objects.none()
    permission_classes = [PolicyPermission]
    policy = dols_policy
    policy_actions = {"screen": "change", "extend": "change", "assessments": "change", "decision": "sign",
                      "authorisation": "change", "withdraw": "change", "renewal": "add", "review": "change"}
    filterset_fields = ["status", "kind", "priority", "managing_authority"]

    def get_queryset(self):
        return (dols_policy.instances(self.request.user).select_related("urgent", "authorisation")
                .prefetch_related("assessments").order_by("received_on", "pk"))

    def get_object(self):
        application = dols_policy.get(self.request.user, self.kwargs["pk"], queryset=self.get_queryset())
        audit_record_view(user=self.request.user, instance=application, reason="DoLS application viewed (API)")
        return application

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["client"] = client_get_for_search(user=self.request.user, pk=data["client"].pk)
        serializer.instance = dols.application_receive(user=self.request.user, **data)

    def _act(self, request, body_class, act):
        application = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        act(application, dict(body.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(request=DolsScreenSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        return self._act(request, DolsScreenSerializer,
                         lambda a, d: dols.application_screen(user=request.user, application=a, **d))

    @extend_schema(request=DolsExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._act(request, DolsExtendSerializer,
                         lambda a, d: dols.urgent_extend(user=request.user, application=a, **d))

    @extend_schema(request=DolsAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        return self._act(request, DolsAssessmentSerializer,
                         lambda a, d: dols.assessment_record(user=request.user, application=a, **d))

    @extend_schema(request=DolsDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        return self._act(request, DolsDecisionSerializer,
                         lambda a, d: dols.application_decide(user=request.user, application=a, **d))

    @extend_schema(request=DolsStatusSerializer)
    @action(detail=True, methods=["post"])
    def authorisation(self, request, pk=None):
        def act(application, data):
            authorisation = getattr(application, "authorisation", None)
            if authorisation is None:
                raise ValidationError({"status": ["There is no authorisation to change"]})
            dols.authorisation_change(user=request.user, authorisation=authorisation, **data)

        return self._act(request, DolsStatusSerializer, act)

    @extend_schema(request=DolsWithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, DolsWithdrawSerializer,
                         lambda a, d: dols.application_withdraw(user=request.user, application=a, **d))

    @extend_schema(request=DolsReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._act(request, DolsReviewSerializer,
                         lambda a, d: dols.authorisation_review(user=request.user, authorisation=self._authorisation(a), **d))

    @extend_schema(request=DolsRenewalSerializer, responses={201: LibertyApplicationSerializer})
    @action(detail=True, methods=["post"])
    def renewal(self, request, pk=None):
        application = self.get_object()
        body = DolsRenewalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        renewal = dols.renewal_request(user=request.user, authorisation=self._authorisation(application),
                                       **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=renewal.pk)).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _authorisation(application):
        authorisation = getattr(application, "authorisation", None)
        if authorisation is None:
            raise ValidationError({"non_field_errors": ["This application has no authorisation"]})
        return authorisation


class _DolsApplicationsMixin:
    """The applications behind a figure, paged like every list in the API."""

    page_schema = paged("DolsApplicationsPage", LibertyApplicationSerializer)

    def _applications(self, request, queryset):
        from ascm.core.api import Pagination

        from .dols_selectors import with_breach

        if queryset is None:
            raise ValidationError({"figure": ["No such figure"]})
        paginator = Pagination()
        page = paginator.paginate_queryset(queryset.select_related("urgent", "authorisation").prefetch_related(
            "assessments", "authorisation__reviews"), request, view=self)
        with_breach(page)
        return paginator.get_paginated_response(LibertyApplicationSerializer(page, many=True).data)


class DolsBacklogViewSet(_DolsApplicationsMixin, viewsets.ViewSet):
    """The DoLS lead's backlog: open applications by priority and age, breaches today, the average
    days to a decision over 12 months, authorisations ending within 28 days. .../applications/
    ?figure=<key> lists the open applications behind one figure (paged)."""

    permission_classes = [PolicyPermission]
    policy = dols_policy
    schema = SummarySchema()

    @extend_schema(responses=DolsBacklogSerializer)
    def list(self, request):
        from .dols_selectors import dols_dashboard

        board = dols_dashboard(request.user)
        figures = [cell for row in board["grid"] for cell in row["cells"]] + board["by_age"] + board["by_priority_breach"]
        return Response(DolsBacklogSerializer({
            **board, "figures": [{"key": f.key, "label": f.label, "count": f.count} for f in figures],
            "ending": [a.application_id for a in board["ending"]]}).data)

    @extend_schema(parameters=[OpenApiParameter("figure", str, required=True), OpenApiParameter("page", int)],
                   responses=_DolsApplicationsMixin.page_schema)
    @action(detail=False, methods=["get"])
    def applications(self, request):
        from .dols_selectors import dols_dashboard_cases

        return self._applications(request, dols_dashboard_cases(request.user, request.query_params.get("figure", "")))


class DolsReturnViewSet(_DolsApplicationsMixin, viewsets.ViewSet):
    """The annual DoLS return for a financial year (?year=2026 for 2026-27): the counts; .../rows/ the
    return itself, one row per application active in the year (paged); .../applications/?figure=<key>
    the applications behind a count."""

    permission_classes = [PolicyPermission]
    policy = dols_policy
    schema = SummarySchema()

    def _year(self, request) -> int:
        return _api_year(request)

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=DolsReturnSerializer)
    def list(self, request):
        from .dols_selectors import dols_return_figures

        year = self._year(request)
        figures = dols_return_figures(request.user, year)
        return Response(DolsReturnSerializer({"year": year, "figures": [vars(f) for f in figures]}).data)

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("figure", str, required=True),
                               OpenApiParameter("page", int)], responses=_DolsApplicationsMixin.page_schema)
    @action(detail=False, methods=["get"])
    def applications(self, request):
        from .dols_selectors import dols_return_cases

        year = self._year(request)
        return self._applications(request, dols_return_cases(request.user, year, request.query_params.get("figure", "")))

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("page", int)],
                   responses=DolsReturnRowsSerializer)
    @action(detail=False, methods=["get"])
    def rows(self, request):
        from .dols_selectors import dols_return_rows

        year = self._year(request)
        from ascm.core.api import Pagination

        size = Pagination().get_page_size(request) or 50
        try:
            number = max(1, int(request.query_params.get("page") or 1))
        except ValueError:
            raise ValidationError({"page": ["Enter a page number"]}) from None
        rows = list(dols_return_rows(request.user, year, offset=(number - 1) * size, limit=size + 1))
        return Response(DolsReturnRowsSerializer({"page": number, "has_next": len(rows) > size, "results": rows[:size]}).data)
