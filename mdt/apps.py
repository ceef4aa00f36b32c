from django.apps import AppConfig


class MdtConfig(AppConfig):
    name = "mdt"
    label = "mdt"
    verbose_name = "Locality MDTs and caseload review"

    def ready(self):
        from auditlog.registry import auditlog

        from ascm.accounts.selectors import NavEntry, navigation_register
        from clients.panels import RecordPanel, record_panel_register
        from pathways.work import work_panel_register

        from . import demo, synthetic  # noqa: F401 - demo data, the benchmark generator
        from .models import Action, AgendaItem, Attendee, CaseloadWeight, Meeting, MeetingSeries
        from .selectors import mdt_record_panel, my_actions_panel

        for model in (MeetingSeries, Meeting, Attendee, AgendaItem, Action, CaseloadWeight):
            auditlog.register(model, exclude_fields=["updated_at"])
        record_panel_register("mdt", RecordPanel(order=30, title="MDT discussions", template="mdt/_record_panel.html",
                                                 context=mdt_record_panel, permission="mdt.view_agendaitem"))
        work_panel_register("mdt-actions", order=10, template="mdt/_work_actions.html", context=my_actions_panel)
        navigation_register("mdt", NavEntry(30, "MDT meetings", "mdt:meetings", "mdt.view_meeting"))
        navigation_register("caseload", NavEntry(40, "Caseload review", "mdt:caseload", "mdt.view_caseload_review"))
