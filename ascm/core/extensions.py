"""The one way a higher app extends a lower one.

A lower app declares an `ExtensionPoint` for what it lets others add (the person record's panels,
the work page's sections, the front door's "open work" checks…), with the dataclass a contribution
must be. A higher app contributes from its `AppConfig.ready()`:

    from clients.extensions import record_panels, RecordPanel
    record_panels.contribute("mdt", RecordPanel(order=30, ...))

so the lower app reads `record_panels.contributions()` and never imports the app above it
(CommCare HQ's `corehq/extensions` is the model). Keys make contributing idempotent: the same key
again replaces the earlier contribution, so a reloaded `ready()` never doubles a panel.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_POINTS: dict[str, ExtensionPoint] = {}


class ExtensionPoint(Generic[T]):
    def __init__(self, name: str, kind: type[T], *, doc: str = ""):
        if name in _POINTS:
            raise ValueError(f"Extension point {name!r} is declared twice")
        self.name, self.kind, self.doc = name, kind, doc
        self._items: dict[str, T] = {}
        _POINTS[name] = self

    def contribute(self, key: str, contribution: T) -> T:
        if not isinstance(contribution, self.kind):
            raise TypeError(f"{self.name} takes {self.kind.__name__}, not {type(contribution).__name__}")
        self._items[key] = contribution
        return contribution

    def contributions(self) -> list[T]:
        """In their `order` (if the kind has one), then by key: the same order every time."""
        return [item for _, item in sorted(self._items.items(), key=lambda kv: (getattr(kv[1], "order", 0), kv[0]))]

    def items(self) -> list[tuple[str, T]]:
        return sorted(self._items.items(), key=lambda kv: (getattr(kv[1], "order", 0), kv[0]))

    def __iter__(self) -> Iterator[T]:
        return iter(self.contributions())

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self._items)} contributions>"


def extension_points() -> dict[str, ExtensionPoint]:
    """Every declared point (the README and a test list them)."""
    return dict(_POINTS)


# The foundation's own points ---------------------------------------------------------------

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass(frozen=True)
class Panel:
    """A section of a page (the home page's caseload, the work page's MDT actions)."""

    order: int
    template: str
    context: Callable  # (user) -> dict, or None when not shown to this user; a bounded number of queries


def panels_for_user(point: ExtensionPoint[Panel], *, user) -> list[tuple[str, dict]]:
    shown = []
    for panel in point:
        data = panel.context(user)
        if data is not None:
            shown.append((panel.template, data))
    return shown


@dataclass(frozen=True)
class DemoData:
    """Demo data for `make run`. load(users by username) must be safe to run again."""

    order: int
    load: Callable


@dataclass(frozen=True)
class SyntheticData:
    """What an app adds to the synthetic county (`manage.py generate_synthetic`, `make bench`)."""

    order: int
    name: str
    generate: Callable  # (SyntheticRun) -> dict of counts


home_panels = ExtensionPoint("home panels", Panel, doc="Sections of the home page")
demo_data = ExtensionPoint("demo data", DemoData, doc="What `make run` loads, in order")
synthetic_data = ExtensionPoint("synthetic data", SyntheticData, doc="The synthetic county's generators, in order")
