from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission

from . import selectors, services
from .models import Assessment, Episode, Review, SupportPlan
from .permissions import assessment_policy, episode_policy, review_policy, support_plan_policy
from .serializers import (
    AssessmentDraftSerializer,
    AssessmentReturnSerializer,
    AssessmentSerializer,
    AssessmentSubmitSerializer,
    EpisodeCloseSerializer,
    EpisodeSerializer,
    ReviewCompleteSerializer,
    ReviewSerializer,
    SupportPlanSerializer,
)


class EpisodeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pathway episodes of the people you may see. Start one (POST), close it with an outcome its
    pathway allows (POST .../close/); an outcome that hands on starts the next episode."""

    serializer_class = EpisodeSerializer
    queryset = Episode.objects.none()
    permission_classes = [PolicyPermission]
    policy = episode_policy
    filterset_fields = ["client", "pathway", "team"]

    def get_queryset(self):
        return episode_policy.instances(self.request.user).select_related("team")

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
    permission_classes = [PolicyPermission]
    policy = assessment_policy
    policy_actions = {"sign_off": "sign_off", "return_to_author": "sign_off"}
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
    permission_classes = [PolicyPermission]
    policy = support_plan_policy
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
    permission_classes = [PolicyPermission]
    policy = review_policy
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
