from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ascm.organisation.models import TeamMembership

from . import services
from .models import Role, User


class MembershipInline(admin.TabularInline):
    model = TeamMembership
    fk_name = "user"
    extra = 1
    fields = ("team", "role", "started_on", "ended_on")
    can_delete = False
    verbose_name = "team membership"


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "job_title", "email", "is_active", "role_names")
    list_filter = ("is_active", "groups", "memberships__team__locality", "memberships__role")
    search_fields = ("username", "first_name", "last_name", "email")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "job_title", "email")}),
        (
            "Organisation-wide roles",
            {
                "fields": ("groups", "is_active"),
                "description": "Administrator and auditor roles. Team roles are held through team memberships below.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "job_title", "email", "password1", "password2")}),
        ("Organisation-wide roles", {"fields": ("groups",)}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "memberships__role__group")

    @admin.display(description="Roles")
    def role_names(self, obj):
        names = {g.name for g in obj.groups.all()} | {
            m.role.group.name for m in obj.memberships.all() if m.ended_on is None
        }
        return ", ".join(sorted(names))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.user_sync_staff_status(user=form.instance)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_team_role", "record_scope")
    fields = ("group", "slug", "is_team_role", "record_scope", "description")

    def has_delete_permission(self, request, obj=None):
        return False
