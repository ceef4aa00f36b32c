import datetime
import itertools

from django.utils import timezone

from ascm.organisation.models import GPPractice
from mdt import services

_codes = itertools.count(90001)


def practice(locality, name="Synthetic Surgery"):
    return GPPractice.objects.create(ods_code=f"Z{next(_codes)}", name=name, locality=locality)


def meeting(user, locality, *, days_ahead: int = 7, gp_practice=None, title="City MDT"):
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_ahead)
    return services.meeting_schedule(user=user, locality=locality, title=title, starts_at=starts,
                                     gp_practice=gp_practice or practice(locality))


def held(meeting_obj, *, days_ago: int = 1):
    """Move a meeting into the past (as if it had been scheduled earlier)."""
    meeting_obj.starts_at = timezone.now() - datetime.timedelta(days=days_ago)
    meeting_obj.save(update_fields=["starts_at"])
    return meeting_obj


def overdue(action, *, days: int = 1):
    """Make an action overdue, as if its due date had passed (a new action cannot be due in the past)."""
    type(action).objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=days))
    action.refresh_from_db()
    return action
