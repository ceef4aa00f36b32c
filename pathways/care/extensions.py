"""What higher apps add to care: sections of the practitioner's work page (MDT actions), and of the
support plan's page (the personal budget and care package, from finance)."""

from collections.abc import Callable
from dataclasses import dataclass

from ascm.core.extensions import ExtensionPoint, Panel

work_panels = ExtensionPoint("work panels", Panel, doc="Sections of the work page")


@dataclass(frozen=True)
class PlanPanel:
    """A section of the care and support plan's page, and of the copy the person keeps (finance's
    personal budget and care package). `context(user, plan)` returns a dict, or None when not shown."""

    order: int
    template: str
    print_template: str
    context: Callable


plan_panels = ExtensionPoint("plan panels", PlanPanel, doc="Sections of the support plan's page and its printed copy")


def plan_panels_for(*, user, plan, printed: bool = False) -> list[tuple[str, dict]]:
    shown = []
    for panel in plan_panels:
        data = panel.context(user, plan)
        if data is not None:
            shown.append((panel.print_template if printed else panel.template, data))
    return shown
