from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def safeguarding_decision_reminders_task(self) -> int:
    from .services import decision_reminders

    return decision_reminders()  # once per concern: a second run sends nothing


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def dols_daily_alerts_task(self) -> int:
    from .dols import dols_daily_alerts

    return dols_daily_alerts()  # once per application per event: a second run sends nothing
