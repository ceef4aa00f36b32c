"""MDT pages and API: the flow, errors that keep what was typed, access, the pack, bounded queries."""

import datetime

import pytest
from django.utils import timezone

from ascm.audit.models import AuditEntry
from clients.models import Allocation, CaseNote
from mdt import services
from mdt.models import Action, AgendaItem, Attendee, Meeting
from tests.clients.factories import ClientFactory, allocate
from tests.conftest import as_user
from tests.documents import assert_pdf_says_what_the_page_says, assert_tagged_pdf
from tests.factories import UserFactory, member
from tests.pathways.factories import ReferralFactory

from .factories import held, meeting, practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(canterbury_team, practitioner, canterbury):
    return allocate(ClientFactory(locality=canterbury, consent_to_share="not_asked"), canterbury_team,
                    worker=practitioner).client


def test_scheduling_a_meeting_in_the_browser_keeps_input_on_an_error(client, practitioner, canterbury):
    surgery = practice(canterbury)
    client.force_login(practitioner)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"title": "City MDT", "locality": canterbury.pk, "gp_practice": surgery.pk, "date_0": yesterday.day,
            "date_1": yesterday.month, "date_2": yesterday.year, "time": "10:00", "every_weeks": "2"}
    page = client.post("/mdt/new/", data).content.decode()
    assert "A new meeting must be in the future" in page and 'value="City MDT"' in page
    assert not Meeting.objects.exists()
    soon = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post("/mdt/new/", {**data, "date_0": soon.day, "date_1": soon.month, "date_2": soon.year})
    first = Meeting.objects.order_by("starts_at").first()
    assert response["Location"] == f"/mdt/{first.pk}/"
    assert Meeting.objects.count() == 6 and first.series.every_weeks == 2


def test_adding_a_person_without_consent_asks_for_the_lawful_basis(client, practitioner, canterbury, person):
    mdt = meeting(practitioner, canterbury)
    client.force_login(practitioner)
    form = client.get(f"/mdt/agenda/add/{person.pk}/").content.decode()
    assert "has not given consent to share with health partners" in form
    response = client.post(f"/mdt/agenda/add/{person.pk}/", {"meeting": mdt.pk, "reason": "Two falls", "ask": "Physio"})
    page = response.content.decode()
    assert "record the lawful basis for discussing them" in page and "Two falls" in page
    client.post(f"/mdt/agenda/add/{person.pk}/", {"meeting": mdt.pk, "reason": "Two falls", "ask": "Physio",
                                                  "lawful_basis": "Vital interests"})
    again = client.post(f"/mdt/agenda/add/{person.pk}/", {"meeting": mdt.pk, "reason": "x", "ask": "y",
                                                          "lawful_basis": "z"}).content.decode()
    assert "is already on the agenda for this meeting" in again
    assert AgendaItem.objects.count() == 1
    detail = client.get(f"/mdt/{mdt.pk}/").content.decode()
    assert "No consent" in detail and "Vital interests" in detail


def test_recording_a_discussion_with_an_action_in_the_browser(client, practitioner, canterbury, person,
                                                              django_capture_on_commit_callbacks):
    mdt = meeting(practitioner, canterbury)
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Physio",
                               lawful_basis="Vital interests")
    services.attendee_add(meeting=mdt, user=practitioner)
    held(mdt, days_ago=0)
    client.force_login(practitioner)
    missing = client.post(f"/mdt/agenda/{item.pk}/discussion/", {"summary": "Agreed physio", "action-description": "Refer"})
    page = missing.content.decode()
    assert "Choose who owns the action" in page and "Enter the date the action is due" in page and "Agreed physio" in page
    assert not CaseNote.objects.exists()  # nothing half-saved
    due = timezone.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mdt/agenda/{item.pk}/discussion/", {
            "summary": "Agreed physio", "decisions": "Refer to falls clinic", "action-description": "Refer",
            "action-owner": f"user-{practitioner.pk}", "action-due_on_0": due.day, "action-due_on_1": due.month,
            "action-due_on_2": due.year})
    assert response["Location"] == f"/mdt/{mdt.pk}/"
    assert CaseNote.objects.get(client=person).note_type == "mdt_discussion"
    assert Action.objects.get().owner == practitioner


def test_meetings_are_out_of_reach_from_another_locality(client, practitioner, thanet_practitioner, canterbury, person):
    mdt = meeting(practitioner, canterbury)
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="r", ask="a", lawful_basis="b")
    client.force_login(thanet_practitioner)
    for url in (f"/mdt/{mdt.pk}/", f"/mdt/{mdt.pk}/pack/", f"/mdt/{mdt.pk}/pack.pdf", f"/mdt/agenda/{item.pk}/discussion/",
                f"/mdt/agenda/add/{person.pk}/"):
        assert client.get(url).status_code == 404, url
    assert str(person) not in client.get("/mdt/").content.decode()


def test_the_meeting_pack_shows_a_safeguarding_flag_but_no_detail_and_is_audited(client, practitioner, canterbury,
                                                                               person, django_assert_max_num_queries):
    mdt = meeting(practitioner, canterbury)
    ReferralFactory(client=person, locality=canterbury, status="allocated", safeguarding_concern=True,
                    needs_in_persons_words="SECRET-DETAIL", referrer_name="Police")
    services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="Falls", ask="Physio", lawful_basis="b")
    for _ in range(5):
        services.agenda_add(user=practitioner, meeting=mdt, client=ClientFactory(consent_to_share="given"),
                            reason="r", ask="a")
    services.attendee_add(meeting=mdt, name="Dr A Synthetic", role="GP", organisation="Synthetic Surgery")
    client.force_login(practitioner)
    with django_assert_max_num_queries(16):  # the same for 6 people or 25: agenda, actions and audit in bulk
        page = client.get(f"/mdt/{mdt.pk}/pack/").content.decode()
    assert "Safeguarding: open concern" in page and "SECRET-DETAIL" not in page and "Dr A Synthetic" in page
    viewed = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS, object_pk=str(person.pk), content_type__model="client")
    assert viewed.actor == practitioner and viewed.remote_addr == "127.0.0.1" and "MDT meeting pack" in str(viewed.changes)
    pdf = client.get(f"/mdt/{mdt.pk}/pack.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf["Cache-Control"] == "no-store"
    assert_tagged_pdf(pdf.content, title=f"MDT meeting pack: {mdt.title}")
    assert_pdf_says_what_the_page_says(pdf.content, page)
    assert b"SECRET-DETAIL" not in pdf.content


def test_the_caseload_review_page_drills_down_and_reallocates(client, manager, canterbury_team, thanet_team,
                                                              django_assert_max_num_queries,
                                                              django_capture_on_commit_callbacks):
    ann, ben, outsider = (UserFactory(first_name=n, last_name="P") for n in ("Ann", "Ben", "Oscar"))
    member(ann, canterbury_team, "practitioner")
    member(ben, canterbury_team, "practitioner")
    member(outsider, thanet_team, "practitioner")
    people = [allocate(ClientFactory(), canterbury_team, worker=ann).client for _ in range(12)]
    client.force_login(manager)
    with django_assert_max_num_queries(22):  # the same for 12 people or 2,500: every figure is aggregated
        page = client.get("/mdt/caseload/").content.decode()
    assert "Ann P" in page and "Ben P" in page and "Oscar P" not in page
    url = f"/mdt/caseload/{ann.pk}/allocated/"
    assert str(people[0]) in client.get(url).content.decode()
    outside = client.post(url, {"client_ids": [people[0].pk], "to_worker": outsider.pk, "reason": "Leave"})
    assert outside.status_code == 400 and "is not a member of" in outside.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"client_ids": [people[0].pk, people[1].pk], "to_worker": ben.pk, "reason": "Leave"})
    assert Allocation.objects.filter(worker=ben, ended_on__isnull=True).count() == 2
    assert client.get(f"/mdt/caseload/{outsider.pk}/allocated/").status_code == 404


def test_practitioners_cannot_open_the_caseload_review(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/mdt/caseload/").status_code == 403


def test_the_locality_overview_counts_by_practice(client, manager, canterbury, person):
    mdt = meeting(manager, canterbury)
    services.agenda_add(user=manager, meeting=mdt, client=person, reason="r", ask="a", lawful_basis="b")
    meeting(manager, canterbury, gp_practice=mdt.gp_practice, title="Next")
    client.force_login(manager)
    page = client.get("/mdt/localities/").content.decode()
    assert "Synthetic Surgery" in page


def test_the_api_schedules_adds_discusses_and_reports_caseloads(api, practitioner, manager, canterbury, canterbury_team,
                                                                thanet_practitioner, person):
    surgery = practice(canterbury)
    as_user(api, practitioner)
    starts = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    created = api.post("/api/v1/mdt-meetings/", {"locality": canterbury.pk, "title": "City MDT", "gp_practice": surgery.pk,
                                                 "starts_at": starts}, format="json")
    assert created.status_code == 201, created.json()
    meeting_id = created.json()["id"]
    past = api.post("/api/v1/mdt-meetings/", {"locality": canterbury.pk, "title": "Old", "gp_practice": surgery.pk,
                                              "starts_at": "2020-01-01T10:00:00Z"}, format="json")
    assert past.status_code == 400 and "starts_at" in past.json()["errors"]
    partner = api.post(f"/api/v1/mdt-meetings/{meeting_id}/attendees/", {"name": "Nurse Synthetic", "role": "District nurse",
                                                                        "organisation": "Community trust"}, format="json")
    assert partner.status_code == 201 and Attendee.objects.get().user is None  # partners get no account
    no_basis = api.post("/api/v1/mdt-agenda-items/", {"meeting": meeting_id, "client": person.pk, "reason": "r", "ask": "a"},
                        format="json")
    assert no_basis.status_code == 400 and "lawful_basis" in no_basis.json()["errors"]
    item = api.post("/api/v1/mdt-agenda-items/", {"meeting": meeting_id, "client": person.pk, "reason": "r", "ask": "a",
                                                  "lawful_basis": "Vital interests"}, format="json")
    assert item.status_code == 201
    no_owner = api.post("/api/v1/mdt-actions/", {"agenda_item": item.json()["id"], "description": "Refer"}, format="json")
    assert no_owner.status_code == 400 and set(no_owner.json()["errors"]) == {"owner", "due_on"}
    as_user(api, thanet_practitioner)
    assert api.get(f"/api/v1/mdt-meetings/{meeting_id}/").status_code == 404
    assert api.get(f"/api/v1/caseload-review/{canterbury_team.pk}/").status_code == 403
    as_user(api, manager)
    table = api.get(f"/api/v1/caseload-review/{canterbury_team.pk}/").json()
    assert table["practitioners"][0]["allocated"] == 1 and table["practitioners"][0]["user"] == practitioner.pk
    other_team = UserFactory()
    assert api.get("/api/v1/caseload-review/999999/").status_code == 404
    refused = api.post(f"/api/v1/caseload-review/{canterbury_team.pk}/reallocate/",
                       {"client_ids": [person.pk], "to_worker": other_team.pk, "reason": "x"}, format="json")
    assert refused.status_code == 400 and "to_worker" in refused.json()["errors"]


def test_taking_a_person_off_the_agenda_in_the_browser_and_the_api(client, api, practitioner, canterbury, person):
    mdt = meeting(practitioner, canterbury)
    item = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="r", ask="a", lawful_basis="b")
    client.force_login(practitioner)
    empty = client.post(f"/mdt/agenda/{item.pk}/withdraw/", {"reason": ""})
    assert "Say why the person is coming off the agenda" in empty.content.decode()
    response = client.post(f"/mdt/agenda/{item.pk}/withdraw/", {"reason": "Consent withdrawn"})
    assert response["Location"] == f"/mdt/{mdt.pk}/"
    page = client.get(f"/mdt/{mdt.pk}/").content.decode()
    assert "Consent withdrawn" in page and 'data-testid="agenda-item"' not in page
    assert str(person) not in client.get(f"/mdt/{mdt.pk}/pack/").content.decode()
    again = services.agenda_add(user=practitioner, meeting=mdt, client=person, reason="r", ask="a", lawful_basis="b")
    as_user(api, practitioner)
    response = api.post(f"/api/v1/mdt-agenda-items/{again.pk}/withdraw/", {"reason": "No longer needed"}, format="json")
    assert response.status_code == 200 and response.json()["withdrawn_reason"].startswith("No longer needed")
