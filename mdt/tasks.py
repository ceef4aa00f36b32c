from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def extend_meeting_series_task(self) -> int:
    """Keep each recurring MDT's meetings scheduled 12 weeks ahead (safe to run twice)."""
    from .services import series_extend_all

    return series_extend_all()
