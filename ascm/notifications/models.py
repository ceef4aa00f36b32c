from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notification(models.Model):
    """One item in the task inbox, addressed to a person, to a team, or to the holders of a permission
    in a team or a locality ("whoever signs work off in this team") — one row for all of them, with
    read state per person in NotificationRead. Sent once per occurrence: (recipient, key), (team, key)
    and (locality, key) are unique, so a task that runs twice cannot notify twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications",
                                  null=True, blank=True)
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="notifications",
                             null=True, blank=True)
    locality = models.ForeignKey("organisation.Locality", on_delete=models.PROTECT, related_name="notifications",
                                 null=True, blank=True)
    # With a team or locality: only its members whose role there gives this permission are told.
    permission = models.ForeignKey("auth.Permission", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # Who caused it: never told of their own action (the author is not asked to sign their own work off).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120, help_text="What this is about, e.g. referral-12-routed")
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True, help_text="A person's own notification: when they read it")
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="The task is done (by anyone): read for all")
    archived_at = models.DateTimeField(null=True, blank=True, help_text="Old and read: off the inbox, kept")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_occurrence"),
            models.UniqueConstraint(fields=["team", "key"], name="notification_team_once_per_occurrence"),
            models.UniqueConstraint(fields=["locality", "key"], name="notification_locality_once_per_occurrence"),
            models.CheckConstraint(
                condition=(Q(recipient__isnull=False, team__isnull=True, locality__isnull=True)
                           | Q(recipient__isnull=True, team__isnull=False, locality__isnull=True)
                           | Q(recipient__isnull=True, team__isnull=True, locality__isnull=False, permission__isnull=False)),
                name="notification_to_a_person_a_team_or_holders_in_a_place"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
                   models.Index(fields=["team", "created_at"], name="notification_team_inbox_idx"),
                   models.Index(fields=["locality", "created_at"], name="notification_place_inbox_idx"),
                   # "Already told?" and "done: resolve for everyone told" look up by occurrence alone.
                   models.Index(fields=["key"], name="notification_key_idx")]

    def __str__(self) -> str:
        return self.title


class NotificationRead(models.Model):
    """A member of a team has read the team's notification."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="reads")  # read state only
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="notification_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notification_id}"
