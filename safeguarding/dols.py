"""Writes for the Deprivation of Liberty Safeguards: receiving an application (with any urgent
authorisation), screening, priority, the one extension, the six assessments, the decision, and what
happens to an authorisation afterwards. The dates are the law's (see models_dols.DOLS_RULES)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ascm.core.dates import date_check
from ascm.organisation.models import Team, TeamType

from .models_dols import (
    DOLS_RULES,
    LibertyApplication,
    LibertyAssessment,
    LibertyAuthorisation,
    LibertyReview,
    UrgentAuthorisation,
    add_months,
)
from .permissions import dols_policy


def _age_on(client, day: datetime.date) -> int | None:
    born = client.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def application_receive(*, user, client, managing_authority, kind: str, received_on: datetime.date,
                        care_arrangements: str, needed_from: datetime.date | None = None,
                        urgent_granted_on: datetime.date | None = None, urgent_days: int | None = None,
                        renewal_of: LibertyAuthorisation | None = None) -> LibertyApplication:
    """Record an application. An urgent one carries the managing authority's own authorisation (up
    to 7 days from its date). Nobody under 18; only hospitals and care homes are managing authorities."""
    from ascm.providers.models import CareSetting

    if user is not None and not dols_policy.user_may(user, "add"):
        raise PermissionDenied
    rules, errors = DOLS_RULES, {}
    if managing_authority is None or managing_authority.kind not in CareSetting.MANAGING_AUTHORITY:
        errors["managing_authority"] = "Choose the hospital or care home that is applying"
    if kind not in LibertyApplication.Kind.values:
        errors["kind"] = "Choose a standard request or an urgent authorisation"
    if not (care_arrangements or "").strip():
        errors["care_arrangements"] = "Describe the care arrangements that may deprive them of liberty"
    try:
        date_check(received_on, field="received_on", label="The date received", future=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if received_on is None:
        errors["received_on"] = "Enter the date the application was received"
    age = _age_on(client, received_on or timezone.localdate())
    if age is not None and age < rules["min_age"]:
        errors["client"] = f"The Deprivation of Liberty Safeguards apply from {rules['min_age']}: this person is {age}"
    if needed_from and received_on and (needed_from - received_on).days > rules["request_ahead_days"]:
        errors["needed_from"] = f"A standard request may arrive up to {rules['request_ahead_days']} days before it is needed"
    if kind == LibertyApplication.Kind.URGENT:
        days = urgent_days if urgent_days is not None else rules["urgent_days"]
        if urgent_granted_on is None:
            errors["urgent_granted_on"] = "Enter the date the managing authority gave the urgent authorisation"
        elif received_on and urgent_granted_on > received_on:
            errors["urgent_granted_on"] = "The urgent authorisation must be given on or before the day the application arrived"
        if not 1 <= days <= rules["urgent_days"]:
            errors["urgent_days"] = f"An urgent authorisation lasts from 1 to {rules['urgent_days']} days"
    if errors:
        raise ValidationError(errors)
    locality = managing_authority.locality or client.locality
    team = Team.objects.filter(locality=locality, team_type=TeamType.SAFEGUARDING, archived_at__isnull=True).first() \
        if locality else None
    application = LibertyApplication.objects.create(
        reference="", client=client, managing_authority=managing_authority, locality=locality or client.locality,
        team=team, kind=kind, received_on=received_on, needed_from=needed_from, care_arrangements=care_arrangements.strip(),
        renewal_of=renewal_of, created_by=user)
    application.reference = f"DL{application.pk:07d}"
    application.save(update_fields=["reference"])
    if kind == LibertyApplication.Kind.URGENT:
        UrgentAuthorisation.objects.create(application=application, granted_on=urgent_granted_on,
                                           ends_on=urgent_granted_on + datetime.timedelta(days=days))
    application.deadline_refresh()
    return application


@transaction.atomic
def renewal_request(*, user, authorisation: LibertyAuthorisation, received_on: datetime.date,
                    care_arrangements: str = "") -> LibertyApplication:
    """The managing authority asks for a further authorisation to follow this one: no more than 28
    days before it is needed (the day after the current one ends); decided, like any standard
    request, by the day it is needed at the latest."""
    if not dols_policy.user_may(user, "add"):
        raise PermissionDenied
    current = authorisation.application
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date the renewal request was received"})
    if not renewal_may_be_requested(authorisation, today=received_on):
        if authorisation.status not in (LibertyAuthorisation.Status.ACTIVE, LibertyAuthorisation.Status.SUSPENDED):
            raise ValidationError({"received_on": "Only an authorisation in force can be renewed: this one has "
                                                  f"{authorisation.get_status_display().lower()}"})
        raise ValidationError({"received_on": f"A renewal may be requested from {renewal_opens_on(authorisation):%-d %B %Y} "
                                              f"(28 days before it is needed on {renewal_needed_from(authorisation):%-d %B %Y})"})
    if authorisation.renewals.filter(status__in=LibertyApplication.OPEN).exists():
        raise ValidationError({"received_on": "A renewal has already been requested and is not yet decided"})
    return application_receive(
        user=user, client=current.client, managing_authority=current.managing_authority,
        kind=LibertyApplication.Kind.STANDARD, received_on=received_on,
        care_arrangements=(care_arrangements or "").strip() or current.care_arrangements,
        needed_from=renewal_needed_from(authorisation), renewal_of=authorisation)


@transaction.atomic
def application_withdraw(*, user, application: LibertyApplication, reason: str,
                         on: datetime.date | None = None) -> LibertyApplication:
    """The managing authority withdraws an undecided application (the person has left, died, or no
    longer needs it): it leaves the queue, with the reason, and still counts in the year's return."""
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    application = LibertyApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in LibertyApplication.OPEN:
        raise ValidationError({"reason": "Only an application not yet decided can be withdrawn"})
    on = on or timezone.localdate()
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason it was withdrawn"
    try:
        date_check(on, field="on", label="The date withdrawn", future=False, not_before=application.received_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    application.status = LibertyApplication.Status.WITHDRAWN
    application.withdrawn_on, application.withdrawn_reason = on, reason.strip()
    application.save()
    return application


@transaction.atomic
def urgent_extend(*, user, application: LibertyApplication, days: int, reason: str) -> UrgentAuthorisation:
    """The council may extend an urgent authorisation once, by up to 7 days; a second is refused."""
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    urgent = UrgentAuthorisation.objects.select_for_update().filter(application=application).first()
    if urgent is None:
        raise ValidationError("This application has no urgent authorisation to extend")
    if urgent.extended:
        raise ValidationError({"days": "The urgent authorisation has already been extended once: it cannot be extended again"})
    errors = {}
    if not 1 <= (days or 0) <= DOLS_RULES["urgent_extension_days"]:
        errors["days"] = f"Extend by 1 to {DOLS_RULES['urgent_extension_days']} days"
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the extension"
    if errors:
        raise ValidationError(errors)
    urgent.ends_on += datetime.timedelta(days=days)
    urgent.extended, urgent.extension_reason, urgent.extended_by = True, reason.strip(), user
    urgent.save()
    LibertyApplication.objects.select_related("urgent").get(pk=application.pk).deadline_refresh()
    return urgent


@transaction.atomic
def application_screen(*, user, application: LibertyApplication, is_deprivation, reasoning: str, priority: str,
                       priority_reason: str) -> LibertyApplication:
    """Screening (is this a deprivation of liberty? the reasoning, not a tick) and a priority with its
    reason. Prioritising never removes the deadline."""
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    errors = {}
    if is_deprivation is None:
        errors["is_deprivation"] = "Say whether the arrangements are a deprivation of liberty"
    if not (reasoning or "").strip():
        errors["reasoning"] = "Record the reasoning: the factors weighed"
    if priority not in LibertyApplication.Priority.values:
        errors["priority"] = "Choose a priority"
    if not (priority_reason or "").strip():
        errors["priority_reason"] = "Give the reason for the priority"
    if errors:
        raise ValidationError(errors)
    application.is_deprivation, application.screening_reasoning = is_deprivation, reasoning.strip()
    application.priority, application.priority_reason = priority, priority_reason.strip()
    application.status = LibertyApplication.Status.ASSESSING
    application.save()
    return application


@transaction.atomic
def assessment_record(*, user, application: LibertyApplication, kind: str, assessor=None, assessor_name: str = "",
                      assessor_role: str = "", allocated_on=None, completed_on=None, outcome: str = "",
                      equivalent_reference: str = "", recommended_months: int | None = None, notes: str = "") -> LibertyAssessment:
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    errors = {}
    if kind not in LibertyAssessment.Kind.values:
        errors["kind"] = "Choose the assessment"
    if assessor is None and not (assessor_name or "").strip():
        errors["assessor"] = "Choose the assessor, or name a partner assessor"
    if outcome and completed_on is None and not equivalent_reference:
        errors["completed_on"] = "Enter the date the assessment was completed"
    for day, name, label in ((allocated_on, "allocated_on", "The date allocated"), (completed_on, "completed_on", "The date completed")):
        try:
            date_check(day, field=name, label=label, future=False,
                       not_before=None if equivalent_reference else application.received_on - datetime.timedelta(days=28))
        except ValidationError as error:
            errors.update(error.message_dict)
    if kind == LibertyAssessment.Kind.BEST_INTERESTS and outcome == LibertyAssessment.Outcome.MET and not recommended_months:
        errors["recommended_months"] = "Record the longest authorisation the best interests assessor recommends"
    if recommended_months and recommended_months > DOLS_RULES["max_months"]:
        errors["recommended_months"] = f"A recommendation cannot exceed {DOLS_RULES['max_months']} months"
    if errors:
        raise ValidationError(errors)
    assessment, _ = LibertyAssessment.objects.update_or_create(application=application, kind=kind, defaults={
        "assessor": assessor, "assessor_name": (assessor_name or "").strip(), "assessor_role": (assessor_role or "").strip(),
        "allocated_on": allocated_on, "completed_on": completed_on, "outcome": outcome,
        "equivalent_reference": (equivalent_reference or "").strip(), "recommended_months": recommended_months,
        "notes": (notes or "").strip()})
    return assessment


SIGNATORY_MAY_NOT_BE_ASSESSOR = True  # the council's rule: whoever signs did not assess


@transaction.atomic
def application_decide(*, user, application: LibertyApplication, granted: bool, starts_on=None, ends_on=None,
                       conditions: str = "", representative_name: str = "", representative_kind: str = "",
                       reason: str = "", decided_on=None) -> LibertyApplication:
    """The signatory's decision. Granted: every one of the six assessments met; from a start to an end
    no more than 12 months later and no longer than the best interests assessor recommends; with the
    relevant person's representative and any conditions. Not granted: the reason."""
    if not dols_policy.user_may(user, "sign"):
        raise PermissionDenied
    application = LibertyApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in LibertyApplication.OPEN:
        raise ValidationError("This application has already been decided")
    decided_on = decided_on or timezone.localdate()
    errors = {}
    assessments = {a.kind: a for a in application.assessments.all()}
    if SIGNATORY_MAY_NOT_BE_ASSESSOR and any(a.assessor_id == user.pk for a in assessments.values()):
        errors["__all__"] = "You assessed this application: another signatory must decide it"
    if granted:
        missing = [label for code, label in LibertyAssessment.Kind.choices
                   if code not in assessments or assessments[code].outcome != LibertyAssessment.Outcome.MET]
        if missing:
            errors["granted"] = f"It cannot be authorised: not every assessment is met ({', '.join(missing).lower()})"
        if starts_on is None:
            errors["starts_on"] = "Enter the date the authorisation starts"
        if ends_on is None:
            errors["ends_on"] = "Enter the date the authorisation ends"
        if starts_on and ends_on:
            if ends_on <= starts_on:
                errors["ends_on"] = "The end date must be after the start date"
            elif ends_on > add_months(starts_on, DOLS_RULES["max_months"]):
                errors["ends_on"] = f"An authorisation lasts at most {DOLS_RULES['max_months']} months"
            else:
                best = assessments.get(LibertyAssessment.Kind.BEST_INTERESTS)
                if best and best.recommended_months and ends_on > add_months(starts_on, best.recommended_months):
                    errors["ends_on"] = (f"The best interests assessor recommends at most {best.recommended_months} "
                                         f"month{'s' if best.recommended_months != 1 else ''}")
        if not (representative_name or "").strip():
            errors["representative_name"] = "Name the relevant person's representative"
        if representative_kind not in LibertyAuthorisation.Representative.values:
            errors["representative_kind"] = "Say whether the representative is paid or unpaid"
    elif not (reason or "").strip():
        errors["reason"] = "Give the reason it is not authorised"
    if errors:
        raise ValidationError(errors)
    application.decided_on = decided_on
    if granted:
        application.status = LibertyApplication.Status.GRANTED
        LibertyAuthorisation.objects.create(
            application=application, starts_on=starts_on, ends_on=ends_on, conditions=(conditions or "").strip(),
            representative_name=representative_name.strip(), representative_kind=representative_kind, signatory=user)
    else:
        application.status, application.not_granted_reason = LibertyApplication.Status.NOT_GRANTED, reason.strip()
    application.save()
    return application


@transaction.atomic
def authorisation_change(*, user, authorisation: LibertyAuthorisation, status: str, reason: str,
                         on: datetime.date | None = None) -> LibertyAuthorisation:
    """End, suspend, reinstate or terminate an authorisation, with the reason (kept)."""
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    errors = {}
    if status not in LibertyAuthorisation.Status.values:
        errors["status"] = "Choose what happens to the authorisation"
    if not (reason or "").strip():
        errors["reason"] = "Give the reason"
    if errors:
        raise ValidationError(errors)
    authorisation.status, authorisation.status_reason = status, reason.strip()
    authorisation.status_changed_on = on or timezone.localdate()
    authorisation.save()
    return authorisation


@transaction.atomic
def authorisation_review(*, user, authorisation: LibertyAuthorisation, reviewed_on: datetime.date, outcome: str,
                         notes: str, requested_by: str = "", conditions: str | None = None) -> LibertyReview:
    """A Part 8 review: it continues, continues with its conditions varied (the new conditions), or is
    terminated because a requirement is no longer met."""
    if not dols_policy.user_may(user, "change"):
        raise PermissionDenied
    errors = {}
    if authorisation.status not in (LibertyAuthorisation.Status.ACTIVE, LibertyAuthorisation.Status.SUSPENDED):
        errors["outcome"] = "Only an authorisation in force can be reviewed"
    if outcome not in LibertyReview.Outcome.values:
        errors["outcome"] = "Choose the outcome of the review"
    if not (notes or "").strip():
        errors["notes"] = "Record what the review found"
    if outcome == LibertyReview.Outcome.CONDITIONS_VARIED and not (conditions or "").strip():
        errors["conditions"] = "Enter the conditions as varied"
    try:
        date_check(reviewed_on, field="reviewed_on", label="The date of the review", future=False,
                   not_before=authorisation.starts_on)
    except ValidationError as error:
        errors.update(error.message_dict)
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date of the review"
    if errors:
        raise ValidationError(errors)
    review = LibertyReview.objects.create(authorisation=authorisation, reviewed_on=reviewed_on, outcome=outcome,
                                          notes=notes.strip(), requested_by=(requested_by or "").strip(), reviewed_by=user)
    if outcome == LibertyReview.Outcome.CONDITIONS_VARIED:
        authorisation.conditions = conditions.strip()
        authorisation.save()
    elif outcome == LibertyReview.Outcome.TERMINATED:
        authorisation_change(user=user, authorisation=authorisation, status=LibertyAuthorisation.Status.TERMINATED,
                             reason=f"Terminated on review: {notes.strip()}", on=reviewed_on)
    return review


def letter_available(application: LibertyApplication, kind: str) -> bool:
    """What there is to print: the extension letter once the urgent authorisation is extended; the
    decision letter and the form's content once the signatory has decided."""
    if kind == "extension":
        urgent = getattr(application, "urgent", None) if application.kind == LibertyApplication.Kind.URGENT else None
        return bool(urgent and urgent.extended)
    return application.status in (LibertyApplication.Status.GRANTED, LibertyApplication.Status.NOT_GRANTED)


def renewal_needed_from(authorisation: LibertyAuthorisation) -> datetime.date:
    return authorisation.ends_on + datetime.timedelta(days=1)


def renewal_opens_on(authorisation: LibertyAuthorisation) -> datetime.date:
    return renewal_needed_from(authorisation) - datetime.timedelta(days=DOLS_RULES["request_ahead_days"])


def renewal_may_be_requested(authorisation: LibertyAuthorisation, today=None) -> bool:
    """From 28 days before it is needed until the authorisation ends, while it is in force."""
    today = today or timezone.localdate()
    return authorisation.status in (LibertyAuthorisation.Status.ACTIVE, LibertyAuthorisation.Status.SUSPENDED) and \
        renewal_opens_on(authorisation) <= today <= authorisation.ends_on


def dols_daily_alerts(*, today: datetime.date | None = None, batch: int = 2000) -> int:
    """The DoLS team's daily alerts, each once per application per event: a deadline today or
    tomorrow, a breach (the day it happens, or the first run after), an urgent authorisation ending
    today or tomorrow, a standard authorisation ending within 28 days. Authorisations past their end
    are marked ended (with history) and the person's allocated workers told. The database picks the
    rows (the stored deadline); a second run sends nothing and changes nothing."""
    from django.db.models import Q
    from django.urls import reverse

    from ascm.notifications.models import Notification
    from ascm.notifications.services import notifications_send
    from clients.models import Allocation

    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    pending = []  # (team_id, recipient_id, kind, key, title, url)

    def url(application_id):
        return reverse("safeguarding:dols-application", args=[application_id])

    open_ones = (LibertyApplication.objects.filter(status__in=LibertyApplication.OPEN, team__isnull=False)
                 .filter(Q(due_on__lte=tomorrow) | Q(urgent__ends_on__in=[today, tomorrow]))
                 .select_related("urgent").only("pk", "reference", "team_id", "kind", "due_on", "urgent__ends_on"))
    for application in open_ones.iterator(chunk_size=batch):
        due = application.due_on
        if due in (today, tomorrow):
            pending.append((application.team_id, None, "dols_deadline", f"dols-{application.pk}-due-{due}",
                            f"{application.reference}: the decision is due {'today' if due == today else 'tomorrow'}",
                            url(application.pk)))
        if due < today:
            pending.append((application.team_id, None, "dols_breach", f"dols-{application.pk}-breach",
                            f"{application.reference} is in breach: the deadline was {due:%-d %b %Y}", url(application.pk)))
        urgent = getattr(application, "urgent", None) if application.kind == LibertyApplication.Kind.URGENT else None
        if urgent is not None and urgent.ends_on in (today, tomorrow):
            pending.append((application.team_id, None, "dols_urgent_ending", f"dols-{application.pk}-urgent-{urgent.ends_on}",
                            f"{application.reference}: the urgent authorisation ends {urgent.ends_on:%-d %b}",
                            url(application.pk)))
    horizon = today + datetime.timedelta(days=DOLS_RULES["request_ahead_days"])
    in_force = [LibertyAuthorisation.Status.ACTIVE, LibertyAuthorisation.Status.SUSPENDED]
    ending = (LibertyAuthorisation.objects.filter(status__in=in_force, ends_on__gte=today, ends_on__lte=horizon,
                                                  application__team__isnull=False)
              .select_related("application").only("pk", "ends_on", "application__id", "application__reference",
                                                  "application__team_id"))
    for authorisation in ending.iterator(chunk_size=batch):
        application = authorisation.application
        pending.append((application.team_id, None, "dols_authorisation_ending", f"dols-auth-{authorisation.pk}-ending",
                        f"{application.reference}: the authorisation ends {authorisation.ends_on:%-d %b %Y} "
                        "(a renewal may be requested now)", url(application.pk)))
    with transaction.atomic():
        expired = list(LibertyAuthorisation.objects.select_for_update().filter(status__in=in_force, ends_on__lt=today)
                       .select_related("application").only("pk", "ends_on", "status", "status_reason",
                                                           "status_changed_on", "updated_at", "application__client_id"))
        ended_clients = {}
        for authorisation in expired:
            # One save each, so the audit log keeps the change (a handful a day).
            authorisation.status = LibertyAuthorisation.Status.ENDED
            authorisation.status_reason = "The authorisation reached its end date"
            authorisation.status_changed_on = authorisation.ends_on + datetime.timedelta(days=1)
            authorisation.save(update_fields=["status", "status_reason", "status_changed_on", "updated_at"])
            ended_clients.setdefault(authorisation.application.client_id, []).append(authorisation)
        for client_id, worker_id in (Allocation.objects.filter(client_id__in=list(ended_clients), ended_on__isnull=True,
                                                               worker__isnull=False).values_list("client_id", "worker_id")):
            for authorisation in ended_clients[client_id]:
                pending.append((None, worker_id, "dols_authorisation_ended", f"dols-auth-{authorisation.pk}-ended",
                                "The DoLS authorisation for a person you work with ended on "
                                f"{authorisation.ends_on:%-d %b %Y}", reverse("clients:record", args=[client_id])))
        sent = 0
        for start in range(0, len(pending), batch):
            chunk = pending[start:start + batch]
            keys = {key for _, _, _, key, _, _ in chunk}
            told = set(Notification.objects.filter(key__in=keys).values_list("team_id", "recipient_id", "key"))
            new = [Notification(team_id=team, recipient_id=recipient, kind=kind, key=key, title=title[:200], url=link)
                   for team, recipient, kind, key, title, link in chunk if (team, recipient, key) not in told]
            sent += notifications_send(new)
    return sent
