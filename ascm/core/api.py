"""What every endpoint under /api/v1/ shares: pagination, permissions and one error body."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class ReadAllWriteByRole(permissions.DjangoModelPermissions):
    """Any signed-in user may read; writes need the model permission their role grants."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "action", None) in getattr(view, "read_actions", ()):
            return True
        if not hasattr(view, request.method.lower()):
            return True  # let the view answer 405: nothing is deleted through the API
        if getattr(view, "action", None) in {"archive", "end"}:
            model = self._queryset(view).model
            return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        return super().has_permission(request, view)


def exception_handler(exc, context):
    """Every error has the same body: {"status", "code", "detail", "errors"}.

    "errors" maps field names to lists of messages (non-field errors under "non_field_errors").
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"status": 413, "code": "request_too_large", "detail": "The request body is too large.", "errors": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "The request has errors.",
            "errors": errors,
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "error",
            "detail": str(getattr(exc, "detail", exc)),
            "errors": {},
        }
    response.data = body
    return response


class ArchivingViewSetMixin:
    """Writes go through service functions; DELETE is not offered (POST .../archive/ instead)."""

    create_service = None
    update_service = None
    update_instance_arg = None

    def perform_create(self, serializer):
        serializer.instance = type(self).create_service(**serializer.validated_data)

    def perform_update(self, serializer):
        service = type(self).update_service
        serializer.instance = service(**{self.update_instance_arg: serializer.instance}, **serializer.validated_data)
