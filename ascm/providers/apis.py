from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ascm.core.csvfiles import FileRefused
from ascm.core.policies import PolicyPermission

from . import selectors, services
from .models import CareSetting, Provider, Ward
from .permissions import care_setting_policy, provider_policy, ward_policy
from .serializers import (
    CareSettingSerializer,
    CloseSerializer,
    ImportSerializer,
    ProviderImportSerializer,
    ProviderSerializer,
    WardSerializer,
)

# Everyone signed in looks the register up; the administrator changes it.
READ = {"list": "read", "retrieve": "read", "close": "change"}


class _RegisterViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [PolicyPermission]
    policy_actions = READ
    close_service = None

    @extend_schema(request=CloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close it from a date (today if none): it is kept, marked closed, never deleted."""
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = self.get_object()
        closed = type(self).close_service(instance, body.validated_data.get("closed_on"))
        return Response(self.get_serializer(closed).data)


class ProviderViewSet(_RegisterViewSet):
    """Organisations that run services (NHS trusts, care companies, charities). ?include_closed=true
    lists closed ones too."""

    serializer_class = ProviderSerializer
    policy = provider_policy
    queryset = Provider.objects.none()
    filterset_fields = ["kind"]
    search_fields = ["name", "cqc_provider_id"]
    close_service = staticmethod(lambda provider, on: services.provider_close(provider=provider, closed_on=on))

    def get_queryset(self):
        closed = self.request.query_params.get("include_closed") in ("true", "1") or self.action != "list"
        return selectors.providers_list(include_closed=closed).order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.provider_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.provider_update(provider=serializer.instance, **serializer.validated_data)


class CareSettingViewSet(_RegisterViewSet):
    """Hospitals, care homes, home care agencies, day services, voluntary services. Search with
    ?q= (name, town, postcode, CQC ID), ?kind=, ?include_closed=true. POST .../import/ takes a CSV."""

    serializer_class = CareSettingSerializer
    policy = care_setting_policy
    policy_actions = {**READ, "register_import": "import"}
    queryset = CareSetting.objects.none()
    close_service = staticmethod(lambda setting, on: services.setting_close(setting=setting, closed_on=on))

    def get_queryset(self):
        params = self.request.query_params
        settings = selectors.care_settings_search(
            q=params.get("q", ""), kind=params.get("kind", ""),
            include_closed=params.get("include_closed") in ("true", "1") or self.action != "list")
        return settings.prefetch_related("wards")

    def perform_create(self, serializer):
        serializer.instance = services.setting_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.setting_update(setting=serializer.instance, **serializer.validated_data)

    @extend_schema(request=ImportSerializer, responses={201: ProviderImportSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def register_import(self, request):
        """Import the register from CSV text (JSON, like the rest of the API); safe to repeat. The
        report has every row's outcome."""
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = services.providers_import(data=body.validated_data["content"].encode(),
                                            filename=body.validated_data["filename"], user=request.user)
        except FileRefused as refused:
            raise ValidationError({"content": [str(refused)]}) from None
        return Response(ProviderImportSerializer(run).data, status=status.HTTP_201_CREATED)


class WardViewSet(_RegisterViewSet):
    """Hospital wards. ?setting= for one hospital's."""

    serializer_class = WardSerializer
    policy = ward_policy
    queryset = Ward.objects.select_related("setting").order_by("setting__name", "name")
    filterset_fields = ["setting"]
    close_service = staticmethod(lambda ward, on: services.ward_close(ward=ward, closed_on=on))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.ward_add(setting=data["setting"], name=data["name"],
                                                specialty=data.get("specialty", ""))

    def perform_update(self, serializer):
        ward = serializer.instance
        data = {k: v for k, v in serializer.validated_data.items() if k in ("name", "specialty")}
        serializer.instance = services.ward_update(ward=ward, **data)
