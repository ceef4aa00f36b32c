import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission
from ascm.organisation.models import Team
from ascm.organisation.selectors import user_team_ids

from . import selectors, services
from .models import CaseNote, Client, ClientAsset, Relationship, ReturnFile
from .permissions import case_note_policy, client_asset_policy, client_policy, relationship_policy, return_file_policy
from .serializers import (
    AmendmentSerializer,
    BreakGlassSerializer,
    CaseNoteSerializer,
    ClientAssetSerializer,
    ClientSearchResultSerializer,
    ClientSerializer,
    RelationshipSerializer,
    ReturnFileSerializer,
    ReturnProblemSerializer,
    ReturnTableEntrySerializer,
    ReturnTableSerializer,
)


def _client_for(request, pk) -> Client:
    return selectors.client_get_for_user(user=request.user, pk=pk)


SEARCH_PARAMETERS = [
    OpenApiParameter("nhs_number", str, description="Exact, with or without spaces"),
    OpenApiParameter("name", str, description="Partial, case- and accent-insensitive, tolerant of small misspellings"),
    OpenApiParameter("date_of_birth", str, description="YYYY-MM-DD"),
    OpenApiParameter("postcode", str),
]


class ClientViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """People we support. List is a search (at least one criterion) returning identifying details only;
    retrieving a full record needs a relationship (or break-the-glass). No DELETE: archive instead."""

    queryset = Client.objects.all()
    serializer_class = ClientSerializer
    permission_classes = [PolicyPermission]
    policy = client_policy
    policy_actions = {"archive": "change", "break_glass": "view"}
    filter_backends = []

    def get_object(self):
        client = _client_for(self.request, self.kwargs["pk"])
        if self.request.method == "GET":
            services.client_record_viewed(user=self.request.user, client=client)
        return client

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=ClientSearchResultSerializer(many=True))
    def list(self, request):
        params = request.query_params
        try:
            dob = params.get("date_of_birth") or None
            results = selectors.client_search(
                user=request.user, nhs_number=params.get("nhs_number", ""), name=params.get("name", ""),
                date_of_birth=datetime.date.fromisoformat(dob) if dob else None,
                postcode=params.get("postcode", ""), limit=selectors.SEARCH_LIMIT + 1,
            )
        except ValueError:
            raise ValidationError({"date_of_birth": "Enter a date as YYYY-MM-DD"}) from None
        # As on the page: at most a page of results, and whether more people match than are given.
        more, results = len(results) > selectors.SEARCH_LIMIT, results[: selectors.SEARCH_LIMIT]
        return Response({"count": len(results), "more": more,
                         "results": ClientSearchResultSerializer(results, many=True).data})

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        team_id = data.pop("team", None)
        confirmed = data.pop("confirm_not_duplicate", False)
        teams = user_team_ids(self.request.user)
        if team_id is not None and team_id not in teams:
            raise ValidationError({"team": "Choose one of your own teams"})
        team = Team.objects.filter(pk=team_id or min(teams, default=0)).first()
        data["nhs_number"] = data.get("nhs_number") or ""
        data.pop("version", None)
        serializer.instance = services.client_create(user=self.request.user, team=team,
                                                     confirmed_not_duplicate=confirmed, **data)

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except services.ExistingNhsNumber as error:
            return Response({"status": 400, "code": "nhs_number_exists", "detail": "A person with this NHS number already exists.",
                             "errors": {"nhs_number": ["A person with this NHS number already exists"]},
                             "existing": {"id": error.existing.pk, "url": f"/api/v1/clients/{error.existing.pk}/"}},
                            status=status.HTTP_400_BAD_REQUEST)
        except services.LikelyDuplicate as error:
            return Response({"status": 400, "code": "likely_duplicate", "detail": error.messages[0],
                             "errors": {"confirm_not_duplicate": [error.messages[0]]},
                             "likely_duplicates": ClientSearchResultSerializer(error.candidates, many=True).data},
                            status=status.HTTP_400_BAD_REQUEST)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("team", None)
        data.pop("confirm_not_duplicate", None)
        expected = data.pop("version", None)
        serializer.instance = services.client_update(user=self.request.user, client=serializer.instance,
                                                     expected_version=expected, **data)

    @extend_schema(responses={200: ClientSerializer, 409: ClientSerializer})
    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except services.EditConflict as conflict:
            return Response({"status": 409, "code": "conflict", "detail": conflict.messages[0], "errors": {},
                             "current": ClientSerializer(conflict.current).data}, status=status.HTTP_409_CONFLICT)

    @extend_schema(responses={200: ClientSerializer, 409: ClientSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        client = services.client_archive(user=request.user, client=_client_for(request, pk))
        return Response(ClientSerializer(client).data)

    @extend_schema(request=BreakGlassSerializer, responses=ClientSerializer)
    @action(detail=True, methods=["post"], url_path="break-glass")
    def break_glass(self, request, pk=None):
        """Open a record outside your reach, for a stated reason (audited, reported to your manager)."""
        client = selectors.client_get_for_search(user=request.user, pk=pk)
        body = BreakGlassSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.client_break_glass(user=request.user, client=client, reason=body.validated_data["reason"])
        return Response(ClientSerializer(client).data)


class ClientChildViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Nested under /clients/{client_pk}/: access follows the person's record."""

    # Each child's policy says who reads it (notes are clinical content: their own permission;
    # relationships and strengths are part of the record) and who adds and ends it.
    permission_classes = [PolicyPermission]
    policy_actions = {"amend": "add", "end": "change"}

    def get_client(self) -> Client:
        if not hasattr(self, "_client"):
            self._client = _client_for(self.request, self.kwargs["client_pk"])
        return self._client


class CaseNoteViewSet(ClientChildViewSet):
    """The person's chronology, newest first. Notes are never changed: POST .../{id}/amend/ adds an amendment."""

    serializer_class = CaseNoteSerializer
    policy = case_note_policy
    queryset = CaseNote.objects.none()  # for the schema; get_queryset reads the person's notes

    def get_queryset(self):
        return selectors.client_notes(client=self.get_client())

    def perform_create(self, serializer):
        serializer.instance = services.note_add(user=self.request.user, client=self.get_client(), **serializer.validated_data)

    @extend_schema(request=AmendmentSerializer, responses=CaseNoteSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, client_pk=None, pk=None):
        original = get_object_or_404(CaseNote, pk=pk, client=self.get_client())
        body = AmendmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        amendment = services.note_add(user=request.user, client=self.get_client(), note_type=original.note_type,
                                      occurred_at=original.occurred_at, text=body.validated_data["text"], amends=original)
        return Response(CaseNoteSerializer(amendment).data, status=status.HTTP_201_CREATED)


class RelationshipViewSet(ClientChildViewSet):
    """The person's current relationships. POST .../{id}/end/ ends one (kept in the history)."""

    serializer_class = RelationshipSerializer
    policy = relationship_policy
    queryset = Relationship.objects.none()

    @extend_schema(request=None, responses=RelationshipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, client_pk=None, pk=None):
        relationship = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(RelationshipSerializer(services.relationship_end(relationship=relationship)).data)

    def get_queryset(self):
        return self.get_client().relationships.filter(ended_on__isnull=True).select_related("related_client")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if data.get("related_client") is not None:  # a record out of the user's reach is a 404
            data["related_client"] = _client_for(self.request, data["related_client"].pk)
        serializer.instance = services.relationship_add(client=self.get_client(), **data)


class ClientAssetViewSet(ClientChildViewSet):
    """Strengths and networks: what matters, strengths, support network, community resources."""

    serializer_class = ClientAssetSerializer
    policy = client_asset_policy
    queryset = ClientAsset.objects.none()

    @extend_schema(request=None, responses=ClientAssetSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, client_pk=None, pk=None):
        """It no longer applies (kept in the history)."""
        asset = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(ClientAssetSerializer(services.asset_end(asset=asset)).data)

    def get_queryset(self):
        return self.get_client().assets.filter(ended_on__isnull=True)

    def perform_create(self, serializer):
        serializer.instance = services.asset_add(client=self.get_client(), **serializer.validated_data)


class ReturnFileViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Client Level Data files: POST {period_start, period_end} (a quarter, or the 12 months to the end
    of one, that has ended) starts the Celery task; progress is events_done of events_total. A file
    for a period being made is refused (400). .../download/ the CSV; .../problems/?problem= the
    validation report's rows with where each is put right; .../tables/ the rebuilt SALT tables and
    .../tables/{table}/?row=&column= the people and events behind a figure (as many as the figure)."""

    serializer_class = ReturnFileSerializer
    queryset = ReturnFile.objects.none()
    permission_classes = [PolicyPermission]
    policy = return_file_policy
    policy_actions = {"download": "view", "problems": "view", "tables": "view", "table_entries": "view"}

    def get_queryset(self):
        return return_file_policy.instances(self.request.user).order_by("-created_at", "-pk")

    def perform_create(self, serializer):
        from .returns import return_file_start

        serializer.instance = return_file_start(user=self.request.user, **serializer.validated_data)

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        from .return_views import file_download

        return file_download(request._request, pk)

    @extend_schema(parameters=[OpenApiParameter("problem", str)], responses=ReturnProblemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def problems(self, request, pk=None):
        from .returns import PROBLEMS, problem_links

        made = self.get_object()
        key = request.query_params.get("problem", "")
        if key and key not in PROBLEMS:
            raise ValidationError({"problem": f"Choose one of: {', '.join(PROBLEMS)}"})
        rows = made.problem_rows.order_by("problem", "event_reference")
        page = self.paginate_queryset(rows.filter(problem=key) if key else rows)
        found = []
        for group in {p.problem for p in page}:
            found += problem_links([p for p in page if p.problem == group], group)
        found.sort(key=lambda r: (r[0].problem, r[0].event_reference))
        return self.get_paginated_response(ReturnProblemSerializer([
            {"problem": p.problem, "label": PROBLEMS[p.problem], "event_reference": p.event_reference,
             "client": p.client_id, "fix_url": request.build_absolute_uri(url) if url else ""} for p, url, _ in found],
            many=True).data)

    def _made(self):
        made = self.get_object()
        if made.status != ReturnFile.Status.DONE:
            raise ValidationError({"status": "The file is not made yet"})
        return made

    @extend_schema(responses=ReturnTableSerializer(many=True))
    @action(detail=True, methods=["get"])
    def tables(self, request, pk=None):
        from .returns import table_figures

        return Response(ReturnTableSerializer(table_figures(self._made()), many=True).data)

    @extend_schema(parameters=[OpenApiParameter("row", str), OpenApiParameter("column", str)],
                   responses=ReturnTableEntrySerializer(many=True))
    @action(detail=True, methods=["get"], url_path=r"tables/(?P<table>[A-Za-z0-9-]+)")
    def table_entries(self, request, pk=None, table=None):
        from .return_tables import TABLES
        from .returns import table_entries

        made = self._made()
        if table not in TABLES:
            raise ValidationError({"table": f"Choose one of: {', '.join(TABLES)}"})
        page = self.paginate_queryset(table_entries(made, table, row=request.query_params.get("row", ""),
                                                    column=request.query_params.get("column", "")))
        return self.get_paginated_response(ReturnTableEntrySerializer(page, many=True).data)
