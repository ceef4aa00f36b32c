"""Panels on the home page that domain apps register in their AppConfig.ready(), so the foundation
never imports them (the caseload comes from clients)."""

from .panels import PanelRegistry

_home = PanelRegistry()
home_panel_register = _home.register


def home_panels(*, user) -> list[tuple[str, dict]]:
    return _home.for_user(user=user)
