from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ascm.accounts.models import Role
from ascm.providers.models import Provider
from clients.models import Client

from .charging import CAPITAL_KINDS, INCOME_KINDS
from .models import (
    AllocationBand,
    AllocationTable,
    ApprovalLimit,
    Budget,
    CarePackage,
    ChargingRates,
    ClientInvoice,
    ClientPayment,
    DeliveryMechanism,
    DirectPaymentAgreement,
    FinancialAssessment,
    FundingStream,
    LineFunding,
    PackageLine,
    PackageStatusChange,
    PayRun,
    PayRunItem,
    PersonalBudget,
    ProviderApproach,
    ProviderRate,
    Reassessment,
    ServiceActual,
    ServiceType,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class LineFundingSerializer(serializers.ModelSerializer):
    stream = serializers.ChoiceField(choices=FundingStream.choices)
    share_percent = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                             max_value=Decimal("100"))

    class Meta:
        model = LineFunding
        fields = ["stream", "share_percent"]


class ApproachSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProviderApproach
        fields = ["id", "provider", "approached_on", "outcome", "offered_unit_cost", "offered_start", "notes",
                  "recorded_by"]


class PackageLineSerializer(serializers.ModelSerializer):
    funding = LineFundingSerializer(source="shares", many=True, read_only=True)
    approaches = ApproachSerializer(many=True, read_only=True)
    unit = serializers.CharField(read_only=True)

    class Meta:
        model = PackageLine
        fields = ["id", "package", "service_type", "description", "provider", "units_per_week", "unit", "unit_cost",
                  "rate", "off_framework_reason", "starts_on", "ends_on", "weekly_cost", "reablement", "funding",
                  "approaches"]
        read_only_fields = fields


class LineWriteSerializer(serializers.Serializer):
    service_type = serializers.ChoiceField(choices=ServiceType.choices)
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all(), required=False, allow_null=True,
                                                  default=None)
    units_per_week = serializers.DecimalField(max_digits=7, decimal_places=2)
    unit_cost = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    off_framework_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    reablement = serializers.BooleanField(required=False, default=False)
    funding = LineFundingSerializer(many=True)


class LineChangeSerializer(serializers.Serializer):
    units_per_week = serializers.DecimalField(max_digits=7, decimal_places=2)
    unit_cost = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    off_framework_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    funding = LineFundingSerializer(many=True, required=False)


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at", "reason", "weekly_cost"]


class CarePackageSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    lines = PackageLineSerializer(many=True, read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    delivery_mechanism = serializers.ChoiceField(choices=DeliveryMechanism.choices)
    cost_this_year = serializers.SerializerMethodField(help_text="Its cost inside the current financial year")

    class Meta:
        model = CarePackage
        fields = ["id", "reference", "client", "plan", "locality", "team", "replaces", "status", "delivery_mechanism",
                  "starts_on", "ends_on", "weekly_cost", "approved_weekly_cost", "requested_by", "submitted_at",
                  "brokerage_started_at", "brokerage_ended_at", "decided_by", "decided_at", "end_reason",
                  "cost_this_year", "lines", "status_changes"]
        read_only_fields = ["locality", "team", "replaces", "status", "weekly_cost", "approved_weekly_cost",
                            "requested_by", "submitted_at", "brokerage_started_at", "brokerage_ended_at", "decided_by",
                            "decided_at", "end_reason"]


    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_cost_this_year(self, package) -> str:
        from ascm.core.years import financial_year

        return f"{package.year_cost(financial_year()):.2f}"


class EmptySerializer(serializers.Serializer):
    pass


class PackageReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PackageDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "Approve"), ("return", "Return for changes"),
                                                ("not_approve", "Do not approve")])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApproachWriteSerializer(serializers.Serializer):
    line = serializers.PrimaryKeyRelatedField(queryset=PackageLine.objects.all())
    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
    outcome = serializers.ChoiceField(choices=ProviderApproach.Outcome.choices, default=ProviderApproach.Outcome.AWAITING)
    offered_unit_cost = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    offered_start = serializers.DateField(required=False, allow_null=True, default=None)
    approached_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AcceptSerializer(serializers.Serializer):
    approach = serializers.IntegerField()
    off_framework_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ChangeSerializer(serializers.Serializer):
    starts_on = serializers.DateField()


class EndSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class PersonalBudgetSerializer(serializers.ModelSerializer):
    agreed_weekly = serializers.DecimalField(**MONEY, required=False, allow_null=True)

    class Meta:
        model = PersonalBudget
        fields = ["id", "plan", "client", "assessment", "table", "points", "indicative_weekly", "agreed_weekly",
                  "agreed_on", "agreed_by", "difference_reason", "updated_at"]
        read_only_fields = ["client", "assessment", "table", "points", "indicative_weekly", "agreed_on", "agreed_by",
                            "updated_at"]
        extra_kwargs = {"plan": {"validators": []}}


class ProviderRateSerializer(serializers.ModelSerializer):
    unit_cost = serializers.DecimalField(**MONEY)
    effective_from = serializers.DateField()
    unit = serializers.CharField(read_only=True)

    class Meta:
        model = ProviderRate
        fields = ["id", "provider", "service_type", "unit", "unit_cost", "effective_from", "effective_to", "created_by"]
        read_only_fields = ["effective_to", "created_by"]
        validators = []  # the service says which rate it overlaps, on the field


class ApprovalLimitSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="slug", queryset=Role.objects.all())
    weekly_limit = serializers.DecimalField(**MONEY, required=False, allow_null=True)

    class Meta:
        model = ApprovalLimit
        fields = ["id", "role", "weekly_limit", "effective_from", "created_by"]
        read_only_fields = ["created_by"]
        validators = []


class AllocationBandSerializer(serializers.ModelSerializer):
    weekly_amount = serializers.DecimalField(**MONEY, min_value=Decimal("0"))

    class Meta:
        model = AllocationBand
        fields = ["from_points", "weekly_amount"]


class AllocationTableSerializer(serializers.ModelSerializer):
    bands = AllocationBandSerializer(many=True)

    class Meta:
        model = AllocationTable
        fields = ["id", "effective_from", "points_needs_assistance", "points_pain_distress_anxiety",
                  "points_endangers_safety", "points_takes_significantly_longer", "bands", "created_by"]
        read_only_fields = ["created_by"]
        extra_kwargs = {"effective_from": {"validators": []}}


class BudgetSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = Budget
        fields = ["id", "year", "locality", "team", "service_type", "amount", "created_by", "updated_at"]
        read_only_fields = ["created_by", "updated_at"]
        validators = []  # setting an existing budget changes its amount


class CommitmentRowSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.pk", allow_null=True)
    locality = serializers.IntegerField(source="locality_id")
    locality_name = serializers.CharField(source="locality")
    team_name = serializers.CharField(source="team")
    service_type = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    pipeline = serializers.DecimalField(max_digits=14, decimal_places=2)
    forecast = serializers.DecimalField(max_digits=14, decimal_places=2)
    variance = serializers.DecimalField(max_digits=14, decimal_places=2)
    percent = serializers.IntegerField(allow_null=True)
    packages = serializers.IntegerField()


class CommitmentsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    totals = serializers.DictField(child=serializers.DecimalField(max_digits=14, decimal_places=2))
    rows = CommitmentRowSerializer(many=True)


class CommitmentLineSerializer(serializers.ModelSerializer):
    year_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    client = serializers.IntegerField(source="package.client_id")
    status = serializers.CharField(source="package.status")

    class Meta:
        model = PackageLine
        fields = ["id", "package", "client", "status", "service_type", "provider", "starts_on", "ends_on", "weekly_cost",
                  "year_cost"]


class CapitalItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(CAPITAL_KINDS.items()))
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))


class IncomeItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(INCOME_KINDS.items()))
    weekly = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"))


class DreItemSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=200)
    weekly = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"))


class FinancialAssessmentSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.all())
    capital = CapitalItemSerializer(many=True, required=False)
    income = IncomeItemSerializer(many=True, required=False)
    dre_itemised = DreItemSerializer(many=True, required=False)
    property_value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False)
    housing_costs = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("0"), required=False)
    lines = serializers.ListField(child=serializers.ListField(child=serializers.CharField()), read_only=True)

    class Meta:
        model = FinancialAssessment
        fields = ["id", "client", "kind", "setting", "status", "assessed_on", "disabled", "enhanced_disability", "capital",
                  "income", "property_value", "permanent_care_from", "deferred_payment", "dre_itemised", "housing_costs",
                  "rates", "lines", "weekly_contribution", "pays_full_cost", "completed_by", "completed_at", "told_on",
                  "charge_from", "backdate_reason"]
        read_only_fields = ["status", "rates", "lines", "weekly_contribution", "pays_full_cost", "completed_by",
                            "completed_at", "told_on", "charge_from", "backdate_reason"]


class ToldSerializer(serializers.Serializer):
    told_on = serializers.DateField()


class ChargeStartSerializer(serializers.Serializer):
    charge_from = serializers.DateField()
    backdate_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ChargingRatesSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChargingRates
        fields = ["id", "effective_from", "capital_lower", "capital_upper", "tariff_step", "mig_18_24",
                  "mig_25_to_pension", "mig_pension_age", "disability_premium", "enhanced_disability_premium", "pension_age",
                  "personal_expenses_allowance", "dre_standard", "created_by"]
        read_only_fields = ["created_by"]
        extra_kwargs = {"effective_from": {"validators": []}}


class ServiceActualSerializer(serializers.ModelSerializer):
    units = serializers.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        model = ServiceActual
        fields = ["id", "line", "period_start", "units", "entered_by", "source"]
        read_only_fields = ["entered_by", "source"]
        validators = []  # again for the same period replaces it


class PayRunItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PayRunItem
        fields = ["line", "provider", "units_planned", "units_delivered", "units_paid", "amount", "held", "hold_reason"]


class PayRunSerializer(serializers.ModelSerializer):
    items = PayRunItemSerializer(many=True, read_only=True)
    period_start = serializers.DateField()

    class Meta:
        model = PayRun
        fields = ["id", "period_start", "period_end", "status", "created_by", "approved_by", "approved_at", "items"]
        read_only_fields = ["period_end", "status", "created_by", "approved_by", "approved_at"]


class ClientInvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientInvoice
        fields = ["id", "client", "assessment", "pay_run", "period_start", "period_end", "care_received", "amount", "lines"]


class ClientPaymentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        model = ClientPayment
        fields = ["id", "client", "received_on", "amount", "method", "reference", "recorded_by", "cancelled_at",
                  "cancelled_reason"]
        read_only_fields = ["recorded_by", "cancelled_at", "cancelled_reason"]


class ClientPaymentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class StatementSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    invoiced = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    overdue = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Unpaid 28 days after the period")
    invoices = ClientInvoiceSerializer(many=True)
    payments = ClientPaymentSerializer(many=True)


class DirectPaymentSerializer(serializers.ModelSerializer):
    starts_on = serializers.DateField()
    next_review_due = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = DirectPaymentAgreement
        fields = ["id", "package", "client", "recipient", "recipient_name", "weekly_amount", "starts_on", "ended_on",
                  "account_reference", "next_review_due", "created_by"]
        read_only_fields = ["client", "weekly_amount", "ended_on", "created_by"]
        extra_kwargs = {"package": {"validators": []}}


class DirectPaymentReviewSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    notes = serializers.CharField(max_length=4000)
    next_review_due = serializers.DateField(required=False, allow_null=True, default=None)


class DirectPaymentSurplusSerializer(serializers.Serializer):
    returned_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReassessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reassessment
        fields = ["id", "rates", "status", "total", "done", "created_by", "created_at", "told_on"]
        read_only_fields = ["status", "total", "done", "created_by", "created_at", "told_on"]


class LettersSentSerializer(serializers.Serializer):
    told_on = serializers.DateField()


class FinanceReturnCellSerializer(serializers.Serializer):
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    contribution = serializers.DecimalField(max_digits=14, decimal_places=2)
    net = serializers.DecimalField(max_digits=14, decimal_places=2)
    people = serializers.SerializerMethodField()
    units = serializers.DecimalField(max_digits=14, decimal_places=2)

    def get_people(self, cell) -> int:
        return len(cell.people)


class FinanceReturnKeyedCellSerializer(serializers.Serializer):
    key = serializers.CharField()
    cell = FinanceReturnCellSerializer()


class FinanceReturnLongRowSerializer(serializers.Serializer):
    psr = serializers.CharField()
    label = serializers.CharField()
    cells = FinanceReturnKeyedCellSerializer(many=True, help_text="By setting")
    total = FinanceReturnCellSerializer()


class FinanceReturnBandSerializer(serializers.Serializer):
    band = serializers.CharField()
    rows = FinanceReturnLongRowSerializer(many=True)


class FinanceReturnShortRowSerializer(serializers.Serializer):
    setting = serializers.CharField()
    label = serializers.CharField()
    cells = FinanceReturnKeyedCellSerializer(many=True, help_text="By age band")
    total = FinanceReturnCellSerializer()


class FinanceReturnUnitCostSerializer(serializers.Serializer):
    setting = serializers.CharField()
    label = serializers.CharField()
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    weeks = serializers.DecimalField(max_digits=14, decimal_places=2)
    per_week = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class FinanceReturnHomeCareSerializer(serializers.Serializer):
    provider = serializers.CharField()
    label = serializers.CharField()
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    hours = serializers.DecimalField(max_digits=14, decimal_places=2)
    per_hour = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class FinanceReturnTotalsSerializer(serializers.Serializer):
    all = FinanceReturnCellSerializer()
    long = FinanceReturnCellSerializer()
    short = FinanceReturnCellSerializer()


class FinanceReturnSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    label = serializers.CharField()
    to_date = serializers.BooleanField(help_text="The year has not ended: its figures so far")
    totals = FinanceReturnTotalsSerializer()
    long_term = FinanceReturnBandSerializer(many=True)
    short_term = FinanceReturnShortRowSerializer(many=True)
    unit_costs = FinanceReturnUnitCostSerializer(many=True)
    home_care = FinanceReturnHomeCareSerializer(many=True)


class FinanceReturnPersonSerializer(serializers.Serializer):
    client = serializers.IntegerField(source="client_id")
    setting = serializers.CharField()
    primary_support_reason = serializers.CharField(source="psr")
    band = serializers.CharField()
    gross = serializers.DecimalField(max_digits=14, decimal_places=2)
    contribution = serializers.DecimalField(max_digits=14, decimal_places=2)
    units = serializers.DecimalField(max_digits=14, decimal_places=2)
