"""Panels on the home page that domain apps register in their AppConfig.ready(), so the foundation
never imports them (the caseload comes from clients, later the work page from pathways)."""

from collections.abc import Callable

_PANELS: dict[str, tuple[int, str, Callable]] = {}


def home_panel_register(key: str, *, order: int, template: str, context: Callable) -> None:
    """context(user) -> dict or None (None: the panel is not shown to this user)."""
    _PANELS[key] = (order, template, context)


def home_panels(*, user) -> list[tuple[str, dict]]:
    panels = []
    for _, template, context in sorted(_PANELS.values(), key=lambda p: p[0]):
        data = context(user)
        if data is not None:
            panels.append((template, data))
    return panels
