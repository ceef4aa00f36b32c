from django import forms

from ascm.core.forms import GovukDateField, GovukFormMixin

from .models import Hub, Locality, Team, TeamType


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
