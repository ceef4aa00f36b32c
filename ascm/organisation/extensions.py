"""What higher apps add to the organisation overview: links to their set-up pages (thresholds,
targets, rates), shown to those whose policy allows."""

from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint
from ascm.core.policies import Policy


@dataclass(frozen=True)
class SetupLink:
    order: int
    text: str
    url_name: str
    policy: Policy
    action: str = "add"


setup_links = ExtensionPoint("set-up links", SetupLink, doc="Set-up pages listed on the organisation overview")
