from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.providers.models import CareSetting

from .models import AdultAtRisk, SafeguardingConcern

_YES_NO = [("yes", "Yes"), ("no", "No")]


class ConcernForm(GovukFormMixin, forms.Form):
    raised_by_name = forms.CharField(label="Who raised the concern", max_length=200,
                                     error_messages={"required": "Enter who raised the concern"})
    raised_by_organisation = forms.CharField(label="Their organisation", max_length=200, required=False,
                                             help_text="For example, the police, a GP practice, a care home")
    raised_by_contact = forms.CharField(label="How to contact them", max_length=200, required=False)
    what_happened = forms.CharField(label="What happened, or what is feared", widget=forms.Textarea(attrs={"rows": 6}),
                                    error_messages={"required": "Describe what happened, or what is feared"})
    immediate_action = forms.CharField(label="Immediate safety action taken", widget=forms.Textarea(attrs={"rows": 3}),
                                       required=False, help_text="What has been done already to keep the person safe")
    consent = forms.ChoiceField(label="Was the person's consent sought?", widget=forms.RadioSelect,
                                choices=SafeguardingConcern.Consent.choices,
                                error_messages={"required": "Say whether the person's consent was sought"})
    consent_reason = required_when(
        forms.CharField(label="Why not, or why the concern goes ahead without it",
                        widget=forms.Textarea(attrs={"rows": 3}), required=False),
        condition="Needed unless the person agreed: for example, they lack capacity to decide, or others are at risk")
    large_scale = forms.BooleanField(label="This is about a care home or provider, and more adults are at risk",
                                     required=False)
    setting = forms.ModelChoiceField(label="Care home or service it happened in", required=False,
                                     queryset=CareSetting.objects.open().order_by("name"), empty_label="Not in a care setting",
                                     error_messages={"invalid_choice": "Choose a setting from the list"})


class DecisionForm(GovukFormMixin, forms.Form):
    """Every answer is checked by the service at once (a test unanswered, reasoning missing, no route)."""

    has_care_needs = required_when(forms.ChoiceField(required=False, label="Does the person have needs for care and support?", choices=_YES_NO,
                                       widget=forms.RadioSelect, help_text="Whether or not the council is meeting them",
                                       error_messages={"required": "Say whether the person has needs for care and support"}))
    has_care_needs_reason = required_when(forms.CharField(label="Your reasoning", widget=forms.Textarea(attrs={"rows": 3}),
                                                          required=False))
    at_risk = required_when(forms.ChoiceField(required=False, label="Are they experiencing, or at risk of, abuse or neglect?", choices=_YES_NO,
                                widget=forms.RadioSelect,
                                error_messages={"required": "Say whether the person is experiencing, or at risk of, abuse or neglect"}))
    at_risk_reason = required_when(forms.CharField(label="Your reasoning", widget=forms.Textarea(attrs={"rows": 3}),
                                                   required=False))
    unable_to_protect = required_when(forms.ChoiceField(required=False, label="As a result of those needs, are they unable to protect themselves?",
                                          choices=_YES_NO, widget=forms.RadioSelect,
                                          error_messages={"required": "Say whether, as a result of those needs, they are unable to protect themselves"}))
    unable_to_protect_reason = required_when(forms.CharField(label="Your reasoning",
                                                             widget=forms.Textarea(attrs={"rows": 3}), required=False))
    route = required_when(forms.ChoiceField(label="Route taken", required=False,
                                            choices=[("", "Choose the route")] + list(AdultAtRisk.Route.choices)),
                          condition="When the three tests are not all met")
    other_enquiry = forms.BooleanField(label="Open a non-statutory (“other”) enquiry all the same", required=False)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("has_care_needs", "at_risk", "unable_to_protect"):
            data[name] = {"yes": True, "no": False}.get(data[name])
        return data


class AccessForm(GovukFormMixin, forms.Form):
    user = forms.ModelChoiceField(label="Person to give access to", queryset=None, empty_label="Choose a person",
                                  error_messages={"required": "Choose the person to give access to",
                                                  "invalid_choice": "Choose a person from the list"})
    reason = forms.CharField(label="Why they need to see this concern", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Give the reason this person needs to see the concern"})

    def __init__(self, *args, **kwargs):
        from ascm.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).exclude(username="AnonymousUser").order_by(
            "last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class RevokeForm(GovukFormMixin, forms.Form):
    revoke_reason = forms.CharField(label="Why the access is taken away", max_length=500,
                                    error_messages={"required": "Give the reason the access is taken away"})


class DecisionTargetForm(GovukFormMixin, forms.Form):
    working_days = forms.IntegerField(label="Working days from receipt", min_value=1, max_value=60,
                                      error_messages={"required": "Enter a number of working days from 1 to 60",
                                                      "invalid": "Enter a number of working days from 1 to 60",
                                                      "min_value": "Enter a number of working days from 1 to 60",
                                                      "max_value": "Enter a number of working days from 1 to 60"})
    applies_from = GovukDateField(label="Applies to concerns received from", label_name="the date it applies from",
                                  error_messages={"required": "Enter the date it applies from"})
