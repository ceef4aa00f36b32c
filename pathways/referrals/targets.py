"""Response targets: how many hours a referral of each urgency may wait to be allocated. Administrators
set them in a GOV.UK page and the API; team queues and the performance pages measure against them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import serializers

from ascm.core.policies import policy_required
from ascm.core.settings_table import SettingsTableAPI, SettingsTableForm, settings_table_page, settings_table_serializer

from .defaults import RESPONSE_TARGET_HOURS
from .models import ResponseTarget, Urgency
from .permissions import response_target_policy

MOST_HOURS = 24 * 90  # a quarter: beyond it a "target" no longer measures anything


def response_targets() -> dict[str, dict]:
    """urgency -> {"hours": n}, every urgency (the default where none is saved)."""
    saved = dict(ResponseTarget.objects.values_list("urgency", "hours"))
    return {u: {"hours": saved.get(u, RESPONSE_TARGET_HOURS[u])} for u in Urgency.values}


@transaction.atomic
def response_targets_set(*, values: dict[str, dict]) -> None:
    """Save every urgency's target. Each is 1 hour to 90 days; a more urgent referral's target may not
    be longer than a less urgent one's. Only a changed target is written (and so audited)."""
    hours = {u: (values.get(u) or {}).get("hours") for u in Urgency.values}
    errors = {}
    for urgency, n in hours.items():
        if n is None or not 1 <= n <= MOST_HOURS:
            errors[urgency] = f"Enter the hours for {Urgency(urgency).label.lower()} referrals, from 1 to {MOST_HOURS}"
    order = Urgency.values  # urgent, soon, routine
    for sooner, later in zip(order, order[1:], strict=False):
        if sooner not in errors and later not in errors and hours[sooner] > hours[later]:
            errors[later] = (f"{Urgency(later).label} referrals cannot have less time than "
                             f"{Urgency(sooner).label.lower()} ones ({hours[sooner]} hours)")
    if errors:
        raise ValidationError(errors)
    saved = {t.urgency: t for t in ResponseTarget.objects.select_for_update()}
    for urgency, n in hours.items():
        target = saved.get(urgency) or ResponseTarget(urgency=urgency)
        if target.pk is None or target.hours != n:
            target.hours = n
            target.save()


ROWS = [(u.value, f"{u.label} referrals") for u in Urgency]


def _hours_field(label):
    return forms.IntegerField(label=label, help_text="Hours from receipt to allocation", min_value=1, max_value=MOST_HOURS,
                              widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
                              error_messages={"required": f"Enter the hours for {label.lower()}",
                                              "invalid": "Enter the hours as a whole number, like 72",
                                              "min_value": "Enter at least 1 hour",
                                              "max_value": f"Enter no more than {MOST_HOURS} hours (90 days)"})


@policy_required(response_target_policy, "view")
def response_targets_page(request):
    form = SettingsTableForm(request.POST if request.method == "POST" else None, rows=ROWS,
                             columns=[("hours", "Hours", _hours_field)], initial=response_targets())
    return settings_table_page(
        request, policy=response_target_policy, form=form, save=lambda f: response_targets_set(values=f.values()),
        title="Response targets", done="Response targets saved", url_name="referrals:response-targets",
        intro=["How soon a referral of each urgency should be allocated to a worker, in hours from when it was "
               "received. Team queues show each referral against its target, and the performance pages count "
               "those allocated late. 24 hours is a day; 672 hours is 4 weeks."])


ResponseTargetsSerializer = settings_table_serializer(
    "ResponseTargets", ROWS, [("hours", lambda: serializers.IntegerField(min_value=1, max_value=MOST_HOURS))])


class ResponseTargetsAPI(SettingsTableAPI):
    """Response targets in hours, by urgency: GET them, PATCH some ({"urgent": 12}). Administrators only change them."""

    policy = response_target_policy
    serializer_class = ResponseTargetsSerializer
    columns = ("hours",)
    table, table_set = staticmethod(response_targets), staticmethod(response_targets_set)
