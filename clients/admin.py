from django.contrib import admin
from django.db import transaction

from .models import ImportRun
from .tasks import import_people_task


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Upload a legacy export; the import runs as a task and the per-row report is kept here."""

    list_display = ("filename", "created_at", "uploaded_by", "status", "rows", "created", "updated", "unchanged", "rejected")
    list_filter = ("status",)
    readonly_fields = ("filename", "uploaded_by", "created_at", "finished_at", "status", "error", "rows", "created",
                       "updated", "unchanged", "rejected", "rejected_rows")

    def get_fields(self, request, obj=None):
        return ("file",) if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            obj.filename = obj.file.name
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: import_people_task.delay(obj.pk))

    @admin.display(description="Rejected rows (the first 500, with the reason)")
    def rejected_rows(self, obj):
        import csv
        import itertools

        rows = (row for row in csv.reader(obj.report_lines()) if len(row) == 4 and row[2] == "rejected")
        return "\n".join(f"Row {n} ({legacy_id}): {reason}" for n, legacy_id, _, reason in itertools.islice(rows, 500)) or "None"

    actions = ["run_again"]

    @admin.action(description="Run the selected imports again (stuck or refused)", permissions=["add"])
    def run_again(self, request, queryset):
        from .importing import import_run_restart

        restarted = sum(import_run_restart(run_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{restarted} import(s) sent to run again; finished ones were left alone.")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
