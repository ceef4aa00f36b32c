from django.apps import AppConfig


class DischargeConfig(AppConfig):
    """Hospital discharge: the discharge record and its DRD history, delays with reasons and
    attribution, the patient tracking list, DToC alerts with escalation, and the morning summary."""

    name = "pathways.discharge"
    label = "discharge"
    verbose_name = "Hospital discharge"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())
        from auditlog.registry import auditlog

        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data
        from ascm.organisation.extensions import SetupLink, setup_links
        from clients.extensions import MergeHandler, RecordPanel, merge_handlers, record_panels
        from pathways.referrals.extensions import ReferralLink, referral_links

        from .demo import demo_discharges
        from .models import AlertRule, DelayPeriod, Discharge, DischargeAlert, PathwayChange, ReadyDateChange
        from .permissions import alert_rule_policy, discharge_policy
        from .selectors import discharge_record_holds, discharge_record_panel
        from .services import discharge_merge, referral_link
        from .synthetic import discharge_generate

        for model in (Discharge, ReadyDateChange, PathwayChange, DelayPeriod, AlertRule, DischargeAlert):
            auditlog.register(model, exclude_fields=["updated_at", "alerts_due"])
        navigation.contribute("discharge", NavEntry(32, "Hospital discharge", "discharge:tracking", discharge_policy))
        setup_links.contribute("discharge-alert-rules", SetupLink(60, "Delayed discharge alerts", "discharge:alert-rules",
                                                                  alert_rule_policy))
        record_panels.contribute("discharge", RecordPanel(order=15, title="Hospital stay", template="discharge/_record_panel.html",
                                                          context=discharge_record_panel, policy=discharge_policy,
                                                          holds=discharge_record_holds))
        referral_links.contribute("discharge", ReferralLink(order=10, link=referral_link))
        merge_handlers.contribute("discharge", MergeHandler(order=45, move=discharge_merge))
        demo_data.contribute("discharge", DemoData(45, demo_discharges))
        synthetic_data.contribute("discharge", SyntheticData(70, "hospital discharge", discharge_generate))
        work = ("discharge.view_discharge", "discharge.add_discharge", "discharge.change_discharge")
        role_permissions.contribute("discharge:casework", RolePermissions(roles.CASEWORK, work))
        role_permissions.contribute("discharge:county", RolePermissions(roles.COUNTY_DISCHARGES, (
            "discharge.see_county_discharge",)))
        role_permissions.contribute("discharge:manage", RolePermissions(roles.MANAGE, ("discharge.escalate_discharge",)))
        role_permissions.contribute("discharge:set-up", RolePermissions(roles.SET_UP, (
            "discharge.view_alertrule", "discharge.add_alertrule", "discharge.change_alertrule")))
