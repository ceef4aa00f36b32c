from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """The front door: referrals, routing rules, response targets, team queues and allocation."""

    name = "pathways.referrals"
    label = "referrals"
    verbose_name = "Referrals and routing"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())
        from django.urls import reverse

        from clients.extensions import CareEventSource, care_event_sources

        care_event_sources.contribute("referrals", CareEventSource(
            "referrals.referral", "the referral", lambda ids: {i: reverse("referrals:detail", args=[i]) for i in ids}))
        from ascm.accounts import roles
        from ascm.accounts.extensions import RolePermissions, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data
        from ascm.organisation.extensions import SetupLink, setup_links
        from clients.extensions import (
            MergeHandler,
            PersonFlag,
            RecordPanel,
            merge_handlers,
            person_flags,
            record_panels,
        )

        from . import audit_registry  # noqa: F401 - audit registration
        from .defaults import routing_defaults_ensure
        from .permissions import referral_policy, routing_rule_policy

        # The migration seeds them; the demo makes sure of them (a test database's flush empties the table).
        demo_data.contribute("referrals", DemoData(3, lambda users: routing_defaults_ensure()))
        setup_links.contribute("referrals-rules", SetupLink(40, "Routing rules (with the rule tester)", "referrals:rules",
                                                            routing_rule_policy, action="change"))
        from .permissions import response_target_policy

        setup_links.contribute("referrals-targets", SetupLink(41, "Response targets", "referrals:response-targets",
                                                              response_target_policy, action="change"))
        from .selectors import open_safeguarding_concern, referrals_panel, referrals_record_holds
        from .services import referrals_merge
        from .synthetic import referral_events_generate, referrals_generate

        record_panels.contribute("referrals", RecordPanel(
            order=5, title="Referrals", template="pathways/_referrals_panel.html", context=referrals_panel,
            policy=referral_policy, holds=referrals_record_holds))
        merge_handlers.contribute("referrals", MergeHandler(order=10, move=referrals_merge))
        person_flags.contribute("safeguarding", PersonFlag(
            order=10, label="Safeguarding: open concern", expression=open_safeguarding_concern, makes_case_complex=True))
        synthetic_data.contribute("referrals", SyntheticData(30, "referrals", referrals_generate))
        synthetic_data.contribute("referral-events", SyntheticData(31, "request events", referral_events_generate))
        work = ("referrals.view_referral", "referrals.add_referral", "referrals.change_referral",
                "referrals.view_routingrule")
        role_permissions.contribute("referrals:casework", RolePermissions(roles.CASEWORK, work))
        role_permissions.contribute("referrals:manager", RolePermissions(roles.MANAGE, ("referrals.allocate_referral",)))
        role_permissions.contribute("referrals:admin", RolePermissions(roles.SET_UP, (
            "referrals.add_routingrule", "referrals.change_routingrule", "referrals.view_routingrule",
            "referrals.change_responsetarget", "referrals.view_responsetarget")))
