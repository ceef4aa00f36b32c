"""What broke when ASCM was tried as its users would (access leaks, lost work, server errors, smaller
things): each test reproduces one report and holds the fix."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.accounts import roles
from ascm.audit.models import AuditEntry
from clients import services as client_services
from clients.importing import FileRefused, people_import
from clients.models import CaseNote, Client, ImportRun
from mdt import services as mdt_services
from mdt.models import AgendaItem
from pathways.care import assessments, plans, services
from pathways.care.models import Assessment, Episode
from tests.clients.factories import ClientFactory, allocate
from tests.factories import UserFactory, member
from tests.mdt.factories import held, meeting

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def finance_officer(canterbury_team):
    user = UserFactory(username="fin")
    member(user, canterbury_team, roles.FINANCE_OFFICER)
    return user


# --- Access -------------------------------------------------------------------------------------


def test_a_manager_cannot_merge_a_record_from_another_locality(client, manager, person, thanet):
    stranger = ClientFactory(locality=thanet, given_name="Other", family_name="Locality", nhs_number=None)
    client.force_login(manager)
    response = client.post(f"/people/{person.pk}/merge/", {"duplicate_id": stranger.pk, "reason": "Same"})
    page = response.content.decode()
    assert "that you can open" in page and "Other Locality" not in page  # nothing of theirs is shown
    with pytest.raises(Exception) as error:
        client_services.client_merge(user=manager, survivor=person, duplicate=stranger, reason="Same")
    assert error.typename == "Http404"
    assert Client.objects.get(pk=stranger.pk).merged_into_id is None


def test_merging_two_records_with_an_open_episode_on_one_pathway_fails_cleanly(manager, canterbury_team, canterbury):
    first = allocate(ClientFactory(locality=canterbury), canterbury_team).client
    second = allocate(ClientFactory(locality=canterbury, nhs_number=None), canterbury_team).client
    for someone in (first, second):
        services.episode_start(user=manager, client=someone, pathway="promoting_independence", team=canterbury_team)
    with pytest.raises(ValidationError, match="cannot be merged yet"):
        client_services.client_merge(user=manager, survivor=first, duplicate=second, reason="Same person")
    assert Episode.objects.filter(client=second).count() == 1  # nothing moved


def test_a_merge_audits_every_row_it_moves(manager, canterbury_team, canterbury, practitioner):
    survivor = allocate(ClientFactory(locality=canterbury), canterbury_team).client
    duplicate = ClientFactory(locality=canterbury, nhs_number=None)
    note = client_services.note_add(user=practitioner, client=duplicate, note_type="visit",
                                    occurred_at=timezone.now(), text="Seen at home")
    client_services.client_merge(user=manager, survivor=survivor, duplicate=duplicate, reason="GP confirmed")
    entry = AuditEntry.objects.get(object_pk=str(note.pk), content_type__model="casenote", action=AuditEntry.Action.UPDATE)
    assert entry.actor == manager and entry.changes == {"client": [str(duplicate.pk), str(survivor.pk)]}


def test_the_api_never_renders_html_forms_listing_people(api, practitioner, person):
    ClientFactory(given_name="Faraway", family_name="Stranger")
    api.force_authenticate(practitioner)
    response = api.get("/api/v1/support-plans/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406 or response["Content-Type"].startswith("application/json")
    assert b"Faraway" not in response.content and b"<form" not in response.content


def test_a_relationship_cannot_point_at_a_record_out_of_reach(api, client, practitioner, person, thanet):
    stranger = ClientFactory(locality=thanet)
    api.force_authenticate(practitioner)
    response = api.post(f"/api/v1/clients/{person.pk}/relationships/",
                        {"relationship_type": "carer", "related_client": stranger.pk}, format="json")
    assert response.status_code == 404
    client.force_login(practitioner)
    page = client.post(f"/people/{person.pk}/relationships/new/",
                       {"relationship_type": "carer", "related_client_id": stranger.pk}).content.decode()
    assert "no record with this number that you can open" in page
    assert not person.relationships.exists()


def test_a_carers_assessment_cannot_name_a_carer_out_of_reach(api, practitioner, person, thanet):
    api.force_authenticate(practitioner)
    response = api.post("/api/v1/assessments/", {"kind": "carer", "client": person.pk,
                                                 "carer": ClientFactory(locality=thanet).pk}, format="json")
    assert response.status_code == 404 and not Assessment.objects.exists()


def test_an_mdt_action_owner_must_be_able_to_open_the_meeting(practitioner, canterbury, thanet_practitioner):
    mdt = held(meeting(practitioner, canterbury))
    item = mdt_services.agenda_add(user=practitioner, meeting=mdt, client=ClientFactory(consent_to_share="given"),
                                   reason="Falls", ask="Review")
    with pytest.raises(ValidationError) as error:
        mdt_services.action_add(user=practitioner, item=item, description="Visit", owner=thanet_practitioner,
                                due_on=TODAY)
    assert "owner" in error.value.message_dict


def test_a_finance_officer_sees_the_person_but_no_clinical_panels_notes_or_dead_links(client, api, finance_officer,
                                                                                      person, practitioner):
    client_services.note_add(user=practitioner, client=person, note_type="visit", occurred_at=timezone.now(),
                             text="Private clinical note")
    plans.plan_create(user=practitioner, client=person, outcomes=[{"outcome": "Cook", "met_by": "service"}])
    client.force_login(finance_officer)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert person.given_name in page
    assert "Private clinical note" not in page and 'data-testid="assessments"' not in page
    assert 'data-testid="mdt-items"' not in page and "/plans/" not in page
    api.force_authenticate(finance_officer)
    assert api.get(f"/api/v1/clients/{person.pk}/notes/").status_code == 403


def test_the_mdt_pack_shows_only_people_in_reach_to_someone_outside_the_meeting(client, practitioner, canterbury,
                                                                              person):
    triage_team_user = UserFactory(username="outsider")
    from tests.factories import TeamFactory

    member(triage_team_user, TeamFactory(name="Canterbury triage", locality=canterbury), roles.PRACTITIONER)
    mdt = held(meeting(practitioner, canterbury))
    item = mdt_services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review",
                                   lawful_basis="Vital interests")
    client.force_login(triage_team_user)
    for url in (f"/mdt/{mdt.pk}/pack/", f"/mdt/{mdt.pk}/pack.pdf"):
        response = client.get(url)
        assert response.status_code == 200
        assert person.nhs_number.encode() not in response.content and person.family_name.encode() not in response.content
    assert client.get(f"/mdt/agenda/{item.pk}/discussion/").status_code == 403
    with pytest.raises(Exception) as error:
        mdt_services.discussion_record(user=triage_team_user, item=item, summary="Not mine to write")
    assert error.typename == "PermissionDenied"
    assert not CaseNote.objects.filter(client=person).exists()
    client.force_login(practitioner)  # the organiser
    assert person.family_name.encode() in client.get(f"/mdt/{mdt.pk}/pack/").content


def test_auditors_see_which_fields_changed_never_the_values(client, api, auditor, practitioner, person):
    client_services.client_update(user=practitioner, client=person, communication_needs="Deaf; uses BSL")
    api.force_authenticate(auditor)
    body = api.get("/api/v1/audit-entries/").content.decode()
    assert "communication_needs" in body and "uses BSL" not in body
    client.force_login(auditor)
    page = client.get("/audit/").content.decode()
    assert "communication_needs" in page and "uses BSL" not in page


# --- Lost work ----------------------------------------------------------------------------------


def test_a_form_posted_by_the_timeout_is_kept_signed_out_and_saved_after_sign_in(client, practitioner, person):
    from tests.factories import PASSWORD

    client.force_login(practitioner)
    url = f"/people/{person.pk}/notes/new/"
    note = {"note_type": "phone_call", "occurred_on_0": TODAY.day, "occurred_on_1": TODAY.month,
            "occurred_on_2": TODAY.year, "text": "Typed, then left idle", "ascm_timed_out": "1"}
    response = client.post(url, note)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert "_auth_user_id" not in client.session and not CaseNote.objects.exists()
    client.post("/sign-in/", {"username": practitioner.username, "password": PASSWORD})
    client.get(url)
    assert CaseNote.objects.get().text == "Typed, then left idle"


def test_two_people_editing_one_persons_details_cannot_silently_overwrite(client, api, practitioner, manager, person):
    api.force_authenticate(manager)
    version = api.get(f"/api/v1/clients/{person.pk}/").json()["version"]
    assert api.patch(f"/api/v1/clients/{person.pk}/", {"main_language": "Polish", "version": version},
                     format="json").status_code == 200
    stale = api.patch(f"/api/v1/clients/{person.pk}/", {"main_language": "Welsh", "version": version}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["main_language"] == "Polish"
    client.force_login(practitioner)
    form = client.get(f"/people/{person.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "locality"}
    data.update({"date_of_birth_0": 27, "date_of_birth_1": 3, "date_of_birth_2": 1950, "main_language": "Gujarati",
                 "version": version, "safety_flags": []})
    data.pop("date_of_birth", None)
    page = client.post(f"/people/{person.pk}/edit/", data)
    assert page.status_code == 200 and 'data-testid="edit-conflict"' in page.content.decode()
    assert 'value="Gujarati"' in page.content.decode()  # what they typed is kept
    assert Client.objects.get(pk=person.pk).main_language == "Polish"


def test_save_and_add_another_action_does_not_amend_the_chronology_again(client, practitioner, canterbury, person):
    mdt = held(meeting(practitioner, canterbury))
    item = mdt_services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review",
                                   lawful_basis="Vital interests")
    mdt_services.attendee_add(meeting=mdt, user=practitioner)
    client.force_login(practitioner)
    form = {"summary": "Agreed physio", "action-description": "Refer to physio", "action-owner": f"user-{practitioner.pk}",
            "action-due_on_0": TODAY.day, "action-due_on_1": TODAY.month, "action-due_on_2": TODAY.year, "another": "1"}
    client.post(f"/mdt/agenda/{item.pk}/discussion/", form)
    client.post(f"/mdt/agenda/{item.pk}/discussion/", {**form, "action-description": "Phone the GP"})
    assert CaseNote.objects.filter(client=person).count() == 1  # no duplicate amendment
    assert AgendaItem.objects.get(pk=item.pk).actions.count() == 2


def test_a_discussion_is_not_offered_before_the_meeting_starts(client, practitioner, canterbury, person):
    mdt = meeting(practitioner, canterbury)
    item = mdt_services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Review",
                                   lawful_basis="Vital interests")
    client.force_login(practitioner)
    assert f"/mdt/agenda/{item.pk}/discussion/" not in client.get(f"/mdt/{mdt.pk}/").content.decode()
    response = client.get(f"/mdt/agenda/{item.pk}/discussion/")
    assert response.status_code == 302 and response["Location"] == f"/mdt/{mdt.pk}/"


def test_a_stuck_import_can_be_run_again_and_completes(administrator, settings, tmp_path):
    from django.core.files.base import ContentFile

    from clients.importing import import_run_restart

    settings.MEDIA_ROOT = tmp_path
    run = ImportRun(filename="people.csv", uploaded_by=administrator, status=ImportRun.Status.RUNNING)
    run.file.save("people.csv", ContentFile(b"legacy_id,given_name,family_name\nL1,Ada,Synthetic\n"), save=True)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert import_run_restart(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FINISHED and run.created == 1
    assert import_people_task_acks_late()


def import_people_task_acks_late() -> bool:
    from clients.tasks import import_people_task

    return import_people_task.acks_late and import_people_task.reject_on_worker_lost


def test_reopening_a_draft_goes_to_the_section_last_saved(client, practitioner, person):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    client.force_login(practitioner)
    client.post(f"/assessments/{draft.pk}/outcomes/", {"version": draft.version, "goto": "save"})
    assert client.get(f"/assessments/{draft.pk}/continue/")["Location"] == f"/assessments/{draft.pk}/outcomes/"
    assert f"/assessments/{draft.pk}/continue/" in client.get("/work/").content.decode()


# --- Server errors and bad input -----------------------------------------------------------------


def test_correcting_the_same_assessment_twice_is_a_clean_400(api, practitioner, manager, person):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    Assessment.objects.filter(pk=draft.pk).update(status="signed_off")
    api.force_authenticate(manager)
    assert api.post(f"/api/v1/assessments/{draft.pk}/correct/").status_code == 201
    again = api.post(f"/api/v1/assessments/{draft.pk}/correct/")
    assert again.status_code == 400 and "already being corrected" in str(again.json())


@pytest.mark.parametrize("answer", ["nul \x00 byte", ["a", {"b": 1}], 42])
def test_answers_the_pages_cannot_show_are_refused(api, client, practitioner, person, answer):
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    api.force_authenticate(practitioner)
    response = api.patch(f"/api/v1/assessments/{draft.pk}/", {"version": draft.version,
                                                                "answers": {"what_matters": answer}}, format="json")
    assert response.status_code == 400 and "answers" in response.json()["errors"]
    client.force_login(practitioner)
    assert client.get(f"/assessments/{draft.pk}/about/").status_code == 200


@pytest.mark.parametrize("starts_on", ["9999-12-31", "0001-01-01"])
def test_a_plan_starting_on_an_impossible_date_is_a_400(api, practitioner, person, starts_on):
    api.force_authenticate(practitioner)
    response = api.post("/api/v1/support-plans/", {"client": person.pk, "starts_on": starts_on,
                                                   "outcomes": [{"outcome": "Cook", "met_by": "service"}]}, format="json")
    assert response.status_code == 400 and "starts_on" in response.json()["errors"]


def test_a_review_cannot_be_completed_in_the_future(api, practitioner, person):
    plan = plans.plan_create(user=practitioner, client=person, outcomes=[{"outcome": "Cook", "met_by": "service"}])
    api.force_authenticate(practitioner)
    review = plan.reviews.get()
    response = api.post(f"/api/v1/reviews/{review.pk}/complete/", {"completed_on": "2030-01-01", "what_changed": "x",
                                                                    "outcome": "continue"}, format="json")
    assert response.status_code == 400 and "completed_on" in response.json()["errors"]


def test_a_caseload_filter_with_a_nul_byte_is_ignored(client, manager):
    client.force_login(manager)
    assert client.get("/mdt/caseload/?pathway=%00&team=%C2%B2").status_code == 200


def test_an_nhs_number_in_other_digits_is_the_same_number(practitioner, canterbury_team):
    ClientFactory(nhs_number="9434765919")
    arabic_indic = "٩٤٣٤٧٦٥٩١٩"
    with pytest.raises(client_services.ExistingNhsNumber):
        client_services.client_create(user=practitioner, team=canterbury_team, given_name="A", family_name="B",
                                      nhs_number=arabic_indic, confirmed_not_duplicate=True)
    full_width = "９４３４７６５９１９"
    with pytest.raises(client_services.ExistingNhsNumber):
        client_services.client_create(user=practitioner, team=canterbury_team, given_name="A", family_name="B",
                                      nhs_number=full_width, confirmed_not_duplicate=True)


def test_the_nhs_number_hint_example_passes_its_own_check():
    from clients.forms import ClientForm
    from clients.identifiers import nhs_number_validate

    example = ClientForm.base_fields["nhs_number"].help_text.split("for example ")[1].split(".")[0]
    assert nhs_number_validate(example) == example.replace(" ", "")


def test_a_csv_with_a_nul_byte_is_refused_with_its_line():
    with pytest.raises(FileRefused, match="line 3"):
        people_import(data=b"legacy_id,given_name,family_name\nL1,Ada,One\nL2,B\x00b,Two\n")


def test_one_nhs_number_on_two_rows_rejects_the_second_not_the_batch():
    data = (b"legacy_id,given_name,family_name,nhs_number\nL1,Ada,One,9434765919\nL2,Bea,Two,943 476 5919\n"
            b"L3,Cy,Three,\n")
    result = people_import(data=data)
    assert (result.created, result.rejected) == (2, 1)
    assert "also on the row for legacy ID L1" in result.report[1][3]


def test_the_import_report_cannot_run_as_a_spreadsheet_formula():
    result = people_import(data=b"legacy_id,given_name,family_name,gender\n=HYPERLINK(1),Ada,One,\n@SUM(1),Bea,Two,zz\n")
    report = result.report_csv()
    assert ",'=HYPERLINK(1)," in report and ",'@SUM(1)," in report
    assert ",=" not in report and ",@" not in report


def test_an_oversized_form_is_answered_413(client, practitioner, settings, person):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(practitioner)
    response = client.post(f"/people/{person.pk}/notes/new/", {"text": "x" * 5000})
    assert response.status_code == 413 and b"too large" in response.content


# --- Smaller things -----------------------------------------------------------------------------


def test_fields_required_in_some_cases_do_not_say_optional(client, practitioner, person):
    client.force_login(practitioner)
    client.get(f"/referrals/new/{person.pk}/")
    who = client.get(f"/referrals/new/{person.pk}/who/").content.decode()
    assert "Referrer&#x27;s name (optional)" not in who and "Referrer's name (optional)" not in who
    assert "Referrer&#x27;s organisation (optional)" in who or "Referrer's organisation (optional)" in who


def test_a_page_with_errors_says_error_once_in_its_title(client, practitioner, person):
    client.force_login(practitioner)
    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    page = client.post(f"/assessments/{draft.pk}/about/", {"version": draft.version, "what_matters": "x" * 20001})
    title = page.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.count("Error:") == 1


def test_assessment_questions_point_at_hints_that_exist_and_keep_their_class(client, practitioner, person):
    import re

    draft = assessments.assessment_create(user=practitioner, client=person, kind="needs")
    client.force_login(practitioner)
    page = client.get(f"/assessments/{draft.pk}/about/").content.decode()
    ids = set(re.findall(r'id="([^"]+)"', page))
    for textarea in re.findall(r"<textarea[^>]*>", page):
        assert "govuk-textarea" in textarea
        for target in re.findall(r'aria-describedby="([^"]+)"', textarea):
            assert set(target.split()) <= ids, textarea


def test_the_note_date_starts_as_today(client, practitioner, person):
    client.force_login(practitioner)
    form = client.get(f"/people/{person.pk}/notes/new/").context["form"]
    assert form.initial["occurred_on"] == TODAY


def test_opening_a_notification_marks_it_read(client, practitioner):
    from ascm.notifications.models import Notification
    from ascm.notifications.services import notify

    notify(recipients=[practitioner], kind="x", key="k1", title="Look at this", url="/work/")
    note = Notification.objects.get()
    client.force_login(practitioner)
    response = client.get(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/work/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_records_own_reason_field_is_content_not_an_access_reason(api, auditor, manager, canterbury_team):
    from clients.models import Allocation

    allocate(ClientFactory(), canterbury_team)
    Allocation.objects.update(reason="Private reason for the allocation")
    allocation = Allocation.objects.get()
    allocation.reason = "Reallocated: private clinical reasons"
    allocation.save()
    api.force_authenticate(auditor)
    response = api.get("/api/v1/audit-entries/")
    assert "private clinical reasons" not in response.content.decode()
    update = next(e for e in response.json()["results"] if e["record_type"] == "allocation" and e["action"] == "update")
    assert update["changed_fields"] == ["reason"] and update["reason"] == ""  # the field's name, not its value
