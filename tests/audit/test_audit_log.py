import pytest
from django.db import DatabaseError, connection, transaction

from ascm.audit.models import AuditEntry
from ascm.audit.services import audit_record_view
from ascm.organisation import services
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_an_update_records_which_fields_changed(canterbury_team):
    services.team_update(team=canterbury_team, name="Canterbury Enablement", email="enablement@ascm.invalid")
    entry = AuditEntry.objects.get_for_object(canterbury_team).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.changes == {
        "name": ["Canterbury Promoting Independence", "Canterbury Enablement"],
        "email": ["", "enablement@ascm.invalid"],
    }


def test_archiving_is_recorded(canterbury_team):
    services.record_archive(instance=canterbury_team)
    entry = AuditEntry.objects.get_for_object(canterbury_team).latest("timestamp")
    assert "archived_at" in entry.changes


def test_a_view_is_recorded_with_who_and_why(practitioner, canterbury_team):
    audit_record_view(user=practitioner, instance=canterbury_team, reason="Urgent safeguarding call")
    entry = AuditEntry.objects.get_for_object(canterbury_team).get(action=AuditEntry.Action.ACCESS)
    assert entry.actor == practitioner
    assert entry.changes == {"reason": ["", "Urgent safeguarding call"]}


def _entry():
    team = TeamFactory()
    return AuditEntry.objects.get_for_object(team).get()


def test_an_entry_cannot_be_changed_through_the_orm():
    entry = _entry()
    entry.object_repr = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="rewritten")
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE auditlog_logentry SET object_repr = 'rewritten' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ],
)
def test_an_entry_cannot_be_changed_or_deleted_in_the_database_itself(statement):
    if statement.startswith("DELETE") and connection.vendor == "sqlite":
        pytest.skip("the SQLite test database drops the DELETE guard so tests can empty tables (see conftest)")
    entry = _entry()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr


def test_the_admin_offers_no_change_or_delete(admin_client):
    entry = _entry()
    response = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_auditor_searches_by_user_record_and_date(client, auditor, administrator, canterbury_team):
    client.force_login(administrator)
    client.post(
        f"/organisation/teams/{canterbury_team.pk}/edit/",
        {"name": "Renamed team", "team_type": "safeguarding", "locality": canterbury_team.locality_id},
    )
    client.force_login(auditor)
    today = canterbury_team.created_at.date().isoformat()
    response = client.get(
        "/audit/",
        {"actor": administrator.username, "record_id": canterbury_team.pk, "date_from": today, "date_to": today},
    )
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert [e.action for e in entries] == [AuditEntry.Action.UPDATE]
    assert b"Renamed team" in response.content


def test_audit_api_is_for_auditors_only(client, auditor, practitioner, canterbury_team):
    client.force_login(practitioner)
    assert client.get("/api/v1/audit-entries/").status_code == 403
    client.force_login(auditor)
    response = client.get(f"/api/v1/audit-entries/?record_id={canterbury_team.pk}")
    assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_audit_page_is_refused_to_practitioners_and_administrators(client, practitioner, administrator):
    for user in (practitioner, administrator):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403


def test_audit_search_makes_a_bounded_number_of_queries(client, auditor, django_assert_max_num_queries):
    TeamFactory.create_batch(60)
    client.force_login(auditor)
    with django_assert_max_num_queries(16):
        response = client.get("/audit/")
    assert len(response.context["page"]) == 50
