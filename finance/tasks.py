from celery import shared_task


@shared_task(name="finance.tasks.finance_daily_task")
def finance_daily_task() -> dict:
    """Each morning: approved packages whose start date has come start, those past their end end, and
    budgets forecast to go over are alerted (once each). Safe to run twice."""
    from .services import budgets_check_forecasts, packages_start_and_end

    started, ended = packages_start_and_end()
    return {"started": started, "ended": ended, "budget_alerts": budgets_check_forecasts()}
