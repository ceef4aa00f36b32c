"""The care-event ledger: the services that take a referral, complete an assessment and complete a
review write the event a statutory return counts, with a reference that never changes."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from clients.models import CareEvent
from pathways.care import assessments, plans
from pathways.referrals import services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_referral_is_a_request_opened_when_taken_and_completed_with_its_outcome(practitioner, person, canterbury):
    referral = services.referral_create(user=practitioner, client=person, source="hospital", referrer_name="Ward",
                                        hospital_discharge=True, ward="Ward 7", locality=canterbury)
    event = CareEvent.objects.get(event_type="request")
    assert event.reference == f"REQ{referral.pk:08d}" and event.end_date is None
    assert event.route_of_access == "discharge_from_hospital" and event.client == person
    services.referral_close(user=practitioner, referral=referral, outcome="information_and_advice")
    event.refresh_from_db()
    assert (event.end_date, event.outcome, event.reference) == (TODAY, "information_and_advice", f"REQ{referral.pk:08d}")
    assert CareEvent.objects.count() == 1  # the same event, brought up to date


def test_an_assessment_and_its_correction_are_one_event_with_one_reference(practitioner, manager, person):
    from tests.pathways.care.test_apis import ELIGIBLE

    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    draft = assessments.assessment_save_draft(user=practitioner, assessment=draft, expected_version=1, answers=ELIGIBLE)
    submitted = assessments.assessment_submit(user=practitioner, assessment=draft, expected_version=2,
                                              practitioner_agrees=True)
    signed = assessments.assessment_sign_off(user=manager, assessment=submitted)
    event = CareEvent.objects.get(event_type="assessment")
    assert (event.end_date, event.outcome, event.assessment_type) == (TODAY, "eligible", "long_term")
    correction = assessments.assessment_correct(user=practitioner, assessment=signed)
    assert correction.pk != signed.pk
    assert CareEvent.objects.filter(event_type="assessment").get().reference == f"ASM{signed.pk:08d}"


def test_a_completed_review_is_a_review_event(practitioner, person):
    plan = plans.plan_create(user=practitioner, client=person, outcomes=[{"outcome": "Cook", "met_by": "service"}])
    review = plan.reviews.get()
    plans.review_complete(user=practitioner, review=review, what_changed="Cooking again", outcome="continue")
    event = CareEvent.objects.get(event_type="review")
    assert (event.reference, event.start_date, event.outcome) == (f"REV{review.pk:08d}", TODAY, "continue")


def test_the_backfill_migration_writes_the_events_of_existing_records_once(practitioner, manager, person, canterbury):
    referral = services.referral_create(user=practitioner, client=person, source="gp", referrer_name="Dr S",
                                        locality=canterbury)
    plan = plans.plan_create(user=practitioner, client=person, outcomes=[{"outcome": "Cook", "met_by": "service"}])
    plans.review_complete(user=practitioner, review=plan.reviews.get(), what_changed="x", outcome="close")
    before = {e.reference: e.source_id for e in CareEvent.objects.all()}
    CareEvent.objects.all().delete()  # as if made before the ledger existed
    backfill = importlib.import_module("pathways.migrations.0010_care_event_backfill")
    # The models as that migration knew them (still in pathways then; the tables are the same).
    historical = MigrationLoader(connection).project_state(("pathways", "0010_care_event_backfill")).apps
    backfill.forward(historical, None)
    backfill.forward(historical, None)  # run twice: nothing doubled
    assert {e.reference: e.source_id for e in CareEvent.objects.all()} == before
    assert CareEvent.objects.get(event_type="request").source_id == referral.pk
