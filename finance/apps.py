from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Finance: personal budgets, care packages, brokerage, approval within delegated limits, and
    budgets with the commitments against them."""

    name = "finance"
    label = "finance"
    verbose_name = "Finance"

    def ready(self):
        from ascm.performance.extensions import measures_contribute

        from .performance import measures as performance_measures

        measures_contribute(performance_measures())

        from clients.extensions import CareEventSource, care_event_sources

        care_event_sources.contribute("finance-lines", CareEventSource("finance.packageline", "the care package", _line_urls))
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from ascm.accounts import roles
        from ascm.accounts.extensions import NavEntry, RolePermissions, navigation, role_permissions
        from ascm.core.extensions import DemoData, SyntheticData, demo_data, synthetic_data
        from ascm.organisation.extensions import SetupLink, setup_links
        from clients.extensions import MergeHandler, RecordPanel, merge_handlers, record_panels
        from pathways.care.extensions import PlanPanel, plan_panels

        from . import models
        from .demo import demo_finance
        from .permissions import (
            allocation_table_policy,
            approval_limit_policy,
            budget_policy,
            care_package_policy,
            charging_rates_policy,
            finance_return_policy,
            finance_threshold_policy,
            provider_rate_policy,
        )
        from .selectors import FINANCE_RECORD_PARTS, finance_record_holds, finance_record_panel, plan_budget_panel
        from .services import finance_merge
        from .synthetic import charging_generate, finance_generate, pay_runs_generate, service_events_generate

        post_migrate.connect(_defaults_after_migrate, sender=self, dispatch_uid="finance-defaults")
        # Every change to money is in the audit log (who, when, which fields, before and after).
        for model in (models.AllocationTable, models.AllocationBand, models.PersonalBudget, models.ProviderRate,
                      models.ApprovalLimit, models.CarePackage, models.PackageLine, models.LineFunding,
                      models.ProviderApproach, models.Budget, models.FinanceThreshold, models.ChargingRates,
                      models.FinancialAssessment, models.ServiceActual, models.PayRun, models.PayRunItem,
                      models.ClientInvoice, models.DirectPaymentAgreement, models.DirectPaymentReview,
                      models.DirectPaymentSurplus, models.Reassessment, models.ClientPayment,
                      models.DirectPaymentInstalment):
            auditlog.register(model, exclude_fields=["updated_at"])
        navigation.contribute("finance", NavEntry(38, "Care packages", "finance:home", care_package_policy))
        navigation.contribute("finance-return", NavEntry(47, "Finance return", "finance:asc-fr", finance_return_policy))
        record_panels.contribute("finance", RecordPanel(order=20, title="Care package and personal budget",
                                                        template="finance/_record_panel.html",
                                                        context=finance_record_panel, policy=care_package_policy,
                                                        holds=finance_record_holds, parts=FINANCE_RECORD_PARTS))
        plan_panels.contribute("finance", PlanPanel(order=10, template="finance/_plan_panel.html",
                                                    print_template="finance/_plan_print.html", context=plan_budget_panel))
        setup_links.contribute("finance-rates", SetupLink(70, "Provider rates", "finance:rates", provider_rate_policy))
        setup_links.contribute("finance-limits", SetupLink(71, "Approval limits", "finance:limits", approval_limit_policy))
        setup_links.contribute("finance-allocation", SetupLink(72, "Resource allocation table", "finance:allocation",
                                                               allocation_table_policy))
        setup_links.contribute("finance-budgets", SetupLink(73, "Budgets", "finance:budgets", budget_policy))
        setup_links.contribute("finance-charging", SetupLink(75, "Charging rates", "finance:charging-rates",
                                                             charging_rates_policy))
        setup_links.contribute("finance-thresholds", SetupLink(74, "Brokerage target and budget alerts",
                                                               "finance:thresholds", finance_threshold_policy))
        merge_handlers.contribute("finance", MergeHandler(order=50, move=finance_merge))
        demo_data.contribute("finance", DemoData(50, demo_finance))
        synthetic_data.contribute("finance", SyntheticData(80, "care packages", finance_generate))
        synthetic_data.contribute("service-events", SyntheticData(81, "service events", service_events_generate))
        synthetic_data.contribute("charging", SyntheticData(85, "financial assessments", charging_generate))
        synthetic_data.contribute("pay-runs", SyntheticData(86, "pay runs", pay_runs_generate))

        package = ("finance.view_carepackage", "finance.add_carepackage", "finance.change_carepackage",
                   "finance.view_personalbudget", "finance.add_personalbudget", "finance.change_personalbudget",
                   "finance.view_providerrate", "finance.view_financialassessment", "finance.view_clientinvoice",
                   "finance.view_clientpayment", "finance.view_directpaymentagreement", "finance.add_directpaymentagreement",
                   "finance.change_directpaymentagreement")
        role_permissions.contribute("finance:casework", RolePermissions(roles.CASEWORK, package))
        role_permissions.contribute("finance:approve", RolePermissions(roles.APPROVE_FUNDING, (
            "finance.approve_carepackage", "finance.view_carepackage", "finance.view_personalbudget",
            "finance.view_budget", "clients.view_client")))
        # Backdating a charge before the person was told is a manager's decision, with the reason.
        role_permissions.contribute("finance:manage", RolePermissions(roles.MANAGE, (
            "finance.backdate_financialassessment", "finance.view_financialassessment")))
        role_permissions.contribute("finance:broker", RolePermissions(roles.BROKERAGE, (
            "finance.broker_carepackage", "finance.view_carepackage", "finance.view_providerrate", "clients.view_client")))
        role_permissions.contribute("finance:finance", RolePermissions(roles.FINANCE, (
            "finance.view_carepackage", "finance.see_county_carepackage", "finance.view_personalbudget",
            "finance.view_budget", "finance.add_budget", "finance.change_budget", "finance.view_providerrate",
            "finance.add_providerrate", "finance.change_providerrate", "finance.view_approvallimit",
            "finance.view_allocationtable", "finance.view_financethreshold",
            "finance.view_financialassessment", "finance.add_financialassessment", "finance.change_financialassessment",
            "finance.view_chargingrates", "finance.view_payrun", "finance.add_payrun", "finance.change_payrun",
            "finance.view_serviceactual", "finance.add_serviceactual", "finance.view_clientinvoice",
            "finance.view_clientpayment", "finance.add_clientpayment", "finance.change_clientpayment",
            "finance.view_directpaymentagreement", "finance.add_directpaymentagreement",
            "finance.change_directpaymentagreement", "finance.view_reassessment", "finance.add_reassessment",
            "finance.change_reassessment", "finance.see_finance_return")))
        role_permissions.contribute("finance:returns", RolePermissions(roles.RETURNS, ("finance.see_finance_return",)))
        role_permissions.contribute("finance:set-up", RolePermissions(roles.SET_UP, (
            "finance.view_allocationtable", "finance.add_allocationtable", "finance.change_allocationtable",
            "finance.view_approvallimit", "finance.add_approvallimit", "finance.change_approvallimit",
            "finance.view_providerrate", "finance.add_providerrate", "finance.change_providerrate",
            "finance.view_financethreshold", "finance.add_financethreshold", "finance.change_financethreshold",
            "finance.view_chargingrates", "finance.add_chargingrates", "finance.change_chargingrates")))


def _defaults_after_migrate(sender, apps=None, using="default", **kwargs):
    # After the default roles exist (accounts' post_migrate runs first): the starting table and limits.
    from .defaults import finance_defaults_ensure

    finance_defaults_ensure(apps)


def _line_urls(ids) -> dict:
    from django.urls import reverse

    from .models import PackageLine

    return {pk: reverse("finance:package", args=[package])
            for pk, package in PackageLine.objects.filter(pk__in=ids).values_list("pk", "package_id")}
