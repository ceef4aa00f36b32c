from celery import shared_task
from django.db import OperationalError

from .services import referral_route, referrals_sweep


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def route_referral_task(self, referral_id: int) -> None:
    referral_route(referral_id=referral_id)  # re-reads; does nothing if already routed


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def sweep_unrouted_referrals_task(self) -> int:
    return referrals_sweep()
