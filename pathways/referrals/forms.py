from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.organisation.models import Locality, Team, TeamType
from clients.reference import PrimarySupportReason

from .models import FLAGS, Pathway, Referral, ReferralSource, Urgency


class ReferralForm(GovukFormMixin, forms.Form):
    source = forms.ChoiceField(label="Who is making the referral?", choices=ReferralSource.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose who is making the referral"})
    referrer_name = required_when(forms.CharField(label="Referrer's name", required=False, max_length=200,
                                                  help_text="Needed unless the person is referring themselves"))
    referrer_organisation = forms.CharField(label="Referrer's organisation", required=False, max_length=200)
    referrer_phone = forms.CharField(label="Referrer's phone number", required=False, max_length=30)
    needs_in_persons_words = required_when(forms.CharField(
        label="What the person says they need, in their words", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Fill in this or the next question, or both"))
    needs_referrer = required_when(forms.CharField(
        label="What the referrer says the person needs", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Fill in this or the question above, or both"))
    urgency = forms.ChoiceField(choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE,
                                error_messages={"required": "Choose how urgent the referral is"})
    flags = forms.MultipleChoiceField(label="Does any of these apply?", choices=list(FLAGS.items()), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    ward = required_when(forms.CharField(label="Ward (hospital discharge)", required=False, max_length=100,
                                         help_text="Needed for a hospital discharge referral"))
    admitted_on = GovukDateField(label="Date admitted (hospital discharge)", label_name="date admitted", required=False)
    expected_discharge_on = GovukDateField(label="Expected discharge date", label_name="expected discharge date",
                                           required=False)
    locality = forms.ModelChoiceField(queryset=Locality.objects.current().order_by("name"), required=False,
                                      empty_label="From the person's address",
                                      help_text="Only needed when the person's address does not give it")
    consent_given = forms.BooleanField(label="The person consents to the referral", required=False)
    received_on = GovukDateField(label="Date the referral was received", label_name="date received", required=False,
                                 help_text="Leave blank if it is being received now")
    received_time = forms.TimeField(label="Time it was received", required=False, help_text="For example, 09:30",
                                    error_messages={"invalid": "Enter a time like 09:30"})

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for flag in FLAGS:
            data[flag] = flag in data["flags"]
        data.pop("flags")
        if data["locality"] is None:
            data.pop("locality")
        return data


class AllocateForm(GovukFormMixin, forms.Form):
    worker = forms.ModelChoiceField(queryset=None, label="Allocate to", empty_label="Choose a practitioner",
                                    error_messages={"required": "Choose who to allocate the referral to"})

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        from ascm.accounts.models import User

        self.fields["worker"].queryset = User.objects.filter(
            memberships__team=team, memberships__ended_on__isnull=True, is_active=True).order_by("last_name")


class RerouteForm(GovukFormMixin, forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.current().select_related("locality").order_by("locality__name", "name"),
                                  label="Send to team", error_messages={"required": "Choose a team"})
    pathway = forms.ChoiceField(label="Suggested pathway", choices=[("", "None")] + list(Pathway.choices), required=False)
    reason = forms.CharField(label="Why are you re-routing it?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why you are re-routing the referral"})


class DeclineForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why is your team declining it?", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why your team is declining the referral"})


class CloseForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(choices=Referral.Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": "Choose the outcome"})
    community_resource = forms.CharField(label="Community resource given (for signposting)", required=False, max_length=200)
    detail = forms.CharField(label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class _StepForm(GovukFormMixin, forms.Form):
    """One question page of taking a referral; its fields are ReferralForm's."""

    step_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        template = ReferralForm()  # its fields, with the GOV.UK classes already on their widgets
        self.fields = {name: template.fields[name] for name in self.step_fields}


class WhoStep(_StepForm):
    step_fields = ("source", "referrer_name", "referrer_organisation", "referrer_phone")
    title = "Who is making the referral?"

    def clean(self):
        data = super().clean()
        if data.get("source") and data["source"] != "self" and not (data.get("referrer_name") or "").strip():
            self.add_error("referrer_name", "Enter the name of the person making the referral")
        return data


class NeedsStep(_StepForm):
    step_fields = ("needs_in_persons_words", "needs_referrer")
    title = "What does the person need?"

    def clean(self):
        data = super().clean()
        if not (data.get("needs_in_persons_words") or "").strip() and not (data.get("needs_referrer") or "").strip():
            self.add_error("needs_in_persons_words", "Describe what the person needs, in their words or the referrer's")
        return data


class UrgencyStep(_StepForm):
    step_fields = ("urgency", "flags", "locality", "consent_given", "received_on", "received_time")
    title = "How urgent is it?"

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        if data.get("received_on") and data["received_on"] > timezone.localdate():
            self.add_error("received_on", "The date received must be today or in the past")
        return data


class DischargeStep(_StepForm):
    step_fields = ("ward", "admitted_on", "expected_discharge_on")
    title = "Hospital discharge"

    def clean(self):
        data = super().clean()
        if not (data.get("ward") or "").strip():
            self.add_error("ward", "Enter the ward for a hospital discharge referral")
        if data.get("admitted_on") and data.get("expected_discharge_on") and data["expected_discharge_on"] < data["admitted_on"]:
            self.add_error("expected_discharge_on", "The expected discharge date must be on or after the admission date")
        return data


REFERRAL_STEPS = {"who": WhoStep, "needs": NeedsStep, "urgency": UrgencyStep, "discharge": DischargeStep}


class RoutingRuleForm(GovukFormMixin, forms.Form):
    """A routing rule as choices to tick: each condition left empty holds for every referral."""

    name = forms.CharField(label="Rule name", max_length=120, help_text="What it is for, for example 'Deafblind adults'",
                           error_messages={"required": "Enter a name for the rule"})
    target_team_type = forms.ChoiceField(label="Send the referral to the locality's", choices=[("", "Choose a team type")] + list(TeamType.choices),
                                         error_messages={"required": "Choose the team type it goes to"})
    target_pathway = forms.ChoiceField(label="On the pathway", choices=[("", "Choose a pathway")] + list(Pathway.choices),
                                       error_messages={"required": "Choose the pathway it suggests"})
    min_age = forms.IntegerField(label="Youngest age", required=False, min_value=0, max_value=120,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                                 error_messages={"invalid": "Enter the youngest age as a whole number, like 18",
                                                 "min_value": "The youngest age must be 0 or more"})
    max_age = forms.IntegerField(label="Oldest age", required=False, min_value=0, max_value=120,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                                 error_messages={"invalid": "Enter the oldest age as a whole number, like 25",
                                                 "max_value": "The oldest age must be 120 or less"})
    required_flags = forms.MultipleChoiceField(label="The referral says all of these", required=False,
                                               choices=list(FLAGS.items()), widget=forms.CheckboxSelectMultiple)
    primary_support_reasons = forms.MultipleChoiceField(label="Primary support reason is any of these", required=False,
                                                        choices=PrimarySupportReason.choices, widget=forms.CheckboxSelectMultiple)
    sources = forms.MultipleChoiceField(label="Made by any of these", required=False, choices=ReferralSource.choices,
                                        widget=forms.CheckboxSelectMultiple)
    urgencies = forms.MultipleChoiceField(label="Urgency is any of these", required=False, choices=Urgency.choices,
                                          widget=forms.CheckboxSelectMultiple)
    localities = forms.ModelMultipleChoiceField(label="Only in these localities", required=False,
                                                queryset=Locality.objects.current().order_by("name"),
                                                widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label="The rule is on", required=False, initial=True,
                                   help_text="Switch a rule off rather than lose it: it is kept with its history")

    @classmethod
    def initial_for(cls, rule) -> dict:
        return {**{name: getattr(rule, name) for name in ("name", "target_team_type", "target_pathway", "min_age",
                                                          "max_age", "required_flags", "primary_support_reasons",
                                                          "sources", "urgencies", "is_active")},
                "localities": list(rule.localities.values_list("pk", flat=True))}


class SampleReferralForm(GovukFormMixin, forms.Form):
    """A made-up referral to try against the rules as they are now (nothing is saved)."""

    age = forms.IntegerField(label="Age", required=False, min_value=0, max_value=120,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                             error_messages={"invalid": "Enter the age as a whole number"})
    primary_support_reason = forms.ChoiceField(label="Primary support reason", choices=PrimarySupportReason.choices, initial="unknown")
    flags = forms.MultipleChoiceField(label="The referral says", choices=list(FLAGS.items()), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    source = forms.ChoiceField(label="Made by", choices=ReferralSource.choices)
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices, initial=Urgency.ROUTINE)
    locality = forms.ModelChoiceField(label="Locality", queryset=Locality.objects.current().order_by("name"),
                                      empty_label="Choose a locality",
                                      error_messages={"required": "Choose the locality the person lives in"})
