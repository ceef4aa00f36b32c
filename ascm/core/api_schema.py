"""OpenAPI schema helpers (apart from ascm.core.api, which DRF's settings import early)."""

from drf_spectacular.openapi import AutoSchema


class SummarySchema(AutoSchema):
    """For a viewset whose collection URL answers with one summary object (counts, a dashboard), not
    a list: the schema says an object, unpaged."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)
