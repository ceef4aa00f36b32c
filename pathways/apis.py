from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.api import ReadAllWriteByRole
from clients.selectors import client_get_for_search

from . import selectors, services
from .models import Assessment, Episode, Referral, Review, RoutingRule, SupportPlan
from .serializers import (
    AllocateSerializer,
    AssessmentDraftSerializer,
    AssessmentReturnSerializer,
    AssessmentSerializer,
    AssessmentSubmitSerializer,
    EpisodeCloseSerializer,
    EpisodeSerializer,
    ReasonSerializer,
    ReferralSerializer,
    RerouteSerializer,
    ReviewCompleteSerializer,
    ReviewSerializer,
    RoutingRuleSerializer,
    SampleReferralSerializer,
    SupportPlanSerializer,
    TriageOutcomeSerializer,
)


class ReferralPermission(permissions.DjangoModelPermissions):
    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class ReferralViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Referrals: take one (routing starts by itself), list your teams' referrals, and act on them."""

    serializer_class = ReferralSerializer
    permission_classes = [ReferralPermission]
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
    permission_classes = [ReadAllWriteByRole]
    read_actions = {"test_sample"}  # a POST that changes nothing

    def perform_create(self, serializer):
        rule = RoutingRule(**{k: v for k, v in serializer.validated_data.items() if k != "localities"})
        rule.full_clean()
        rule.save()
        rule.localities.set(serializer.validated_data.get("localities", []))
        serializer.instance = rule

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
        rule = serializer.instance
        for name, value in serializer.validated_data.items():
            if name != "localities":
                setattr(rule, name, value)
        rule.full_clean()
        rule.save()
        if "localities" in serializer.validated_data:
            rule.localities.set(serializer.validated_data["localities"])




class EpisodeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pathway episodes of the people you may see. Start one (POST), close it with an outcome its
    pathway allows (POST .../close/); an outcome that hands on starts the next episode."""

    serializer_class = EpisodeSerializer
    queryset = Episode.objects.none()
    permission_classes = [ReferralPermission]
    filterset_fields = ["client", "pathway", "team"]

    def get_queryset(self):
        from clients.selectors import clients_in_reach

        return Episode.objects.filter(client__in=clients_in_reach(user=self.request.user)).select_related("team")

    def check_permissions(self, request):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        verb = "view" if request.method in permissions.SAFE_METHODS else "change"
        if not request.user.has_perm(f"pathways.{verb}_referral"):
            self.permission_denied(request)

    def perform_create(self, serializer):
        from clients.selectors import client_get_for_user

        data = dict(serializer.validated_data)
        client = client_get_for_user(user=self.request.user, pk=data.pop("client").pk)
        services.episode_references_check(user=self.request.user, client=client, team=data["team"],
                                          worker=data.get("worker"), referral=data.get("referral"))
        serializer.instance = services.episode_start(user=self.request.user, client=client, **data)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        body = EpisodeCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closed, following = services.episode_close(user=request.user, episode=self.get_object(), **body.validated_data)
        return Response({"closed": EpisodeSerializer(closed).data,
                         "next": EpisodeSerializer(following).data if following else None})


class _CareRecordPermission(permissions.BasePermission):
    """Reads need view_<model>; writes need the change (or add) permission of the view's model."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = view.care_model
        verb = "view" if request.method in permissions.SAFE_METHODS else ("add" if view.action == "create" else "change")
        return user.has_perm(f"pathways.{verb}_{model}")


class _InReachMixin:
    """Lists what the user's role lets them see; a single object also after breaking the glass.
    Anything else is a 404, the same as an id that does not exist."""

    get_for_user = None

    def get_object(self):
        obj = type(self).get_for_user(user=self.request.user, pk=int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, obj)
        return obj

    def retrieve(self, request, *args, **kwargs):
        from ascm.audit.services import audit_record_view

        obj = self.get_object()
        audit_record_view(user=request.user, instance=obj)
        return Response(self.get_serializer(obj).data)


class AssessmentViewSet(_InReachMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Care Act needs assessments and carer's assessments. Create a draft (POST), save answers with the
    version you read (PATCH; a save over someone else's newer version is refused with 409 and their
    version), submit, sign off (a manager, never the author), return with comments, correct."""

    serializer_class = AssessmentSerializer
    permission_classes = [_CareRecordPermission]
    care_model = "assessment"
    queryset = Assessment.objects.none()
    filterset_fields = ["client", "kind", "status", "author"]
    get_for_user = staticmethod(selectors.assessment_get_for_user)

    def get_queryset(self):
        return selectors.assessments_for_user(user=self.request.user).order_by("-created_at")

    def perform_create(self, serializer):
        from clients.selectors import client_get_for_user

        from . import assessments

        data = dict(serializer.validated_data)
        client = client_get_for_user(user=self.request.user, pk=data.pop("client").pk)
        if data.get("carer") is not None:  # the carer's own record must be in reach too (404 if not)
            data["carer"] = client_get_for_user(user=self.request.user, pk=data["carer"].pk)
        serializer.instance = assessments.assessment_create(user=self.request.user, client=client, **data)

    @extend_schema(request=AssessmentDraftSerializer, responses={200: AssessmentSerializer, 409: AssessmentSerializer})
    def partial_update(self, request, pk=None):
        from . import assessments

        body = AssessmentDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = assessments.assessment_save_draft(user=request.user, assessment=self.get_object(),
                                                      expected_version=body.validated_data["version"],
                                                      answers=body.validated_data["answers"])
        except assessments.DraftConflict as conflict:
            return self._conflict(conflict)
        return Response(AssessmentSerializer(saved).data)

    def _conflict(self, conflict):
        return Response({"status": 409, "code": "conflict", "detail": conflict.messages[0], "errors": {},
                         "current": AssessmentSerializer(conflict.current).data}, status=409)

    @extend_schema(request=AssessmentSubmitSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        from . import assessments

        body = AssessmentSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            done = assessments.assessment_submit(user=request.user, assessment=self.get_object(),
                                                 expected_version=data["version"],
                                                 practitioner_agrees=data["practitioner_agrees"],
                                                 disagreement_reason=data["disagreement_reason"])
        except assessments.DraftConflict as conflict:
            return self._conflict(conflict)
        return Response(AssessmentSerializer(done).data)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        from . import assessments

        return Response(AssessmentSerializer(assessments.assessment_sign_off(user=request.user,
                                                                             assessment=self.get_object())).data)

    @extend_schema(request=AssessmentReturnSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_author(self, request, pk=None):
        from . import assessments

        body = AssessmentReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(AssessmentSerializer(assessments.assessment_return(
            user=request.user, assessment=self.get_object(), comments=body.validated_data["comments"])).data)

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        from . import assessments

        return Response(AssessmentSerializer(assessments.assessment_correct(user=request.user,
                                                                            assessment=self.get_object())).data,
                        status=201)


class SupportPlanViewSet(_InReachMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Care and support plans. Creating one schedules its first review (6–8 weeks after it starts)."""

    serializer_class = SupportPlanSerializer
    permission_classes = [_CareRecordPermission]
    care_model = "supportplan"
    queryset = SupportPlan.objects.none()
    filterset_fields = ["client", "episode"]
    get_for_user = staticmethod(selectors.plan_get_for_user)

    def get_queryset(self):
        return selectors.plans_for_user(user=self.request.user).order_by("-starts_on", "-pk")

    def perform_create(self, serializer):
        from clients.selectors import client_get_for_user

        from . import plans

        data = dict(serializer.validated_data)
        client = client_get_for_user(user=self.request.user, pk=data.pop("client").pk)
        data["outcomes"] = [dict(o) for o in data["outcomes"]]
        for linked in ("episode", "assessment"):
            if data.get(linked) is not None and data[linked].client_id != client.pk:
                raise ValidationError({linked: f"Choose one of this person's {linked}s"})
        serializer.instance = plans.plan_create(user=self.request.user, client=client, **data)


class ReviewViewSet(_InReachMixin, viewsets.ReadOnlyModelViewSet):
    """Reviews of care and support plans. ?overdue=true lists those past their due date; record one with
    POST .../complete/ (the next is scheduled unless the plan ends)."""

    serializer_class = ReviewSerializer
    permission_classes = [_CareRecordPermission]
    care_model = "review"
    queryset = Review.objects.none()
    filterset_fields = ["plan", "plan__client"]
    get_for_user = staticmethod(selectors.review_get_for_user)
    read_actions = ()

    def get_queryset(self):
        from django.utils import timezone

        reviews = selectors.reviews_for_user(user=self.request.user).select_related("plan").order_by("due_on", "pk")
        if self.request.query_params.get("overdue") == "true":
            reviews = reviews.filter(completed_on__isnull=True, plan__ended_on__isnull=True, due_on__lt=timezone.localdate())
        return reviews

    @extend_schema(request=ReviewCompleteSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        from . import plans

        body = ReviewCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = plans.review_complete(user=request.user, review=self.get_object(), **body.validated_data)
        return Response(ReviewSerializer(done).data)
