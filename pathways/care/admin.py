from django.contrib import admin

from .models import PathwaySetting, ReminderThreshold


@admin.register(ReminderThreshold)
class ReminderThresholdAdmin(admin.ModelAdmin):
    """When the daily job reminds people. Add a row with the date it takes effect: earlier rows stay as
    the history of what applied when. With no row, the default applies (14, 7, 5 and 7)."""

    list_display = ("name", "value", "effective_from", "created_at")
    list_filter = ("name",)

    def has_change_permission(self, request, obj=None):
        return False  # dated data: a change is a new row from its date

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PathwaySetting)
class PathwaySettingAdmin(admin.ModelAdmin):
    """Administrators set each pathway's planned episode length (Promoting Independence: 6 weeks)."""

    list_display = ("pathway", "planned_length_weeks")
    list_editable = ("planned_length_weeks",)

    def has_delete_permission(self, request, obj=None):
        return False
