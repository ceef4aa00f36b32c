"""Panels on the person's record page that higher apps (pathways, mdt, safeguarding) register in
their AppConfig.ready(), so the person record never imports them."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordPanel:
    order: int
    title: str
    template: str
    context: Callable  # (user, client) -> dict; must make a bounded number of queries
    permission: str = ""  # shown only to users who hold it (a finance officer sees no assessments)


_PANELS: dict[str, RecordPanel] = {}


def record_panel_register(key: str, panel: RecordPanel) -> None:
    _PANELS[key] = panel


def record_panels(*, user, client) -> list[tuple[RecordPanel, dict]]:
    return [(panel, panel.context(user, client)) for panel in sorted(_PANELS.values(), key=lambda p: p.order)
            if not panel.permission or user.has_perm(panel.permission)]
