from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_at__isnull=True)


class ArchivableModel(TimeStampedModel):
    """Nothing is hard-deleted: a record is archived, and stays in the history."""

    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args, **kwargs):
        raise NotImplementedError("Records are archived, never deleted.")
