from django.contrib.auth.models import AbstractUser, Group
from django.db import models


class User(AbstractUser):
    """A member of staff. Never deleted: deactivate instead, so the audit log keeps its actor."""

    job_title = models.CharField(max_length=120, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivation_reason = models.CharField(max_length=300, blank=True, help_text="Why they can no longer sign in")

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Users are deactivated, never deleted.")


class Role(models.Model):
    """A role is a permission group plus the reach it gives over people's records.

    Team roles are held through a team membership and reach that team's (or locality's) work;
    organisation-wide roles (administrator, auditor) are held directly by the user.
    """

    class RecordScope(models.TextChoices):
        NONE = "none", "No person records"
        TEAM = "team", "People allocated to their teams"
        LOCALITY = "locality", "People in their teams' localities"
        ALL = "all", "Everyone in the county"

    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="role")
    slug = models.SlugField(unique=True)
    is_team_role = models.BooleanField(
        default=True, help_text="Held through a team membership (otherwise held by the user directly)."
    )
    record_scope = models.CharField(max_length=10, choices=RecordScope.choices, default=RecordScope.TEAM)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["group__name"]

    def __str__(self) -> str:
        return self.group.name

    @property
    def name(self) -> str:
        return self.group.name
