from django import forms

from ascm.core.forms import GovukFormMixin

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
