"""Care and support plans, review due dates, and the daily reminders job."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ascm.notifications.models import Notification
from pathways.care import plans
from pathways.care.models import Review
from tests.clients.factories import ClientFactory, allocate

pytestmark = pytest.mark.django_db
OUTCOMES = [{"outcome": "Get to the lunch club on Tuesdays", "met_by": "community", "how": "Community transport"}]


def test_the_first_review_is_due_within_6_to_8_weeks_then_every_12_months(practitioner):
    plan = plans.plan_create(user=practitioner, client=ClientFactory(), outcomes=OUTCOMES,
                             starts_on=datetime.date(2026, 1, 31))
    first = plan.reviews.get()
    assert datetime.timedelta(weeks=6) <= first.due_on - plan.starts_on <= datetime.timedelta(weeks=8)
    plans.review_complete(user=practitioner, review=first, what_changed="Settled", outcome="continue",
                          completed_on=datetime.date(2026, 3, 20))
    assert plan.reviews.get(completed_on__isnull=True).due_on == datetime.date(2027, 3, 20)
    assert plans.next_review_due(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_a_plan_needs_outcomes_and_how_each_is_met(practitioner):
    with pytest.raises(ValidationError):
        plans.plan_create(user=practitioner, client=ClientFactory(), outcomes=[])
    with pytest.raises(ValidationError, match="will be met"):
        plans.plan_create(user=practitioner, client=ClientFactory(), outcomes=[{"outcome": "Cook again"}])


def test_a_review_before_the_plan_started_is_refused(practitioner):
    plan = plans.plan_create(user=practitioner, client=ClientFactory(), outcomes=OUTCOMES, starts_on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError) as error:
        plans.review_complete(user=practitioner, review=plan.reviews.get(), what_changed="", outcome="continue",
                              completed_on=datetime.date(2026, 5, 1))
    assert "completed_on" in error.value.message_dict


def test_daily_reminders_tell_the_worker_and_manager_once(practitioner, manager, canterbury_team):
    person = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    plan = plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, starts_on=datetime.date(2026, 1, 1))
    today = datetime.date(2026, 3, 1)  # the first review (26 Feb) is overdue
    assert plans.daily_reminders(today=today) == 2
    assert plans.daily_reminders(today=today) == 0  # the job runs again: nobody is told twice
    assert set(Notification.objects.filter(kind="review_overdue").values_list("recipient__username", flat=True)) == {
        practitioner.username, manager.username}
    assert list(plans.reviews_overdue(on=today)) == [Review.objects.get(plan=plan)]


@pytest.mark.parametrize("years, months, kind", [(14, 0, "age_14"), (18, 0, "age_18"), (25, 6, "age_25_and_a_half")])
def test_young_people_reaching_14_18_and_25_and_a_half_are_flagged_once(practitioner, canterbury_team, years, months, kind):
    today = datetime.date(2026, 11, 23)
    born = plans._add_months(today, -(years * 12 + months)) + datetime.timedelta(days=3)  # the milestone is in 3 days
    allocate(ClientFactory(date_of_birth=born), canterbury_team, worker=practitioner)
    allocate(ClientFactory(date_of_birth=born - datetime.timedelta(days=60)), canterbury_team, worker=practitioner)
    plans.daily_reminders(today=today)
    plans.daily_reminders(today=today)
    assert Notification.objects.filter(kind=kind, recipient=practitioner).count() == 1


def test_the_daily_job_works_in_batches_with_a_fixed_number_of_queries(practitioner, manager, canterbury_team,
                                                                       django_assert_max_num_queries):
    today = datetime.date(2026, 3, 1)
    for _ in range(25):
        person = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
        plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, starts_on=datetime.date(2026, 1, 1))
    # 4 reminder kinds + 3 age milestones, each: a streamed select, then per batch two lookups and one
    # duplicate check and one insert; whatever the number of people.
    with django_assert_max_num_queries(30):
        assert plans.daily_reminders(today=today, batch=1000) == 50
    with django_assert_max_num_queries(40):
        assert plans.daily_reminders(today=today, batch=10) == 0  # three batches of reviews, nothing new


def test_sign_off_reminders_count_working_days_without_bank_holidays(practitioner, manager, canterbury_team):
    from django.utils import timezone

    from pathways.care.models import Assessment

    person = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    submitted = timezone.make_aware(datetime.datetime(2026, 12, 17, 15, 0))  # a Thursday before Christmas
    Assessment.objects.create(kind="needs", client=person, author=practitioner, status="submitted",
                              submitted_at=submitted)
    # Working days since: 18, 21, 22, 23, 24 December (25 and 28 are bank holidays), then 29 December.
    assert plans.daily_reminders(today=datetime.date(2026, 12, 28)) == 0
    plans.daily_reminders(today=datetime.date(2026, 12, 29))
    assert Notification.objects.filter(kind="signoff_waiting", recipient=manager).exists()


def test_reminder_thresholds_are_dated_data_that_change_reminders_from_their_date(practitioner, canterbury_team):
    from pathways.care.models import ReminderThreshold

    person = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    today = datetime.date(2026, 3, 1)
    plans.plan_create(user=practitioner, client=person, outcomes=OUTCOMES, starts_on=today - datetime.timedelta(weeks=5))
    # The first review is due in 3 weeks: outside the default 14 days, so nobody is told yet.
    assert plans.daily_reminders(today=today) == 0
    ReminderThreshold.objects.create(name="review_due_days", value=30, effective_from=today + datetime.timedelta(days=1))
    assert plans.daily_reminders(today=today) == 0  # a new threshold changes nothing before its date
    assert plans.daily_reminders(today=today + datetime.timedelta(days=1)) == 1
    assert Notification.objects.filter(kind="review_due", recipient=practitioner).exists()
    assert ReminderThreshold.value_on("review_due_days", today) == 14  # the history of what applied stays
