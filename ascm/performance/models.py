"""The performance dashboard has no table of its own (its figures are the other apps' records, counted
in the database): this model only carries its permissions."""

from django.conf import settings
from django.db import models


class Dashboard(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", "Can see the performance dashboard for their teams and localities"),
                       ("view_county_dashboard", "Can see the performance dashboard for the whole county")]

    def __str__(self) -> str:
        return "Performance dashboard"


class ExportFile(models.Model):
    """A drill-down list too long for a browser (over EXPORT_ROWS rows), written by a Celery task and
    downloaded from the link it leaves."""

    EXPORT_ROWS = 5000

    class Status(models.TextChoices):
        MAKING = "making", "Being made"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Could not be made"

    measure = models.CharField(max_length=60)
    scope = models.CharField(max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MAKING)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"Export of {self.measure}, {self.period_start} to {self.period_end}"
