"""What each app adds to the performance dashboard: measures, each the rows behind one figure.

A measure gives the queryset of its rows for a scope (teams, a locality or the county); the figure
is that queryset's count (or a sum or average over it) in the period, so every figure equals the length of
the list it links to, by construction. Rows of a period are those whose `date_field` falls in it; a
measure without one is a snapshot of now (reviews overdue, enquiries open)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from ascm.core.extensions import ExtensionPoint


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable  # (row) -> str
    url: Callable | None = None  # (row) -> link, for the first column usually


@dataclass(frozen=True)
class Measure:
    order: int
    section: str
    label: str
    rows: Callable  # (scope) -> QuerySet, already scoped to the teams, locality or county
    columns: tuple[Column, ...]
    date_field: str = ""  # the rows of a period: this field's date in it; empty: a snapshot of now
    # Instead of a count: (its unit, the aggregate, an expression over the rows), e.g. ("hours", Avg, …),
    # ("delayed days", Sum, …); the list behind it is still the rows it is worked out from.
    value: tuple[str, type, object] | None = None
    trend: bool = False  # a monthly chart of the last 12 months
    permission: str = ""  # shown only to holders (safeguarding's figures to those who may see safeguarding)
    target: str = ""  # the target, in words, when the figure is measured against one
    help: str = ""
    tags: tuple[str, ...] = field(default=())


performance_measures = ExtensionPoint("performance measures", Measure,
                                      doc="Figures on the performance dashboard, each with its drill-down list")


def measures_contribute(measures: dict[str, Measure]) -> None:
    """An app's measures, by key (a key again replaces its measure)."""
    for key, measure in measures.items():
        performance_measures.contribute(key, measure)
