"""Sections of the practitioner's work page that higher apps (mdt, safeguarding) register in their
AppConfig.ready(), so pathways never imports them."""

from collections.abc import Callable

_PANELS: dict[str, tuple[int, str, Callable]] = {}


def work_panel_register(key: str, *, order: int, template: str, context: Callable) -> None:
    """context(user) -> dict or None (None: not shown to this user). Must make a bounded number of queries."""
    _PANELS[key] = (order, template, context)


def work_panels(*, user) -> list[tuple[str, dict]]:
    panels = []
    for _, template, context in sorted(_PANELS.values(), key=lambda p: p[0]):
        data = context(user)
        if data is not None:
            panels.append((template, data))
    return panels
