"""Caseload weights: how much one person on each pathway counts in a practitioner's weighted caseload
(and how much if their case is complex). Administrators set them in a GOV.UK page and the API; the
caseload review applies them."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import serializers

from ascm.core.policies import policy_required
from ascm.core.settings_table import SettingsTableAPI, SettingsTableForm, settings_table_page, settings_table_serializer
from pathways.referrals.models import Pathway

from .models import CaseloadWeight
from .permissions import caseload_weight_policy

DEFAULT = "default"
ROWS = [(DEFAULT, "Default (no open episode, or a pathway not set)")] + [(p.value, p.label) for p in Pathway]
LEAST, MOST = Decimal("0.1"), Decimal("10")


def caseload_weights() -> dict[str, dict]:
    """key -> {"weight", "complex_weight"} as the caseload review applies them (a pathway with no row
    counts as the default row; a blank complex weight is the weight)."""
    saved = {row.pathway: row for row in CaseloadWeight.objects.all()}
    default = saved.get(DEFAULT)
    base = {"weight": default.weight if default else Decimal(1),
            "complex_weight": default.complex_weight if default else None}
    return {key: ({"weight": saved[key].weight, "complex_weight": saved[key].complex_weight} if key in saved else dict(base))
            for key, _ in ROWS}


@transaction.atomic
def caseload_weights_set(*, values: dict[str, dict]) -> None:
    """Save every row. A weight is from 0.1 to 10; a complex case counts at least as much as a plain
    one (blank: the same). Only changed rows are written, and so audited."""
    errors = {}
    for key, label in ROWS:
        row = values.get(key) or {}
        weight, complex_weight = row.get("weight"), row.get("complex_weight")
        if weight is None or not LEAST <= weight <= MOST:
            errors[f"{key}.weight"] = f"Enter a weight for {label.split(' (')[0]} from 0.1 to 10"
        elif complex_weight is not None and not weight <= complex_weight <= MOST:
            errors[f"{key}.complex_weight"] = (f"A complex case must count at least as much as the weight ({weight}) "
                                               "and no more than 10, or leave it blank")
    if errors:
        raise ValidationError(errors)
    saved = {row.pathway: row for row in CaseloadWeight.objects.select_for_update()}
    for key, _ in ROWS:
        weight, complex_weight = values[key]["weight"], values[key].get("complex_weight")
        row = saved.get(key) or CaseloadWeight(pathway=key)
        if row.pk is None or (row.weight, row.complex_weight) != (weight, complex_weight):
            row.weight, row.complex_weight = weight, complex_weight
            row.save()


def _weight_field(required: bool):
    def make(label):
        return forms.DecimalField(
            label=label, required=required, min_value=LEAST, max_value=MOST, decimal_places=2, max_digits=4,
            help_text=None if required else "For a safety flag, an interpreter or an open safeguarding concern. "
                                            "Blank: the same as the weight",
            widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
            error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a number, like 1.5",
                            "min_value": "Enter at least 0.1", "max_value": "Enter no more than 10",
                            "max_decimal_places": "Enter no more than 2 decimal places",
                            "max_digits": "Enter no more than 10"})
    return make


COLUMNS = [("weight", "Weight", _weight_field(True)), ("complex_weight", "Weight of a complex case", _weight_field(False))]


@policy_required(caseload_weight_policy, "view")
def caseload_weights_page(request):
    form = SettingsTableForm(request.POST if request.method == "POST" else None, rows=ROWS, columns=COLUMNS,
                             initial=caseload_weights())
    return settings_table_page(
        request, policy=caseload_weight_policy, form=form, save=lambda f: caseload_weights_set(values=f.values()),
        title="Caseload weights", done="Caseload weights saved", url_name="mdt:caseload-weights",
        intro=["How much one person counts in a practitioner's weighted caseload, by the pathway of their open episode. "
               "1 is an ordinary case; 1.5 counts half as much again. Team managers see the weighted caseloads in the "
               "caseload review."])


def _decimal(allow_null: bool):
    return lambda: serializers.DecimalField(max_digits=4, decimal_places=2, min_value=LEAST, max_value=MOST,
                                            allow_null=allow_null, required=False)


CaseloadWeightsSerializer = settings_table_serializer("CaseloadWeights", ROWS, [
    ("weight", _decimal(False)), ("complex_weight", _decimal(True))])


class CaseloadWeightsAPI(SettingsTableAPI):
    """Caseload weights by pathway ("default" for the rest): GET, or PATCH some
    ({"supporting_independence": {"weight": "1.5"}})."""

    policy = caseload_weight_policy
    serializer_class = CaseloadWeightsSerializer
    columns = ("weight", "complex_weight")
    table, table_set = staticmethod(caseload_weights), staticmethod(caseload_weights_set)
