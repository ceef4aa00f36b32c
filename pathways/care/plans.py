"""Care and support plans, reviews and the daily reminders job."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ascm.core.dates import add_months, date_check, nth_working_day_back
from ascm.notifications.services import notify_many
from clients.models import CareEvent
from clients.services import care_event_record

from .models import Assessment, Episode, ReminderThreshold, Review, SupportPlan

MET_BY = {"own_strengths": "The person's own strengths", "network": "Their support network",
          "community": "Community resources", "service": "Commissioned services"}
REVIEW_OUTCOMES = {"continue": "The plan continues as it is", "revise_plan": "The plan is revised",
                   "change_pathway": "A change of pathway", "close": "The plan ends: no further support needed"}
REVIEW_OUTCOME_CHOICES = list(REVIEW_OUTCOMES.items())  # named in the API schema's enums
MET_BY_CHOICES = list(MET_BY.items())


_add_months = add_months  # kept under its old name for the callers here


def first_review_due(starts_on: datetime.date) -> datetime.date:
    """The light-touch review 6–8 weeks after the plan starts: scheduled at the end of that window."""
    return starts_on + datetime.timedelta(weeks=settings.ASCM_FIRST_REVIEW_WEEKS)


def next_review_due(completed_on: datetime.date) -> datetime.date:
    """At least every 12 months (configurable) after the last review."""
    return _add_months(completed_on, settings.ASCM_REVIEW_INTERVAL_MONTHS)


@transaction.atomic
def plan_create(*, user, client, outcomes: list[dict], contingency: str = "",
                starts_on: datetime.date | None = None, episode: Episode | None = None,
                assessment: Assessment | None = None) -> SupportPlan:
    """Write the care and support plan and schedule its first review."""
    date_check(starts_on, field="starts_on", label="The plan's start date",
               not_before=timezone.localdate() - datetime.timedelta(days=3650))
    if not outcomes:
        raise ValidationError({"outcomes": "Add at least one outcome the person wants"})
    for item in outcomes:
        if not str(item.get("outcome", "")).strip():
            raise ValidationError({"outcomes": "Describe each outcome the person wants"})
        if item.get("met_by") not in MET_BY:
            raise ValidationError({"outcomes": f"Say how ‘{item['outcome']}’ will be met"})
    plan = SupportPlan(client=client, episode=episode, assessment=assessment, author=user, outcomes=outcomes,
                       contingency=contingency,
                       starts_on=starts_on or timezone.localdate())
    plan.full_clean()
    plan.save()
    Review.objects.create(plan=plan, due_on=first_review_due(plan.starts_on))
    return plan


@transaction.atomic
def review_complete(*, user, review: Review, what_changed: str, outcome: str,
                    completed_on: datetime.date | None = None, outcomes_achieved: str = "") -> Review:
    """Record a review; the next one is scheduled (unless the plan ends)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.completed_on:
        raise ValidationError("This review has already been recorded")
    completed_on = completed_on or timezone.localdate()
    date_check(completed_on, field="completed_on", label="The date of the review", future=False)
    if completed_on < review.plan.starts_on:
        raise ValidationError({"completed_on": "A review cannot be before the plan started"})
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "Choose what the review led to"})
    if outcomes_achieved and outcomes_achieved not in dict(Review._meta.get_field("outcomes_achieved").choices):
        raise ValidationError({"outcomes_achieved": "Choose how far the plan's outcomes were achieved"})
    review.completed_on, review.reviewer, review.what_changed, review.outcome = completed_on, user, what_changed, outcome
    review.outcomes_achieved = outcomes_achieved
    review.save()
    care_event_record(client=review.plan.client, event_type=CareEvent.Type.REVIEW, source=review, start_date=completed_on,
                      end_date=completed_on, outcome=outcome,
                      details={"outcomes_achieved": outcomes_achieved} if outcomes_achieved else None)
    if outcome == "close":
        SupportPlan.objects.filter(pk=review.plan_id).update(ended_on=completed_on)
    else:
        Review.objects.create(plan=review.plan, due_on=next_review_due(completed_on))
    return review


def reviews_overdue(*, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return Review.objects.filter(completed_on__isnull=True, due_on__lt=on, plan__ended_on__isnull=True).select_related("plan__client")


def _batches(queryset, size: int):
    """Stream a queryset in lists of `size` (a server-side cursor: never the whole county in memory)."""
    batch = []
    for obj in queryset.iterator(chunk_size=size):
        batch.append(obj)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _people_to_tell(client_ids) -> dict[int, set[int]]:
    """For each person: their allocated workers and the managers of their teams (two queries a batch)."""
    from clients.models import Allocation

    from .permissions import assessment_policy

    allocations = list(Allocation.objects.filter(client_id__in=client_ids, ended_on__isnull=True)
                       .values_list("client_id", "team_id", "worker_id"))
    managers: dict[int, set[int]] = {}
    signers = assessment_policy.memberships_with("sign_off", team_ids={team for _, team, _ in allocations})
    for team_id, user_id in signers.values_list("team_id", "user_id"):
        managers.setdefault(team_id, set()).add(user_id)
    people: dict[int, set[int]] = {}
    for client_id, team_id, worker_id in allocations:
        tell = people.setdefault(client_id, set())
        tell |= managers.get(team_id, set())
        if worker_id:
            tell.add(worker_id)
    return people


def _remind(queryset, batch: int, client_id, reminder) -> int:
    """Send `reminder(obj) -> (kind, key, title, url)` about each object to the people to tell."""
    sent = 0
    for objects in _batches(queryset, batch):
        tell = _people_to_tell({client_id(o) for o in objects})
        sent += notify_many([(tell.get(client_id(o), ()), *reminder(o)) for o in objects])
    return sent


def daily_reminders(*, today: datetime.date | None = None, batch: int = 1000) -> int:
    """Reviews due soon or overdue, enablement episodes reaching their planned end, assessments waiting
    too long for sign-off, and young people reaching 14, 18 and 25½: how soon and how long are the
    ReminderThreshold rows in force today (14 days, 7 days, 5 working days and 7 days by default).
    Streams in batches with a fixed number of queries per batch; each reminder is sent once per
    occurrence (unique notification keys), however often the job runs."""
    today = today or timezone.localdate()
    limits = {name: ReminderThreshold.value_on(name, today) for name in ReminderThreshold.Name.values}
    due = (Review.objects.filter(completed_on__isnull=True, plan__ended_on__isnull=True,
                                 due_on__lte=today + datetime.timedelta(days=limits["review_due_days"]))
           .select_related("plan__client").order_by("pk"))

    def review_reminder(review):
        state = "overdue" if review.due_on < today else "due"
        return (f"review_{state}", f"review-{review.pk}-{state}",
                f"Review for {review.plan.client} {state} {review.due_on:%d %b %Y}", reverse("care:plan", args=[review.plan_id]))

    sent = _remind(due, batch, lambda r: r.plan.client_id, review_reminder)
    ending = (Episode.objects.filter(ended_on__isnull=True, pathway="promoting_independence",
                                     planned_end_on__lte=today + datetime.timedelta(days=limits["enablement_ending_days"]))
              .select_related("client").order_by("pk"))
    sent += _remind(ending, batch, lambda e: e.client_id, lambda e: (
        "enablement_ending", f"episode-{e.pk}-ending",
        f"Enablement for {e.client} reaches its planned end on {e.planned_end_on:%d %b %Y}", reverse("clients:record", args=[e.client_id])))
    # Waiting more than N working days: at least N+1 working days up to today since the day it was
    # submitted, so submitted before the (N+1)th most recent working day.
    wait = limits["signoff_waiting_working_days"]
    waiting_since = nth_working_day_back(today, wait + 1)
    waiting = (Assessment.objects.filter(status=Assessment.Status.SUBMITTED, submitted_at__date__lt=waiting_since)
               .select_related("client").order_by("pk"))
    sent += _remind(waiting, batch, lambda a: a.client_id, lambda a: (
        "signoff_waiting", f"assessment-{a.pk}-waiting",
        f"Assessment for {a.client} has waited more than {wait} working days for sign-off",
        reverse("care:assessment", args=[a.pk])))
    sent += _age_reminders(today=today, batch=batch, notice_days=limits["age_notice_days"])
    return sent


AGE_MILESTONES = [
    (14 * 12, "age_14", "turns 14: start preparing for adulthood"),
    (18 * 12, "age_18", "turns 18: adult services' duties begin"),
    (25 * 12 + 6, "age_25_and_a_half", "is 25½: the transition to adult services (26+) is due"),
]


def _age_reminders(*, today: datetime.date, batch: int, notice_days: int) -> int:
    """People known to us (with an open allocation) reaching 14, 18 or 25½ within `notice_days`."""
    from clients.models import Client

    sent = 0
    for months, kind, words in AGE_MILESTONES:
        latest_birth = _add_months(today, -months) + datetime.timedelta(days=notice_days)
        earliest_birth = _add_months(today, -months)
        people = (Client.objects.filter(date_of_birth__gte=earliest_birth, date_of_birth__lte=latest_birth,
                                        archived_at__isnull=True, allocations__ended_on__isnull=True)
                  .distinct())
        sent += _remind(people.order_by("pk"), batch, lambda c: c.pk, lambda c, kind=kind, words=words: (
            kind, f"client-{c.pk}-{kind}", f"{c} {words}", reverse("clients:record", args=[c.pk])))
    return sent
