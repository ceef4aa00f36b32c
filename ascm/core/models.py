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


class ConstraintFieldErrorsMixin:
    """Report a violated constraint against the field a person can correct, in plain words.

    constraint_errors maps a constraint's name to (field, message)."""

    constraint_errors: dict[str, tuple[str, str]] = {}

    def validate_constraints(self, exclude=None):
        from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
        from django.db import router

        errors: dict[str, list] = {}
        using = router.db_for_write(self.__class__, instance=self)
        for constraint in self._meta.constraints:
            try:
                constraint.validate(self.__class__, self, exclude=exclude, using=using)
            except ValidationError as error:
                field, message = self.constraint_errors.get(constraint.name, (NON_FIELD_ERRORS, None))
                errors.setdefault(field, []).append(message or error)
        if errors:
            raise ValidationError(errors)
