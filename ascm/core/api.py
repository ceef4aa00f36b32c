"""What every endpoint under /api/v1/ shares: pagination, permissions and one error body."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


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


class BlankAsNullChoiceField:
    """Factory for a read-only choice field that answers null, not "", when nothing is chosen yet ("" is
    not one of the enum's values, so a client generated from the schema would refuse it)."""

    def __new__(cls, choices, **kwargs):
        from rest_framework import serializers

        class _Field(serializers.ChoiceField):
            def to_representation(self, value):
                return None if value in ("", None) else super().to_representation(value)

        return _Field(choices=choices, read_only=True, allow_null=True, **kwargs)


_ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this body. `errors` maps field names to their messages.",
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["status", "code", "detail", "errors"],
}
_ERRORS = {
    "400": "The request has errors (field by field in `errors`)",
    "401": "Not signed in, or the token is missing, wrong or expired",
    "403": "Your role does not allow this",
    "404": "No such record, or not one you may see",
    "409": "Someone else changed the record since the version you sent",
    "413": "The request body is too large",
}


def schema_add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing: document the error answers every operation can give, with the
    one error body, so a generated client knows them (schemathesis found them undocumented)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            writes = method in ("post", "put", "patch")
            for code, description in _ERRORS.items():
                if code in ("409", "413") and not writes:
                    continue
                if code == "404" and "{" not in path and not writes:
                    continue
                responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": ref}}})
    return result

