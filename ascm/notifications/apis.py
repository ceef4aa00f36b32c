from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ascm.core.policies import PolicyPermission

from . import services
from .models import Notification
from .permissions import notification_policy
from .selectors import notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    read_at = serializers.DateTimeField(source="seen_at", read_only=True, allow_null=True,
                                        help_text="When you read it (or when anyone dealt with it)")
    team = serializers.IntegerField(source="team_id", read_only=True, allow_null=True,
                                    help_text="Set when it was sent to your team rather than to you")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "team", "created_at", "read_at"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your task inbox. Mark one read, or all."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    permission_classes = [PolicyPermission]
    policy = notification_policy
    filterset_fields = {"kind": ["exact"]}

    @extend_schema(parameters=[OpenApiParameter("read_at__isnull", bool, description="true: only unread")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        notes = notifications_for(user=self.request.user)
        unread = self.request.query_params.get("read_at__isnull")
        if unread in ("true", "True", "1"):
            notes = notes.filter(seen_at__isnull=True)
        elif unread in ("false", "False", "0"):
            notes = notes.filter(seen_at__isnull=False)
        return notes

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return Response({"marked": services.notification_mark_read(user=request.user, notification_id=pk)})

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})
