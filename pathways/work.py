"""Sections of the practitioner's work page that higher apps (mdt, safeguarding) register in their
AppConfig.ready(), so pathways never imports them."""

from ascm.core.panels import PanelRegistry

_work = PanelRegistry()
work_panel_register = _work.register


def work_panels(*, user) -> list[tuple[str, dict]]:
    return _work.for_user(user=user)
