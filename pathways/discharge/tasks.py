from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def discharge_alerts_check_task(self, discharge_id: int) -> int:
    from .alerts import discharge_alerts

    return discharge_alerts(discharge_ids=[discharge_id])  # redelivered: raises nothing twice


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def dtoc_morning_task(self) -> int:
    from .alerts import discharge_alerts

    return discharge_alerts()  # the county; a second run raises nothing


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def discharge_alerts_sweep_task(self) -> int:
    from .alerts import discharge_alerts_sweep

    return discharge_alerts_sweep()
