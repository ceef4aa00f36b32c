"""Pathway settings (each pathway's planned episode length) and reminder thresholds (dated: a change
applies from its date, the history kept), set by administrators in GOV.UK pages and the API."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from ascm.core.forms import GovukDateField
from ascm.core.policies import policy_required
from ascm.core.settings_table import SettingsTableAPI, SettingsTableForm, settings_table_page, settings_table_serializer
from pathways.referrals.models import Pathway

from .models import PathwaySetting, ReminderThreshold
from .permissions import pathway_setting_policy, reminder_threshold_policy

# --- Pathway settings -------------------------------------------------------------------------

PATHWAY_ROWS = [(p.value, p.label) for p in Pathway]


def pathway_settings() -> dict[str, dict]:
    """pathway -> {"planned_length_weeks": n or None}, for every pathway."""
    saved = dict(PathwaySetting.objects.values_list("pathway", "planned_length_weeks"))
    default = {Pathway.PROMOTING_INDEPENDENCE: PathwaySetting.ENABLEMENT_WEEKS_DEFAULT}
    return {p: {"planned_length_weeks": saved[p] if p in saved else default.get(p)} for p in Pathway.values}


@transaction.atomic
def pathway_settings_set(*, values: dict[str, dict]) -> None:
    """Save each pathway's planned length in weeks (blank: no planned end). Promoting Independence is
    short-term enablement, so it always has one. New episodes take the length in force when they start."""
    errors = {}
    weeks = {p: (values.get(p) or {}).get("planned_length_weeks") for p in Pathway.values}
    for pathway, n in weeks.items():
        if n is not None and not 1 <= n <= 104:
            errors[pathway] = f"Enter {Pathway(pathway).label}'s planned length from 1 to 104 weeks, or leave it blank"
    if weeks[Pathway.PROMOTING_INDEPENDENCE] is None and Pathway.PROMOTING_INDEPENDENCE not in errors:
        errors[Pathway.PROMOTING_INDEPENDENCE] = "Enter Promoting Independence's planned length: enablement is short-term"
    if errors:
        raise ValidationError(errors)
    saved = {s.pathway: s for s in PathwaySetting.objects.select_for_update()}
    for pathway, n in weeks.items():
        setting = saved.get(pathway) or PathwaySetting(pathway=pathway)
        if setting.pk is None or setting.planned_length_weeks != n:
            setting.planned_length_weeks = n
            setting.save()


def _weeks_field(label):
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=104,
                              help_text="Weeks from the start of an episode to its planned end; blank for no planned end",
                              widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                              error_messages={"invalid": "Enter the weeks as a whole number, like 6",
                                              "min_value": "Enter at least 1 week", "max_value": "Enter no more than 104 weeks"})


@policy_required(pathway_setting_policy, "view")
def pathway_settings_page(request):
    form = SettingsTableForm(request.POST if request.method == "POST" else None, rows=PATHWAY_ROWS,
                             columns=[("planned_length_weeks", "Weeks", _weeks_field)], initial=pathway_settings())
    return settings_table_page(
        request, policy=pathway_setting_policy, form=form, save=lambda f: pathway_settings_set(values=f.values()),
        title="Pathway settings", done="Pathway settings saved", url_name="care:pathway-settings",
        intro=["How long an episode on each pathway is planned to last. Its planned end is shown on the episode and "
               "flagged to the worker before it arrives. Episodes already started keep the end they were given."])


PathwaySettingsSerializer = settings_table_serializer("PathwaySettings", PATHWAY_ROWS, [
    ("planned_length_weeks", lambda: serializers.IntegerField(min_value=1, max_value=104, allow_null=True))])


class PathwaySettingsAPI(SettingsTableAPI):
    """Each pathway's planned episode length in weeks (null: none): GET, or PATCH some ({"promoting_independence": 8})."""

    policy = pathway_setting_policy
    serializer_class = PathwaySettingsSerializer
    columns = ("planned_length_weeks",)
    table, table_set = staticmethod(pathway_settings), staticmethod(pathway_settings_set)


# --- Reminder thresholds (dated) --------------------------------------------------------------

THRESHOLD_ROWS = [(n.value, n.label) for n in ReminderThreshold.Name]


def reminder_thresholds(on: datetime.date | None = None) -> dict[str, dict]:
    """name -> {"value": n} in force on a date (today by default)."""
    on = on or timezone.localdate()
    return {name: {"value": ReminderThreshold.value_on(name, on)} for name in ReminderThreshold.Name.values}


@transaction.atomic
def reminder_thresholds_set(*, values: dict[str, dict], effective_from: datetime.date | None = None) -> list:
    """Change thresholds from a date (today, or a later one): a new dated row for each value that
    differs from the one that date would have, so what applied before stays as it was. A change
    from the same date as another replaces it."""
    today = timezone.localdate()
    effective_from = effective_from or today
    errors = {}
    if effective_from < today:
        errors["effective_from"] = "The date cannot be in the past: what applied before stays as it was"
    new = {name: (values.get(name) or {}).get("value") for name in ReminderThreshold.Name.values}
    for name, n in new.items():
        if n is None or not 1 <= n <= 365:
            errors[name] = "Enter a number of days from 1 to 365"
    if errors:
        raise ValidationError(errors)
    in_force = reminder_thresholds(effective_from)
    changed = []
    for name, n in new.items():
        if n != in_force[name]["value"]:
            row, _ = ReminderThreshold.objects.update_or_create(name=name, effective_from=effective_from,
                                                                 defaults={"value": n})
            changed.append(row)
    if not changed:
        raise ValidationError("Nothing has changed: change a number, or go back")
    return changed


def _days_field(label):
    return forms.IntegerField(label=label, min_value=1, max_value=365,
                              widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
                              error_messages={"required": "Enter a number of days", "invalid": "Enter a whole number, like 14",
                                              "min_value": "Enter at least 1", "max_value": "Enter no more than 365"})


@policy_required(reminder_threshold_policy, "view")
def reminder_thresholds_page(request):
    form = SettingsTableForm(request.POST if request.method == "POST" else None, rows=THRESHOLD_ROWS,
                             columns=[("value", "Days", _days_field)], initial=reminder_thresholds())
    form.fields["effective_from"] = GovukDateField(label="Changes apply from", label_name="the date the changes apply from",
                                                   required=False, help_text="Leave blank for today. For example, 1 4 2027")
    history = ReminderThreshold.objects.order_by("-effective_from", "name")[:100]
    return settings_table_page(
        request, policy=reminder_threshold_policy, form=form,
        save=lambda f: reminder_thresholds_set(values=f.values(), effective_from=f.cleaned_data["effective_from"]),
        title="Reminder thresholds", done="Reminder thresholds saved", url_name="care:reminder-thresholds",
        context={"history_template": "pathways/reminder_threshold_history.html", "history": history,
                 "defaults": [(ReminderThreshold.Name(n).label, v) for n, v in ReminderThreshold.DEFAULTS.items()]},
        intro=["When the daily job reminds workers and managers. The numbers shown are those in force today. A change "
               "applies from its date on; what applied before is kept, below."])


ReminderThresholdsSerializer = settings_table_serializer("ReminderThresholds", THRESHOLD_ROWS, [
    ("value", lambda: serializers.IntegerField(min_value=1, max_value=365))])


class ReminderThresholdsAPI(SettingsTableAPI):
    """Reminder thresholds in days, as in force today: GET, or PATCH some ({"review_due_days": 21}) to apply
    from today (or from the date given as ?effective_from=YYYY-MM-DD)."""

    policy = reminder_threshold_policy
    serializer_class = ReminderThresholdsSerializer
    columns = ("value",)
    table = staticmethod(reminder_thresholds)

    def save(self, values):  # the date a change applies from comes with the request
        day = self.request.query_params.get("effective_from")
        try:
            effective_from = datetime.date.fromisoformat(day) if day else None
        except ValueError:
            raise ValidationError({"effective_from": "Enter the date as YYYY-MM-DD"}) from None
        reminder_thresholds_set(values=values, effective_from=effective_from)
