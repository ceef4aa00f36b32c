from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin

from .models import Area, Hub, Locality, Team, TeamType


class TeamForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Team name", max_length=150, error_messages={"required": "Enter the team's name"})
    team_type = forms.ChoiceField(
        label="Team type",
        choices=[("", "Choose a team type")] + list(TeamType.choices),
        error_messages={"required": "Choose the team type", "invalid_choice": "Choose a team type from the list"},
    )
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.current().order_by("name"),
        empty_label="Choose a locality",
        error_messages={"required": "Choose the team's locality", "invalid_choice": "Choose a locality from the list"},
    )
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.current().select_related("locality").order_by("locality__name", "name"),
        required=False,
        empty_label="No hub",
        help_text="The hub (cluster of GP practices) the team works around, if any.",
        error_messages={"invalid_choice": "Choose a hub from the list"},
    )
    email = forms.EmailField(
        label="Team email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].label_from_instance = lambda hub: f"{hub.name} ({hub.locality.name})"

    @classmethod
    def initial_for(cls, team: Team) -> dict:
        return {
            "name": team.name,
            "team_type": team.team_type,
            "locality": team.locality_id,
            "hub": team.hub_id,
            "email": team.email,
        }


class TeamFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Team name", required=False, max_length=100)
    locality = forms.ModelChoiceField(
        queryset=Locality.objects.current().order_by("name"), required=False, empty_label="All localities"
    )
    team_type = forms.ChoiceField(
        label="Team type", choices=[("", "All team types")] + list(TeamType.choices), required=False
    )


def _team_roles():
    from ascm.accounts.models import Role

    return Role.objects.filter(is_team_role=True).select_related("group").order_by("group__name")


class MemberAddForm(GovukFormMixin, forms.Form):
    person = forms.CharField(
        label="Username or email address", max_length=254,
        help_text="Of someone who can sign in to ASCM. Create their account first if they cannot.",
        error_messages={"required": "Enter the username or email address of the person to add"})
    role = forms.ModelChoiceField(
        label="Role in the team", queryset=_team_roles(), empty_label="Choose a role",
        error_messages={"required": "Choose the role they will hold in this team",
                        "invalid_choice": "Choose a role from the list"})
    started_on = GovukDateField(label="Member from", label_name="the start date", required=False,
                                help_text="Leave blank for today. For example, 27 3 2026")

    def clean_person(self):
        from django.db.models import Q

        from ascm.accounts.models import User

        typed = self.cleaned_data["person"].strip()
        found = list(User.objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed), is_active=True)[:2])
        if not found:
            raise forms.ValidationError("No one who can sign in has that username or email address")
        if len(found) > 1:
            raise forms.ValidationError("More than one person has that email address: enter their username")
        return found[0]


class MemberRoleForm(GovukFormMixin, forms.Form):
    role = forms.ModelChoiceField(
        label="New role in the team", queryset=_team_roles(), empty_label="Choose a role",
        error_messages={"required": "Choose their new role", "invalid_choice": "Choose a role from the list"})
    on = GovukDateField(label="From", label_name="the date of the change", required=False,
                        help_text="Leave blank for today. For example, 27 3 2026")
    reason = forms.CharField(label="Reason for the change", max_length=250, required=False,
                             help_text="Kept with the team's history, for example 'Promoted to senior practitioner'")


class MemberEndForm(GovukFormMixin, forms.Form):
    ended_on = GovukDateField(label="Last day in the team", label_name="the end date", required=False,
                              help_text="Leave blank for today. For example, 27 3 2026")
    reason = forms.CharField(label="Reason", max_length=250,
                             help_text="Kept with the team's history, for example 'Moved to the Thanet team'",
                             error_messages={"required": "Enter why their membership is ending"})


# The organisation's registers (areas, localities, postcode districts, hubs, GP practices): one form each.
def _localities():
    return Locality.objects.current().order_by("name")


def _locality_field(**kwargs):
    return forms.ModelChoiceField(queryset=_localities(), empty_label="Choose a locality", error_messages={
        "required": "Choose the locality", "invalid_choice": "Choose a locality from the list"}, **kwargs)


class _HubChoice(forms.ModelChoiceField):
    def label_from_instance(self, hub):
        return f"{hub.name} ({hub.locality.name})"


class AreaForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Area name", max_length=100, help_text="For example, East Kent",
                           error_messages={"required": "Enter the area's name"})


class LocalityForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Locality name", max_length=100, error_messages={"required": "Enter the locality's name"})
    area = forms.ModelChoiceField(queryset=Area.objects.current().order_by("name"), empty_label="Choose an area",
                                  error_messages={"required": "Choose the area the locality is in",
                                                  "invalid_choice": "Choose an area from the list"})
    former_names = forms.CharField(label="Former names", max_length=200, required=False,
                                   help_text="Earlier names still found in legacy records, separated by commas")


class PostcodeDistrictForm(GovukFormMixin, forms.Form):
    code = forms.CharField(label="Postcode district", max_length=4, help_text="The first part of a postcode, like CT1 or TN23",
                           widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "autocapitalize": "characters",
                                                         "spellcheck": "false"}),
                           error_messages={"required": "Enter the postcode district"})
    locality = _locality_field(help_text="Referrals for people living in this district go to this locality's teams")

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")


class HubForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Hub name", max_length=100, error_messages={"required": "Enter the hub's name"})
    locality = _locality_field()
    population = forms.IntegerField(label="Population served", required=False, min_value=1,
                                    help_text="Usually 30,000 to 50,000 people",
                                    widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
                                    error_messages={"invalid": "Enter the population as a whole number, like 42000",
                                                    "min_value": "The population must be at least 1"})


class GPPracticeForm(GovukFormMixin, forms.Form):
    ods_code = forms.CharField(label="ODS code", max_length=6, help_text="A letter and five digits, like G82001",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocapitalize": "characters",
                                                             "spellcheck": "false"}),
                               error_messages={"required": "Enter the practice's ODS code"})
    name = forms.CharField(label="Practice name", max_length=150, error_messages={"required": "Enter the practice's name"})
    locality = _locality_field()
    hub = _HubChoice(queryset=Hub.objects.current().select_related("locality").order_by("locality__name", "name"),
                     required=False, empty_label="No hub", help_text="The cluster of practices it belongs to, if any",
                     error_messages={"invalid_choice": "Choose a hub from the list"})

    def clean_ods_code(self):
        return self.cleaned_data["ods_code"].strip().upper()


class RegisterSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(label="Show", required=False, choices=[
        ("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")])


class CloseForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why is it closing?", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Kept with its history, for example 'Merged with the Ashford hub'",
                             error_messages={"required": "Enter why it is closing"})


class ConfirmForm(GovukFormMixin, forms.Form):
    """A confirmation: a button, nothing to fill in (its errors, from the service, are the form's)."""


class MembersMoveForm(GovukFormMixin, forms.Form):
    to_team = forms.ModelChoiceField(
        label="Move them to", queryset=Team.objects.current().select_related("locality").order_by("locality__name", "name"),
        empty_label="Choose a team", error_messages={"required": "Choose the team they are moving to",
                                                     "invalid_choice": "Choose a team from the list"})
    on = GovukDateField(label="From", label_name="the date of the move", required=False,
                        help_text="Leave blank for today. For example, 27 3 2026")
    reason = forms.CharField(label="Reason", max_length=250,
                             help_text="Kept with both teams' history, for example 'Teams merged'",
                             error_messages={"required": "Enter why they are moving"})

    def __init__(self, *args, team, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = self.fields["to_team"].queryset.exclude(pk=team.pk)
        self.fields["to_team"].label_from_instance = lambda t: f"{t.name} ({t.locality.name})"
        self.fields["members"] = forms.ModelMultipleChoiceField(
            label="Who is moving", queryset=memberships, widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply", error_messages={"required": "Choose at least one member to move",
                                                                "invalid_choice": "Choose members from the list"})
        self.fields["members"].label_from_instance = lambda m: f"{m.user.get_full_name() or m.user} ({m.role.name})"
        self.order_fields(["members", "to_team", "on", "reason"])
