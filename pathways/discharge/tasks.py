from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def discharge_alerts_check_task(self, discharge_id: int) -> int:
    from .alerts import discharge_alerts

    return discharge_alerts(discharge_ids=[discharge_id])  # redelivered: raises nothing twice


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def dtoc_morning_task(self) -> int:
    from .alerts import discharge_alert_digest, discharge_alerts

    raised = discharge_alerts()  # the county; a second run raises nothing
    discharge_alert_digest()  # one email per person with what is new for them; each alert emailed once
    return raised


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def discharge_alerts_sweep_task(self) -> int:
    from .alerts import discharge_alerts_sweep

    return discharge_alerts_sweep()
