import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ascm.audit.models import AuditEntry
from ascm.organisation.models import PostcodeDistrict
from clients import services
from clients.models import Allocation, BreakGlassAccess, CaseNote, Client, ClientMerge, LifespanBand, Relationship
from clients.selectors import client_get_for_user, client_search, likely_duplicates
from tests.clients.factories import ClientFactory, allocate
from tests.factories import GPPracticeFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _new(user, team=None, **fields):
    fields = {"given_name": "Ada", "family_name": "Lovelace", "date_of_birth": datetime.date(1940, 12, 10), **fields}
    return services.client_create(user=user, team=team, **fields)


def test_new_person_is_held_by_the_creators_team_and_gets_their_locality_from_the_postcode(practitioner, canterbury_team):
    PostcodeDistrict.objects.create(code="CT1", locality=canterbury_team.locality)
    client = _new(practitioner, canterbury_team, postcode="ct1 2ab", nhs_number="943 476 5919")
    assert client.postcode == "CT1 2AB" and client.nhs_number == "9434765919"
    assert client.locality == canterbury_team.locality
    assert Allocation.objects.get(client=client).team == canterbury_team
    assert AuditEntry.objects.get_for_object(client).filter(action=AuditEntry.Action.CREATE).exists()


def test_locality_chosen_by_hand_is_kept(practitioner, canterbury_team, thanet):
    PostcodeDistrict.objects.create(code="CT1", locality=canterbury_team.locality)
    client = _new(practitioner, postcode="CT1 2AB", locality=thanet)
    assert client.locality == thanet and client.locality_overridden


def test_existing_nhs_number_is_refused_with_the_existing_record(practitioner):
    existing = ClientFactory(nhs_number="9434765919")
    with pytest.raises(services.ExistingNhsNumber) as error:
        _new(practitioner, nhs_number="943 476 5919", given_name="Someone", family_name="Else")
    assert error.value.existing == existing


def test_likely_duplicate_is_shown_before_saving_and_saved_once_confirmed(practitioner):
    ClientFactory(given_name="Ada", family_name="Lovelace", date_of_birth=datetime.date(1940, 12, 10), nhs_number=None)
    with pytest.raises(services.LikelyDuplicate) as error:
        _new(practitioner, family_name="Lovelase")
    assert [c.family_name for c in error.value.candidates] == ["Lovelace"]
    assert _new(practitioner, family_name="Lovelase", confirmed_not_duplicate=True).pk


def test_same_name_and_postcode_is_a_likely_duplicate(practitioner):
    ClientFactory(given_name="Ada", family_name="Lovelace", date_of_birth=None, postcode="CT1 2AB", nhs_number=None)
    with pytest.raises(services.LikelyDuplicate):
        _new(practitioner, date_of_birth=None, postcode="ct12ab")


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "The NHS number is not valid: the check digit does not match"),
        ({"postcode": "XYZ"}, "postcode", "Enter a real postcode, like CT1 2AB"),
        ({"date_of_birth": TODAY + datetime.timedelta(days=1)}, "date_of_birth", "Date of birth must be today or in the past"),
        ({"date_of_birth": TODAY.replace(year=TODAY.year - 121)}, "date_of_birth", "Date of birth must be less than 120 years ago"),
        ({"date_of_death": datetime.date(1939, 1, 1)}, "date_of_death", "Date of death must be the same as or after the date of birth"),
    ],
)
def test_bad_details_are_refused_with_a_specific_message(practitioner, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _new(practitioner, **fields)
    assert error.value.message_dict[field] == [message]


@pytest.mark.parametrize(
    "years, band, preparing",
    [(10, LifespanBand.CHILD, False), (14, LifespanBand.CHILD, True), (18, LifespanBand.YOUNG_ADULT, False),
     (25, LifespanBand.YOUNG_ADULT, False), (26, LifespanBand.ADULT, False), (82, LifespanBand.ADULT, False)],
)
def test_lifespan_band_follows_the_date_of_birth(years, band, preparing):
    client = Client(date_of_birth=TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=1))
    assert client.lifespan_band == band
    assert client.preparing_for_adulthood is preparing


def test_consent_records_when_and_who(practitioner):
    client = _new(practitioner)
    client = services.client_update(user=practitioner, client=client, consent_to_share="given")
    assert client.consent_recorded_on == TODAY and client.consent_recorded_by == practitioner


def test_update_is_in_the_change_history(practitioner):
    client = _new(practitioner)
    services.client_update(user=practitioner, client=client, main_language="Polish", interpreter_needed=True)
    entry = AuditEntry.objects.get_for_object(client).filter(action=AuditEntry.Action.UPDATE).latest("timestamp")
    assert entry.changes["main_language"] == ["English", "Polish"]


def test_practitioner_reaches_people_allocated_to_their_team_only(practitioner, canterbury_team, thanet_team):
    ours, theirs = ClientFactory(), ClientFactory()
    allocate(ours, canterbury_team)
    allocate(theirs, thanet_team)
    assert client_get_for_user(user=practitioner, pk=ours.pk) == ours
    from django.http import Http404

    with pytest.raises(Http404):
        client_get_for_user(user=practitioner, pk=theirs.pk)


def test_manager_reaches_everyone_in_their_locality(manager, canterbury_team, thanet_team):
    living_here = ClientFactory(locality=canterbury_team.locality)
    allocated_here = allocate(ClientFactory(), canterbury_team).client
    elsewhere = allocate(ClientFactory(locality=thanet_team.locality), thanet_team).client
    from django.http import Http404

    assert client_get_for_user(user=manager, pk=living_here.pk)
    assert client_get_for_user(user=manager, pk=allocated_here.pk)
    with pytest.raises(Http404):
        client_get_for_user(user=manager, pk=elsewhere.pk)


def test_break_the_glass_opens_the_record_and_is_audited_with_the_reason(practitioner, thanet_team):
    theirs = allocate(ClientFactory(), thanet_team).client
    with pytest.raises(ValidationError):
        services.client_break_glass(user=practitioner, client=theirs, reason="need")
    services.client_break_glass(user=practitioner, client=theirs, reason="Called by the person's GP out of hours")
    assert client_get_for_user(user=practitioner, pk=theirs.pk) == theirs
    entry = AuditEntry.objects.get_for_object(theirs).get(action=AuditEntry.Action.ACCESS)
    assert entry.actor == practitioner and "out of hours" in entry.changes["reason"][1]
    assert BreakGlassAccess.objects.get().expires_at > timezone.now()


def test_auditor_cannot_search_or_break_the_glass(auditor):
    client = ClientFactory(family_name="Hidden")
    assert client_search(user=auditor, name="Hidden") == []
    with pytest.raises(PermissionDenied):
        services.client_break_glass(user=auditor, client=client, reason="Just curious about this person")


def test_search_by_nhs_number_with_spaces(practitioner):
    client = ClientFactory(nhs_number="9434765919")
    assert client_search(user=practitioner, nhs_number="943 476 5919") == [client]


def test_search_by_name_ignores_case_accents_and_small_misspellings(practitioner):
    zoe = ClientFactory(given_name="Zoë", family_name="Smyth")
    ClientFactory(given_name="Bob", family_name="Jones")
    assert client_search(user=practitioner, name="zoe smith") == [zoe]
    assert client_search(user=practitioner, name="SMY") == [zoe]


def test_a_surname_search_lists_that_surname_first_then_the_other_matches(practitioner):
    # Family names starting with the word come first, in name order (read from the index in that
    # order, so a common surname stops at the page); then given names and sound-alikes.
    given = ClientFactory(given_name="Smithy", family_name="Archer")
    sounds = ClientFactory(given_name="Ann", family_name="Smyth")
    later = ClientFactory(given_name="Cy", family_name="Smithson")
    first = ClientFactory(given_name="Abe", family_name="Smith")
    second = ClientFactory(given_name="Bea", family_name="Smith")
    ClientFactory(given_name="Bob", family_name="Jones")
    assert client_search(user=practitioner, name="smith") == [first, second, later, given, sounds]
    assert client_search(user=practitioner, name="smith", limit=2) == [first, second]
    assert client_search(user=practitioner, name="bea smith") == [second]


def test_the_search_page_says_when_more_people_match_than_it_shows(client, practitioner):
    from clients.selectors import SEARCH_LIMIT

    for i in range(SEARCH_LIMIT + 1):
        ClientFactory(given_name=f"Person{i:02d}", family_name="Smith")
    ClientFactory(given_name="Zebedee", family_name="Smith")
    client.force_login(practitioner)
    page = client.get("/people/", {"q": "smith"}).content.decode()
    assert f"The first {SEARCH_LIMIT} people found" in page and 'data-testid="more-results"' in page
    assert page.count("<tr class=\"govuk-table__row\">") == SEARCH_LIMIT + 1  # and the heading row
    page = client.get("/people/", {"q": "zebedee smith"}).content.decode()
    assert "1 person found" in page and "more-results" not in page


def test_search_combines_name_and_date_of_birth(practitioner):
    older = ClientFactory(family_name="Smith", date_of_birth=datetime.date(1940, 1, 1))
    ClientFactory(family_name="Smith", date_of_birth=datetime.date(1990, 1, 1))
    assert client_search(user=practitioner, name="smith", date_of_birth=datetime.date(1940, 1, 1)) == [older]


def test_search_marks_records_outside_reach(practitioner, canterbury_team):
    ours = allocate(ClientFactory(family_name="Smith"), canterbury_team).client
    other = ClientFactory(family_name="Smith")
    results = {c.pk: c.in_reach for c in client_search(user=practitioner, name="Smith")}
    assert results == {ours.pk: True, other.pk: False}


def test_duplicate_check_uses_date_of_birth_and_sound_of_the_name():
    kathryn = ClientFactory(given_name="Kathryn", family_name="Smith", date_of_birth=datetime.date(1950, 1, 1))
    ClientFactory(given_name="Kathryn", family_name="Smith", date_of_birth=datetime.date(1951, 1, 1))
    assert likely_duplicates(given_name="Catherine", family_name="Smyth", date_of_birth=datetime.date(1950, 1, 1)) == [kathryn]


def test_a_note_cannot_be_edited_or_deleted_but_can_be_amended(practitioner):
    client = ClientFactory()
    note = services.note_add(user=practitioner, client=client, note_type="visit", occurred_at=timezone.now(), text="Visited.")
    note.text = "Rewritten"
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        note.delete()
    amendment = services.note_add(user=practitioner, client=client, note_type="visit", occurred_at=note.occurred_at,
                                  text="Visit was on Tuesday", amends=note)
    note.refresh_from_db()
    assert note.text == "Visited." and list(note.amendments.all()) == [amendment]


def test_a_note_about_the_future_is_refused(practitioner):
    with pytest.raises(ValidationError) as error:
        services.note_add(user=practitioner, client=ClientFactory(), note_type="visit",
                          occurred_at=timezone.now() + datetime.timedelta(days=2), text="x")
    assert "occurred_at" in error.value.message_dict


def test_relationship_needs_a_name_or_a_linked_record():
    with pytest.raises(ValidationError) as error:
        services.relationship_add(client=ClientFactory(), relationship_type="carer")
    assert "name" in error.value.message_dict


def test_merge_moves_everything_and_keeps_the_duplicate_archived(manager, practitioner, canterbury_team):
    survivor = ClientFactory(nhs_number=None, gp_practice=None, locality=canterbury_team.locality)
    practice = GPPracticeFactory()
    duplicate = ClientFactory(nhs_number="9434765919", gp_practice=practice)
    allocate(duplicate, canterbury_team)
    services.note_add(user=practitioner, client=duplicate, note_type="visit", occurred_at=timezone.now(), text="Seen")
    services.relationship_add(client=duplicate, relationship_type="carer", name="A. Carer", is_carer=True)
    other = ClientFactory()
    services.relationship_add(client=other, relationship_type="friend", related_client=duplicate)
    services.asset_add(client=duplicate, kind="strength", description="Loves gardening")

    merge = services.client_merge(user=manager, survivor=survivor, duplicate=duplicate, reason="Same person: GP confirmed")

    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.archived_at
    assert survivor.nhs_number == "9434765919" and survivor.gp_practice == practice
    assert CaseNote.objects.get().client == survivor
    assert Allocation.objects.get().client == survivor
    assert Relationship.objects.get(relationship_type="carer").client == survivor
    assert Relationship.objects.get(relationship_type="friend").related_client == survivor
    assert survivor.assets.count() == 1
    assert merge.moved["clients.CaseNote.client"] == 1
    assert ClientMerge.objects.get().reason == "Same person: GP confirmed"
    assert AuditEntry.objects.get_for_object(duplicate).filter(action=AuditEntry.Action.UPDATE).exists()


def test_practitioner_cannot_merge(practitioner):
    with pytest.raises(PermissionDenied):
        services.client_merge(user=practitioner, survivor=ClientFactory(), duplicate=ClientFactory(), reason="x")
