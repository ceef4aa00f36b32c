"""OpenAPI schema helpers (apart from ascm.core.api, which DRF's settings import early)."""

from drf_spectacular.openapi import AutoSchema


class SummarySchema(AutoSchema):
    """For a viewset whose collection URL answers with one summary object (counts, a dashboard), not
    a list: the schema says an object, unpaged."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)


def paged(name: str, serializer):
    """The schema of one page of a list an @action answers (count, next, previous, results), as every
    list in the API is paged."""
    from drf_spectacular.utils import inline_serializer
    from rest_framework import serializers

    return inline_serializer(name, {
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "results": serializer(many=True)})
