"""What higher apps add to the person record: panels, what moves when two records are merged, and
flags other apps may show about a person (safeguarding's "open concern" on an MDT agenda)."""

from collections.abc import Callable
from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint
from ascm.core.policies import Policy


@dataclass(frozen=True)
class RecordPanel:
    order: int
    title: str
    template: str
    context: Callable  # (user, client) -> dict; must make a bounded number of queries
    policy: Policy  # shown only to users it lets "view" (a finance officer sees no assessments)
    # Whether the person has anything for the panel: an Exists over the person id in a field, as a
    # PersonFlag's expression. The record's own query answers it for every panel, and a panel given
    # holds=False (`context(user, client, holds=False)`) skips its queries: most people have no
    # DoLS, no hospital stay, no package.
    holds: Callable | None = None
    # A panel with several lists says which of them hold anything: `holds` then gives {part: Exists},
    # and the context is given {part: bool} (or True when the person was read without holdings).
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class MergeHandler:
    """Moves an app's rows from a duplicate record to the survivor. move(user, survivor, duplicate)
    returns {"app.Model.field": rows moved}; it must audit what it moves (clients.services offers
    client_merge_move_rows for the usual case) and raise ValidationError when it cannot merge."""

    order: int
    move: Callable


@dataclass(frozen=True)
class PersonFlag:
    """A short flag about people ("Safeguarding: open concern") that other apps show without importing
    the app that knows it: MDT agendas and packs, caseload weighting. `expression(field)` is a boolean
    SQL expression (an Exists) over the person id in `field`, so a list of people is flagged in the
    same query; only the flag leaves the owning app, never the detail."""

    order: int
    label: str
    expression: Callable  # (field name holding the client id, e.g. "client_id") -> Exists(...)
    makes_case_complex: bool = False  # counts towards the caseload review's complex-case weighting
    tag_colour: str = "red"


@dataclass(frozen=True)
class CareEventSource:
    """Where a care-event ledger event's source is put right (a return's validation report links
    there): `urls(source_ids)` gives each source's page, for a page of problems in one query."""

    source_model: str  # e.g. "finance.packageline"
    label: str  # "the care package"
    urls: Callable  # (list of source ids) -> {source id: url}


record_panels = ExtensionPoint("record panels", RecordPanel, doc="Panels on the person record page")
merge_handlers = ExtensionPoint("merge handlers", MergeHandler, doc="What moves when two person records merge")
person_flags = ExtensionPoint("person flags", PersonFlag, doc="Flags about a person other apps may show")
care_event_sources = ExtensionPoint("care event sources", CareEventSource,
                                    doc="Where each kind of ledger event is put right (returns' reports link there)")


def _holding_name(key: str, part: str = "") -> str:
    return f"holds_{key.replace('-', '_')}" + (f"__{part}" if part else "")


def record_panel_holdings() -> dict:
    """Annotations for the person's own query: {"holds_<key>": Exists(...)} for each panel that says
    ({"holds_<key>__<part>": …} for each part of a panel with parts)."""
    holdings = {}
    for key, panel in record_panels.items():
        if panel.holds and panel.parts:
            holdings.update({_holding_name(key, part): expression for part, expression in panel.holds("pk").items()})
        elif panel.holds:
            holdings[_holding_name(key)] = panel.holds("pk")
    return holdings


def holds_part(holds, part: str) -> bool:
    """For a panel with parts: whether this part has anything (True when not known)."""
    return holds if isinstance(holds, bool) else holds.get(part, True)


_HOLDINGS: dict = {}  # (panels, extra names) -> (CompiledOnce, names)


def record_holdings_of(client, extra: dict | None = None) -> None:
    """Sets `holds_<key>` on the person for every panel's holding (and each of `extra`'s, a name and
    a function giving an Exists over "pk"), in one query. The holdings depend on nothing but the
    person, so the statement is a CompiledOnce: compiling ten EXISTS subqueries cost more than
    running them."""
    from ascm.core.db import CompiledOnce

    from .models import Client

    extra = extra or {}
    key = (tuple(name for name, _ in record_panels.items()), tuple(extra))
    if key not in _HOLDINGS:
        def statement(pk):
            annotations = {**record_panel_holdings(), **{name: expression() for name, expression in extra.items()}}
            return Client._default_manager.filter(pk=pk).annotate(**annotations).values_list(*annotations)

        names = [*record_panel_holdings(), *extra]
        _HOLDINGS[key] = (CompiledOnce(statement), names)
    statement, names = _HOLDINGS[key]
    rows = statement(client.pk)
    for name, value in zip(names, rows[0] if rows else [True] * len(names), strict=True):
        setattr(client, name, bool(value))


def record_panels_for(*, user, client) -> list[tuple[RecordPanel, dict]]:
    """Each panel the user may see, with its context; a panel whose holding the client was fetched
    with (record_panel_holdings) is told whether there is anything to show."""
    shown = []
    for key, panel in record_panels.items():
        if not panel.policy.user_may(user, "view"):
            continue
        if panel.holds is None:
            shown.append((panel, panel.context(user, client)))
        elif panel.parts:
            holds = {part: getattr(client, _holding_name(key, part), True) for part in panel.parts}
            shown.append((panel, panel.context(user, client, holds=holds)))
        else:
            shown.append((panel, panel.context(user, client, holds=getattr(client, _holding_name(key), True))))
    return shown


def person_flags_annotations(field: str = "client_id") -> dict:
    """Annotations that mark each row's person with every flag: {"flag_<key>": Exists(...)}."""
    return {f"flag_{key.replace('-', '_')}": flag.expression(field) for key, flag in person_flags.items()}


def person_flags_of(row) -> list[PersonFlag]:
    """The flags set on a row annotated with person_flags_annotations()."""
    return [flag for key, flag in person_flags.items() if getattr(row, f"flag_{key.replace('-', '_')}", False)]


def person_flags_complex(field: str = "client_id"):
    """One condition: the person carries a flag that makes a case complex (or None if no app says so)."""
    from django.db.models import Q

    conditions = [flag.expression(field) for flag in person_flags if flag.makes_case_complex]
    if not conditions:
        return None
    combined = Q(conditions[0])
    for condition in conditions[1:]:
        combined |= Q(condition)
    return combined
