from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_make_task(export_id: int) -> int:
    from .services import export_make

    return export_make(export_id)
