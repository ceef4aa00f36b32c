"""What higher apps add to the front door: what else counts as a person's open work (care's open
episodes), so a new referral joins that work instead of starting parallel work."""

from collections.abc import Callable
from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint


@dataclass(frozen=True)
class OpenWork:
    order: int
    find: Callable  # (client) -> (team, reason) or None; one query


open_work = ExtensionPoint("open work", OpenWork, doc="What else counts as a person's open work at the front door")
