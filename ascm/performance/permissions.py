"""Who sees performance figures: managers and heads of service for their teams and localities,
returns officers (and others holding view_county_dashboard) for the county."""

from ascm.core.policies import Policy

from .models import Dashboard


class DashboardPolicy(Policy):
    model = Dashboard
    perms = {"view": "performance.view_dashboard", "county": "performance.view_county_dashboard"}


dashboard_policy = DashboardPolicy()
