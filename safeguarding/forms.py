from django import forms
from django.core.exceptions import ValidationError

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


class AddAdultForm(GovukFormMixin, forms.Form):
    nhs_number = forms.CharField(label="NHS number of another adult at risk", max_length=20,
                                 help_text="For a large-scale concern, name every adult at risk. For example, 999 123 4578",
                                 error_messages={"required": "Enter the NHS number of the adult at risk"})


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


# Enquiries ---------------------------------------------------------------------------------------

from .models import (  # noqa: E402
    ActionResult,
    Enquiry,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
    StrategyMeeting,
)


def _users():
    from ascm.accounts.models import User

    return User.objects.filter(is_active=True).exclude(username="AnonymousUser").order_by("last_name", "first_name")


def _choices(choices, empty):
    return [("", empty)] + list(choices.choices)


class OfficerForm(GovukFormMixin, forms.Form):
    officer = forms.ModelChoiceField(label="Enquiry officer", queryset=None, empty_label="Choose a person",
                                     error_messages={"required": "Choose the enquiry officer",
                                                     "invalid_choice": "Choose a person from the list"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = _users()
        self.fields["officer"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class PersonalForm(GovukFormMixin, forms.Form):
    """Making Safeguarding Personal. The service checks every answer at once."""

    outcomes_asked = required_when(forms.ChoiceField(label="Was the person asked what they want from the enquiry?",
                                                     choices=Enquiry.OutcomesAsked.choices, widget=forms.RadioSelect,
                                                     required=False))
    desired_outcomes = required_when(forms.CharField(label="What they want, in their words",
                                                     widget=forms.Textarea(attrs={"rows": 4}), required=False),
                                     condition="When they expressed outcomes")
    not_asked_reason = required_when(forms.CharField(label="Why they were not asked", widget=forms.Textarea(attrs={"rows": 2}),
                                                     required=False), condition="When they were not asked")
    capacity = required_when(forms.ChoiceField(label="Capacity to take part in the enquiry", choices=Enquiry.Capacity.choices,
                                               widget=forms.RadioSelect, required=False))
    substantial_difficulty = required_when(forms.ChoiceField(
        label="Do they have substantial difficulty taking part?", choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect, required=False, help_text="If so, an advocate must be considered"))
    support = required_when(forms.ChoiceField(label="Who supports them in the enquiry?", choices=Enquiry.Support.choices,
                                              widget=forms.RadioSelect, required=False))
    no_advocate_reason = required_when(forms.CharField(label="Why no advocate", widget=forms.Textarea(attrs={"rows": 2}),
                                                       required=False),
                                       condition="When they have substantial difficulty and no one supports them")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["substantial_difficulty"] = {"yes": True, "no": False}.get(data["substantial_difficulty"])
        return data


class AllegationForm(GovukFormMixin, forms.Form):
    risk_type = required_when(forms.ChoiceField(label="Type of risk", choices=_choices(RiskType, "Choose a type"),
                                                required=False))
    location = required_when(forms.ChoiceField(label="Where it happened", choices=_choices(RiskLocation, "Choose a place"),
                                               required=False))
    source = required_when(forms.ChoiceField(label="Source of risk", choices=_choices(RiskSource, "Choose the source"),
                                             required=False))
    source_setting = required_when(forms.ModelChoiceField(
        label="The provider", required=False, queryset=CareSetting.objects.order_by("name"), empty_label="Not a provider",
        error_messages={"invalid_choice": "Choose a setting from the list"}), condition="When the source is a service provider")
    source_description = required_when(forms.CharField(label="Who the alleged source is", max_length=200, required=False),
                                       condition="For example, a neighbour, a lodger, a stranger")
    details = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AllegationConcludeForm(GovukFormMixin, forms.Form):
    action_result = required_when(forms.ChoiceField(label="Action and result", required=False,
                                                    choices=_choices(ActionResult, "Choose the action and result")))
    risk_outcome = required_when(forms.ChoiceField(label="Risk outcome", required=False,
                                                   choices=_choices(RiskOutcome, "No risk outcome")),
                                 condition="Only when risk was identified")


class MeetingForm(GovukFormMixin, forms.Form):
    kind = required_when(forms.ChoiceField(label="Discussion or meeting", choices=StrategyMeeting.Kind.choices,
                                           widget=forms.RadioSelect, required=False))
    held_on = GovukDateField(label="Date held", label_name="the date held", required=False)
    attendees = required_when(forms.CharField(label="Who attended", widget=forms.Textarea(attrs={"rows": 3}),
                                              required=False, help_text="Names, roles and organisations"))
    decisions = required_when(forms.CharField(label="What was decided", widget=forms.Textarea(attrs={"rows": 3}),
                                              required=False))


class ActionForm(GovukFormMixin, forms.Form):
    action = required_when(forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}), required=False))
    owner = required_when(forms.ModelChoiceField(label="Owner", queryset=None, required=False, empty_label="A partner (name below)"),
                          condition="A member of staff, or name a partner below")
    owner_name = forms.CharField(label="Partner who owns it", max_length=200, required=False)
    due_on = GovukDateField(label="Due", label_name="the due date", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()
        self.fields["owner"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class ConcludeForm(GovukFormMixin, forms.Form):
    outcomes_achieved = required_when(forms.ChoiceField(label="Were the outcomes they wanted achieved?",
                                                        choices=Enquiry.Achieved.choices, widget=forms.RadioSelect,
                                                        required=False), condition="When they expressed outcomes")
    referrer_feedback = required_when(forms.CharField(label="Feedback given to whoever raised the concern",
                                                      widget=forms.Textarea(attrs={"rows": 3}), required=False))
    sar_referral = required_when(forms.ChoiceField(label="Refer for a Safeguarding Adults Review?",
                                                   choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
                                                   required=False))

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["sar_referral"] = {"yes": True, "no": False}.get(data["sar_referral"])
        return data


class ReopenForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why the enquiry is reopened", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Give the reason the enquiry is reopened"})


# Deprivation of Liberty Safeguards ------------------------------------------------------------------

from .models_dols import LibertyApplication, LibertyAssessment, LibertyAuthorisation, LibertyReview  # noqa: E402


class DolsApplicationForm(GovukFormMixin, forms.Form):
    nhs_number = forms.CharField(label="The person's NHS number", max_length=20,
                                 help_text="Record the person first if they are not on ASCM. For example, 999 123 4578",
                                 error_messages={"required": "Enter the person's NHS number"})
    managing_authority = forms.ModelChoiceField(
        label="Managing authority (hospital or care home)", empty_label="Choose the hospital or care home",
        queryset=CareSetting.objects.open().filter(kind__in=CareSetting.MANAGING_AUTHORITY).order_by("name"),
        error_messages={"required": "Choose the hospital or care home that is applying",
                        "invalid_choice": "Choose a hospital or care home from the list"})
    kind = forms.ChoiceField(label="What has arrived?", choices=LibertyApplication.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose a standard request or an urgent authorisation"})
    received_on = GovukDateField(label="Date received", label_name="the date received",
                                 error_messages={"required": "Enter the date the application was received"})
    needed_from = GovukDateField(label="Needed from (a standard request sent ahead)", label_name="the date needed from",
                                 required=False)
    urgent_granted_on = required_when(GovukDateField(label="Date the urgent authorisation was given",
                                                     label_name="the date it was given", required=False),
                                      condition="For an urgent authorisation")
    urgent_days = forms.IntegerField(label="Days the urgent authorisation lasts", min_value=1, max_value=7, initial=7,
                                     required=False, error_messages={"min_value": "An urgent authorisation lasts from 1 to 7 days",
                                                                     "max_value": "An urgent authorisation lasts from 1 to 7 days"})
    care_arrangements = forms.CharField(label="The care arrangements that may deprive them of liberty",
                                        widget=forms.Textarea(attrs={"rows": 4}),
                                        error_messages={"required": "Describe the care arrangements"})


class DolsScreenForm(GovukFormMixin, forms.Form):
    is_deprivation = required_when(forms.ChoiceField(label="Is this a deprivation of liberty?", required=False,
                                                     choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect))
    reasoning = required_when(forms.CharField(label="The reasoning: the factors weighed", required=False,
                                              widget=forms.Textarea(attrs={"rows": 4})))
    priority = required_when(forms.ChoiceField(label="Priority", required=False, widget=forms.RadioSelect,
                                               choices=LibertyApplication.Priority.choices))
    priority_reason = required_when(forms.CharField(label="Why this priority", required=False,
                                                    widget=forms.Textarea(attrs={"rows": 2})))

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["is_deprivation"] = {"yes": True, "no": False}.get(data["is_deprivation"])
        return data


class DolsExtendForm(GovukFormMixin, forms.Form):
    days = forms.IntegerField(label="Extend by (days)", min_value=1, max_value=7,
                              error_messages={"required": "Extend by 1 to 7 days", "min_value": "Extend by 1 to 7 days",
                                              "max_value": "Extend by 1 to 7 days"})
    reason = forms.CharField(label="Reason for the extension", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Give the reason for the extension"})


class DolsAssessmentForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Assessment", choices=_choices(LibertyAssessment.Kind, "Choose the assessment"),
                             error_messages={"required": "Choose the assessment"})
    assessor = required_when(forms.ModelChoiceField(label="Assessor", queryset=None, required=False,
                                                    empty_label="A partner (name below)"))
    assessor_name = forms.CharField(label="Partner assessor's name", max_length=200, required=False)
    assessor_role = forms.CharField(label="Assessor's role", max_length=100, required=False,
                                    help_text="Best interests assessor; mental health assessor (a doctor)")
    allocated_on = GovukDateField(label="Allocated", label_name="the date allocated", required=False)
    completed_on = GovukDateField(label="Completed", label_name="the date completed", required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=_choices(LibertyAssessment.Outcome, "Not yet"))
    equivalent_reference = forms.CharField(label="Equivalent assessment reused (reference)", max_length=100, required=False)
    recommended_months = forms.IntegerField(label="Longest authorisation recommended (months)", min_value=1, max_value=12,
                                            required=False, help_text="Best interests assessments")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = _users()
        self.fields["assessor"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"


class DolsDecisionForm(GovukFormMixin, forms.Form):
    granted = required_when(forms.ChoiceField(label="Decision", required=False, widget=forms.RadioSelect,
                                              choices=[("yes", "Authorise"), ("no", "Do not authorise")]))
    starts_on = GovukDateField(label="Starts", label_name="the start date", required=False)
    ends_on = GovukDateField(label="Ends", label_name="the end date", required=False)
    conditions = forms.CharField(label="Conditions", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    representative_name = forms.CharField(label="Relevant person's representative", max_length=200, required=False)
    representative_kind = forms.ChoiceField(label="Representative is", required=False, widget=forms.RadioSelect,
                                            choices=LibertyAuthorisation.Representative.choices)
    reason = forms.CharField(label="Reason it is not authorised", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if data["granted"] not in ("yes", "no"):
            raise ValidationError({"granted": "Choose whether to authorise"})
        data["granted"] = data["granted"] == "yes"
        return data


class DolsStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="What happens to the authorisation", widget=forms.RadioSelect,
                               choices=[c for c in LibertyAuthorisation.Status.choices],
                               error_messages={"required": "Choose what happens to the authorisation"})
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Give the reason"})


class DolsWithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why it was withdrawn", widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="For example, the person has left the care home, or has died",
                             error_messages={"required": "Give the reason it was withdrawn"})
    on = GovukDateField(label="Date withdrawn", label_name="the date withdrawn",
                        error_messages={"required": "Enter the date it was withdrawn"})


class DolsRenewalForm(GovukFormMixin, forms.Form):
    received_on = GovukDateField(label="Date the renewal request was received", label_name="the date received",
                                 error_messages={"required": "Enter the date the renewal request was received"})
    care_arrangements = forms.CharField(label="The care arrangements now", widget=forms.Textarea(attrs={"rows": 3}),
                                        required=False, help_text="Leave blank if they are unchanged")


class DolsReviewForm(GovukFormMixin, forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", label_name="the date of the review",
                                 error_messages={"required": "Enter the date of the review"})
    requested_by = forms.CharField(label="Who asked for the review", max_length=200, required=False,
                                   help_text="For example, the relevant person's representative, or the care home")
    outcome = forms.ChoiceField(label="Outcome of the review", widget=forms.RadioSelect, choices=LibertyReview.Outcome.choices,
                                error_messages={"required": "Choose the outcome of the review"})
    conditions = required_when(forms.CharField(label="The conditions as varied", widget=forms.Textarea(attrs={"rows": 3}),
                                               required=False), condition="If the conditions are varied")
    notes = forms.CharField(label="What the review found", widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Record what the review found"})
