from celery import shared_task
from django.db import OperationalError

from .services import sessions_clear_expired


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def clear_expired_sessions_task(self) -> int:
    return sessions_clear_expired()
