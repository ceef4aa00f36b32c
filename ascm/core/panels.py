"""A page's panels that domain apps register in their AppConfig.ready(), so the page's own app never
imports them (the home page's caseload, the work page's MDT actions)."""

from collections.abc import Callable


class PanelRegistry:
    def __init__(self):
        self._panels: dict[str, tuple[int, str, Callable]] = {}

    def register(self, key: str, *, order: int, template: str, context: Callable) -> None:
        """context(user) -> dict or None (None: not shown to this user); a bounded number of queries."""
        self._panels[key] = (order, template, context)

    def for_user(self, *, user) -> list[tuple[str, dict]]:
        panels = []
        for _, template, context in sorted(self._panels.values(), key=lambda p: p[0]):
            data = context(user)
            if data is not None:
                panels.append((template, data))
        return panels
