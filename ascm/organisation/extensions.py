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


@dataclass(frozen=True)
class CloseCheck:
    """What still belongs to an organisation record that a higher app keeps (people allocated to a
    team): `in_use(instance)` returns phrases like "3 people allocated", none when it may close."""

    order: int
    in_use: object  # Callable[[model instance], list[str]]


close_checks = ExtensionPoint("close checks", CloseCheck, doc="What a higher app says keeps a team or place open")
