from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.providers.models import CareSetting, Ward

from .models import AlertRule, Attribution, Destination, DischargePathway, LocalDelayCode, NhsDelayReason


class _OnePageForm(GovukFormMixin, forms.Form):
    """The stay's page holds several forms with fields of the same name (a reason, a note): each has
    its own ids, so every label points at its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def _choices(choices, empty):
    return [("", empty), *choices]


def _hospitals():
    return CareSetting.objects.open().filter(kind=CareSetting.Kind.HOSPITAL).order_by("name")


def _beds():
    return CareSetting.objects.open().filter(kind__in=CareSetting.MANAGING_AUTHORITY).order_by("name")


class DischargeStartForm(GovukFormMixin, forms.Form):
    hospital = forms.ModelChoiceField(label="Hospital", queryset=None, empty_label="Choose the hospital",
                                      error_messages={"required": "Choose the hospital",
                                                      "invalid_choice": "Choose a hospital from the list"})
    ward = forms.ModelChoiceField(label="Ward", queryset=None, required=False, empty_label="Not known yet",
                                  error_messages={"invalid_choice": "Choose a ward from the list"})
    admitted_on = GovukDateField(label="Date of admission", label_name="the date of admission",
                                 error_messages={"required": "Enter the date of admission"})
    expected_on = GovukDateField(label="Expected date of discharge", label_name="the expected date of discharge",
                                 required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital"].queryset = _hospitals()
        self.fields["ward"].queryset = Ward.objects.open().select_related("setting").order_by("setting__name", "name")
        self.fields["ward"].label_from_instance = lambda w: f"{w.setting.name}: {w.name}"


class DischargeNewForm(DischargeStartForm):
    nhs_number = forms.CharField(label="The person's NHS number", max_length=20,
                                 help_text="Record the person first if they are not on ASCM. For example, 999 123 4578",
                                 error_messages={"required": "Enter the person's NHS number"})

    field_order = ["nhs_number", "hospital", "ward", "admitted_on", "expected_on"]


class ReadyDateForm(_OnePageForm):
    id_prefix = "ready"

    ready_on = required_when(GovukDateField(label="Discharge ready date", label_name="the discharge ready date",
                                            required=False), condition="The day the person no longer meets the criteria to reside")
    reset = forms.BooleanField(label="The person meets the criteria to reside again (reset the date)", required=False)
    reason = forms.CharField(label="Why the ready date is set, changed or reset", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="For example, the ward round's decision",
                             error_messages={"required": "Give the reason (for example, the ward round's decision)"})


class PathwayForm(_OnePageForm):
    id_prefix = "pathway"

    pathway = forms.TypedChoiceField(label="Discharge pathway", coerce=int, widget=forms.RadioSelect,
                                     choices=DischargePathway.choices,
                                     error_messages={"required": "Choose the discharge pathway (0 to 3)"})
    reason = forms.CharField(label="Why the pathway changes", max_length=500, required=False)


class DelayForm(_OnePageForm):
    id_prefix = "delay"

    reason = forms.ChoiceField(label="Reason (NHS acute discharge list)", choices=_choices(NhsDelayReason.choices, "Choose the reason"),
                               error_messages={"required": "Choose a reason from the NHS list",
                                               "invalid_choice": "Choose a reason from the NHS list"})
    code = forms.ChoiceField(label="Local delay code", choices=_choices(LocalDelayCode.choices, "Choose the code"),
                             error_messages={"required": "Choose a local delay code from A to I",
                                             "invalid_choice": "Choose a local delay code from A to I"})
    attribution = forms.ChoiceField(label="Attributed to", widget=forms.RadioSelect, choices=Attribution.choices,
                                    error_messages={"required": "Say whether the delay is the NHS's, social care's, or both"})
    starts_on = GovukDateField(label="From", label_name="the date the reason applies from", required=False,
                               help_text="Leave blank for today")
    note = forms.CharField(label="Note", max_length=500, required=False)


class PlanForm(_OnePageForm):
    id_prefix = "plan"

    expected_on = GovukDateField(label="Expected date of discharge", label_name="the expected date of discharge",
                                 required=False)
    planned_destination = forms.ChoiceField(label="Planned destination", required=False,
                                            choices=_choices(Destination.choices, "Not decided"))
    planned_setting = required_when(forms.ModelChoiceField(label="Care home or community bed", queryset=None, required=False,
                                                           empty_label="None"), condition="For a care home or community bed")
    bridging_care = forms.CharField(label="Bridging care", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    unpaid_carers = forms.CharField(label="Unpaid carers involved", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_action = forms.CharField(label="Next action", max_length=200, required=False)
    next_action_on = GovukDateField(label="Next action by", label_name="the next action's date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_setting"].queryset = _beds()


class CompleteForm(_OnePageForm):
    id_prefix = "complete"

    discharged_on = GovukDateField(label="Date of discharge", label_name="the date of discharge",
                                   error_messages={"required": "Enter the date of discharge"})
    destination = forms.ChoiceField(label="Where the person went", widget=forms.RadioSelect, choices=Destination.choices,
                                    error_messages={"required": "Choose where the person went"})
    destination_setting = required_when(forms.ModelChoiceField(label="Care home or community bed", queryset=None,
                                                               required=False, empty_label="None"),
                                        condition="For a care home or community bed")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           help_text="Needed if the person left before the discharge ready date was first set")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_setting"].queryset = _beds()


class AlertRuleForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=100, error_messages={"required": "Name the rule"})
    delayed_days = forms.IntegerField(label="Delayed days", min_value=1, max_value=365,
                                      error_messages={"required": "Enter the delayed days, from 1 to 365",
                                                      "min_value": "Enter the delayed days, from 1 to 365",
                                                      "max_value": "Enter the delayed days, from 1 to 365"})
    recipient = forms.ChoiceField(label="Who is told", widget=forms.RadioSelect, choices=AlertRule.Recipient.choices,
                                  error_messages={"required": "Choose who is told"})
    pathway = forms.TypedChoiceField(label="Pathway", required=False, coerce=int, empty_value=None,
                                     choices=_choices(DischargePathway.choices, "Every pathway"))
    attribution = forms.ChoiceField(label="Attributed to", required=False, choices=_choices(Attribution.choices, "Any"))
    effective_from = GovukDateField(label="Applies from", label_name="the date it applies from", required=False,
                                    help_text="Leave blank for today")
