from django.contrib import admin

from .models import CaseloadWeight


@admin.register(CaseloadWeight)
class CaseloadWeightAdmin(admin.ModelAdmin):
    """Administrators set how much a person on each pathway counts in a weighted caseload."""

    list_display = ["pathway", "weight", "complex_weight"]
    list_editable = ["weight", "complex_weight"]

    def has_delete_permission(self, request, obj=None):
        return False  # change the weight instead: the review's history stays explainable
