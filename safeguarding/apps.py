from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding adults"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())
        from auditlog.registry import auditlog
        from django.db.models import Q

        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data
        from clients.extensions import (
            MergeHandler,
            PersonFlag,
            RecordPanel,
            merge_handlers,
            person_flags,
            record_panels,
        )
        from clients.permissions import client_policy
        from pathways.referrals.extensions import SafeguardingRaised, safeguarding_raised
        from pathways.referrals.selectors import open_safeguarding_concern

        from .demo import demo_safeguarding
        from .models import (
            AdultAtRisk,
            Allegation,
            DecisionTarget,
            Enquiry,
            LibertyApplication,
            LibertyAssessment,
            LibertyAuthorisation,
            LibertyReview,
            PlanAction,
            SafeguardingAccess,
            SafeguardingConcern,
            StrategyMeeting,
            UrgentAuthorisation,
        )
        from .permissions import safeguarding_team_policy
        from .selectors import open_safeguarding, safeguarding_record_holds, safeguarding_record_panel
        from .services import concern_from_referral, safeguarding_merge
        from .synthetic import dols_generate, safeguarding_generate

        # Every change to a safeguarding or DoLS record is in the audit log (who, when, which fields).
        for model in (SafeguardingConcern, AdultAtRisk, SafeguardingAccess, DecisionTarget, Enquiry, Allegation,
                      StrategyMeeting, PlanAction, LibertyApplication, UrgentAuthorisation, LibertyAssessment,
                      LibertyAuthorisation, LibertyReview):
            auditlog.register(model, exclude_fields=["updated_at"])
        navigation.contribute("safeguarding", NavEntry(35, "Safeguarding", "safeguarding:queue", safeguarding_team_policy))
        # Everyone who may open the record sees that there is an open concern and whom to contact.
        record_panels.contribute("safeguarding", RecordPanel(
            order=1, title="Safeguarding", template="safeguarding/_record_panel.html",
            context=safeguarding_record_panel, policy=client_policy, holds=safeguarding_record_holds))
        # The same key as the front door's flag: one "Safeguarding: open concern", from either source.
        person_flags.contribute("safeguarding", PersonFlag(
            order=10, label="Safeguarding: open concern", makes_case_complex=True,
            expression=lambda field: Q(open_safeguarding(field)) | Q(open_safeguarding_concern(field))))
        demo_data.contribute("safeguarding", DemoData(40, demo_safeguarding))
        from ascm.organisation.extensions import SetupLink, setup_links

        from .permissions import decision_target_policy

        setup_links.contribute("safeguarding-targets", SetupLink(50, "Safeguarding decision targets", "safeguarding:targets",
                                                                 decision_target_policy))
        from .dols_selectors import dols_record_holds, dols_record_panel

        record_panels.contribute("dols", RecordPanel(order=2, title="Deprivation of Liberty Safeguards",
                                                     template="safeguarding/_dols_panel.html", context=dols_record_panel,
                                                     policy=client_policy, holds=dols_record_holds))
        synthetic_data.contribute("safeguarding", SyntheticData(60, "safeguarding", safeguarding_generate))
        synthetic_data.contribute("dols", SyntheticData(65, "deprivation of liberty", dols_generate))
        merge_handlers.contribute("safeguarding", MergeHandler(order=40, move=safeguarding_merge))
        safeguarding_raised.contribute("concern", SafeguardingRaised(order=10, handle=concern_from_referral))
        role_permissions.contribute("safeguarding:raise", RolePermissions(roles.CASEWORK, (
            "safeguarding.add_safeguardingconcern",)))
        role_permissions.contribute("safeguarding:safeguard", RolePermissions(roles.SAFEGUARD, (
            "safeguarding.view_safeguardingconcern", "safeguarding.add_safeguardingconcern",
            "safeguarding.change_safeguardingconcern", "safeguarding.decide_safeguardingconcern",
            "safeguarding.grant_safeguardingaccess", "safeguarding.view_decisiontarget",
            # Deprivation of Liberty Safeguards: the same team; signing is a permission administrators may move.
            "safeguarding.view_libertyapplication", "safeguarding.add_libertyapplication",
            "safeguarding.change_libertyapplication", "safeguarding.sign_libertyapplication")))
        role_permissions.contribute("safeguarding:set-up", RolePermissions(roles.SET_UP, (
            "safeguarding.view_decisiontarget", "safeguarding.add_decisiontarget")))
