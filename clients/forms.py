import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.core.forms import GovukDateField, GovukFormMixin
from ascm.organisation.models import GPPractice, Locality

from . import identifiers
from .models import Client
from .reference import (
    AccommodationStatus,
    AssetKind,
    ConsentToShare,
    EmploymentStatus,
    Ethnicity,
    Gender,
    NetworkKind,
    NoteType,
    PrimarySupportReason,
    RelationshipType,
    SafetyFlag,
)


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name or NHS number", required=False, max_length=100,
                        help_text="For example Jo Smith, or 999 123 4578")
    date_of_birth = GovukDateField(label="Date of birth", label_name="date of birth", required=False,
                                   help_text="For example, 27 3 1950")
    postcode = forms.CharField(label="Postcode", required=False, max_length=8)

    def criteria(self) -> dict:
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        digits = identifiers.nhs_number_normalise(q)
        looks_like_nhs = digits.isdigit() and len(digits) >= 6
        return {
            "nhs_number": digits if looks_like_nhs else "",
            "name": "" if looks_like_nhs else q,
            "date_of_birth": data.get("date_of_birth"),
            "postcode": (data.get("postcode") or "").strip(),
        }

    def clean(self):
        data = super().clean()
        q = (data.get("q") or "").strip()
        digits = identifiers.nhs_number_normalise(q)
        if digits.isdigit() and len(digits) != 10 and len(digits) >= 6:
            self.add_error("q", "An NHS number has 10 digits")
        if data.get("postcode"):
            normalised = identifiers.postcode_normalise(data["postcode"])
            if len(normalised) >= 6 and not identifiers.POSTCODE_RE.match(normalised):
                self.add_error("postcode", "Enter a real postcode, like CT1 2AB")
        return data


class ClientForm(GovukFormMixin, forms.Form):
    """The person's details, as a practitioner records them. Rules live in the model and services."""

    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14,
                                 help_text="10 digits, for example 999 123 4578. Leave blank if not known yet.")
    title = forms.CharField(required=False, max_length=20)
    given_name = forms.CharField(label="Given name", max_length=100, error_messages={"required": "Enter the person's given name"})
    family_name = forms.CharField(label="Family name", max_length=100, error_messages={"required": "Enter the person's family name"})
    preferred_name = forms.CharField(label="Preferred name", required=False, max_length=100,
                                     help_text="What the person likes to be called")
    date_of_birth = GovukDateField(label="Date of birth", label_name="date of birth", required=False,
                                   help_text="For example, 27 3 1950")
    date_of_death = GovukDateField(label="Date of death", label_name="date of death", required=False)
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    ethnicity = forms.ChoiceField(choices=Ethnicity.choices, initial=Ethnicity.NOT_KNOWN)
    main_language = forms.CharField(label="Main language", max_length=60, initial="English")
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    communication_needs = forms.CharField(label="Communication needs", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                          help_text="For example BSL, easy read, large print")
    address_line_1 = forms.CharField(label="Address line 1", required=False, max_length=120)
    address_line_2 = forms.CharField(label="Address line 2", required=False, max_length=120)
    town = forms.CharField(label="Town or city", required=False, max_length=60)
    postcode = forms.CharField(required=False, max_length=10)
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.current().order_by("name"), required=False, empty_label="From the postcode",
        help_text="Leave as ‘From the postcode’ unless the person belongs to another locality",
    )
    gp_practice_code = forms.CharField(label="GP practice ODS code", required=False, max_length=6,
                                       help_text="A letter and five digits, for example G82001")
    primary_support_reason = forms.ChoiceField(label="Primary support reason", choices=PrimarySupportReason.choices,
                                               initial=PrimarySupportReason.UNKNOWN)
    accommodation_status = forms.ChoiceField(label="Accommodation", choices=AccommodationStatus.choices,
                                             initial=AccommodationStatus.UNKNOWN, required=False)
    employment_status = forms.ChoiceField(label="Employment", choices=EmploymentStatus.choices,
                                          initial=EmploymentStatus.UNKNOWN, required=False,
                                          help_text="Asked of people aged 18 to 64 with long-term support")
    consent_to_share = forms.ChoiceField(label="Consent to share with health partners", choices=ConsentToShare.choices,
                                         initial=ConsentToShare.NOT_ASKED)
    safety_flags = forms.MultipleChoiceField(label="Safety flags", choices=SafetyFlag.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="Shown prominently wherever the person appears")
    safety_detail = forms.CharField(label="Safety detail", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_accommodation_status(self):
        return self.cleaned_data["accommodation_status"] or AccommodationStatus.UNKNOWN

    def clean_employment_status(self):
        return self.cleaned_data["employment_status"] or EmploymentStatus.UNKNOWN

    def clean_nhs_number(self):
        value = self.cleaned_data["nhs_number"].strip()
        return identifiers.nhs_number_validate(value) if value else ""

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return identifiers.postcode_validate(value) if value else ""

    def clean_gp_practice_code(self):
        code = self.cleaned_data["gp_practice_code"].strip().upper()
        if not code:
            return None
        practice = GPPractice.objects.filter(ods_code=code, archived_at__isnull=True).first()
        if practice is None:
            raise ValidationError(f"There is no GP practice with the ODS code {code}")
        return practice

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["gp_practice"] = data.pop("gp_practice_code")
        data.pop("confirm_new", None)
        data.pop("team", None)
        data.pop("version", None)
        data["locality_overridden"] = data.get("locality") is not None
        if data["locality"] is None:
            data.pop("locality")
        return data

    @classmethod
    def initial_for(cls, client: Client) -> dict:
        initial = {name: getattr(client, name) for name in cls.base_fields if hasattr(client, name)}
        initial["nhs_number"] = client.nhs_number_display
        initial["gp_practice_code"] = client.gp_practice.ods_code if client.gp_practice_id else ""
        initial["locality"] = client.locality_id if client.locality_overridden else None
        initial["version"] = client.version
        return initial


class ClientCreateForm(ClientForm):
    team = forms.ModelChoiceField(queryset=None, label="Team that holds this person", empty_label=None)
    confirm_new = forms.BooleanField(required=False, label="I have checked the records above: this is a different person")

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        from ascm.organisation.models import Team

        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])


class NoteForm(GovukFormMixin, forms.Form):
    note_type = forms.ChoiceField(label="Type of contact", choices=[("", "Choose a type")] + list(NoteType.choices),
                                  error_messages={"required": "Choose the type of contact"})
    occurred_on = GovukDateField(label="Date of the event", label_name="date of the event",
                                 error_messages={"required": "Enter the date of the event"})
    occurred_time = forms.TimeField(label="Time of the event", required=False, help_text="For example, 14:30",
                                    error_messages={"invalid": "Enter a time like 14:30"})
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "Enter the note"})

    def occurred_at(self):
        import datetime

        when = self.cleaned_data["occurred_on"]
        given = self.cleaned_data.get("occurred_time")
        if given:
            return timezone.make_aware(datetime.datetime.combine(when, given))
        # No time given: midday, or now if a note for today is written before midday (at 01:30,
        # midday would be in the future and the note refused).
        return min(timezone.make_aware(datetime.datetime.combine(when, datetime.time(12, 0))),
                   timezone.now().replace(second=0, microsecond=0))

    def clean(self):
        data = super().clean()
        if data.get("occurred_on") and data["occurred_on"] > timezone.localdate():
            self.add_error("occurred_on", "The date of the event must be today or in the past")
        return data


class AmendmentForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Amendment", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="Say what was wrong and what is right. The original note stays visible.",
                           error_messages={"required": "Enter the amendment"})


class NoteFilterForm(GovukFormMixin, forms.Form):
    note_type = forms.ChoiceField(label="Type", choices=[("", "All types")] + list(NoteType.choices), required=False)
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class RelationshipForm(GovukFormMixin, forms.Form):
    relationship_type = forms.ChoiceField(label="Relationship", choices=[("", "Choose")] + list(RelationshipType.choices),
                                          error_messages={"required": "Choose the relationship"})
    related_client_id = forms.IntegerField(label="Their record number", required=False,
                                           help_text="If they are known to us, the number of their own record")
    name = forms.CharField(label="Name", required=False, max_length=200)
    phone = forms.CharField(label="Phone", required=False, max_length=30)
    email = forms.EmailField(label="Email", required=False)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_carer = forms.BooleanField(label="Provides care to this person", required=False)
    carer_assessment_right = forms.BooleanField(label="Has a right to a carer's assessment", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssetForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What is it", choices=[("", "Choose")] + list(AssetKind.choices),
                             error_messages={"required": "Choose what you are recording"})
    description = forms.CharField(label="Description", max_length=300, error_messages={"required": "Describe it"})
    network_kind = forms.ChoiceField(label="Who (for a support network)", choices=[("", "Not a network")] + list(NetworkKind.choices),
                                     required=False)
    contact = forms.CharField(label="Contact details", required=False, max_length=200)


class BreakGlassForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record?", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Your reason is recorded and your manager is told.",
        error_messages={"required": "Explain why you need to see this record"},
    )


class MergeForm(GovukFormMixin, forms.Form):
    duplicate_id = forms.IntegerField(label="Record number of the duplicate", min_value=1,
                                      error_messages={"required": "Enter the record number of the duplicate"})
    reason = forms.CharField(label="Why are these the same person?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Explain why these records are the same person"})
    confirm = forms.BooleanField(required=False, label="Merge these records")


class ReturnFileForm(GovukFormMixin, forms.Form):
    """Which Client Level Data file: a quarter of a financial year, or the 12 months to its end."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=[],
                                  error_messages={"required": "Choose the financial year"})
    quarter = forms.TypedChoiceField(label="Quarter", coerce=int, widget=forms.RadioSelect, choices=[
        (1, "Quarter 1: April to June"), (2, "Quarter 2: July to September"), (3, "Quarter 3: October to December"),
        (4, "Quarter 4: January to March")], error_messages={"required": "Choose the quarter"})
    span = forms.ChoiceField(label="What the file covers", widget=forms.RadioSelect, initial="quarter", choices=[
        ("quarter", "The quarter"), ("year", "The 12 months to the end of the quarter (the rolling year DHSC asks for)")],
        error_messages={"required": "Choose what the file covers"})

    def __init__(self, *args, **kwargs):
        from ascm.core.years import financial_year, year_label

        super().__init__(*args, **kwargs)
        this = financial_year()
        self.fields["year"].choices = [(y, year_label(y)) for y in range(this, this - 4, -1)]

    def period(self) -> tuple:
        from .returns import quarter_bounds

        start, end = quarter_bounds(self.cleaned_data["year"], self.cleaned_data["quarter"])
        if self.cleaned_data["span"] == "year":
            start = datetime.date(end.year - 1, end.month, end.day) + datetime.timedelta(days=1)
        return start, end
