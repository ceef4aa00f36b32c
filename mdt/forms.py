import datetime

from django import forms
from django.utils import timezone

from ascm.core.forms import GovukDateField, GovukFormMixin, required_when
from ascm.organisation.models import GPPractice, Hub, Locality


class MeetingForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Meeting name", max_length=200, help_text="For example, Canterbury City MDT",
                            error_messages={"required": "Enter a name for the meeting"})
    locality = forms.ModelChoiceField(label="Locality", queryset=Locality.objects.none(), empty_label="Choose a locality",
                                      error_messages={"required": "Choose the locality"})
    gp_practice = forms.ModelChoiceField(label="GP practice", queryset=GPPractice.objects.none(), required=False,
                                         empty_label="Not at a GP practice")
    hub = forms.ModelChoiceField(label="Hub", queryset=Hub.objects.none(), required=False, empty_label="Not at a hub")
    date = GovukDateField(label="Date of the (first) meeting", label_name="date of the meeting",
                          error_messages={"required": "Enter the date of the meeting"})
    time = forms.TimeField(label="Start time", help_text="For example, 10:00", input_formats=["%H:%M", "%H.%M"],
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
                           error_messages={"required": "Enter the start time", "invalid": "Enter the start time like 10:00"})
    every_weeks = forms.TypedChoiceField(label="Repeats", coerce=int, widget=forms.RadioSelect, initial=0, choices=[
        (0, "Does not repeat"), (1, "Every week"), (2, "Every second week"), (4, "Every four weeks")])
    until = GovukDateField(label="Repeats until", label_name="last date", required=False,
                           help_text="Leave blank to repeat until cancelled")

    def __init__(self, *args, localities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = localities
        self.fields["gp_practice"].queryset = GPPractice.objects.filter(locality__in=localities).order_by("name")
        self.fields["hub"].queryset = Hub.objects.filter(locality__in=localities).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return data


class StaffAttendeeForm(GovukFormMixin, forms.Form):
    user = forms.ModelChoiceField(label="Member of staff", queryset=None, empty_label="Choose",
                                  error_messages={"required": "Choose the member of staff"})

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        from ascm.accounts.models import User

        self.fields["user"].queryset = User.objects.filter(
            memberships__team__locality=meeting.locality, memberships__ended_on__isnull=True, is_active=True
        ).distinct().order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class PartnerAttendeeForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the attendee's name"})
    role = forms.CharField(label="Role", max_length=100, required=False, help_text="For example, GP or community nurse")
    organisation = forms.CharField(label="Organisation", max_length=200,
                                   help_text="For example, the GP practice, NHS trust or charity",
                                   error_messages={"required": "Enter the attendee's organisation"})


class AgendaAddForm(GovukFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label="Meeting", queryset=None, empty_label="Choose a meeting",
                                     error_messages={"required": "Choose the meeting"})
    reason = forms.CharField(label="Why the person should be discussed", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why the person should be discussed"})
    ask = forms.CharField(label="What is asked of the MDT", widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages={"required": "Say what is asked of the MDT"})
    lawful_basis = required_when(forms.CharField(
        label="Lawful basis for discussing them without consent", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the person has not given consent to share with health partners"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AgendaWithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why is the person coming off the agenda?", max_length=250,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the person is coming off the agenda"})


class DiscussionForm(GovukFormMixin, forms.Form):
    summary = forms.CharField(label="Summary of the discussion", widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="This goes into the person's chronology as an MDT discussion note",
                              error_messages={"required": "Enter a summary of the discussion"})
    decisions = forms.CharField(label="Decisions", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(label="Action", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="Leave blank if there is no action")
    owner = forms.ChoiceField(label="Owner", required=False)
    due_on = GovukDateField(label="Due date", label_name="due date", required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose an owner")]
        for attendee in meeting.attendees.select_related("user"):
            key = f"user-{attendee.user_id}" if attendee.user_id else f"attendee-{attendee.pk}"
            choices.append((key, str(attendee)))
        self.fields["owner"].choices = choices

    def owner_objects(self):
        from ascm.accounts.models import User

        from .models import Attendee

        value = self.cleaned_data.get("owner") or ""
        kind, _, pk = value.partition("-")
        if kind == "user":
            return User.objects.get(pk=pk), None
        if kind == "attendee":
            return None, Attendee.objects.get(pk=pk)
        return None, None

    @property
    def wanted(self) -> bool:
        data = self.cleaned_data
        return bool((data.get("description") or "").strip() or data.get("owner") or data.get("due_on"))


class ReallocateForm(GovukFormMixin, forms.Form):
    client_ids = forms.TypedMultipleChoiceField(label="People to reallocate", coerce=int, widget=forms.CheckboxSelectMultiple,
                                                error_messages={"required": "Choose at least one person to reallocate"})
    # Any user id is accepted here so that someone outside the team gets the service's specific message.
    to_worker = forms.IntegerField(label="Reallocate to", widget=forms.Select,
                                   error_messages={"required": "Choose the practitioner to reallocate to"})
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Give the reason for the reallocation"})

    def __init__(self, *args, people, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_ids"].choices = people
        self.fields["to_worker"].widget.choices = [("", "Choose a practitioner")] + [
            (u.pk, u.get_full_name() or u.username) for u in workers]

    def clean_to_worker(self):
        from ascm.accounts.models import User

        return User.objects.filter(pk=self.cleaned_data["to_worker"]).first()
