"""What higher apps add to care: sections of the practitioner's work page (MDT actions)."""

from ascm.core.extensions import ExtensionPoint, Panel

work_panels = ExtensionPoint("work panels", Panel, doc="Sections of the work page")
