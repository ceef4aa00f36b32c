from decimal import Decimal

from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.providers.models import Provider

from .models import DeliveryMechanism, FinanceThreshold, FundingStream, ProviderApproach, ServiceType


def _money(label, *, required=True, help_text="", name="the amount"):
    return forms.DecimalField(label=label, required=required, max_digits=10, decimal_places=2, help_text=help_text,
                              error_messages={"required": f"Enter {name}",
                                              "invalid": f"Enter {name} as pounds and pence, like 24.50",
                                              "max_decimal_places": f"Enter {name} to the penny: no more than 2 decimal places",
                                              "max_digits": f"{name.capitalize()} is too large",
                                              "max_whole_digits": f"{name.capitalize()} is too large"})


def _choices(choices, empty):
    return [("", empty), *choices]


class _OnePageForm(GovukFormMixin, forms.Form):
    """The package page holds several forms: each has its own ids, so every label points at its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s" if self.id_prefix else "id_%s")
        super().__init__(*args, **kwargs)


class PersonalBudgetForm(_OnePageForm):
    id_prefix = "budget"
    agreed_weekly = _money("Personal budget agreed with the person, per week", name="the agreed weekly amount")
    difference_reason = required_when(
        forms.CharField(label="Why it differs from the indicative amount", required=False,
                        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000),
        condition="Needed when the agreed amount is not the indicative amount")


class PackageForm(GovukFormMixin, forms.Form):
    delivery_mechanism = forms.ChoiceField(label="How the support is delivered", widget=forms.RadioSelect,
                                           choices=DeliveryMechanism.choices,
                                           error_messages={"required": "Choose how the support is delivered"})
    starts_on = GovukDateField(label="Start date", label_name="the start date",
                               error_messages={"required": "Enter the start date"})
    ends_on = GovukDateField(label="End date", label_name="the end date", required=False,
                             help_text="Leave empty for an ongoing package")
    plan = forms.ModelChoiceField(label="Meets the outcomes of the support plan", queryset=None, required=False,
                                  empty_label="No support plan",
                                  error_messages={"invalid_choice": "Choose one of the person's support plans"})

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        from pathways.care.models import SupportPlan

        self.fields["plan"].queryset = SupportPlan.objects.filter(client=client, ended_on__isnull=True)
        self.fields["plan"].label_from_instance = lambda p: f"Plan from {p.starts_on:%-d %B %Y}"


class LineForm(_OnePageForm):
    id_prefix = "line"
    service_type = forms.ChoiceField(label="Service", choices=_choices(ServiceType.choices, "Choose the service"),
                                     error_messages={"required": "Choose the service"})
    provider = forms.ModelChoiceField(
        label="Provider", queryset=None, required=False, empty_label="None yet: brokerage will find one",
        help_text="Leave empty for a direct payment (paid to the person) or for brokerage to find a provider",
        error_messages={"invalid_choice": "Choose a provider from the register"})
    units_per_week = forms.DecimalField(label="Units a week", max_digits=7, decimal_places=2,
                                        help_text="Hours of home care or supported living; days at a day service; "
                                                  "1 for a week in a care home",
                                        error_messages={"required": "Enter the units a week",
                                                        "invalid": "Enter the units a week as a number, like 14 or 7.5"})
    unit_cost = _money("Cost of one unit, in pounds", required=False, name="the unit cost",
                       help_text="Leave empty to use the provider's framework rate")
    off_framework_reason = required_when(
        forms.CharField(label="Why the rate is off the framework", required=False,
                        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000),
        condition="Needed when the cost is not the provider's framework rate")
    starts_on = GovukDateField(label="Start date", label_name="the start date", required=False,
                               help_text="Leave empty to start with the package")
    ends_on = GovukDateField(label="End date", label_name="the end date", required=False)
    description = forms.CharField(label="What it is for", required=False, max_length=200)
    reablement = forms.BooleanField(label="Reablement or intermediate care (free for its first 6 weeks)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.open().exclude(kind=Provider.Kind.NHS_TRUST).order_by("name")
        for stream, label in FundingStream.choices:
            self.fields[f"share_{stream}"] = forms.DecimalField(
                label=f"{label}: share, per cent", required=False, max_digits=5, decimal_places=2,
                min_value=Decimal("0"), max_value=Decimal("100"),
                initial=Decimal("100") if stream == FundingStream.COUNCIL else None,
                error_messages={"invalid": "Enter the share as a number of per cent, like 50",
                                "min_value": "A share cannot be less than 0%", "max_value": "A share cannot be more than 100%"})

    def funding(self) -> list[tuple[str, Decimal]]:
        return [(stream, self.cleaned_data[f"share_{stream}"]) for stream in FundingStream.values
                if self.cleaned_data.get(f"share_{stream}")]

    def share_fields(self):
        return [self[f"share_{stream}"] for stream in FundingStream.values]


class SubmitForm(_OnePageForm):
    id_prefix = "submit"


class DecisionForm(_OnePageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("approve", "Approve"), ("return", "Return for changes"),
                                          ("not_approve", "Do not approve")],
                                 error_messages={"required": "Choose your decision"})
    reason = required_when(forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                           max_length=2000),
                           condition="Needed to return or not approve: the requester will read it")


class ApproachForm(_OnePageForm):
    id_prefix = "approach"
    line = forms.ModelChoiceField(label="Service", queryset=None, empty_label="Choose the service",
                                  error_messages={"required": "Choose the service", "invalid_choice": "Choose a service from the list"})
    provider = forms.ModelChoiceField(label="Provider approached", queryset=None, empty_label="Choose the provider",
                                      error_messages={"required": "Choose the provider approached",
                                                      "invalid_choice": "Choose a provider from the register"})
    outcome = forms.ChoiceField(label="What they said", choices=[
        c for c in ProviderApproach.Outcome.choices if c[0] not in (ProviderApproach.Outcome.ACCEPTED,
                                                                     ProviderApproach.Outcome.OFFER_REFUSED)],
        error_messages={"required": "Choose what the provider said"})
    offered_unit_cost = required_when(_money("Unit cost offered, in pounds", required=False, name="the unit cost offered"),
                                      condition="Needed for an offer")
    offered_start = GovukDateField(label="Could start on", label_name="the start date offered", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, package, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = package.lines.filter(provider__isnull=True).exclude(
            service_type=ServiceType.DIRECT_PAYMENT)
        self.fields["provider"].queryset = Provider.objects.open().exclude(kind=Provider.Kind.NHS_TRUST).order_by("name")


class AcceptForm(_OnePageForm):
    id_prefix = "accept"
    off_framework_reason = required_when(
        forms.CharField(label="Why the rate is off the framework", required=False,
                        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000),
        condition="Needed when the offer is not the provider's framework rate")


class ReasonForm(_OnePageForm):
    id_prefix = "cancel"
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             error_messages={"required": "Give the reason"})


class ChangeForm(_OnePageForm):
    id_prefix = "change"
    starts_on = GovukDateField(label="The change starts on", label_name="the date the change starts",
                               error_messages={"required": "Enter the date the change starts"})


class EndForm(_OnePageForm):
    id_prefix = "end"
    ends_on = GovukDateField(label="Last day of the package", label_name="the last day",
                             error_messages={"required": "Enter the last day of the package"})
    reason = forms.CharField(label="Why it ends", widget=forms.Textarea(attrs={"rows": 2}), max_length=200,
                             error_messages={"required": "Give the reason the package ends"})


# Set-up -----------------------------------------------------------------------------------------

class RateForm(GovukFormMixin, forms.Form):
    provider = forms.ModelChoiceField(label="Provider", queryset=None, empty_label="Choose the provider",
                                      error_messages={"required": "Choose the provider",
                                                      "invalid_choice": "Choose an open provider from the register"})
    service_type = forms.ChoiceField(label="Service", choices=_choices(
        [c for c in ServiceType.choices if c[0] != ServiceType.DIRECT_PAYMENT], "Choose the service"),
        error_messages={"required": "Choose the service"})
    unit_cost = _money("Rate for one unit, in pounds", name="the rate")
    effective_from = GovukDateField(label="Takes effect on", label_name="the date it takes effect",
                                    error_messages={"required": "Enter the date the rate takes effect"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.open().exclude(kind=Provider.Kind.NHS_TRUST).order_by("name")


class LimitForm(GovukFormMixin, forms.Form):
    role = forms.ModelChoiceField(label="Role", queryset=None, empty_label="Choose the role",
                                  error_messages={"required": "Choose the role",
                                                  "invalid_choice": "Choose a role that may approve packages"})
    weekly_limit = _money("Highest weekly cost they may approve, in pounds", required=False, name="the limit",
                          help_text="Leave empty for no upper limit (a funding panel)")
    effective_from = GovukDateField(label="Takes effect on", label_name="the date it takes effect",
                                    error_messages={"required": "Enter the date the limit takes effect"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ascm.accounts.models import Role

        self.fields["role"].queryset = Role.objects.filter(
            group__permissions__codename="approve_carepackage").select_related("group").order_by("group__name")


BAND_ROWS = 8


class AllocationTableForm(GovukFormMixin, forms.Form):
    effective_from = GovukDateField(label="Used for assessments signed off from", label_name="the date it takes effect",
                                    error_messages={"required": "Enter the date the table takes effect"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pathways.care.eligibility import UNABLE_REASONS

        for reason, label in UNABLE_REASONS.items():
            self.fields[f"points_{reason}"] = forms.IntegerField(
                label=f"Points for each outcome: {label[0].lower()}{label[1:]}", min_value=0, max_value=50,
                error_messages={"required": "Enter the points", "invalid": "Enter the points as a whole number",
                                "min_value": "Points cannot be negative", "max_value": "No more than 50 points"})
        for i in range(1, BAND_ROWS + 1):
            self.fields[f"band_points_{i}"] = forms.IntegerField(
                label=f"Band {i}: from points", required=False, min_value=0, max_value=1000,
                error_messages={"invalid": "Enter the points as a whole number", "min_value": "Points cannot be negative"})
            self.fields[f"band_amount_{i}"] = _money(f"Band {i}: weekly amount, in pounds", required=False,
                                                     name="the weekly amount")

    def band_rows(self):
        return [(self[f"band_points_{i}"], self[f"band_amount_{i}"]) for i in range(1, BAND_ROWS + 1)]

    def point_fields(self):
        return [self[name] for name in self.fields if name.startswith("points_")]

    def clean(self):
        data = super().clean()
        for i in range(1, BAND_ROWS + 1):
            points, amount = data.get(f"band_points_{i}"), data.get(f"band_amount_{i}")
            if (points is None) != (amount is None) and not self.has_error(f"band_points_{i}") \
                    and not self.has_error(f"band_amount_{i}"):
                self.add_error(f"band_amount_{i}" if amount is None else f"band_points_{i}",
                               f"Band {i}: enter both the points and the weekly amount")
        return data

    def bands(self):
        return [(self.cleaned_data[f"band_points_{i}"], self.cleaned_data[f"band_amount_{i}"])
                for i in range(1, BAND_ROWS + 1) if self.cleaned_data.get(f"band_points_{i}") is not None
                and self.cleaned_data.get(f"band_amount_{i}") is not None]

    def points(self):
        return {name: value for name, value in self.cleaned_data.items() if name.startswith("points_")}


class BudgetForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, error_messages={"required": "Choose the year"})
    locality = forms.ModelChoiceField(label="Locality", queryset=None, empty_label="Choose the locality",
                                      error_messages={"required": "Choose the locality"})
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="The whole locality",
                                  error_messages={"invalid_choice": "Choose a team from the list"})
    service_type = forms.ChoiceField(label="Service", choices=_choices(ServiceType.choices, "Choose the service"),
                                     error_messages={"required": "Choose the service"})
    amount = _money("Budget for the year, in pounds", name="the budget")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        from ascm.organisation.models import Locality, Team

        self.fields["year"].choices = [("", "Choose the year")] + [(y, f"{y} to {y + 1}") for y in years]
        self.fields["locality"].queryset = Locality.objects.order_by("name")
        self.fields["team"].queryset = Team.objects.current().select_related("locality").order_by("name")


class ThresholdForm(GovukFormMixin, forms.Form):
    name = forms.ChoiceField(label="Setting", choices=_choices(FinanceThreshold.Name.choices, "Choose the setting"),
                             error_messages={"required": "Choose the setting"})
    value = forms.IntegerField(label="Value", min_value=1, max_value=1000,
                               error_messages={"required": "Enter the value", "invalid": "Enter a whole number",
                                               "min_value": "Enter 1 or more", "max_value": "Enter 1,000 or less"})
    effective_from = GovukDateField(label="Takes effect on", label_name="the date it takes effect",
                                    error_messages={"required": "Enter the date it takes effect"})


# Financial assessments ------------------------------------------------------------------------------

CAPITAL_ROWS, INCOME_ROWS, DRE_ROWS = 3, 6, 3


class FinancialAssessmentForm(GovukFormMixin, forms.Form):
    """The figures, in rows a person fills as far as they need; what is left empty is ignored."""

    kind = forms.ChoiceField(label="Kind of assessment", widget=forms.RadioSelect, choices=[],
                             error_messages={"required": "Choose the kind of assessment"})
    setting = forms.ChoiceField(label="Where the care is", widget=forms.RadioSelect, choices=[],
                                error_messages={"required": "Choose care at home or a care home"})
    assessed_on = GovukDateField(label="Date of the assessment", label_name="the date of the assessment",
                                 error_messages={"required": "Enter the date of the assessment"})
    disabled = forms.BooleanField(label="Receives a disability benefit (the disability premium applies)", required=False)
    enhanced_disability = forms.BooleanField(label="The enhanced disability premium applies", required=False)
    property_value = _money("Value of their home, in pounds", required=False, name="the value of the home",
                            help_text="Counted only for care home placements, after the first 12 weeks")
    permanent_care_from = GovukDateField(label="Permanent care home placement started on",
                                         label_name="the start of permanent care", required=False)
    deferred_payment = forms.BooleanField(label="A deferred payment agreement is in place", required=False)
    housing_costs = _money("Housing costs a week, in pounds", required=False, name="the housing costs",
                           help_text="Rent or mortgage not met by benefits (care at home)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .charging import CAPITAL_KINDS, INCOME_KINDS
        from .models import FinancialAssessment

        self.fields["kind"].choices = FinancialAssessment.Kind.choices
        self.fields["setting"].choices = FinancialAssessment.Setting.choices
        for i in range(1, CAPITAL_ROWS + 1):
            self.fields[f"capital_kind_{i}"] = forms.ChoiceField(label=f"Capital {i}: kind", required=False,
                                                                 choices=[("", "Choose"), *CAPITAL_KINDS.items()])
            self.fields[f"capital_description_{i}"] = forms.CharField(label=f"Capital {i}: what it is", required=False,
                                                                      max_length=200)
            self.fields[f"capital_value_{i}"] = _money(f"Capital {i}: value, in pounds", required=False, name="the value")
        for i in range(1, INCOME_ROWS + 1):
            self.fields[f"income_kind_{i}"] = forms.ChoiceField(label=f"Income {i}: kind", required=False,
                                                                choices=[("", "Choose"), *INCOME_KINDS.items()])
            self.fields[f"income_weekly_{i}"] = _money(f"Income {i}: a week, in pounds", required=False,
                                                       name="the weekly amount")
        for i in range(1, DRE_ROWS + 1):
            self.fields[f"dre_description_{i}"] = forms.CharField(
                label=f"Disability-related expenditure {i}: what it is", required=False, max_length=200)
            self.fields[f"dre_weekly_{i}"] = _money(f"Disability-related expenditure {i}: a week, in pounds",
                                                    required=False, name="the weekly amount")

    def rows(self, prefix, parts, count):
        return [[self[f"{prefix}_{part}_{i}"] for part in parts] for i in range(1, count + 1)]

    def capital_rows(self):
        return self.rows("capital", ("kind", "description", "value"), CAPITAL_ROWS)

    def income_rows(self):
        return self.rows("income", ("kind", "weekly"), INCOME_ROWS)

    def dre_rows(self):
        return self.rows("dre", ("description", "weekly"), DRE_ROWS)

    def clean(self):
        data = super().clean()
        for i in range(1, CAPITAL_ROWS + 1):
            if data.get(f"capital_value_{i}") is not None and not data.get(f"capital_kind_{i}"):
                self.add_error(f"capital_kind_{i}", f"Capital {i}: choose the kind")
        for i in range(1, INCOME_ROWS + 1):
            if data.get(f"income_weekly_{i}") is not None and not data.get(f"income_kind_{i}"):
                self.add_error(f"income_kind_{i}", f"Income {i}: choose the kind")
        for i in range(1, DRE_ROWS + 1):
            if data.get(f"dre_weekly_{i}") is not None and not data.get(f"dre_description_{i}"):
                self.add_error(f"dre_description_{i}", f"Disability-related expenditure {i}: say what it is")
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"], "setting": data["setting"], "assessed_on": data["assessed_on"],
            "disabled": data["disabled"], "enhanced_disability": data["enhanced_disability"],
            "property_value": data.get("property_value") or Decimal("0"), "permanent_care_from": data.get("permanent_care_from"),
            "deferred_payment": data["deferred_payment"], "housing_costs": data.get("housing_costs") or Decimal("0"),
            "capital": [{"kind": data[f"capital_kind_{i}"], "description": data[f"capital_description_{i}"],
                         "value": data[f"capital_value_{i}"]} for i in range(1, CAPITAL_ROWS + 1)
                        if data.get(f"capital_value_{i}") is not None],
            "income": [{"kind": data[f"income_kind_{i}"], "weekly": data[f"income_weekly_{i}"]}
                       for i in range(1, INCOME_ROWS + 1) if data.get(f"income_weekly_{i}") is not None],
            "dre_itemised": [{"description": data[f"dre_description_{i}"], "weekly": data[f"dre_weekly_{i}"]}
                             for i in range(1, DRE_ROWS + 1) if data.get(f"dre_weekly_{i}") is not None]}


class ToldForm(_OnePageForm):
    id_prefix = "told"
    told_on = GovukDateField(label="The person was told on", label_name="the date the person was told",
                             error_messages={"required": "Enter the date the person was told"})


class ChargeStartForm(_OnePageForm):
    id_prefix = "charge"
    charge_from = GovukDateField(label="Charges start on", label_name="the date charges start",
                                 error_messages={"required": "Enter the date charges start"})
    backdate_reason = required_when(
        forms.CharField(label="Why the charges are backdated", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                        max_length=2000),
        condition="Needed (from a manager) when charges start before the person was told")


class ChargingRatesForm(GovukFormMixin, forms.Form):
    effective_from = GovukDateField(label="Takes effect on", label_name="the date the rates take effect",
                                    error_messages={"required": "Enter the date the rates take effect"})

    FIGURES = [("capital_lower", "Lower capital limit", True), ("capital_upper", "Upper capital limit", True),
               ("tariff_step", "Tariff income: £1 a week for every (pounds)", True),
               ("mig_18_24", "Minimum Income Guarantee, single, 18 to 24", True),
               ("mig_25_to_pension", "Minimum Income Guarantee, single, 25 to pension age", True),
               ("mig_pension_age", "Minimum Income Guarantee, single, pension age", False),
               ("disability_premium", "Disability premium", True),
               ("enhanced_disability_premium", "Enhanced disability premium", True),
               ("personal_expenses_allowance", "Personal Expenses Allowance (care homes)", True),
               ("dre_standard", "Standard disability-related expenditure allowance", True)]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, required in self.FIGURES:
            self.fields[name] = _money(f"{label}, in pounds", required=required, name=label[0].lower() + label[1:])
        self.fields["pension_age"] = forms.IntegerField(label="Pension age", min_value=60, max_value=70,
                                                        error_messages={"required": "Enter the pension age"})


class PayRunForm(GovukFormMixin, forms.Form):
    period_start = GovukDateField(label="First day of the 4-week period", label_name="the first day of the period",
                                  error_messages={"required": "Enter the first day of the period"})


class ActualForm(GovukFormMixin, forms.Form):
    line = forms.IntegerField(label="Package line number", min_value=1,
                              help_text="The number in the first column of a pay run, or the API's line id",
                              error_messages={"required": "Enter the package line number",
                                              "invalid": "Enter the line number as a whole number"})
    period_start = GovukDateField(label="First day of the period", label_name="the first day of the period",
                                  error_messages={"required": "Enter the first day of the period"})
    units = forms.DecimalField(label="Hours, days or nights delivered", min_value=Decimal("0"), max_digits=8,
                               decimal_places=2, error_messages={"required": "Enter what was delivered",
                                                                 "invalid": "Enter a number, like 10 or 7.5",
                                                                 "min_value": "What was delivered cannot be negative"})


class ActualsImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="A provider's CSV file", help_text="Columns: line, period_start (YYYY-MM-DD), units",
                           error_messages={"required": "Choose the CSV file"})


class DirectPaymentForm(GovukFormMixin, forms.Form):
    recipient = forms.ChoiceField(label="Who receives the payments", widget=forms.RadioSelect, choices=[],
                                  error_messages={"required": "Choose who receives the payments"})
    recipient_name = required_when(forms.CharField(label="Their name", required=False, max_length=200),
                                   condition="Needed for a nominated or authorised person")
    starts_on = GovukDateField(label="Payments start on", label_name="the date payments start",
                               error_messages={"required": "Enter the date payments start"})
    account_reference = forms.CharField(label="Account (managed or prepaid card account)", required=False, max_length=60)
    next_review_due = GovukDateField(label="First review due by", label_name="the first review date", required=False,
                                     help_text="Within 6 months of the start; left empty, 6 months after it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import DirectPaymentAgreement

        self.fields["recipient"].choices = DirectPaymentAgreement.Recipient.choices


class DirectPaymentReviewForm(_OnePageForm):
    id_prefix = "review"
    reviewed_on = GovukDateField(label="Reviewed on", label_name="the date of the review",
                                 error_messages={"required": "Enter the date of the review"})
    notes = forms.CharField(label="What the review found", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                            error_messages={"required": "Say what the review found"})
    next_review_due = GovukDateField(label="Next review due by", label_name="the next review date", required=False,
                                     help_text="Within 12 months; left empty, 12 months after this review")


class DirectPaymentSurplusForm(_OnePageForm):
    id_prefix = "surplus"
    returned_on = GovukDateField(label="Returned on", label_name="the date returned",
                                 error_messages={"required": "Enter the date the money was returned"})
    amount = _money("Amount returned, in pounds", name="the amount returned")
    notes = forms.CharField(label="Notes", required=False, max_length=2000)


class ClientPaymentForm(_OnePageForm):
    id_prefix = "payment"
    received_on = GovukDateField(label="Received on", label_name="the date received",
                                 error_messages={"required": "Enter the date the payment was received"})
    amount = _money("Amount received, in pounds", name="the amount received")
    method = forms.ChoiceField(label="How it was paid", widget=forms.RadioSelect,
                               error_messages={"required": "Choose how it was paid"})
    reference = forms.CharField(label="Reference (optional)", required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        from .models import ClientPayment

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = ClientPayment.Method.choices


class ClientPaymentCancelForm(_OnePageForm):
    id_prefix = "cancel"
    reason = forms.CharField(label="Why is this payment cancelled?", max_length=200,
                             error_messages={"required": "Enter why the payment is cancelled"})


class LettersSentForm(GovukFormMixin, forms.Form):
    told_on = GovukDateField(label="The letters were sent on", label_name="the date the letters were sent",
                             error_messages={"required": "Enter the date the letters were sent"})


class FinanceReturnForm(GovukFormMixin, forms.Form):
    year = forms.IntegerField(label="Financial year", min_value=2000, max_value=2100,
                              help_text="The year it starts: for April 2025 to March 2026, enter 2025",
                              widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
                              error_messages={"required": "Enter the year the financial year starts, like 2025",
                                              "invalid": "Enter the year as 4 digits, like 2025",
                                              "min_value": "Enter a year from 2000", "max_value": "Enter a year before 2100"})
