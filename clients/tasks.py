from celery import shared_task
from django.db import OperationalError

from .importing import import_run_execute


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def import_people_task(self, run_id: int) -> None:
    import_run_execute(run_id=run_id)
