"""Access to finance (see ascm.core.policies). A package and a personal budget belong to the person:
in reach when their record is. Finance officers and brokers hold a permission that gives them every
package in the county (and no clinical content: that is the chronology's and assessments' own
permissions, which their roles do not hold). Budgets: finance officers the county, managers and
approvers their localities. Rates, limits and the allocation table are set-up data."""

from ascm.core.policies import Policy
from clients.permissions import CountyWidePersonRecordPolicy

from .models import (
    AllocationTable,
    ApprovalLimit,
    Budget,
    CarePackage,
    ChargingRates,
    ClientInvoice,
    ClientPayment,
    DirectPaymentAgreement,
    FinanceThreshold,
    FinancialAssessment,
    PayRun,
    PersonalBudget,
    ProviderRate,
    Reassessment,
    ServiceActual,
)

COUNTY = "finance.see_county_carepackage"


class CarePackagePolicy(CountyWidePersonRecordPolicy):
    model = CarePackage
    perms = {"approve": "finance.approve_carepackage", "broker": "finance.broker_carepackage"}
    county_perms = (COUNTY, "finance.broker_carepackage")
    not_found = "No such care package"


class PersonalBudgetPolicy(CountyWidePersonRecordPolicy):
    county_perms = (COUNTY,)
    model = PersonalBudget
    not_found = "No such personal budget"


class BudgetPolicy(Policy):
    """Budgets and the commitments against them: the county for finance officers and county-wide
    roles (the funding panel); their localities for managers and heads of service."""

    model = Budget

    def locality_ids(self, user) -> set[int] | None:
        """The localities whose budgets the user sees; None for the whole county."""
        from ascm.accounts.models import Role
        from ascm.organisation.selectors import user_locality_ids, user_record_scope

        if user.has_perm(COUNTY) or user_record_scope(user) == Role.RecordScope.ALL:
            return None
        return user_locality_ids(user)

    def may_see_locality(self, user, locality_id: int) -> bool:
        places = self.locality_ids(user)
        return places is None or locality_id in places

    def scope(self, user, queryset, action):
        places = self.locality_ids(user)
        return queryset if places is None else queryset.filter(locality_id__in=places)


class ProviderRatePolicy(Policy):
    model = ProviderRate


class AllocationTablePolicy(Policy):
    model = AllocationTable


class ApprovalLimitPolicy(Policy):
    model = ApprovalLimit


class FinanceThresholdPolicy(Policy):
    model = FinanceThreshold


care_package_policy = CarePackagePolicy()
personal_budget_policy = PersonalBudgetPolicy()
budget_policy = BudgetPolicy()
provider_rate_policy = ProviderRatePolicy()
allocation_table_policy = AllocationTablePolicy()
approval_limit_policy = ApprovalLimitPolicy()
finance_threshold_policy = FinanceThresholdPolicy()


class FinancialAssessmentPolicy(CountyWidePersonRecordPolicy):
    """What a person can afford to pay: finance officers for the county; the person's workers may read it."""

    model = FinancialAssessment
    perms = {"backdate": "finance.backdate_financialassessment"}
    county_perms = (COUNTY,)
    not_found = "No such financial assessment"


class ChargingRatesPolicy(Policy):
    model = ChargingRates


financial_assessment_policy = FinancialAssessmentPolicy()
charging_rates_policy = ChargingRatesPolicy()


class PayRunPolicy(Policy):
    """Provider payments: finance officers."""

    model = PayRun


class ServiceActualPolicy(Policy):
    model = ServiceActual


class ClientInvoicePolicy(CountyWidePersonRecordPolicy):
    """The person's invoices: finance officers for the county; the person's workers may read them."""

    model = ClientInvoice
    county_perms = (COUNTY,)
    not_found = "No such invoice"

pay_run_policy = PayRunPolicy()
service_actual_policy = ServiceActualPolicy()
client_invoice_policy = ClientInvoicePolicy()


class ClientPaymentPolicy(CountyWidePersonRecordPolicy):
    """What the person paid: recorded by finance officers; the person's workers may read it."""

    model = ClientPayment
    county_perms = (COUNTY,)
    not_found = "No such payment"


client_payment_policy = ClientPaymentPolicy()


class DirectPaymentPolicy(CountyWidePersonRecordPolicy):
    """Direct payment agreements: the person's workers, and finance officers for the county."""

    model = DirectPaymentAgreement
    county_perms = (COUNTY,)
    not_found = "No such direct payment"


direct_payment_policy = DirectPaymentPolicy()


class ReassessmentPolicy(Policy):
    model = Reassessment


reassessment_policy = ReassessmentPolicy()


class FinanceReturnPolicy(Policy):
    """The finance return's extracts (ASC-FR): county-wide figures with the people behind them, for
    finance officers and the returns officers who send it."""

    model = PayRun
    perms = {"view": "finance.see_finance_return"}
    not_found = "No such return"


finance_return_policy = FinanceReturnPolicy()
