"""Writes for enquiries: opening one from the decision, the officer, Making Safeguarding Personal,
allegations, strategy meetings, the safeguarding plan, the conclusion, and reopening."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ascm.core.dates import date_check
from ascm.notifications.services import notify

from .models import (
    RISK_IDENTIFIED,
    AdultAtRisk,
    Allegation,
    Enquiry,
    PlanAction,
    RiskSource,
    SafeguardingConcern,
    StrategyMeeting,
)
from .permissions import concern_policy


def _may_change(user, enquiry: Enquiry) -> None:
    """The safeguarding team (change permission, in reach) or the enquiry's own officer."""
    concern = enquiry.adult.concern
    if enquiry.officer_id == getattr(user, "pk", None):
        return
    if not (concern_policy.user_may(user, "change") and concern_policy.instances(user).filter(pk=concern.pk).exists()):
        raise PermissionDenied


def _not_before_receipt(day: datetime.date | None, enquiry: Enquiry, field: str, label: str) -> None:
    received = timezone.localtime(enquiry.adult.concern.received_at).date()
    date_check(day, field=field, label=label, not_before=received)


def enquiry_open(*, adult: AdultAtRisk) -> Enquiry:
    """Open the enquiry the decision called for (once per adult)."""
    existing = Enquiry.objects.filter(adult=adult).first()
    if existing is not None:
        return existing
    enquiry = Enquiry.objects.create(reference="", adult=adult, kind=adult.outcome,
                                     started_on=timezone.localdate(adult.decided_at))
    enquiry.reference = f"SE{enquiry.pk:07d}"
    enquiry.save(update_fields=["reference"])
    return enquiry


@transaction.atomic
def enquiry_allocate(*, user, enquiry: Enquiry, officer) -> Enquiry:
    """Allocate the enquiry officer. Someone outside the safeguarding team is given access to this
    concern by name (the reason recorded), so the allocation itself opens it to them."""
    from .services import access_grant

    _may_change(user, enquiry)
    if officer is None or not officer.is_active:
        raise ValidationError({"officer": "Choose the enquiry officer"})
    concern = enquiry.adult.concern
    enquiry.officer = officer
    enquiry.save(update_fields=["officer", "updated_at"])
    if not concern_policy.instances(officer).filter(pk=concern.pk).exists():
        access_grant(user=user, concern=concern, grantee=officer, reason=f"Enquiry officer for {enquiry.reference}")
    transaction.on_commit(lambda: notify(
        recipients=[officer], kind="safeguarding_enquiry_allocated", key=f"sg-enquiry-{enquiry.pk}-officer-{officer.pk}",
        title=f"You are the enquiry officer for {enquiry.reference}", url=reverse("safeguarding:enquiry", args=[enquiry.pk])))
    return enquiry


@transaction.atomic
def enquiry_personal(*, user, enquiry: Enquiry, outcomes_asked: str, desired_outcomes: str = "", not_asked_reason: str = "",
                     capacity: str = "", substantial_difficulty=None, support: str = "", no_advocate_reason: str = "") -> Enquiry:
    """Making Safeguarding Personal: what the person wants from the enquiry, in their words (or why
    they were not asked); their capacity about the enquiry and who supports them. An advocate must be
    considered when they have substantial difficulty taking part."""
    _may_change(user, enquiry)
    errors = {}
    if outcomes_asked not in Enquiry.OutcomesAsked.values:
        errors["outcomes_asked"] = "Say whether the person was asked what they want from the enquiry"
    elif outcomes_asked == Enquiry.OutcomesAsked.EXPRESSED and not (desired_outcomes or "").strip():
        errors["desired_outcomes"] = "Record the outcomes they want, in their words"
    elif outcomes_asked == Enquiry.OutcomesAsked.NOT_ASKED and not (not_asked_reason or "").strip():
        errors["not_asked_reason"] = "Say why the person was not asked"
    if capacity not in Enquiry.Capacity.values:
        errors["capacity"] = "Say whether they have capacity to take part in the enquiry"
    if substantial_difficulty is None:
        errors["substantial_difficulty"] = "Say whether they have substantial difficulty taking part"
    if support not in Enquiry.Support.values:
        errors["support"] = "Say who supports them in the enquiry"
    elif substantial_difficulty and support == Enquiry.Support.NONE and not (no_advocate_reason or "").strip():
        errors["no_advocate_reason"] = "They have substantial difficulty taking part: record why no advocate supports them"
    if errors:
        raise ValidationError(errors)
    enquiry.outcomes_asked, enquiry.desired_outcomes = outcomes_asked, (desired_outcomes or "").strip()
    enquiry.not_asked_reason = (not_asked_reason or "").strip() if outcomes_asked == Enquiry.OutcomesAsked.NOT_ASKED else ""
    enquiry.capacity, enquiry.substantial_difficulty, enquiry.support = capacity, substantial_difficulty, support
    enquiry.no_advocate_reason = (no_advocate_reason or "").strip()
    enquiry.save()
    return enquiry


def _allegation_check(fields: dict) -> dict:
    errors = {}
    for name, message in (("risk_type", "Choose the type of risk"), ("location", "Choose where it happened"),
                          ("source", "Choose the source of risk")):
        if not fields.get(name):
            errors[name] = message
    if fields.get("source") == RiskSource.SERVICE_PROVIDER and fields.get("source_setting") is None:
        errors["source_setting"] = "Choose the provider from the register"
    if fields.get("source") in (RiskSource.KNOWN, RiskSource.UNKNOWN) and fields.get("source_client") is None \
            and not (fields.get("source_description") or "").strip():
        errors["source_description"] = "Say who the alleged source is (a stranger, a neighbour…)"
    return errors


@transaction.atomic
def allegation_add(*, user, enquiry: Enquiry, **fields) -> Allegation:
    _may_change(user, enquiry)
    if enquiry.status != Enquiry.Status.OPEN:
        raise ValidationError("The enquiry is concluded: reopen it to add an allegation")
    errors = _allegation_check(fields)
    if errors:
        raise ValidationError(errors)
    allegation = Allegation(enquiry=enquiry, **{k: v for k, v in fields.items() if k in (
        "risk_type", "location", "source", "source_client", "source_setting", "source_description", "details")})
    allegation.full_clean()
    allegation.save()
    return allegation


@transaction.atomic
def allegation_conclude(*, user, allegation: Allegation, action_result: str, risk_outcome: str = "") -> Allegation:
    """Conclude one allegation: an action and result and, only when risk was identified, a risk outcome."""
    _may_change(user, allegation.enquiry)
    errors = {}
    from .models import ActionResult

    if action_result not in ActionResult.values:
        errors["action_result"] = "Choose the action and result"
    elif action_result in RISK_IDENTIFIED and not risk_outcome:
        errors["risk_outcome"] = "Risk was identified: choose whether it remained, was reduced or was removed"
    elif action_result not in RISK_IDENTIFIED and risk_outcome:
        errors["risk_outcome"] = "A risk outcome is recorded only when risk was identified"
    if errors:
        raise ValidationError(errors)
    allegation.action_result, allegation.risk_outcome = action_result, risk_outcome
    allegation.save(update_fields=["action_result", "risk_outcome", "updated_at"])
    return allegation


@transaction.atomic
def meeting_add(*, user, enquiry: Enquiry, kind: str, held_on: datetime.date, attendees: str, decisions: str) -> StrategyMeeting:
    _may_change(user, enquiry)
    errors = {}
    if kind not in StrategyMeeting.Kind.values:
        errors["kind"] = "Choose a strategy discussion or a strategy meeting"
    if held_on is None:
        errors["held_on"] = "Enter the date it was held"
    else:
        try:
            _not_before_receipt(held_on, enquiry, "held_on", "The date it was held")
        except ValidationError as error:
            errors.update(error.message_dict)
    if not (attendees or "").strip():
        errors["attendees"] = "List who attended"
    if not (decisions or "").strip():
        errors["decisions"] = "Record what was decided"
    if errors:
        raise ValidationError(errors)
    return StrategyMeeting.objects.create(enquiry=enquiry, kind=kind, held_on=held_on, attendees=attendees.strip(),
                                          decisions=decisions.strip())


@transaction.atomic
def action_add(*, user, enquiry: Enquiry, action: str, due_on: datetime.date, owner=None, owner_name: str = "") -> PlanAction:
    _may_change(user, enquiry)
    errors = {}
    if not (action or "").strip():
        errors["action"] = "Describe the action"
    if owner is None and not (owner_name or "").strip():
        errors["owner"] = "Choose who owns the action, or name a partner who does"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    else:
        try:
            _not_before_receipt(due_on, enquiry, "due_on", "The due date")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    plan_action = PlanAction.objects.create(enquiry=enquiry, action=action.strip(), owner=owner,
                                            owner_name=(owner_name or "").strip(), due_on=due_on)
    if owner is not None:
        transaction.on_commit(lambda: notify(
            recipients=[owner], kind="safeguarding_action", key=f"sg-action-{plan_action.pk}",
            title=f"A safeguarding plan action for {enquiry.reference} is yours, due {due_on:%-d %b %Y}",
            url=reverse("safeguarding:enquiry", args=[enquiry.pk])))
    return plan_action


@transaction.atomic
def action_done(*, user, plan_action: PlanAction) -> PlanAction:
    if plan_action.owner_id != user.pk:
        _may_change(user, plan_action.enquiry)
    plan_action.done_on = timezone.localdate()
    plan_action.save(update_fields=["done_on", "updated_at"])
    return plan_action


@transaction.atomic
def enquiry_conclude(*, user, enquiry: Enquiry, outcomes_achieved: str, referrer_feedback: str, sar_referral,
                     concluded_on: datetime.date | None = None) -> Enquiry:
    """Conclude: every allegation concluded first; whether the person's outcomes were achieved (when
    they expressed some); the feedback given to whoever raised the concern; whether to refer for a
    Safeguarding Adults Review."""
    _may_change(user, enquiry)
    enquiry = Enquiry.objects.select_for_update().select_related("adult__concern").get(pk=enquiry.pk)
    errors = {}
    allegations = list(enquiry.allegations.all())
    if not allegations:
        errors["allegations"] = "Record at least one allegation before concluding"
    elif any(not a.is_concluded for a in allegations):
        errors["allegations"] = "Conclude every allegation (its action and result) before concluding the enquiry"
    if not enquiry.outcomes_asked:
        errors["outcomes_asked"] = "Record whether the person was asked what they want from the enquiry"
    if enquiry.outcomes_asked == Enquiry.OutcomesAsked.EXPRESSED and outcomes_achieved not in Enquiry.Achieved.values:
        errors["outcomes_achieved"] = "Say whether the outcomes they wanted were achieved"
    if not (referrer_feedback or "").strip():
        errors["referrer_feedback"] = "Record the feedback given to whoever raised the concern"
    if sar_referral is None:
        errors["sar_referral"] = "Say whether the case is referred for a Safeguarding Adults Review"
    concluded_on = concluded_on or timezone.localdate()
    try:
        _not_before_receipt(concluded_on, enquiry, "concluded_on", "The date concluded")
        date_check(concluded_on, field="concluded_on", label="The date concluded", future=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    enquiry.outcomes_achieved = outcomes_achieved if enquiry.outcomes_asked == Enquiry.OutcomesAsked.EXPRESSED else ""
    enquiry.referrer_feedback, enquiry.sar_referral = referrer_feedback.strip(), sar_referral
    enquiry.status, enquiry.concluded_on = Enquiry.Status.CONCLUDED, concluded_on
    enquiry.save()
    adult = enquiry.adult
    adult.closed_at = timezone.now()
    adult.save(update_fields=["closed_at", "updated_at"])
    concern = adult.concern
    if not concern.adults.filter(closed_at__isnull=True).exclude(outcome=AdultAtRisk.Outcome.NO_ENQUIRY).exists():
        concern.status = SafeguardingConcern.Status.CLOSED
        concern.save(update_fields=["status", "updated_at"])
    return enquiry


@transaction.atomic
def enquiry_reopen(*, user, enquiry: Enquiry, reason: str) -> Enquiry:
    _may_change(user, enquiry)
    if enquiry.status != Enquiry.Status.CONCLUDED:
        raise ValidationError("The enquiry is still open")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason the enquiry is reopened"})
    enquiry.status, enquiry.concluded_on, enquiry.reopened_reason = Enquiry.Status.OPEN, None, reason.strip()
    enquiry.save()
    adult = enquiry.adult
    adult.closed_at = None
    adult.save(update_fields=["closed_at", "updated_at"])
    concern = adult.concern
    concern.status = SafeguardingConcern.Status.DECIDED
    concern.save(update_fields=["status", "updated_at"])
    return enquiry
