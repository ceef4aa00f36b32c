from celery import shared_task
from django.db import OperationalError

from .services import notifications_archive


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def archive_old_notifications_task(self) -> int:
    """Nightly: old read notifications leave the inbox (kept). Safe to run twice."""
    return notifications_archive()
