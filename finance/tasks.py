from celery import shared_task


@shared_task(name="finance.tasks.finance_daily_task")
def finance_daily_task() -> int:
    """Each morning: approved packages whose start date has come start, those past their end end, and
    budgets forecast to go over are alerted, and direct payment reviews coming due are told (once each). Safe to run twice: returns how many of those
    it did, 0 the second time."""
    from .services import budgets_check_forecasts, direct_payment_reviews_remind, packages_start_and_end

    started, ended = packages_start_and_end()
    return started + ended + budgets_check_forecasts() + direct_payment_reviews_remind()


@shared_task(name="finance.tasks.pay_run_make_task", acks_late=True)
def pay_run_make_task(run_id: int) -> int:
    """Make a pay run's items in batches (safe to run twice: it resumes after the last line done)."""
    from .payments import pay_run_make

    return pay_run_make(run_id)


@shared_task(name="finance.tasks.reassessment_run_task", acks_late=True)
def reassessment_run_task(job_id: int) -> int:
    """Re-assess everyone on a new April table, in batches (safe to run twice: it resumes)."""
    from .services import reassessment_run

    return reassessment_run(job_id)
