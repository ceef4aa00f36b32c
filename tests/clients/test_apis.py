import pytest

from ascm.audit.models import AuditEntry
from clients.models import CaseNote, Client
from tests.clients.factories import ClientFactory, allocate
from tests.conftest import as_user

pytestmark = pytest.mark.django_db




PERSON = {"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "1940-12-10", "postcode": "ct1 2ab"}


def test_practitioner_records_a_person_held_by_their_team(api, practitioner, canterbury_team):
    response = as_user(api, practitioner).post("/api/v1/clients/", {**PERSON, "nhs_number": "943 476 5919"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["nhs_number"] == "9434765919" and body["postcode"] == "CT1 2AB"
    assert Client.objects.get(pk=body["id"]).allocations.get().team == canterbury_team


def test_invalid_details_get_field_errors(api, practitioner):
    response = as_user(api, practitioner).post(
        "/api/v1/clients/", {**PERSON, "nhs_number": "9434765918", "date_of_birth": "2999-01-01"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["nhs_number"] == ["The NHS number is not valid: the check digit does not match"]
    assert errors["date_of_birth"] == ["Date of birth must be today or in the past"]


def test_existing_nhs_number_points_to_the_existing_record(api, practitioner):
    existing = ClientFactory(nhs_number="9434765919")
    response = as_user(api, practitioner).post("/api/v1/clients/", {**PERSON, "nhs_number": "9434765919"}, format="json")
    assert response.status_code == 400
    assert response.json()["existing"]["id"] == existing.pk


def test_likely_duplicate_must_be_confirmed(api, practitioner):
    ClientFactory(given_name="Ada", family_name="Lovelace", date_of_birth="1940-12-10", nhs_number=None)
    client = as_user(api, practitioner)
    response = client.post("/api/v1/clients/", PERSON, format="json")
    assert response.status_code == 400 and response.json()["code"] == "likely_duplicate"
    assert len(response.json()["likely_duplicates"]) == 1
    assert client.post("/api/v1/clients/", {**PERSON, "confirm_not_duplicate": True}, format="json").status_code == 201


def test_search_returns_only_identifying_details(api, practitioner):
    ClientFactory(given_name="Zoë", family_name="Smyth", nhs_number="9434765919")
    response = as_user(api, practitioner).get("/api/v1/clients/?name=zoe%20smith")
    result = response.json()["results"][0]
    assert result["nhs_number"] == "*** *** 5919"
    assert "address_line_1" not in result and result["in_reach"] is False


def test_search_says_when_more_people_match_than_it_gives(api, practitioner):
    from clients.selectors import SEARCH_LIMIT

    for i in range(SEARCH_LIMIT + 1):
        ClientFactory(given_name=f"Person{i:02d}", family_name="Smith")
    ClientFactory(given_name="Zebedee", family_name="Smith")
    body = as_user(api, practitioner).get("/api/v1/clients/?name=smith").json()
    assert body["count"] == len(body["results"]) == SEARCH_LIMIT and body["more"] is True
    body = as_user(api, practitioner).get("/api/v1/clients/?name=zebedee%20smith").json()
    assert body["more"] is False and body["count"] == 1


def test_record_outside_reach_is_404_and_break_the_glass_opens_it(api, practitioner, thanet_team):
    theirs = allocate(ClientFactory(), thanet_team).client
    client = as_user(api, practitioner)
    assert client.get(f"/api/v1/clients/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/clients/{theirs.pk}/notes/").status_code == 404
    response = client.post(f"/api/v1/clients/{theirs.pk}/break-glass/", {"reason": "Out-of-hours call from the GP"}, format="json")
    assert response.status_code == 200
    assert client.get(f"/api/v1/clients/{theirs.pk}/").status_code == 200


def test_viewing_a_record_is_audited(api, practitioner, canterbury_team):
    ours = allocate(ClientFactory(), canterbury_team).client
    as_user(api, practitioner).get(f"/api/v1/clients/{ours.pk}/")
    assert AuditEntry.objects.get_for_object(ours).filter(action=AuditEntry.Action.ACCESS, actor=practitioner).exists()


def test_auditor_has_no_access_to_people(api, auditor):
    person = ClientFactory()
    client = as_user(api, auditor)
    assert client.get("/api/v1/clients/?name=x").status_code == 403
    assert client.get(f"/api/v1/clients/{person.pk}/").status_code == 403


def test_people_are_archived_not_deleted(api, practitioner, canterbury_team):
    ours = allocate(ClientFactory(), canterbury_team).client
    client = as_user(api, practitioner)
    assert client.delete(f"/api/v1/clients/{ours.pk}/").status_code == 405
    assert client.post(f"/api/v1/clients/{ours.pk}/archive/").json()["archived_at"]


def test_notes_are_added_and_amended_never_changed(api, practitioner, canterbury_team):
    ours = allocate(ClientFactory(), canterbury_team).client
    client = as_user(api, practitioner)
    note = client.post(f"/api/v1/clients/{ours.pk}/notes/",
                       {"note_type": "phone_call", "occurred_at": "2026-11-20T10:00:00Z", "text": "Rang the person"},
                       format="json").json()
    assert client.patch(f"/api/v1/clients/{ours.pk}/notes/{note['id']}/", {"text": "x"}, format="json").status_code in (404, 405)
    response = client.post(f"/api/v1/clients/{ours.pk}/notes/{note['id']}/amend/", {"text": "It was the carer"}, format="json")
    assert response.status_code == 201
    listed = client.get(f"/api/v1/clients/{ours.pk}/notes/").json()["results"]
    assert len(listed) == 1 and listed[0]["amendments"][0]["text"] == "It was the carer"
    assert CaseNote.objects.get(pk=note["id"]).text == "Rang the person"


def test_relationships_and_strengths_are_nested_resources(api, practitioner, canterbury_team):
    ours = allocate(ClientFactory(), canterbury_team).client
    client = as_user(api, practitioner)
    rel = client.post(f"/api/v1/clients/{ours.pk}/relationships/",
                      {"relationship_type": "carer", "name": "Sam Carer", "is_carer": True, "carer_assessment_right": True},
                      format="json")
    assert rel.status_code == 201, rel.json()
    bad = client.post(f"/api/v1/clients/{ours.pk}/relationships/", {"relationship_type": "carer"}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["errors"]
    asset = client.post(f"/api/v1/clients/{ours.pk}/strengths/",
                        {"kind": "network", "description": "Neighbour shops weekly", "network_kind": "neighbour"},
                        format="json")
    assert asset.status_code == 201, asset.json()
    assert client.get(f"/api/v1/clients/{ours.pk}/strengths/").json()["count"] == 1


def test_search_query_count_is_bounded(api, practitioner, canterbury_team, django_assert_max_num_queries):
    for _ in range(40):
        allocate(ClientFactory(family_name="Smith"), canterbury_team)
    client = as_user(api, practitioner)
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/clients/?name=smith")
    assert response.json()["count"] == 40
