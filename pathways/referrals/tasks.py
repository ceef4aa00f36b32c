from celery import shared_task
from django.db import OperationalError

from .services import referrals_route_waiting, referrals_sweep


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def route_referral_task(self, referral_id: int) -> int:
    # Routes this referral and whatever else is waiting, in one batch; a redelivered task, or one
    # whose referral an earlier batch took, finds nothing to do.
    return referrals_route_waiting(first=referral_id)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_unrouted_referrals_task(self) -> int:
    return referrals_sweep()
