import datetime

import pytest

from ascm.audit.models import AuditEntry
from clients.models import BreakGlassAccess, CaseNote, Client
from tests.clients.factories import ClientFactory, allocate

pytestmark = pytest.mark.django_db

FORM = {
    "given_name": "Ada", "family_name": "Lovelace", "date_of_birth_0": "10", "date_of_birth_1": "12",
    "date_of_birth_2": "1940", "gender": "2", "ethnicity": "99", "main_language": "English",
    "primary_support_reason": "unknown", "consent_to_share": "not_asked",
}


def test_search_finds_by_name_and_shows_masked_nhs_number(client, practitioner):
    ClientFactory(given_name="Zoë", family_name="Smyth", nhs_number="9434765919")
    client.force_login(practitioner)
    response = client.get("/people/", {"q": "zoe smith"})
    content = response.content.decode()
    assert "Zoë Smyth" in content and "*** *** 5919" in content and "9434765919" not in content


def test_search_with_no_match_offers_to_record_the_person_with_what_was_typed(client, practitioner):
    client.force_login(practitioner)
    response = client.get("/people/", {"q": "Ada Lovelace"})
    content = response.content.decode()
    assert 'data-testid="no-results"' in content
    assert "/people/new/?given_name=Ada&amp;family_name=Lovelace" in content


def test_bad_search_input_shows_the_error_summary(client, practitioner):
    client.force_login(practitioner)
    response = client.get("/people/", {"q": "943 476", "date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1950"})
    content = response.content.decode()
    assert "An NHS number has 10 digits" in content and "Date of birth must be a real date" in content


def test_recording_a_person_in_the_browser(client, practitioner, canterbury_team):
    client.force_login(practitioner)
    response = client.post("/people/new/", {**FORM, "team": canterbury_team.pk, "nhs_number": "943 476 5919",
                                            "safety_flags": ["lone_worker"]})
    person = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.safety_flags == ["lone_worker"] and person.date_of_birth == datetime.date(1940, 12, 10)


def test_invalid_person_keeps_everything_typed(client, practitioner, canterbury_team):
    client.force_login(practitioner)
    response = client.post("/people/new/", {**FORM, "team": canterbury_team.pk, "nhs_number": "943 476 5918",
                                            "postcode": "nonsense", "gp_practice_code": "Z99999",
                                            "date_of_birth_0": "40"})
    content = response.content.decode()
    assert "The NHS number is not valid: the check digit does not match" in content
    assert "Enter a real postcode" in content
    assert "There is no GP practice with the ODS code Z99999" in content
    assert "Date of birth must be a real date" in content
    assert 'value="943 476 5918"' in content and 'value="Lovelace"' in content and 'value="nonsense"' in content
    assert not Client.objects.exists()


def test_duplicate_nhs_number_links_to_the_existing_record(client, practitioner, canterbury_team):
    existing = ClientFactory(nhs_number="9434765919")
    client.force_login(practitioner)
    response = client.post("/people/new/", {**FORM, "team": canterbury_team.pk, "nhs_number": "9434765919"})
    assert f'href="/people/{existing.pk}/"' in response.content.decode()


def test_likely_duplicate_is_listed_and_confirmation_saves(client, practitioner, canterbury_team):
    ClientFactory(given_name="Ada", family_name="Lovelace", date_of_birth=datetime.date(1940, 12, 10), nhs_number=None)
    client.force_login(practitioner)
    response = client.post("/people/new/", {**FORM, "team": canterbury_team.pk})
    assert 'data-testid="likely-duplicates"' in response.content.decode()
    response = client.post("/people/new/", {**FORM, "team": canterbury_team.pk, "confirm_new": "on"})
    assert response.status_code == 302 and Client.objects.count() == 2


def test_record_page_is_audited_and_makes_a_bounded_number_of_queries(client, practitioner, canterbury_team,
                                                                       django_assert_max_num_queries):
    person = allocate(ClientFactory(safety_flags=["lone_worker"]), canterbury_team).client
    from django.utils import timezone

    from clients import services

    for n in range(15):
        note = services.note_add(user=practitioner, client=person, note_type="visit", occurred_at=timezone.now(), text=f"n{n}")
        services.note_add(user=practitioner, client=person, note_type="visit", occurred_at=timezone.now(), text="fix", amends=note)
        services.relationship_add(client=person, relationship_type="friend", name=f"Friend {n}")
        services.asset_add(client=person, kind="strength", description=f"Strength {n}")
    client.force_login(practitioner)
    # The pathway, assessments-and-plans, MDT and finance (packages, personal budget, financial assessment)
    # panels: fixed counts.
    with django_assert_max_num_queries(33):
        response = client.get(f"/people/{person.pk}/")
    content = response.content.decode()
    assert "Risk to lone workers" in content and 'data-testid="lifespan-band"' in content
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, object_pk=str(person.pk), actor=practitioner).exists()


def test_record_in_another_locality_sends_to_break_the_glass(client, practitioner, thanet_team):
    theirs = allocate(ClientFactory(), thanet_team).client
    client.force_login(practitioner)
    assert client.get(f"/people/{theirs.pk}/")["Location"] == f"/people/{theirs.pk}/access/"
    assert client.get(f"/people/{theirs.pk}/notes/").status_code == 404
    assert client.get(f"/people/{theirs.pk}/edit/").status_code == 404
    response = client.post(f"/people/{theirs.pk}/access/", {"reason": "short"})
    assert "at least 10 characters" in response.content.decode()
    response = client.post(f"/people/{theirs.pk}/access/", {"reason": "Emergency duty call about this person"})
    assert response["Location"] == f"/people/{theirs.pk}/"
    assert client.get(f"/people/{theirs.pk}/").status_code == 200


def test_break_the_glass_is_reported_to_the_manager(client, practitioner, manager, thanet_team, thanet_practitioner):
    theirs = allocate(ClientFactory(), thanet_team).client
    BreakGlassAccess.objects.create(user=practitioner, client=theirs, reason="Emergency call", expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    BreakGlassAccess.objects.create(user=thanet_practitioner, client=theirs, reason="Not my team", expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    client.force_login(manager)
    content = client.get("/people/break-glass-report/").content.decode()
    assert "Emergency call" in content and "Not my team" not in content
    client.force_login(practitioner)
    assert client.get("/people/break-glass-report/").status_code == 403


def test_adding_and_amending_a_note(client, practitioner, canterbury_team):
    person = allocate(ClientFactory(), canterbury_team).client
    client.force_login(practitioner)
    response = client.post(f"/people/{person.pk}/notes/new/", {"note_type": "visit", "occurred_on_0": "1",
                                                              "occurred_on_1": "11", "occurred_on_2": "2026",
                                                              "occurred_time": "14:30", "text": "Home visit."})
    assert response.status_code == 302
    note = CaseNote.objects.get()
    client.post(f"/people/{person.pk}/notes/{note.pk}/amend/", {"text": "The visit was at 15:30."})
    content = client.get(f"/people/{person.pk}/notes/").content.decode()
    assert "Home visit." in content and "The visit was at 15:30." in content


def test_note_without_type_or_text_keeps_what_was_typed(client, practitioner, canterbury_team):
    person = allocate(ClientFactory(), canterbury_team).client
    client.force_login(practitioner)
    response = client.post(f"/people/{person.pk}/notes/new/", {"text": "Half a note", "occurred_on_0": "1"})
    content = response.content.decode()
    assert "Choose the type of contact" in content and "Half a note" in content


def test_manager_merges_two_records_in_the_browser(client, manager, canterbury_team):
    survivor = allocate(ClientFactory(given_name="Ada", family_name="Lovelace"), canterbury_team).client
    duplicate = ClientFactory(given_name="Ada", family_name="Lovelace", nhs_number=None, locality=canterbury_team.locality)
    client.force_login(manager)
    page = client.get(f"/people/{survivor.pk}/merge/").content.decode()
    assert f"?duplicate={duplicate.pk}" in page
    compare = client.post(f"/people/{survivor.pk}/merge/", {"duplicate_id": duplicate.pk, "reason": "Same DOB and address"})
    assert 'data-testid="merge-comparison"' in compare.content.decode()
    done = client.post(f"/people/{survivor.pk}/merge/", {"duplicate_id": duplicate.pk, "reason": "Same DOB and address", "confirm": "on"})
    assert done.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert client.get(f"/people/{duplicate.pk}/")["Location"] == f"/people/{survivor.pk}/"


def test_practitioner_cannot_merge_in_the_browser(client, practitioner, canterbury_team):
    person = allocate(ClientFactory(), canterbury_team).client
    client.force_login(practitioner)
    assert client.get(f"/people/{person.pk}/merge/").status_code == 403


def test_search_page_makes_a_bounded_number_of_queries(client, manager, canterbury_team, django_assert_max_num_queries):
    for _ in range(45):
        allocate(ClientFactory(family_name="Smith"), canterbury_team)
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        response = client.get("/people/", {"q": "smith"})
    assert len(response.context["results"]) == 45


def test_a_relationship_and_a_strength_can_be_ended_and_stay_in_the_history(client, api, practitioner,
                                                                             canterbury_team):
    from clients import services as client_services
    from clients.models import ClientAsset, Relationship

    person = allocate(ClientFactory(), canterbury_team, worker=practitioner).client
    carer = client_services.relationship_add(client=person, relationship_type="carer", name="A. Neighbour", is_carer=True)
    strength = client_services.asset_add(client=person, kind="strength", description="Walks to the shop")
    client.force_login(practitioner)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f"/people/{person.pk}/relationships/{carer.pk}/end/" in page
    assert client.post(f"/people/{person.pk}/relationships/{carer.pk}/end/").status_code == 302
    assert "A. Neighbour" not in client.get(f"/people/{person.pk}/").content.decode()
    assert Relationship.objects.get(pk=carer.pk).ended_on is not None  # ended, not deleted
    api.force_authenticate(practitioner)
    ended = api.post(f"/api/v1/clients/{person.pk}/strengths/{strength.pk}/end/")
    assert ended.status_code == 200 and ended.json()["ended_on"]
    assert ClientAsset.objects.get(pk=strength.pk).ended_on is not None
    assert api.post(f"/api/v1/clients/{person.pk}/strengths/{strength.pk}/end/").status_code == 404  # already ended


def test_a_note_for_today_without_a_time_is_saved_before_midday(practitioner, canterbury_team, monkeypatch):
    """A note written at 01:30 for today, with no time, was refused as in the future (midday)."""
    import datetime

    from django.utils import timezone

    from clients.forms import NoteForm

    early = timezone.make_aware(datetime.datetime(2026, 12, 2, 1, 30))
    monkeypatch.setattr(timezone, "now", lambda: early)
    form = NoteForm({"note_type": "phone_call", "occurred_on_0": "2", "occurred_on_1": "12", "occurred_on_2": "2026",
                     "text": "Night call"})
    assert form.is_valid(), form.errors
    assert form.occurred_at() == early
    form = NoteForm({"note_type": "phone_call", "occurred_on_0": "1", "occurred_on_1": "12", "occurred_on_2": "2026",
                     "text": "Yesterday"})
    assert form.is_valid() and form.occurred_at().hour == 12  # another day: midday, as before


def test_record_panels_with_nothing_to_show_make_no_query(client, practitioner, canterbury_team):
    """The person's own query says which panels hold anything (DoLS, safeguarding, hospital stay, MDT,
    finance); those that hold nothing skip their queries, and show what they did before."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pathways.discharge import services as discharge_services
    from tests.providers.factories import HospitalFactory

    person = allocate(ClientFactory(), canterbury_team).client
    client.force_login(practitioner)
    client.get(f"/people/{person.pk}/")
    with CaptureQueriesContext(connection) as empty:
        page = client.get(f"/people/{person.pk}/").content.decode()
    assert not any('"discharge_discharge"' in q["sql"] and "EXISTS" not in q["sql"] for q in empty.captured_queries)
    assert not any('FROM "mdt_agendaitem"' in q["sql"].split("EXISTS")[0] for q in empty.captured_queries)
    hospital = HospitalFactory(locality=canterbury_team.locality)
    discharge_services.discharge_start(user=practitioner, client=person, hospital=hospital,
                                       admitted_on=datetime.date(2026, 3, 1))
    with CaptureQueriesContext(connection) as held:
        page_with_stay = client.get(f"/people/{person.pk}/").content.decode()
    assert len(held.captured_queries) == len(empty.captured_queries) + 1
    assert hospital.name not in page and hospital.name in page_with_stay
    # Never referred, never on a pathway, no assessment or plan: those panels make no query either.
    # (The person's own query names them inside its EXISTS holdings; no other query may.)
    others = " ".join(q["sql"] for q in empty.captured_queries if "EXISTS" not in q["sql"])
    for table in ("pathways_referral", "pathways_episode", "pathways_assessment", "pathways_supportplan",
                  "clients_clientmerge"):
        assert f'FROM "{table}"' not in others, table


def test_the_record_reads_its_locality_practice_and_merges_with_the_person(client, practitioner, manager,
                                                                           canterbury_team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clients import services
    from tests.factories import GPPracticeFactory

    practice = GPPracticeFactory(locality=canterbury_team.locality)
    person = allocate(ClientFactory(locality=canterbury_team.locality, gp_practice=practice), canterbury_team).client
    friend = ClientFactory(given_name="Ximena", family_name="Quill")
    services.relationship_add(client=person, relationship_type="friend", related_client=friend)
    client.force_login(practitioner)
    client.get(f"/people/{person.pk}/")
    with CaptureQueriesContext(connection) as before:
        page = client.get(f"/people/{person.pk}/").content.decode()
    others = " ".join(q["sql"] for q in before.captured_queries[1:])
    assert practice.name in page and canterbury_team.locality.name in page and "Ximena Quill" in page
    assert 'FROM "organisation_gppractice"' not in others and 'FROM "organisation_locality"' not in others
    duplicate = allocate(ClientFactory(given_name=person.given_name, family_name=person.family_name),
                         canterbury_team).client
    services.client_merge(user=manager, survivor=person, duplicate=duplicate, reason="The same person twice")
    with CaptureQueriesContext(connection) as after:
        merged = client.get(f"/people/{person.pk}/").content.decode()
    assert len(after.captured_queries) == len(before.captured_queries) + 1
    assert "Records merged into this one" in merged and "The same person twice" in merged
