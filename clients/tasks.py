from celery import shared_task
from django.db import OperationalError

from .importing import import_run_execute


# Acknowledged only when done, and sent back to the queue if the worker dies: a killed worker's
# import runs again (and resumes: rows already written come out unchanged).
@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3,
             acks_late=True, reject_on_worker_lost=True)
def import_people_task(self, run_id: int) -> None:
    import_run_execute(run_id=run_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def return_file_make_task(file_id: int) -> int:
    """Make a statutory return's file (Client Level Data); safe to run twice."""
    from .returns import return_file_make

    return return_file_make(file_id)
