from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import services
from .models import Notification
from .selectors import notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "created_at", "read_at"]


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your task inbox. Mark one read, or all."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    filterset_fields = {"read_at": ["isnull"], "kind": ["exact"]}

    def get_queryset(self):
        return notifications_for(user=self.request.user)

    @extend_schema(request=None, responses={200: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        return Response({"marked": services.notification_mark_read(user=request.user, notification_id=pk)})

    @extend_schema(request=None, responses={200: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})
