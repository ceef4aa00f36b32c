"""Writes for hospital discharge: starting a record (from a hospital-discharge referral or for a
hospital's discharge hub), the discharge ready date and its reset, the pathway, the delay's reason
and attribution, the next action, and the discharge itself (pathway 1 home with Kent Enablement at
Home starts a Promoting Independence episode). Every change marks the stay for an alert check, run
by a task after the commit (or by the sweep if the broker is down)."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ascm.core.dates import date_check

from .models import (
    AlertRule,
    Attribution,
    DelayPeriod,
    Destination,
    Discharge,
    DischargePathway,
    LocalDelayCode,
    NhsDelayReason,
    PathwayChange,
    ReadyDateChange,
)
from .permissions import alert_rule_policy, discharge_policy

logger = logging.getLogger(__name__)


def _check_alerts_after_commit(discharge: Discharge) -> None:
    from .tasks import discharge_alerts_check_task

    def send():
        try:
            discharge_alerts_check_task.delay(discharge.pk)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep picks it up (alerts_due)
            logger.warning("Could not queue the alert check of discharge %s; the sweep will", discharge.pk)

    transaction.on_commit(send)


def _touch(discharge: Discharge, fields: list[str]) -> None:
    discharge.alerts_due = True
    discharge.save(update_fields=[*fields, "alerts_due", "updated_at"])
    _check_alerts_after_commit(discharge)


@transaction.atomic
def discharge_start(*, user, client, hospital, admitted_on: datetime.date, ward=None, expected_on=None, referral=None,
                    team=None) -> Discharge:
    """A stay in hospital known to the council. One at a time per person."""
    from ascm.providers.models import CareSetting
    from clients.models import Allocation

    if user is not None and not discharge_policy.user_may(user, "add"):
        raise PermissionDenied
    errors = {}
    if hospital is None or hospital.kind != CareSetting.Kind.HOSPITAL:
        errors["hospital"] = "Choose the hospital from the register"
    if ward is not None and hospital is not None and ward.setting_id != hospital.pk:
        errors["ward"] = "Choose a ward of this hospital"
    if admitted_on is None:
        errors["admitted_on"] = "Enter the date of admission"
    else:
        try:
            date_check(admitted_on, field="admitted_on", label="The date of admission", future=False)
        except ValidationError as error:
            errors.update(error.message_dict)
    if expected_on and admitted_on and expected_on < admitted_on:
        errors["expected_on"] = "The expected date of discharge must be on or after the date of admission"
    if Discharge.objects.filter(client=client, status=Discharge.Status.IN_HOSPITAL).exists():
        errors["client"] = f"{client} already has a stay in hospital open: update that one"
    if errors:
        raise ValidationError(errors)
    if team is None:
        allocation = Allocation.objects.filter(client=client, ended_on__isnull=True).select_related("team").first()
        team = allocation.team if allocation else (referral.team if referral is not None else None)
    discharge = Discharge.objects.create(
        reference="", client=client, referral=referral, hospital=hospital, ward=ward,
        locality=client.locality or hospital.locality, team=team, admitted_on=admitted_on, expected_on=expected_on,
        created_by=user)
    discharge.reference = f"HD{discharge.pk:07d}"
    discharge.save(update_fields=["reference"])
    return discharge


@transaction.atomic
def discharge_from_referral(*, user, referral, hospital, ward=None, admitted_on=None, expected_on=None) -> Discharge:
    """The discharge record of a hospital-discharge referral: its admission and expected dates unless
    the hospital's are given."""
    if not referral.hospital_discharge:
        raise ValidationError({"referral": "This referral is not a hospital discharge"})
    if Discharge.objects.filter(referral=referral).exists():
        raise ValidationError({"referral": "This referral already has a discharge record"})
    return discharge_start(user=user, client=referral.client, hospital=hospital, ward=ward,
                           admitted_on=admitted_on or referral.admitted_on or timezone.localtime(referral.received_at).date(),
                           expected_on=expected_on or referral.expected_discharge_on, referral=referral,
                           team=referral.team)


def _open(discharge) -> Discharge:
    """The stay as it is now (locked for the change), refused once the person has left."""
    discharge = Discharge.objects.select_for_update().get(pk=discharge.pk)
    if discharge.status != Discharge.Status.IN_HOSPITAL:
        raise ValidationError("This person has been discharged: the record is closed")
    return discharge


@transaction.atomic
def ready_date_set(*, user, discharge: Discharge, ready_on: datetime.date | None, reason: str,
                   reset: bool = False) -> Discharge:
    """Set or change the discharge ready date, with the reason; or reset it (the person meets the
    criteria to reside again: the delay so far no longer counts, a new DRD is set when ready)."""
    if not discharge_policy.user_may(user, "change"):
        raise PermissionDenied
    discharge = _open(discharge)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason (for example, the ward round's decision)"
    if not reset:
        if ready_on is None:
            errors["ready_on"] = "Enter the discharge ready date"
        elif ready_on < discharge.admitted_on:
            errors["ready_on"] = f"The discharge ready date cannot be before admission ({discharge.admitted_on:%-d %B %Y})"
        else:
            try:
                date_check(ready_on, field="ready_on", label="The discharge ready date")
            except ValidationError as error:
                errors.update(error.message_dict)
    elif discharge.ready_on is None:
        errors["reset"] = "There is no discharge ready date to reset"
    if errors:
        raise ValidationError(errors)
    ReadyDateChange.objects.create(discharge=discharge, ready_on=None if reset else ready_on, reset=reset,
                                   reason=reason.strip(), changed_by=user)
    discharge.ready_on = None if reset else ready_on
    _touch(discharge, ["ready_on"])
    return discharge


@transaction.atomic
def pathway_set(*, user, discharge: Discharge, pathway: int, reason: str = "") -> Discharge:
    if not discharge_policy.user_may(user, "change"):
        raise PermissionDenied
    discharge = _open(discharge)
    if pathway not in DischargePathway.values:
        raise ValidationError({"pathway": "Choose the discharge pathway (0 to 3)"})
    PathwayChange.objects.create(discharge=discharge, pathway=pathway, reason=(reason or "").strip(), changed_by=user)
    discharge.pathway = pathway
    _touch(discharge, ["pathway"])
    return discharge


@transaction.atomic
def plan_update(*, user, discharge: Discharge, **fields) -> Discharge:
    """The plan around the discharge: expected date, bridging care, planned destination, unpaid
    carers, the next action."""
    if not discharge_policy.user_may(user, "change"):
        raise PermissionDenied
    discharge = _open(discharge)
    allowed = {"expected_on", "bridging_care", "planned_destination", "planned_setting", "unpaid_carers", "next_action",
               "next_action_on", "ward"}
    errors = {}
    if fields.get("expected_on") and fields["expected_on"] < discharge.admitted_on:
        errors["expected_on"] = "The expected date of discharge must be on or after the date of admission"
    destination = fields.get("planned_destination")
    if destination and destination not in Destination.values:
        errors["planned_destination"] = "Choose where the person is planned to go"
    if destination in (Destination.CARE_HOME, Destination.COMMUNITY_BED) and fields.get("planned_setting") is None:
        errors["planned_setting"] = "Choose the care home or community bed from the register"
    if fields.get("ward") is not None and fields["ward"].setting_id != discharge.hospital_id:
        errors["ward"] = "Choose a ward of this hospital"
    if errors:
        raise ValidationError(errors)
    changed = []
    for name, value in fields.items():
        if name in allowed:
            setattr(discharge, name, value.strip() if isinstance(value, str) else value)
            changed.append(name)
    discharge.save(update_fields=[*changed, "updated_at"])
    return discharge


@transaction.atomic
def delay_record(*, user, discharge: Discharge, reason: str, code: str, attribution: str,
                 starts_on: datetime.date | None = None, note: str = "") -> DelayPeriod:
    """Why a person who is ready is still in hospital, from a day on: the NHS reason, the local A–I
    code and the attribution. A change starts a new period; days are attributed to each."""
    if not discharge_policy.user_may(user, "change"):
        raise PermissionDenied
    discharge = _open(discharge)
    starts_on = starts_on or timezone.localdate()
    errors = {}
    if reason not in NhsDelayReason.values:
        errors["reason"] = "Choose a reason from the NHS list"
    if code not in LocalDelayCode.values:
        errors["code"] = "Choose a local delay code from A to I"
    if attribution not in Attribution.values:
        errors["attribution"] = "Say whether the delay is the NHS's, social care's, or both"
    if discharge.ready_on is None:
        errors["starts_on"] = "Set the discharge ready date first: a delay starts after it"
    elif starts_on < discharge.ready_on:
        errors["starts_on"] = f"A delay starts on or after the discharge ready date ({discharge.ready_on:%-d %B %Y})"
    if errors:
        raise ValidationError(errors)
    period = DelayPeriod.objects.create(discharge=discharge, starts_on=starts_on, reason=reason, code=code,
                                        attribution=attribution, note=(note or "").strip(), recorded_by=user)
    discharge.delay_reason, discharge.delay_code, discharge.attribution = reason, code, attribution
    _touch(discharge, ["delay_reason", "delay_code", "attribution"])
    return period


@transaction.atomic
def discharge_complete(*, user, discharge: Discharge, discharged_on: datetime.date, destination: str,
                       destination_setting=None, note: str = "") -> Discharge:
    """The person leaves hospital. Pathway 1 home with Kent Enablement at Home starts a Promoting
    Independence episode (6 weeks, free) with the person's team and worker."""
    from clients.models import Allocation
    from pathways.care.services import episode_start
    from pathways.referrals.models import Pathway

    if not discharge_policy.user_may(user, "change"):
        raise PermissionDenied
    discharge = _open(discharge)
    errors = {}
    if discharged_on is None:
        errors["discharged_on"] = "Enter the date of discharge"
    else:
        try:
            date_check(discharged_on, field="discharged_on", label="The date of discharge", future=False,
                       not_before=discharge.admitted_on)
        except ValidationError as error:
            errors.update(error.message_dict)
        first = discharge.ready_date_changes.exclude(ready_on=None).order_by("changed_at").first()
        if first and discharged_on < first.ready_on and not (note or "").strip():
            errors["note"] = "The discharge is before the discharge ready date was first set: say why"
    if destination not in Destination.values:
        errors["destination"] = "Choose where the person went"
    if discharge.pathway == DischargePathway.CARE_HOME and destination not in (Destination.CARE_HOME, Destination.DIED):
        errors["destination"] = "A pathway 3 discharge is to a care home: choose it (or record that the person died)"
    if destination in (Destination.CARE_HOME, Destination.COMMUNITY_BED) and destination_setting is None:
        errors["destination_setting"] = "Choose the care home or community bed from the register"
    if errors:
        raise ValidationError(errors)
    discharge.status, discharge.discharged_on = Discharge.Status.DISCHARGED, discharged_on
    discharge.destination, discharge.destination_setting = destination, destination_setting
    discharge.discharge_note = (note or "").strip()
    _touch(discharge, ["status", "discharged_on", "destination", "destination_setting", "discharge_note"])
    if discharge.pathway == DischargePathway.HOME_WITH_SUPPORT and destination == Destination.HOME_ENABLEMENT:
        allocation = Allocation.objects.filter(client=discharge.client, ended_on__isnull=True).first()
        team = allocation.team if allocation else discharge.team
        open_already = discharge.client.episodes.filter(pathway=Pathway.PROMOTING_INDEPENDENCE, ended_on__isnull=True)
        if team is not None and not open_already.exists():
            episode_start(user=user, client=discharge.client, pathway=Pathway.PROMOTING_INDEPENDENCE, team=team,
                          worker=allocation.worker if allocation else None, referral=discharge.referral,
                          started_on=discharged_on)
    return discharge


@transaction.atomic
def alert_rule_add(*, user, name: str, delayed_days: int, recipient: str, pathway=None, attribution: str = "",
                   effective_from: datetime.date | None = None) -> AlertRule:
    if not alert_rule_policy.user_may(user, "add"):
        raise PermissionDenied
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Name the rule"
    if recipient not in AlertRule.Recipient.values:
        errors["recipient"] = "Choose who is told"
    if not delayed_days or not 1 <= delayed_days <= 365:
        errors["delayed_days"] = "Enter the delayed days, from 1 to 365"
    if pathway is not None and pathway not in DischargePathway.values:
        errors["pathway"] = "Choose a pathway, or every pathway"
    if attribution and attribution not in Attribution.values:
        errors["attribution"] = "Choose an attribution, or any"
    if errors:
        raise ValidationError(errors)
    return AlertRule.objects.create(name=name.strip(), delayed_days=delayed_days, recipient=recipient, pathway=pathway,
                                    attribution=attribution or "", effective_from=effective_from or timezone.localdate())


@transaction.atomic
def alert_rule_retire(*, user, rule: AlertRule, on: datetime.date | None = None) -> AlertRule:
    if not alert_rule_policy.user_may(user, "change"):
        raise PermissionDenied
    rule.retired_on = on or timezone.localdate()
    rule.save(update_fields=["retired_on", "updated_at"])
    return rule


def discharge_merge(user, survivor, duplicate) -> dict[str, int]:
    """A merge moves the duplicate's hospital stays too; two stays open at once cannot be merged."""
    from clients.services import client_merge_move_rows

    open_stays = Discharge.objects.filter(client__in=[survivor, duplicate], status=Discharge.Status.IN_HOSPITAL).count()
    if open_stays > 1:
        raise ValidationError("Both records have a stay in hospital open: discharge one first")
    return client_merge_move_rows(user=user, model=Discharge, field="client", survivor=survivor, duplicate=duplicate)


def referral_link(referral, user):
    """On a hospital-discharge referral's page: its discharge record, or the way to start it."""
    from django.urls import reverse

    if not referral.hospital_discharge or not discharge_policy.user_may(user, "view"):
        return None
    discharge = Discharge.objects.filter(referral=referral).only("pk", "reference").first()
    if discharge is not None:
        return (f"Open the discharge record {discharge.reference}", discharge.get_absolute_url())
    if discharge_policy.user_may(user, "add"):
        return ("Start the discharge record", reverse("discharge:from-referral", args=[referral.pk]))
    return None
