from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One item in a user's task inbox. Sent once per occurrence: (recipient, key) is unique, so a
    task that runs twice cannot notify twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120, help_text="What this is about, e.g. referral-12-routed")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_occurrence")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
                   # "Already told?" and "done: resolve for everyone told" look up by occurrence alone.
                   models.Index(fields=["key"], name="notification_key_idx")]

    def __str__(self) -> str:
        return self.title
