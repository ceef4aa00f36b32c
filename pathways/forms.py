from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin
from ascm.organisation.models import Locality, Team

from .models import FLAGS, Pathway, Referral, ReferralSource, Urgency


class ReferralForm(GovukFormMixin, forms.Form):
    source = forms.ChoiceField(label="Who is making the referral?", choices=ReferralSource.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose who is making the referral"})
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=200)
    referrer_organisation = forms.CharField(label="Referrer's organisation", required=False, max_length=200)
    referrer_phone = forms.CharField(label="Referrer's phone number", required=False, max_length=30)
    needs_in_persons_words = forms.CharField(label="What the person says they need, in their words", required=False,
                                             widget=forms.Textarea(attrs={"rows": 4}))
    needs_referrer = forms.CharField(label="What the referrer says the person needs", required=False,
                                     widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(choices=Urgency.choices, widget=forms.RadioSelect, initial=Urgency.ROUTINE,
                                error_messages={"required": "Choose how urgent the referral is"})
    flags = forms.MultipleChoiceField(label="Does any of these apply?", choices=list(FLAGS.items()), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    ward = forms.CharField(label="Ward (hospital discharge)", required=False, max_length=100)
    admitted_on = GovukDateField(label="Date admitted (hospital discharge)", label_name="date admitted", required=False)
    expected_discharge_on = GovukDateField(label="Expected discharge date", label_name="expected discharge date",
                                           required=False)
    locality = forms.ModelChoiceField(queryset=Locality.objects.current().order_by("name"), required=False,
                                      empty_label="From the person's address",
                                      help_text="Only needed when the person's address does not give it")
    consent_given = forms.BooleanField(label="The person consents to the referral", required=False)

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
