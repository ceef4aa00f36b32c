"""MDT rules: scheduling, the consent check, discussions into the chronology, actions, the caseload
review against a hand-worked example, and reallocation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.notifications.models import Notification
from clients.models import Allocation, CaseNote
from mdt import selectors, services
from mdt.models import Action, CaseloadWeight, Meeting
from pathways.care import plans
from pathways.care.models import Assessment, Episode
from pathways.referrals.models import Referral
from tests.clients.factories import ClientFactory, allocate
from tests.factories import UserFactory, member

from .factories import held, meeting, overdue, practice

pytestmark = pytest.mark.django_db


def test_a_meeting_in_the_past_cannot_be_scheduled(practitioner, canterbury):
    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(user=practitioner, locality=canterbury, title="City MDT",
                                  starts_at=timezone.now() - datetime.timedelta(hours=2), gp_practice=practice(canterbury))
    assert error.value.message_dict["starts_at"] == ["A new meeting must be in the future: this date and time has passed"]


def test_a_recurring_meeting_is_scheduled_12_weeks_ahead_once(practitioner, canterbury):
    first = services.meeting_schedule(user=practitioner, locality=canterbury, title="Every second Monday",
                                      starts_at=timezone.now() + datetime.timedelta(days=1),
                                      gp_practice=practice(canterbury), every_weeks=2)
    assert first.series.meetings.count() == 6  # days 1, 15, ... 71: within 12 weeks
    assert services.series_extend(series=first.series) == 0  # the daily job runs again: nothing twice
    later = timezone.localdate() + datetime.timedelta(weeks=4)
    assert services.series_extend(series=first.series, today=later) == 2


def test_a_person_without_consent_needs_a_lawful_basis(practitioner, canterbury):
    mdt = meeting(practitioner, canterbury)
    person = ClientFactory(consent_to_share="refused")
    with pytest.raises(ValidationError) as error:
        services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Physio view")
    assert "has not given consent to share with health partners (refused)" in error.value.message_dict["lawful_basis"][0]
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Physio view",
                               lawful_basis="Vital interests: risk of serious harm")
    assert item.consent_at_adding == "refused"
    consenting = ClientFactory(consent_to_share="given")
    assert services.agenda_add(user=practitioner, meeting=mdt, client=consenting, reason="Falls", ask="Review").lawful_basis == ""


def test_the_same_person_cannot_be_added_twice_to_one_agenda(practitioner, canterbury):
    mdt = meeting(practitioner, canterbury)
    person = ClientFactory(consent_to_share="given")
    services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review")
    with pytest.raises(ValidationError) as error:
        services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Again", ask="Again")
    assert error.value.message_dict["client"] == [f"{person} is already on the agenda for this meeting"]


def test_a_discussion_goes_into_the_chronology_and_the_meeting_is_held(practitioner, canterbury):
    mdt = meeting(practitioner, canterbury)
    person = ClientFactory(consent_to_share="given")
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review")
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.discussion_record(user=practitioner, item=item, summary="Too early")
    held(mdt)
    item = services.discussion_record(user=practitioner, item=item, summary="Agreed a physio referral",
                                      decisions="GP to refer")
    note = CaseNote.objects.get(client=person)
    assert note.note_type == "mdt_discussion" and "Agreed a physio referral" in note.text and "GP to refer" in note.text
    assert Meeting.objects.get(pk=mdt.pk).status == "held"
    services.discussion_record(user=practitioner, item=item, summary="Corrected: OT referral")
    assert CaseNote.objects.get(client=person, amends=note).text.endswith("Corrected: OT referral")


def test_an_action_needs_an_owner_and_a_due_date_and_partners_can_own_one(practitioner, canterbury):
    mdt = meeting(practitioner, canterbury)
    item = services.agenda_add(user=practitioner, meeting=mdt, client=ClientFactory(consent_to_share="given"),
                               reason="Falls", ask="Review")
    with pytest.raises(ValidationError) as error:
        services.action_add(user=practitioner, item=item, description="Refer to physio", due_on=None)
    assert error.value.message_dict == {"owner": ["Choose who owns the action"],
                                        "due_on": ["Enter the date the action is due"]}
    gp = services.attendee_add(meeting=mdt, name="Dr A Synthetic", role="GP", organisation="Synthetic Surgery")
    with pytest.raises(ValidationError, match="today or in the future"):
        services.action_add(user=practitioner, item=item, description="Refer to physio", owner_attendee=gp,
                            due_on=timezone.localdate() - datetime.timedelta(days=1))
    action = overdue(services.action_add(user=practitioner, item=item, description="Refer to physio", owner_attendee=gp,
                                         due_on=timezone.localdate()))
    assert action.is_overdue() and action.owner_display == "Dr A Synthetic, GP, Synthetic Surgery"
    services.action_set_status(user=practitioner, action=action, status="done")
    assert not action.is_overdue() and action.completed_on == timezone.localdate()
    other_meeting = meeting(practitioner, canterbury, title="Other")
    with pytest.raises(ValidationError, match="attendee of this meeting"):
        services.action_add(user=practitioner, item=services.agenda_add(
            user=practitioner, meeting=other_meeting, client=ClientFactory(consent_to_share="given"), reason="r", ask="a"),
            description="x", owner_attendee=gp, due_on=timezone.localdate())


def test_a_partner_attendee_needs_a_name_and_organisation(practitioner, canterbury):
    with pytest.raises(ValidationError) as error:
        services.attendee_add(meeting=meeting(practitioner, canterbury), role="Community nurse")
    assert set(error.value.message_dict) == {"name", "organisation"}


def test_the_caseload_review_against_a_hand_worked_example(canterbury_team, canterbury, manager,
                                                           django_capture_on_commit_callbacks):
    for pathway, weight, complex_weight in (("default", "1.0", None), ("supporting_independence", "2.0", "3.0"),
                                            ("promoting_independence", "1.5", None)):
        CaseloadWeight.objects.update_or_create(pathway=pathway, defaults={
            "weight": Decimal(weight), "complex_weight": complex_weight and Decimal(complex_weight)})
    ann, ben = UserFactory(first_name="Ann", last_name="A"), UserFactory(first_name="Ben", last_name="B")
    member(ann, canterbury_team, "practitioner")
    member(ben, canterbury_team, "practitioner")
    today = timezone.localdate()
    si, pi, none = (allocate(ClientFactory(consent_to_share="given"), canterbury_team, worker=ann).client for _ in range(3))
    bens = allocate(ClientFactory(), canterbury_team, worker=ben).client
    bens_complex = allocate(ClientFactory(safety_flags=["lone_worker"]), canterbury_team, worker=ben).client
    Episode.objects.create(client=si, pathway="supporting_independence", team=canterbury_team, worker=ann)
    Episode.objects.create(client=pi, pathway="promoting_independence", team=canterbury_team, worker=ann)
    Episode.objects.create(client=bens, pathway="supporting_independence", team=canterbury_team, worker=ben)
    Episode.objects.create(client=bens_complex, pathway="supporting_independence", team=canterbury_team, worker=ben)
    Episode.objects.create(client=none, pathway="promoting_wellbeing", team=canterbury_team, worker=ann,
                           ended_on=today, outcome="no_ongoing_support")  # closed: counts the default weight
    for status in ("draft", "returned", "submitted"):
        Assessment.objects.create(kind="needs", client=si, author=ann, status=status)
    plans.plan_create(user=ann, client=si, outcomes=[{"outcome": "A", "met_by": "network"}],
                      starts_on=today - datetime.timedelta(weeks=10))  # its first review is overdue
    earlier = held(meeting(manager, canterbury, title="Earlier"), days_ago=20)
    last = held(meeting(manager, canterbury, title="Last", gp_practice=earlier.gp_practice), days_ago=2)
    for mdt, person in ((earlier, si), (last, pi)):
        item = _add_held(ann, mdt, person)
        services.discussion_record(user=ann, item=item, summary="Discussed")
    overdue(services.action_add(user=ann, item=item, description="Late", owner=ann, due_on=today))
    services.action_add(user=ann, item=item, description="Not yet", owner=ben, due_on=today + datetime.timedelta(days=1))
    Referral.objects.create(client=bens, locality=canterbury, team=canterbury_team, status="routed",
                            received_at=timezone.now() - datetime.timedelta(days=3), referrer_name="GP")

    review = selectors.caseload_review(team_ids=[canterbury_team.pk])
    rows = {row["user"].first_name: row for row in review["rows"]}
    assert {k: rows["Ann"][k] for k in ("allocated", "weighted", "drafts", "awaiting", "reviews_overdue",
                                        "actions_overdue", "discussed")} == {
        "allocated": 3, "weighted": Decimal("4.5"), "drafts": 2, "awaiting": 1, "reviews_overdue": 1,
        "actions_overdue": 1, "discussed": 1}
    # Ben: one Supporting Independence case (2.0) and one complex one with a safety flag (3.0).
    assert (rows["Ben"]["allocated"], rows["Ben"]["weighted"], rows["Ben"]["actions_overdue"]) == (2, Decimal("5.0"), 0)
    assert review["teams"][0].oldest_unallocated.date() == today - datetime.timedelta(days=3)
    only_si = selectors.caseload_review(team_ids=[canterbury_team.pk], pathway="supporting_independence")
    assert {r["user"].first_name: r["allocated"] for r in only_si["rows"]} == {"Ann": 1, "Ben": 2}
    assert [a.client for a in selectors.caseload_drilldown(worker_id=ann.pk, team_ids=[canterbury_team.pk],
                                                           figure="discussed")] == [pi]


def _add_held(user, mdt, person):
    """Agenda items are added before a meeting; put the meeting back in the future to add one."""
    starts = mdt.starts_at
    Meeting.objects.filter(pk=mdt.pk).update(starts_at=timezone.now() + datetime.timedelta(days=1))
    item = services.agenda_add(user=user, meeting=Meeting.objects.get(pk=mdt.pk), client=person, reason="r", ask="a")
    Meeting.objects.filter(pk=mdt.pk).update(starts_at=starts)
    item.meeting.refresh_from_db()
    return item


def test_the_caseload_review_makes_the_same_number_of_queries_for_any_team_size(canterbury_team, manager,
                                                                               django_assert_max_num_queries):
    for _ in range(4):
        worker = UserFactory()
        member(worker, canterbury_team, "practitioner")
        for _ in range(5):
            allocate(ClientFactory(), canterbury_team, worker=worker)
    with django_assert_max_num_queries(9):
        review = selectors.caseload_review(team_ids=[canterbury_team.pk])
    assert sum(row["allocated"] for row in review["rows"]) == 20


def test_reallocation_keeps_history_and_tells_both_practitioners(canterbury_team, thanet_team, manager,
                                                                 django_capture_on_commit_callbacks):
    ann, ben, outsider = UserFactory(), UserFactory(), UserFactory()
    member(ann, canterbury_team, "practitioner")
    member(ben, canterbury_team, "practitioner")
    member(outsider, thanet_team, "practitioner")
    people = [allocate(ClientFactory(), canterbury_team, worker=ann).client for _ in range(2)]
    episode = Episode.objects.create(client=people[0], pathway="supporting_independence", team=canterbury_team,
                                     worker=ann)
    with pytest.raises(ValidationError) as error:
        services.caseload_reallocate(user=manager, team=canterbury_team, client_ids=[p.pk for p in people],
                                     to_worker=outsider, reason="Leave")
    assert f"is not a member of {canterbury_team}" in error.value.message_dict["to_worker"][0]
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.caseload_reallocate(user=manager, team=canterbury_team, client_ids=[p.pk for p in people],
                                             to_worker=ben, reason="Ann on long-term leave")
    assert len(moved) == 2
    for person in people:
        history = list(Allocation.objects.filter(client=person).order_by("pk"))
        assert [(a.worker, a.ended_on is None) for a in history] == [(ann, False), (ben, True)]
        assert "Ann on long-term leave" in history[1].reason
    assert Notification.objects.get(recipient=ann, kind="reallocated_away").title.startswith("2 of your people moved")
    episode.refresh_from_db()
    assert episode.worker == ben  # the open episode follows the person
    assert Notification.objects.get(recipient=ben, kind="reallocated_to_you")


def test_actions_owned_by_a_user_are_on_their_work_page_overdue_highlighted(practitioner, canterbury, client):
    mdt = meeting(practitioner, canterbury)
    item = services.agenda_add(user=practitioner, meeting=mdt, client=ClientFactory(consent_to_share="given"),
                               reason="r", ask="a")
    overdue(services.action_add(user=practitioner, item=item, description="Phone the daughter", owner=practitioner,
                                due_on=timezone.localdate()), days=2)
    client.force_login(practitioner)
    page = client.get("/work/").content.decode()
    assert "Phone the daughter" in page and "Overdue" in page
    assert Action.objects.get().status == "open"


def test_a_person_taken_off_the_agenda_leaves_the_pack_and_can_be_added_again(practitioner, canterbury):
    mdt = meeting(practitioner, canterbury)
    person = ClientFactory(consent_to_share="given")
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review")
    with pytest.raises(ValidationError) as error:
        services.agenda_withdraw(user=practitioner, item=item, reason=" ")
    assert "reason" in error.value.message_dict
    services.agenda_withdraw(user=practitioner, item=item, reason="Added to the wrong meeting")
    assert selectors.meeting_agenda(meeting=mdt) == []
    again = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review")
    assert [i.pk for i in selectors.meeting_agenda(meeting=mdt)] == [again.pk]
    held(mdt)
    services.discussion_record(user=practitioner, item=again, summary="Discussed")
    with pytest.raises(ValidationError, match="has been discussed"):
        services.agenda_withdraw(user=practitioner, item=again, reason="Too late")
    with pytest.raises(ValidationError, match="taken off the agenda"):
        services.discussion_record(user=practitioner, item=item, summary="Should not be recorded")


def test_the_caseload_weighting_reads_indexes_alone_and_an_interpreter_makes_a_case_complex(canterbury_team, manager):
    """Weighting thousands of allocations looks up each person's current episode and flags: each from
    an index whose condition is the query's own, never from the person's whole row."""
    from django.db import connection

    from tests.plans import index_plan

    worker = member(UserFactory(first_name="Cal"), canterbury_team, "practitioner").user
    CaseloadWeight.objects.update_or_create(pathway="promoting_independence", defaults={
        "weight": Decimal("1.5"), "complex_weight": Decimal("2.5")})
    needs_interpreter = allocate(ClientFactory(interpreter_needed=True), canterbury_team, worker=worker).client
    Episode.objects.create(client=needs_interpreter, pathway="promoting_independence", team=canterbury_team,
                           worker=worker, started_on=timezone.localdate() - datetime.timedelta(days=30))
    rows = {row["user"].pk: row for row in selectors.caseload_review(team_ids=[canterbury_team.pk])["rows"]}
    assert rows[worker.pk]["weighted"] == Decimal("2.5")
    if connection.vendor != "postgresql":
        pytest.skip("partial indexes are PostgreSQL's here")
    plan = index_plan(selectors._allocations([canterbury_team.pk]).annotate(complex=selectors._complex()))
    assert "client_more_time_idx" in plan and "episode_current_idx" in plan, plan
