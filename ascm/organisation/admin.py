from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin, messages

from . import services
from .models import Area, GPPractice, Hub, Locality, PostcodeDistrict, Team, TeamMembership


class ArchiveInsteadOfDeleteAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Nothing is deleted from the admin: records are archived, and keep their history."""

    actions = ["archive_selected"]
    show_auditlog_history_link = True

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Archive selected records")
    def archive_selected(self, request, queryset):
        for instance in queryset:
            services.record_archive(instance=instance)
        messages.success(request, f"Archived {queryset.count()} record(s).")


class PostcodeDistrictInline(admin.TabularInline):
    model = PostcodeDistrict
    extra = 0
    can_delete = False


class HubInline(admin.TabularInline):
    model = Hub
    extra = 0
    can_delete = False
    fields = ("name", "population")


@admin.register(Area)
class AreaAdmin(ArchiveInsteadOfDeleteAdmin):
    list_display = ("name", "archived_at")
    search_fields = ("name",)


@admin.register(Locality)
class LocalityAdmin(ArchiveInsteadOfDeleteAdmin):
    list_display = ("name", "area", "former_names", "archived_at")
    list_filter = ("area",)
    search_fields = ("name", "former_names")
    inlines = [HubInline, PostcodeDistrictInline]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "locality")
    list_filter = ("locality",)
    search_fields = ("code",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hub)
class HubAdmin(ArchiveInsteadOfDeleteAdmin):
    list_display = ("name", "locality", "population", "archived_at")
    list_filter = ("locality__area", "locality")
    search_fields = ("name",)


@admin.register(GPPractice)
class GPPracticeAdmin(ArchiveInsteadOfDeleteAdmin):
    list_display = ("ods_code", "name", "locality", "hub", "archived_at")
    list_filter = ("locality__area", "locality", "hub")
    search_fields = ("ods_code", "name")
    autocomplete_fields = ("hub",)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    fk_name = "team"
    extra = 1
    fields = ("user", "role", "started_on", "ended_on")
    autocomplete_fields = ("user",)
    can_delete = False


@admin.register(Team)
class TeamAdmin(ArchiveInsteadOfDeleteAdmin):
    list_display = ("name", "team_type", "locality", "hub", "archived_at")
    list_filter = ("team_type", "locality__area", "locality")
    search_fields = ("name", "locality__name")
    autocomplete_fields = ("hub",)
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    list_display = ("user", "team", "role", "started_on", "ended_on")
    list_filter = ("role", "team__locality", "team__team_type")
    search_fields = ("user__username", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")

    def has_delete_permission(self, request, obj=None):
        return False
