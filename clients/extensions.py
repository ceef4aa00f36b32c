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


@dataclass(frozen=True)
class MergeHandler:
    """Moves an app's rows from a duplicate record to the survivor. move(user, survivor, duplicate)
    returns {"app.Model.field": rows moved}; it must audit what it moves (clients.services offers
    client_merge_move_rows for the usual case) and raise ValidationError when it cannot merge."""

    order: int
    move: Callable


@dataclass(frozen=True)
class PersonFlag:
    """A short flag about people ("Open safeguarding concern"). flagged(user, client_ids) returns the
    ids among them that carry the flag, in one query, and only what that user may know."""

    order: int
    label: str
    flagged: Callable
    tag_colour: str = "red"


record_panels = ExtensionPoint("record panels", RecordPanel, doc="Panels on the person record page")
merge_handlers = ExtensionPoint("merge handlers", MergeHandler, doc="What moves when two person records merge")
person_flags = ExtensionPoint("person flags", PersonFlag, doc="Flags about a person other apps may show")


def record_panels_for(*, user, client) -> list[tuple[RecordPanel, dict]]:
    return [(panel, panel.context(user, client)) for panel in record_panels
            if panel.policy.user_may(user, "view")]


def person_flags_for(*, user, client_ids) -> dict[int, list[PersonFlag]]:
    """Each person's flags, one query per kind of flag whatever the number of people."""
    ids = list(client_ids)
    flags: dict[int, list[PersonFlag]] = {}
    if not ids:
        return flags
    for flag in person_flags:
        for client_id in flag.flagged(user, ids):
            flags.setdefault(client_id, []).append(flag)
    return flags
