"""Care and support plans, reviews and the daily reminders job."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ascm.notifications.services import notify

from .models import Assessment, Episode, Review, SupportPlan

MET_BY = {"own_strengths": "The person's own strengths", "network": "Their support network",
          "community": "Community resources", "service": "Commissioned services"}
REVIEW_OUTCOMES = {"continue": "The plan continues as it is", "revise_plan": "The plan is revised",
                   "change_pathway": "A change of pathway", "close": "The plan ends: no further support needed"}
REVIEW_OUTCOME_CHOICES = list(REVIEW_OUTCOMES.items())  # named in the API schema's enums
MET_BY_CHOICES = list(MET_BY.items())


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def first_review_due(starts_on: datetime.date) -> datetime.date:
    """The light-touch review 6–8 weeks after the plan starts: scheduled at the end of that window."""
    return starts_on + datetime.timedelta(weeks=settings.ASCM_FIRST_REVIEW_WEEKS)


def next_review_due(completed_on: datetime.date) -> datetime.date:
    """At least every 12 months (configurable) after the last review."""
    return _add_months(completed_on, settings.ASCM_REVIEW_INTERVAL_MONTHS)


@transaction.atomic
def plan_create(*, user, client, outcomes: list[dict], contingency: str = "", personal_budget=None,
                starts_on: datetime.date | None = None, episode: Episode | None = None,
                assessment: Assessment | None = None) -> SupportPlan:
    """Write the care and support plan and schedule its first review."""
    if not outcomes:
        raise ValidationError({"outcomes": "Add at least one outcome the person wants"})
    for item in outcomes:
        if not str(item.get("outcome", "")).strip():
            raise ValidationError({"outcomes": "Describe each outcome the person wants"})
        if item.get("met_by") not in MET_BY:
            raise ValidationError({"outcomes": f"Say how ‘{item['outcome']}’ will be met"})
    plan = SupportPlan(client=client, episode=episode, assessment=assessment, author=user, outcomes=outcomes,
                       contingency=contingency, personal_budget=personal_budget,
                       starts_on=starts_on or timezone.localdate())
    plan.full_clean()
    plan.save()
    Review.objects.create(plan=plan, due_on=first_review_due(plan.starts_on))
    return plan


@transaction.atomic
def review_complete(*, user, review: Review, what_changed: str, outcome: str,
                    completed_on: datetime.date | None = None) -> Review:
    """Record a review; the next one is scheduled (unless the plan ends)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.completed_on:
        raise ValidationError("This review has already been recorded")
    completed_on = completed_on or timezone.localdate()
    if completed_on < review.plan.starts_on:
        raise ValidationError({"completed_on": "A review cannot be before the plan started"})
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "Choose what the review led to"})
    review.completed_on, review.reviewer, review.what_changed, review.outcome = completed_on, user, what_changed, outcome
    review.save()
    if outcome == "close":
        SupportPlan.objects.filter(pk=review.plan_id).update(ended_on=completed_on)
    else:
        Review.objects.create(plan=review.plan, due_on=next_review_due(completed_on))
    return review


def reviews_overdue(*, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return Review.objects.filter(completed_on__isnull=True, due_on__lt=on, plan__ended_on__isnull=True).select_related("plan__client")


def _people_to_tell(client) -> list:
    """The person's allocated workers and the managers of their teams."""
    from ascm.organisation.models import TeamMembership
    from clients.models import Allocation

    allocations = list(Allocation.objects.filter(client=client, ended_on__isnull=True).select_related("worker"))
    users = {a.worker for a in allocations if a.worker}
    managers = TeamMembership.objects.filter(team_id__in=[a.team_id for a in allocations], ended_on__isnull=True,
                                             role__slug="team-manager").select_related("user")
    return list(users | {m.user for m in managers})


def daily_reminders(*, today: datetime.date | None = None, batch: int = 1000) -> int:
    """Reviews due in the next 14 days or overdue, enablement episodes reaching their planned end, and
    assessments waiting for sign-off more than 5 working days. Streams in batches (never the whole
    county in memory); each reminder is sent once per occurrence (unique notification keys)."""
    today = today or timezone.localdate()
    sent = 0
    due = Review.objects.filter(completed_on__isnull=True, plan__ended_on__isnull=True,
                                due_on__lte=today + datetime.timedelta(days=14)).select_related("plan__client")
    for review in due.iterator(chunk_size=batch):
        state = "overdue" if review.due_on < today else "due"
        sent += notify(recipients=_people_to_tell(review.plan.client), kind=f"review_{state}",
                       key=f"review-{review.pk}-{state}", title=f"Review for {review.plan.client} {state} "
                       f"{review.due_on:%d %b %Y}", url=f"/people/{review.plan.client_id}/")
    ending = Episode.objects.filter(ended_on__isnull=True, pathway="promoting_independence",
                                    planned_end_on__lte=today + datetime.timedelta(days=7)).select_related("client")
    for episode in ending.iterator(chunk_size=batch):
        sent += notify(recipients=_people_to_tell(episode.client), kind="enablement_ending",
                       key=f"episode-{episode.pk}-ending", title=f"Enablement for {episode.client} reaches its planned "
                       f"end on {episode.planned_end_on:%d %b %Y}", url=f"/people/{episode.client_id}/")
    waiting_since = today - datetime.timedelta(days=7)  # 5 working days ≈ 7 calendar days
    waiting = Assessment.objects.filter(status=Assessment.Status.SUBMITTED, submitted_at__date__lte=waiting_since).select_related("client")
    for assessment in waiting.iterator(chunk_size=batch):
        sent += notify(recipients=_people_to_tell(assessment.client), kind="signoff_waiting",
                       key=f"assessment-{assessment.pk}-waiting", title=f"Assessment for {assessment.client} has "
                       "waited more than 5 working days for sign-off", url=f"/people/{assessment.client_id}/")
    sent += _age_reminders(today=today, batch=batch)
    return sent


AGE_MILESTONES = [
    (14 * 12, "age_14", "turns 14: start preparing for adulthood"),
    (18 * 12, "age_18", "turns 18: adult services' duties begin"),
    (25 * 12 + 6, "age_25_and_a_half", "is 25½: the transition to adult services (26+) is due"),
]


def _age_reminders(*, today: datetime.date, batch: int) -> int:
    """People known to us (with an open allocation) reaching 14, 18 or 25½ in the coming week."""
    from clients.models import Client

    sent = 0
    for months, kind, words in AGE_MILESTONES:
        latest_birth = _add_months(today, -months) + datetime.timedelta(days=7)
        earliest_birth = _add_months(today, -months)
        people = (Client.objects.filter(date_of_birth__gte=earliest_birth, date_of_birth__lte=latest_birth,
                                        archived_at__isnull=True, allocations__ended_on__isnull=True)
                  .distinct())
        for client in people.iterator(chunk_size=batch):
            sent += notify(recipients=_people_to_tell(client), kind=kind, key=f"client-{client.pk}-{kind}",
                           title=f"{client} {words}", url=f"/people/{client.pk}/")
    return sent
