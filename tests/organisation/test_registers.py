"""Administrators keep the organisation's registers (areas, localities, postcode districts, hubs, GP
practices) in GOV.UK pages and the API: find, add, change, close with a reason, reopen. Closing is
refused while open records still belong to it; nothing is deleted; every change is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascm.audit.models import AuditEntry
from ascm.organisation import services
from ascm.organisation.models import Area, GPPractice, Hub, Locality, PostcodeDistrict
from ascm.organisation.registers import REGISTERS
from tests.factories import AreaFactory, GPPracticeFactory, HubFactory, LocalityFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_closing_is_refused_while_open_records_still_belong_to_it(canterbury, canterbury_team):
    PostcodeDistrict.objects.create(code="CT1", locality=canterbury)
    HubFactory(locality=canterbury)
    with pytest.raises(ValidationError) as refused:
        services.record_archive(instance=canterbury, reason="Merged")
    assert refused.value.message_dict["reason"] == [
        "Canterbury still has 1 open team, 1 open hub and 1 postcode district: move or close them first"]
    with pytest.raises(ValidationError, match="1 open locality"):
        services.record_archive(instance=canterbury.area, reason="Renamed")
    hub = HubFactory(locality=canterbury)
    GPPracticeFactory(locality=canterbury, hub=hub)
    with pytest.raises(ValidationError, match="1 open GP practice"):
        services.record_archive(instance=hub, reason="Merged")


def test_a_team_with_current_members_cannot_close(canterbury_team, practitioner):
    with pytest.raises(ValidationError, match="still has 1 current member: move or close them first"):
        services.record_archive(instance=canterbury_team, reason="Merged")
    services.membership_end(membership=practitioner.memberships.get(), reason="Left")
    services.record_archive(instance=canterbury_team, reason="Merged")
    assert canterbury_team.archived_at is not None


def test_a_closed_record_keeps_its_reason_reopens_and_cannot_reopen_under_a_closed_parent():
    locality = LocalityFactory(name="Swale")
    hub = HubFactory(locality=locality, name="Sittingbourne hub")
    services.record_archive(instance=hub, reason="Merged with the Faversham hub")
    hub.refresh_from_db()
    assert hub.archived_at and hub.archive_reason == "Merged with the Faversham hub"
    services.record_archive(instance=locality, reason="Boundary review")
    with pytest.raises(ValidationError, match="Swale is closed: reopen it first"):
        services.record_reopen(instance=hub)
    services.record_reopen(instance=locality)
    services.record_reopen(instance=hub)
    hub.refresh_from_db()
    assert (hub.archived_at, hub.archive_reason) == (None, "")
    assert Hub.objects.filter(pk=hub.pk).exists()  # never deleted
    changes = AuditEntry.objects.filter(content_type__model="hub", object_id=hub.pk, action=AuditEntry.Action.UPDATE)
    assert [e.changes.get("archive_reason") for e in changes.order_by("timestamp")] == [
        ["", "Merged with the Faversham hub"], ["Merged with the Faversham hub", ""]]


def test_administrator_adds_finds_changes_closes_and_reopens_each_register(client, administrator):
    area = AreaFactory(name="East Kent")
    locality = LocalityFactory(name="Dover", area=area)
    client.force_login(administrator)
    posts = {
        "areas": {"name": "Mid Kent"},
        "localities": {"name": "Folkestone and Hythe", "area": area.pk, "former_names": "Shepway"},
        "postcode-districts": {"code": "ct16", "locality": locality.pk},
        "hubs": {"name": "Dover town hub", "locality": locality.pk, "population": "41000"},
        "gp-practices": {"ods_code": "g99001", "name": "Synthetic Cliffs Surgery", "locality": locality.pk},
    }
    for slug, data in posts.items():
        register = REGISTERS[slug]
        response = client.post(f"/organisation/{slug}/new/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:500])
        record = register.model.objects.order_by("-pk").first()
        listing = client.get(f"/organisation/{slug}/", {"q": register.label(record)[:4]}).content.decode()
        assert register.label(record) in listing and f"/organisation/{slug}/{record.pk}/" in listing
        page = client.get(f"/organisation/{slug}/{record.pk}/").content.decode()
        assert 'class="govuk-input' in page
    assert PostcodeDistrict.objects.get(code="CT16").locality == locality
    assert GPPractice.objects.get(ods_code="G99001").name == "Synthetic Cliffs Surgery"
    practice = GPPractice.objects.get(ods_code="G99001")
    response = client.post(f"/organisation/gp-practices/{practice.pk}/close/", {"reason": "Merged practice"})
    assert response.status_code == 302
    assert "Synthetic Cliffs" not in client.get("/organisation/gp-practices/").content.decode().split('data-testid="register"')[1]
    closed = client.get("/organisation/gp-practices/", {"status": "closed"}).content.decode()
    assert "Synthetic Cliffs Surgery" in closed and "Merged practice" in closed
    assert client.post(f"/organisation/gp-practices/{practice.pk}/close/").status_code == 302  # reopen
    practice.refresh_from_db()
    assert practice.archived_at is None
    district = PostcodeDistrict.objects.get(code="CT16")
    other = LocalityFactory(name="Folkestone")
    client.post(f"/organisation/postcode-districts/{district.pk}/", {"code": "CT16", "locality": other.pk})
    district.refresh_from_db()
    assert district.locality == other


def test_search_finds_gp_practices_by_name_or_ods_code(client, administrator):
    GPPracticeFactory(ods_code="G99111", name="Synthetic Harbour Surgery")
    GPPracticeFactory(ods_code="G99222", name="Synthetic Meadow Practice")
    client.force_login(administrator)
    by_code = client.get("/organisation/gp-practices/", {"q": "g99111"}).content.decode()
    assert "Synthetic Harbour Surgery" in by_code and "Meadow" not in by_code
    by_name = client.get("/organisation/gp-practices/", {"q": "meadow"}).content.decode()
    assert "Synthetic Meadow Practice" in by_name and "Harbour" not in by_name


def test_forms_show_each_error_and_keep_what_was_typed(client, administrator, canterbury, canterbury_team):
    LocalityFactory(name="Dover")
    GPPracticeFactory(ods_code="G99333")
    client.force_login(administrator)
    response = client.post("/organisation/gp-practices/new/", {"ods_code": "G99333", "name": "Synthetic Typed Name"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "Choose the locality" in page and 'value="Synthetic Typed Name"' in page
    response = client.post("/organisation/gp-practices/new/", {"ods_code": "G99333", "name": "Synthetic Typed Name",
                                                                "locality": canterbury.pk})
    assert "A GP practice with this ODS code already exists" in response.content.decode()
    response = client.post("/organisation/postcode-districts/new/", {"code": "C1X9", "locality": canterbury.pk})
    assert response.status_code == 400 and "Enter a postcode district, like CT1" in response.content.decode()
    response = client.post("/organisation/localities/new/", {"name": "Dover", "area": canterbury.area_id})
    assert "A locality with this name already exists" in response.content.decode()
    response = client.post(f"/organisation/localities/{canterbury.pk}/close/", {"reason": ""})
    assert response.status_code == 400 and "Enter why it is closing" in response.content.decode()
    response = client.post(f"/organisation/localities/{canterbury.pk}/close/", {"reason": "Merged"})
    page = response.content.decode()
    assert response.status_code == 400 and "still has 1 open team" in page and ">\nMerged</textarea>" in page
    assert "govuk-textarea--error" in page and 'aria-describedby="id_reason-hint id_reason-error"' in page


def test_only_administrators_change_registers_and_unknown_ids_are_not_found(client, practitioner, administrator,
                                                                            canterbury):
    client.force_login(practitioner)
    assert client.get("/organisation/localities/").status_code == 200  # staff may look them up
    page = client.get("/organisation/localities/").content.decode()
    assert "Add a locality" not in page and f"/organisation/localities/{canterbury.pk}/" not in page
    assert client.get("/organisation/localities/new/").status_code == 403
    assert client.post("/organisation/areas/new/", {"name": "Nowhere"}).status_code == 403
    assert client.get(f"/organisation/localities/{canterbury.pk}/").status_code == 403
    assert client.post(f"/organisation/localities/{canterbury.pk}/close/", {"reason": "x"}).status_code == 403
    assert client.get("/organisation/postcode-districts/").status_code == 403  # not a staff lookup
    assert not Area.objects.filter(name="Nowhere").exists()
    client.force_login(administrator)
    assert client.get("/organisation/hubs/987654/").status_code == 404
    assert client.get("/organisation/postcode-districts/1/close/").status_code == 404  # not closable


@pytest.mark.parametrize("slug", list(REGISTERS))
def test_each_register_list_makes_a_bounded_number_of_queries(slug, client, administrator, django_assert_max_num_queries):
    for n in range(12):
        locality = LocalityFactory()
        PostcodeDistrict.objects.create(code=f"ZZ{n}", locality=locality)
        hub = HubFactory(locality=locality)
        GPPracticeFactory(locality=locality, hub=hub)
        TeamFactory(locality=locality)
    client.force_login(administrator)
    client.get(f"/organisation/{slug}/")
    with django_assert_max_num_queries(9):
        assert client.get(f"/organisation/{slug}/").status_code == 200


def test_api_adds_moves_closes_with_a_reason_and_reopens(api, administrator, practitioner, canterbury):
    api.force_authenticate(administrator)
    response = api.post("/api/v1/areas/", {"name": "Mid Kent"}, format="json")
    assert response.status_code == 201
    response = api.post("/api/v1/areas/", {"name": "Mid Kent"}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["name"] == ["An area with this name already exists"]
    response = api.post("/api/v1/localities/", {"name": "Maidstone", "area": Area.objects.get(name="Mid Kent").pk},
                        format="json")
    assert response.status_code == 201
    maidstone = Locality.objects.get(name="Maidstone")
    response = api.post("/api/v1/postcode-districts/", {"code": "me14", "locality": canterbury.pk}, format="json")
    assert response.status_code == 201 and response.json()["code"] == "ME14"
    district = response.json()["id"]
    assert api.patch(f"/api/v1/postcode-districts/{district}/", {"locality": maidstone.pk},
                     format="json").json()["locality"] == maidstone.pk
    response = api.post(f"/api/v1/localities/{maidstone.pk}/archive/", {"reason": "Merged"}, format="json")
    assert response.status_code == 400 and "1 postcode district" in response.json()["errors"]["reason"][0]
    api.patch(f"/api/v1/postcode-districts/{district}/", {"locality": canterbury.pk}, format="json")
    response = api.post(f"/api/v1/localities/{maidstone.pk}/archive/", {"reason": "Merged"}, format="json")
    assert response.status_code == 200 and response.json()["archive_reason"] == "Merged"
    assert api.post(f"/api/v1/localities/{maidstone.pk}/reopen/").json()["archived_at"] is None
    api.force_authenticate(practitioner)
    assert api.get("/api/v1/localities/").status_code == 200
    assert api.post("/api/v1/areas/", {"name": "Elsewhere"}, format="json").status_code == 403
    assert api.post(f"/api/v1/localities/{maidstone.pk}/archive/", {"reason": "x"}, format="json").status_code == 403


def test_the_team_list_is_searchable_by_name_and_paginated(client, administrator, canterbury):
    for n in range(55):
        TeamFactory(name=f"Synthetic team {n:02d}", locality=canterbury)
    TeamFactory(name="Harbour Reablement", locality=canterbury)
    client.force_login(administrator)
    page = client.get("/organisation/teams/", {"q": "harbour"}).content.decode()
    assert "Harbour Reablement" in page and "Synthetic team" not in page and "1 team you can see" in page
    first = client.get("/organisation/teams/").content.decode()
    assert "56 teams you can see" in first and "Page 1 of 2" in first
    assert "Synthetic team 54" in client.get("/organisation/teams/", {"page": 2}).content.decode()


def test_a_team_with_people_allocated_cannot_close(canterbury_team, person):
    from ascm.organisation.models import TeamMembership

    TeamMembership.objects.filter(team=canterbury_team).update(ended_on=timezone.localdate())
    with pytest.raises(ValidationError, match="still has 1 person allocated: move or close them first"):
        services.record_archive(instance=canterbury_team, reason="Merged")


def test_administrator_closes_a_team_from_its_page_once_it_is_empty(client, administrator, practitioner, canterbury_team):
    client.force_login(administrator)
    assert f"/organisation/teams/{canterbury_team.pk}/close/" in client.get(
        f"/organisation/teams/{canterbury_team.pk}/edit/").content.decode()
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/close/", {"reason": "Merged with Ashford"})
    page = response.content.decode()
    assert response.status_code == 400 and "still has 1 current member" in page and "Merged with Ashford" in page
    services.membership_end(membership=practitioner.memberships.get(), reason="Moved")
    response = client.post(f"/organisation/teams/{canterbury_team.pk}/close/", {"reason": "Merged with Ashford"})
    assert response.status_code == 302
    canterbury_team.refresh_from_db()
    assert canterbury_team.archive_reason == "Merged with Ashford"
    client.force_login(practitioner)
    assert client.post(f"/organisation/teams/{canterbury_team.pk}/close/", {"reason": "x"}).status_code == 403
