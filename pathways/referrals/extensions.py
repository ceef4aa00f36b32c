"""What higher apps add to the front door: what else counts as a person's open work (care's open
episodes), so a new referral joins that work instead of starting parallel work; and what happens
when a referral raises a safeguarding concern; and links from a referral to the work it starts."""

from collections.abc import Callable
from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint


@dataclass(frozen=True)
class OpenWork:
    order: int
    find: Callable  # (client) -> (team, reason) or None; one query


open_work = ExtensionPoint("open work", OpenWork, doc="What else counts as a person's open work at the front door")


@dataclass(frozen=True)
class SafeguardingRaised:
    """Called, in the routing's transaction, when a referral raises a safeguarding concern (safeguarding
    turns it into a concern in its team's queue). Must be safe to call twice for one referral."""

    order: int
    handle: Callable  # (referral) -> None


safeguarding_raised = ExtensionPoint("safeguarding raised", SafeguardingRaised,
                                     doc="What happens when a referral raises a safeguarding concern")


@dataclass(frozen=True)
class ReferralLink:
    """A link a higher app offers on a referral's page (the hospital discharge record, say): `link`
    returns (label, url) for this referral and user, or None to offer nothing."""

    order: int
    link: Callable


referral_links = ExtensionPoint("referral links", ReferralLink, doc="Links from a referral's page to the work it starts")
