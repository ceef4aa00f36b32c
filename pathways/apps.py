from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "pathways"
    label = "pathways"
    verbose_name = "Referrals and pathways"

    def ready(self):
        from ascm.accounts.selectors import NavEntry, navigation_register
        from clients.panels import RecordPanel, record_panel_register

        from . import audit_registry, demo, synthetic  # noqa: F401 - audit, demo data, benchmark generator
        from .selectors import care_panel, pathway_journey_panel, referrals_panel

        navigation_register("work", NavEntry(10, "Your work", "care:work", "clients.view_client"))
        record_panel_register("referrals", RecordPanel(
            order=5, title="Referrals", template="pathways/_referrals_panel.html", context=referrals_panel,
            permission="pathways.view_referral"))
        record_panel_register("pathway-journey", RecordPanel(
            order=10, title="Pathway journey", template="pathways/_journey_panel.html", context=pathway_journey_panel,
            permission="pathways.view_referral"))
        record_panel_register("care", RecordPanel(
            order=20, title="Assessments and plans", template="pathways/_care_panel.html", context=care_panel,
            permission="pathways.view_assessment"))
