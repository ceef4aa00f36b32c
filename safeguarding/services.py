"""Writes for safeguarding: raising a concern (from a record, a referral, a partner's system), the
s42 decision, named access to one concern, and the reminders of overdue decisions."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ascm.core.dates import date_check
from ascm.notifications.services import notifications_resolve, notify, notify_holders, notify_team
from ascm.organisation.models import Team, TeamType

from .models import AdultAtRisk, DecisionTarget, SafeguardingAccess, SafeguardingConcern
from .permissions import concern_policy


def _safeguarding_team(locality) -> Team | None:
    return (Team.objects.filter(locality=locality, team_type=TeamType.SAFEGUARDING, archived_at__isnull=True)
            .order_by("pk").first())


def _overdue_key(concern) -> str:
    return f"sg-concern-{concern.pk}-decision-overdue"


def _due_key(concern) -> str:
    return f"sg-concern-{concern.pk}-decision-due"


@transaction.atomic
def concern_raise(*, user, clients, source: str, what_happened: str, consent: str, raised_by_name: str,
                  raised_by_organisation: str = "", raised_by_contact: str = "", immediate_action: str = "",
                  consent_reason: str = "", large_scale: bool = False, setting=None, locality=None, referral=None,
                  received_at: datetime.datetime | None = None) -> SafeguardingConcern:
    """Record a concern about one or more adults; it lands in their locality's safeguarding team's
    queue and the team is told. Whoever raises it need not be able to see it afterwards."""
    if user is not None and not concern_policy.may_raise(user):
        raise PermissionDenied
    people = list(dict.fromkeys(clients or []))
    errors = {}
    if not people:
        errors["clients"] = "Name the adult at risk"
    if not (raised_by_name or "").strip():
        errors["raised_by_name"] = "Enter who raised the concern"
    if not (what_happened or "").strip():
        errors["what_happened"] = "Describe what happened, or what is feared"
    if consent not in SafeguardingConcern.Consent.values:
        errors["consent"] = "Say whether the person's consent was sought"
    elif consent != SafeguardingConcern.Consent.GIVEN and not (consent_reason or "").strip():
        errors["consent_reason"] = ("Say why consent was not sought" if consent == SafeguardingConcern.Consent.NOT_SOUGHT
                                    else "Say why the concern goes ahead without the person's agreement")
    if large_scale and setting is None:
        errors["setting"] = "Choose the care home or service a large-scale concern is about"
    received_at = received_at or timezone.now()
    try:
        date_check(timezone.localtime(received_at).date(), field="received_at", label="The date received", future=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    locality = locality or (people[0].locality if people else None)
    if people and locality is None:
        errors["locality"] = "Choose the locality where it happened: the person has none recorded"
    if errors:
        raise ValidationError(errors)
    concern = SafeguardingConcern.objects.create(
        reference="", locality=locality, team=_safeguarding_team(locality), source=source, referral=referral,
        received_at=received_at, raised_by_name=raised_by_name.strip(), raised_by_organisation=raised_by_organisation.strip(),
        raised_by_contact=raised_by_contact.strip(), what_happened=what_happened.strip(),
        immediate_action=(immediate_action or "").strip(), consent=consent, consent_reason=(consent_reason or "").strip(),
        large_scale=large_scale, setting=setting, created_by=user)
    concern.reference = f"SG{concern.pk:07d}"
    concern.save(update_fields=["reference"])
    AdultAtRisk.objects.bulk_create([AdultAtRisk(concern=concern, client=person) for person in people])
    transaction.on_commit(lambda: notify_team(
        team=concern.team, kind="safeguarding_concern", key=f"sg-concern-{concern.pk}-received",
        title=f"New safeguarding concern {concern.reference}: decision due {concern.decision_due_on:%-d %b}",
        url=reverse("safeguarding:concern", args=[concern.pk])))
    return concern


@transaction.atomic
def concern_add_adult(*, user, concern: SafeguardingConcern, nhs_number: str) -> AdultAtRisk:
    """Name another adult at risk in a concern (a large-scale concern about one care home names every
    resident at risk), each with their own decision and enquiry."""
    from clients.identifiers import nhs_number_normalise
    from clients.models import Client

    if not concern_policy.user_may(user, "change") or not concern_policy.instances(user).filter(pk=concern.pk).exists():
        raise PermissionDenied
    number = nhs_number_normalise(nhs_number or "")
    person = Client.objects.filter(nhs_number=number, archived_at__isnull=True).first() if number else None
    if person is None:
        raise ValidationError({"nhs_number": "No one on ASCM has that NHS number: record the person first"})
    if concern.adults.filter(client=person).exists():
        raise ValidationError({"nhs_number": f"{person} is already named in this concern"})
    if concern.status == SafeguardingConcern.Status.CLOSED:
        raise ValidationError({"nhs_number": "The concern is closed"})
    adult = AdultAtRisk.objects.create(concern=concern, client=person)
    if concern.status == SafeguardingConcern.Status.DECIDED:
        concern.status = SafeguardingConcern.Status.AWAITING_DECISION
        concern.save(update_fields=["status", "updated_at"])
    return adult


def concern_from_referral(referral) -> SafeguardingConcern:
    """A referral's safeguarding flag becomes a concern in the safeguarding team's queue, linked to
    the referral. Once per referral, however often routing runs."""
    existing = SafeguardingConcern.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    return concern_raise(
        user=None, clients=[referral.client], source=SafeguardingConcern.Source.REFERRAL, referral=referral,
        locality=referral.locality, received_at=referral.received_at,
        raised_by_name=referral.referrer_name or "The referrer", raised_by_organisation=referral.referrer_organisation,
        raised_by_contact=referral.referrer_phone,
        what_happened=referral.needs_referrer or referral.needs_in_persons_words or "Raised with a referral: see the referral",
        consent=SafeguardingConcern.Consent.NOT_SOUGHT,
        consent_reason="Raised by a referral's safeguarding flag: the safeguarding team checks consent with the person")


TESTS = [
    ("has_care_needs", "Say whether the person has needs for care and support"),
    ("at_risk", "Say whether the person is experiencing, or at risk of, abuse or neglect"),
    ("unable_to_protect", "Say whether, as a result of those needs, they are unable to protect themselves"),
]


@transaction.atomic
def decision_record(*, user, adult: AdultAtRisk, has_care_needs, at_risk, unable_to_protect,
                    has_care_needs_reason: str = "", at_risk_reason: str = "", unable_to_protect_reason: str = "",
                    route: str = "", other_enquiry: bool = False) -> AdultAtRisk:
    """The s42 decision on one adult: each of the three tests yes or no with the reasoning. All met:
    a section 42 enquiry. Not all met: the tests that failed are recorded, the route taken must be
    chosen, and an "other" enquiry may still follow."""
    if not concern_policy.user_may(user, "decide"):
        raise PermissionDenied
    adult = AdultAtRisk.objects.select_for_update().select_related("concern").get(pk=adult.pk)
    if adult.decided_at is not None:
        raise ValidationError("This decision has already been made")
    answers = {"has_care_needs": has_care_needs, "at_risk": at_risk, "unable_to_protect": unable_to_protect}
    reasons = {"has_care_needs": has_care_needs_reason, "at_risk": at_risk_reason,
               "unable_to_protect": unable_to_protect_reason}
    errors = {}
    for name, message in TESTS:
        if answers[name] is None:
            errors[name] = message
        elif not (reasons[name] or "").strip():
            errors[f"{name}_reason"] = "Give your reasoning"
    met = all(answers.values())
    if not errors and not met and route not in AdultAtRisk.Route.values:
        errors["route"] = "Choose the route taken, as the tests are not all met"
    if errors:
        raise ValidationError(errors)
    for name, value in answers.items():
        setattr(adult, name, value)
        setattr(adult, f"{name}_reason", reasons[name].strip())
    adult.route = "" if met else route
    adult.outcome = (AdultAtRisk.Outcome.S42_ENQUIRY if met else
                     AdultAtRisk.Outcome.OTHER_ENQUIRY if other_enquiry else AdultAtRisk.Outcome.NO_ENQUIRY)
    adult.decided_by, adult.decided_at = user, timezone.now()
    adult.save()
    if adult.outcome != AdultAtRisk.Outcome.NO_ENQUIRY:
        from .enquiries import enquiry_open

        enquiry_open(adult=adult)
    concern = adult.concern
    if not concern.adults.filter(decided_at__isnull=True).exists():
        concern.status = SafeguardingConcern.Status.DECIDED
        concern.save(update_fields=["status", "updated_at"])
        notifications_resolve(key=_overdue_key(concern))
        notifications_resolve(key=_due_key(concern))
        notifications_resolve(key=f"sg-concern-{concern.pk}-received")
    return adult


@transaction.atomic
def access_grant(*, user, concern: SafeguardingConcern, grantee, reason: str) -> SafeguardingAccess:
    """Give one named person access to this concern, for a stated reason (audited, listed on the case)."""
    if not concern_policy.user_may(user, "grant"):
        raise PermissionDenied
    errors = {}
    if grantee is None or not grantee.is_active:
        errors["user"] = "Choose the person to give access to"
    if not (reason or "").strip():
        errors["reason"] = "Give the reason this person needs to see the concern"
    if grantee is not None and SafeguardingAccess.objects.filter(concern=concern, user=grantee, revoked_at__isnull=True).exists():
        errors["user"] = f"{grantee.get_full_name() or grantee} already has access"
    if errors:
        raise ValidationError(errors)
    access = SafeguardingAccess.objects.create(concern=concern, user=grantee, reason=reason.strip(), granted_by=user)
    concern_policy.grant(grantee, "view", concern)
    transaction.on_commit(lambda: notify(
        recipients=[grantee], kind="safeguarding_access", key=f"sg-access-{access.pk}",
        title=f"You have been given access to safeguarding concern {concern.reference}",
        url=reverse("safeguarding:concern", args=[concern.pk])))
    return access


@transaction.atomic
def access_revoke(*, user, access: SafeguardingAccess, reason: str) -> SafeguardingAccess:
    if not concern_policy.user_may(user, "grant"):
        raise PermissionDenied
    access = SafeguardingAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is not None:
        raise ValidationError("This access has already been taken away")
    if not (reason or "").strip():
        raise ValidationError({"revoke_reason": "Give the reason the access is taken away"})
    access.revoked_at, access.revoked_by, access.revoke_reason = timezone.now(), user, reason.strip()
    access.save()
    concern_policy.revoke(access.user, "view", access.concern)
    return access


@transaction.atomic
def decision_target_set(*, user, working_days: int, applies_from: datetime.date) -> DecisionTarget:
    errors = {}
    if working_days is None or not 1 <= working_days <= 60:
        errors["working_days"] = "Enter a number of working days from 1 to 60"
    if applies_from is None:
        errors["applies_from"] = "Enter the date it applies from"
    elif DecisionTarget.objects.filter(applies_from=applies_from).exists():
        errors["applies_from"] = "A target already applies from that date: choose another date"
    if errors:
        raise ValidationError(errors)
    return DecisionTarget.objects.create(working_days=working_days, applies_from=applies_from, set_by=user)


def safeguarding_merge(user, survivor, duplicate) -> dict[str, int]:
    """A merge moves the duplicate's safeguarding records too (clients' merge_handlers extension point)."""
    from clients.services import client_merge_move_rows

    from .models_dols import LibertyApplication

    moved = {}
    for model, field in ((AdultAtRisk, "client"), (LibertyApplication, "client")):
        moved.update(client_merge_move_rows(user=user, model=model, field=field, survivor=survivor, duplicate=duplicate))
    return moved


def decision_reminders(*, today: datetime.date | None = None) -> int:
    """Tell whoever makes s42 decisions in the safeguarding team about each concern whose decision is
    due today, and again once it is overdue: each once per concern (a second run, or a redelivered
    task, sends nothing)."""
    today = today or timezone.localdate()
    sent = 0
    targets = list(DecisionTarget.objects.all())
    awaiting = SafeguardingConcern.objects.filter(status=SafeguardingConcern.Status.AWAITING_DECISION,
                                                  team__isnull=False).select_related("team")
    for concern in awaiting.iterator(chunk_size=500):
        due = concern.decision_due(targets)
        if due == today:
            sent += notify_holders(
                permission=concern_policy.permission("decide"), team=concern.team, kind="safeguarding_decision_due",
                key=_due_key(concern), url=reverse("safeguarding:concern", args=[concern.pk]),
                title=f"Safeguarding concern {concern.reference}: the s42 decision is due today")
        if due >= today:
            continue
        sent += notify_holders(
            permission=concern_policy.permission("decide"), team=concern.team, kind="safeguarding_decision_overdue",
            key=_overdue_key(concern), url=reverse("safeguarding:concern", args=[concern.pk]),
            title=f"Safeguarding concern {concern.reference}: the s42 decision was due {due:%-d %b %Y}")
    return sent
