from django.apps import AppConfig


class MdtConfig(AppConfig):
    name = "mdt"
    label = "mdt"
    verbose_name = "Locality MDTs and caseload review"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())
        from auditlog.registry import auditlog

        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, Panel, SyntheticData, demo_data, synthetic_data
        from clients.extensions import MergeHandler, RecordPanel, merge_handlers, record_panels
        from pathways.care.extensions import work_panels

        from .demo import demo_mdt
        from .models import Action, AgendaItem, Attendee, CaseloadWeight, Meeting, MeetingSeries
        from .permissions import agenda_item_policy, caseload_review_policy, meeting_policy
        from .selectors import mdt_record_holds, mdt_record_panel, my_actions_panel
        from .services import mdt_merge
        from .synthetic import mdt_generate

        for model in (MeetingSeries, Meeting, Attendee, AgendaItem, Action, CaseloadWeight):
            auditlog.register(model, exclude_fields=["updated_at"])
        record_panels.contribute("mdt", RecordPanel(order=30, title="MDT discussions", template="mdt/_record_panel.html",
                                                    context=mdt_record_panel, policy=agenda_item_policy,
                                                    holds=mdt_record_holds))
        work_panels.contribute("mdt-actions", Panel(order=10, template="mdt/_work_actions.html", context=my_actions_panel))
        navigation.contribute("mdt", NavEntry(30, "MDT meetings", "mdt:meetings", meeting_policy))
        navigation.contribute("caseload", NavEntry(40, "Caseload review", "mdt:caseload", caseload_review_policy))
        from ascm.organisation.extensions import SetupLink, setup_links

        from .permissions import caseload_weight_policy

        setup_links.contribute("mdt-weights", SetupLink(44, "Caseload weights", "mdt:caseload-weights",
                                                        caseload_weight_policy, action="change"))
        merge_handlers.contribute("mdt", MergeHandler(order=30, move=mdt_merge))
        demo_data.contribute("mdt", DemoData(30, demo_mdt))
        synthetic_data.contribute("mdt", SyntheticData(50, "mdt", mdt_generate))
        work = ("mdt.view_meeting", "mdt.add_meeting", "mdt.change_meeting", "mdt.add_attendee",
                "mdt.view_agendaitem", "mdt.add_agendaitem", "mdt.change_agendaitem",
                "mdt.view_action", "mdt.add_action", "mdt.change_action")
        role_permissions.contribute("mdt:casework", RolePermissions(roles.CASEWORK, work))
        role_permissions.contribute("mdt:manager", RolePermissions(
            roles.MANAGE, ("mdt.view_caseload_review", "mdt.reallocate_caseload")))
        role_permissions.contribute("mdt:admin", RolePermissions(roles.SET_UP, (
            "mdt.view_caseloadweight", "mdt.change_caseloadweight", "mdt.add_caseloadweight")))
