from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def daily_reminders_task(self) -> int:
    from .plans import daily_reminders

    return daily_reminders()
