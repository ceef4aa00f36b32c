import pytest

from ascm.notifications.models import Notification
from pathways.referrals.models import Referral
from tests.clients.factories import ClientFactory, allocate
from tests.conftest import as_user
from tests.pathways.referrals.test_routing import _person, kent  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _body(client, **fields):
    return {"client": client.pk, "source": "hospital", "referrer_name": "Ward 7 sister", "urgency": "urgent",
            "hospital_discharge": True, "ward": "Ward 7", **fields}


def test_referral_taken_through_the_api_is_routed(api, kent, practitioner, canterbury,  # noqa: F811
                                                 django_capture_on_commit_callbacks):
    person = _person(82, locality=canterbury)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api, practitioner).post("/api/v1/referrals/", _body(person), format="json")
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.status == Referral.Status.ROUTED  # tasks run in-process in unit tests
    assert referral.routing_reason.startswith("Rule 4:")


def test_a_referral_is_taken_in_a_bounded_number_of_queries(api, kent, practitioner, canterbury,  # noqa: F811
                                                           django_assert_max_num_queries):
    """Taken, recorded in the ledger and audited, without reading the person, the locality or the user
    again one by one (each was one more query of every referral)."""
    from clients.models import CareEvent

    caller = as_user(api, practitioner)
    caller.post("/api/v1/referrals/", _body(_person(81, locality=canterbury)), format="json")  # warms the caches
    person = _person(82, locality=canterbury)
    with django_assert_max_num_queries(20):
        response = caller.post("/api/v1/referrals/", _body(person), format="json")
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get(pk=response.json()["id"])
    event = CareEvent.objects.get(source_model="referrals.referral", source_id=referral.pk)
    assert (event.reference, event.route_of_access, event.details) == (
        f"REQ{referral.pk:08d}", "discharge_from_hospital", {"source": "hospital"})


def test_expected_discharge_before_admission_is_a_field_error(api, kent, practitioner, canterbury):  # noqa: F811
    person = allocate(ClientFactory(locality=canterbury), practitioner.memberships.get().team).client
    response = as_user(api, practitioner).post(
        "/api/v1/referrals/", _body(person, admitted_on="2026-11-20", expected_discharge_on="2026-11-10"), format="json")
    assert response.status_code == 400
    assert "expected_discharge_on" in response.json()["errors"]


def test_a_referral_needs_the_role_to_take_referrals(api, kent, auditor, canterbury):  # noqa: F811
    person = ClientFactory(locality=canterbury)
    response = as_user(api, auditor).post("/api/v1/referrals/", _body(person), format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_another_localitys_practitioner_cannot_see_the_referral(api, kent, practitioner, thanet_practitioner,  # noqa: F811
                                                                canterbury, django_capture_on_commit_callbacks):
    person = _person(82, locality=canterbury)
    with django_capture_on_commit_callbacks(execute=True):
        created = as_user(api, practitioner).post("/api/v1/referrals/", _body(person), format="json").json()
    other = as_user(api, thanet_practitioner)
    assert other.get(f"/api/v1/referrals/{created['id']}/").status_code == 404
    assert other.get("/api/v1/referrals/").json()["count"] == 0


def test_allocate_and_notifications_inbox(api, kent, manager, canterbury, django_capture_on_commit_callbacks):  # noqa: F811
    team = kent["promoting_independence"]
    from tests.factories import member

    member(manager, team, "team-manager")
    worker = team.memberships.filter(role__slug="practitioner").get().user
    person = _person(82, locality=canterbury)
    with django_capture_on_commit_callbacks(execute=True):
        created = as_user(api, manager).post("/api/v1/referrals/", _body(person), format="json").json()
    created = as_user(api, manager).get(f"/api/v1/referrals/{created['id']}/").json()
    assert created["team"] == team.pk
    response = as_user(api, manager).post(f"/api/v1/referrals/{created['id']}/allocate/", {"worker": worker.pk}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "allocated"
    again = as_user(api, manager).post(f"/api/v1/referrals/{created['id']}/allocate/", {"worker": worker.pk}, format="json")
    assert again.status_code == 400 and "already allocated" in str(again.json()["errors"])

    inbox = as_user(api, worker).get("/api/v1/notifications/?read_at__isnull=true").json()
    assert {n["kind"] for n in inbox["results"]} == {"referral_routed", "referral_allocated"}
    as_user(api, worker).post("/api/v1/notifications/read-all/")
    assert not Notification.objects.filter(recipient=worker, read_at__isnull=True).exists()


def test_routing_rules_are_written_by_administrators_only(api, kent, administrator, practitioner):  # noqa: F811
    rule = {"position": 8, "name": "Carers", "required_flags": ["carer_needs_support"],
            "target_team_type": "integrated_triage", "target_pathway": "promoting_wellbeing"}
    assert as_user(api, practitioner).post("/api/v1/routing-rules/", rule, format="json").status_code == 403
    assert as_user(api, administrator).post("/api/v1/routing-rules/", rule, format="json").status_code == 201
    bad = as_user(api, administrator).post("/api/v1/routing-rules/", {**rule, "required_flags": ["nonsense"]}, format="json")
    assert bad.status_code == 400 and "required_flags" in bad.json()["errors"]
    no_target = as_user(api, administrator).post("/api/v1/routing-rules/", {"position": 9, "name": "x"}, format="json")
    assert no_target.status_code == 400 and "target_team_type" in no_target.json()["errors"]


def test_a_sample_referral_can_be_tested_against_the_rules(api, kent, practitioner, canterbury):  # noqa: F811
    response = as_user(api, practitioner).post("/api/v1/routing-rules/test/", {
        "age": 30, "flags": ["learning_disability_or_autism"], "locality": canterbury.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["reason"] == "Rule 2: learning disability or autism and age 26+ → Lifespan 26+"


def _waiting(team, canterbury, **fields):
    from tests.pathways.factories import ReferralFactory

    return ReferralFactory(team=team, locality=canterbury, **{"status": "routed", **fields})


def test_the_team_queue_through_the_api_is_in_the_pages_order_with_waiting_times(
        api, kent, manager, canterbury, django_assert_max_num_queries):  # noqa: F811
    import datetime

    from django.utils import timezone

    from tests.factories import member

    team = kent["integrated_triage"]
    member(manager, team, "team-manager")
    now = timezone.now()
    oldest = _waiting(team, canterbury, urgency="routine", received_at=now - datetime.timedelta(days=40))
    newer = _waiting(team, canterbury, urgency="routine", received_at=now - datetime.timedelta(hours=2))
    urgent = _waiting(team, canterbury, urgency="urgent", received_at=now - datetime.timedelta(hours=1))
    _waiting(team, canterbury, urgency="urgent", status="allocated")  # not waiting
    caller = as_user(api, manager)
    caller.get(f"/api/v1/referrals/queue/?team={team.pk}")  # what is cached across requests is now cached
    with django_assert_max_num_queries(10):
        response = caller.get(f"/api/v1/referrals/queue/?team={team.pk}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (3, 1, 1)
    assert [r["id"] for r in body["results"]] == [urgent.pk, oldest.pk, newer.pk]
    first = body["results"][0]
    assert first["client_name"] == str(urgent.client) and first["urgency"] == "urgent"
    assert [r["breached"] for r in body["results"]] == [False, True, False]
    assert body["results"][1]["waited_hours"] == 960 and body["results"][1]["target_hours"] == 672


def test_the_api_queue_says_which_field_is_wrong_and_hides_other_localities_teams(
        api, kent, manager, thanet_practitioner, canterbury):  # noqa: F811
    from tests.factories import member

    team = kent["integrated_triage"]
    member(manager, team, "team-manager")
    _waiting(team, canterbury, urgency="soon")
    missing = as_user(api, manager).get("/api/v1/referrals/queue/")
    assert missing.status_code == 400 and "team" in missing.json()["errors"]
    bad_page = as_user(api, manager).get(f"/api/v1/referrals/queue/?team={team.pk}&page=0")
    assert bad_page.status_code == 400 and "page" in bad_page.json()["errors"]
    assert as_user(api, thanet_practitioner).get(f"/api/v1/referrals/queue/?team={team.pk}").status_code == 404
    assert as_user(api, thanet_practitioner).post(
        "/api/v1/referrals/pick-next/", {"team": team.pk}, format="json").status_code == 404


def test_pick_next_through_the_api_takes_the_most_urgent_then_says_none_wait(api, kent, canterbury):  # noqa: F811
    from tests.factories import UserFactory, member

    team = kent["integrated_triage"]
    worker, onlooker = UserFactory(), UserFactory()
    member(worker, team, "practitioner")
    _waiting(team, canterbury, urgency="routine")
    urgent = _waiting(team, canterbury, urgency="urgent")
    caller = as_user(api, worker)
    taken = caller.post("/api/v1/referrals/pick-next/", {"team": team.pk}, format="json")
    assert taken.status_code == 200, taken.json()
    assert (taken.json()["id"], taken.json()["status"], taken.json()["allocated_to"]) == (urgent.pk, "allocated", worker.pk)
    assert caller.post("/api/v1/referrals/pick-next/", {"team": team.pk}, format="json").status_code == 200
    assert caller.post("/api/v1/referrals/pick-next/", {"team": team.pk}, format="json").status_code == 204
    assert caller.post("/api/v1/referrals/pick-next/", {}, format="json").json()["errors"].keys() == {"team"}
    # Someone who sees the team (a manager of the locality, say) but is not in it cannot take from its queue.
    member(onlooker, kent["promoting_independence"], "team-manager")
    _waiting(team, canterbury, urgency="soon")
    refused = as_user(api, onlooker).post("/api/v1/referrals/pick-next/", {"team": team.pk}, format="json")
    assert refused.status_code == 400, refused.json()
    assert "your own team" in str(refused.json()["errors"])
    assert Referral.objects.filter(team=team, status="routed").count() == 1
