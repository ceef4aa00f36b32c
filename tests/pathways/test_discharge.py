"""Hospital discharge: the delayed-day arithmetic worked by hand, reasons changing mid-delay, the
checks on bad input, alert thresholds and escalation (once each), access, the pages and the API."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from ascm.notifications.selectors import notifications_for
from pathways.discharge import services
from pathways.discharge.alerts import discharge_alerts
from pathways.discharge.models import AlertRule, Discharge, DischargeAlert
from pathways.discharge.selectors import delay_days_by_reason, stays_in
from tests.providers.factories import HospitalFactory, WardFactory

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _starting_rules(db):
    from pathways.discharge.defaults import alert_rules_ensure

    alert_rules_ensure()  # as the migration leaves them (a test that flushed the database took them)


@pytest.fixture
def hospital(canterbury):
    return HospitalFactory(locality=canterbury)


def _stay(user, client, hospital, admitted=MARCH, **fields):
    return services.discharge_start(user=user, client=client, hospital=hospital, admitted_on=admitted, **fields)


def test_delayed_days_are_counted_from_the_final_ready_date(practitioner, person, hospital):
    stay = _stay(practitioner, person, hospital)
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 3, 3), reason="Ward round")
    stay.refresh_from_db()
    assert stay.delayed_days(datetime.date(2026, 3, 10)) == 7  # DRD 3 March, still in on 10 March: 7
    # She meets the criteria to reside again from 5 March; ready again on 8 March: only that counts.
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=None, reset=True, reason="Chest infection")
    stay.refresh_from_db()
    assert stay.ready_on is None and stay.delayed_days(datetime.date(2026, 3, 6)) == 0
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 3, 8), reason="Recovered")
    services.pathway_set(user=practitioner, discharge=stay, pathway=0, reason="Home, no new support")
    done = services.discharge_complete(user=practitioner, discharge=stay, discharged_on=datetime.date(2026, 3, 10),
                                       destination="home")
    assert done.delayed_days() == 2  # DRD 8 March, discharged 10 March
    assert [c.reset for c in done.ready_date_changes.all()] == [False, True, False]


def test_days_are_attributed_to_each_reason_as_it_changes(practitioner, person, hospital):
    stay = _stay(practitioner, person, hospital)
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 3, 3), reason="Ward round")
    services.delay_record(user=practitioner, discharge=stay, reason="home_care", code="E", attribution="social_care",
                          starts_on=datetime.date(2026, 3, 3))
    services.delay_record(user=practitioner, discharge=stay, reason="equipment", code="F", attribution="both",
                          starts_on=datetime.date(2026, 3, 7))
    services.discharge_complete(user=practitioner, discharge=stay, discharged_on=datetime.date(2026, 3, 10), destination="home")
    stay.refresh_from_db()
    days = [(period.code, period.attribution, n) for period, n in delay_days_by_reason(stay)]
    assert days == [("E", "social_care", 4), ("F", "both", 3)]  # 3-7 March, 7-10 March: 7 in all
    assert (stay.delay_code, stay.attribution) == ("F", "both")  # the current reason, on the tracking list


def test_bad_input_gets_a_clear_error(practitioner, person, hospital):
    with pytest.raises(ValidationError) as not_a_hospital:
        services.discharge_start(user=practitioner, client=person, hospital=WardFactory().setting, admitted_on=MARCH,
                                 ward=WardFactory())
    assert "ward" in not_a_hospital.value.message_dict
    stay = _stay(practitioner, person, hospital)
    with pytest.raises(ValidationError) as twice:
        _stay(practitioner, person, hospital)
    assert "already has a stay in hospital open" in twice.value.message_dict["client"][0]
    with pytest.raises(ValidationError) as early:
        services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 2, 27), reason="x")
    assert early.value.message_dict["ready_on"] == ["The discharge ready date cannot be before admission (1 March 2026)"]
    with pytest.raises(ValidationError) as no_reason:
        services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 3, 4), reason=" ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as delay_first:
        services.delay_record(user=practitioner, discharge=stay, reason="home_care", code="E", attribution="nhs")
    assert "Set the discharge ready date first" in delay_first.value.message_dict["starts_on"][0]
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=datetime.date(2026, 3, 4), reason="Ward round")
    with pytest.raises(ValidationError) as bad_code:
        services.delay_record(user=practitioner, discharge=stay, reason="home_care", code="Z", attribution="nhs")
    assert "A to I" in bad_code.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as before_admission:
        services.discharge_complete(user=practitioner, discharge=stay, discharged_on=datetime.date(2026, 2, 28),
                                    destination="home")
    assert "on or after 1 March 2026" in before_admission.value.message_dict["discharged_on"][0]
    with pytest.raises(ValidationError) as before_ready:
        services.discharge_complete(user=practitioner, discharge=stay, discharged_on=datetime.date(2026, 3, 2),
                                    destination="home")
    assert "say why" in before_ready.value.message_dict["note"][0]
    services.pathway_set(user=practitioner, discharge=stay, pathway=3)
    with pytest.raises(ValidationError) as no_home:
        services.discharge_complete(user=practitioner, discharge=stay, discharged_on=datetime.date(2026, 3, 6),
                                    destination="care_home")
    assert "destination_setting" in no_home.value.message_dict
    with pytest.raises(ValidationError) as no_recipient:
        services.alert_rule_add(user=_admin(), name="Nobody", delayed_days=2, recipient="")
    assert no_recipient.value.message_dict["recipient"] == ["Choose who is told"]


def _admin():
    from ascm.accounts import roles
    from tests.factories import UserFactory, with_role

    return with_role(UserFactory(), roles.ADMINISTRATOR)


def test_alerts_escalate_once_per_threshold_and_close_when_the_date_moves(practitioner, manager, person, hospital,
                                                                           canterbury_team):
    today = timezone.localdate()
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=10))
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=1), reason="Ready")
    assert discharge_alerts() == 2  # 1 day: the worker, and the team (the starting rules)
    assert discharge_alerts() == 0  # a second run raises and sends nothing
    assert notifications_for(user=practitioner).filter(kind="dtoc_alert").count() == 2  # her own, and the team's
    assert not notifications_for(user=manager).filter(kind="dtoc_alert", permission__isnull=False).exists()
    assert discharge_alerts(today=today + datetime.timedelta(days=2)) == 1  # 3 days: the team manager
    assert notifications_for(user=manager).filter(kind="dtoc_alert", permission__codename="escalate_discharge").exists()
    assert not notifications_for(user=practitioner).filter(permission__codename="escalate_discharge").exists()
    # The ward round moves the DRD: the open alerts close, and the count starts again from the new date.
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=today, reason="New plan")
    discharge_alerts()
    assert not DischargeAlert.objects.filter(discharge=stay, closed_at__isnull=True).exists()
    assert set(DischargeAlert.objects.values_list("close_reason", flat=True)) == {"The discharge ready date changed"}
    assert discharge_alerts(today=today + datetime.timedelta(days=1)) == 2  # 1 day past the new DRD


def test_rules_follow_pathway_and_attribution_and_are_dated(practitioner, person, hospital):
    today = timezone.localdate()
    AlertRule.objects.all().delete()
    nhs_only = services.alert_rule_add(user=_admin(), name="NHS delays, pathway 1", delayed_days=1, recipient="team",
                                       pathway=1, attribution="nhs")
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=9))
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=2), reason="Ready")
    services.pathway_set(user=practitioner, discharge=stay, pathway=1)
    services.delay_record(user=practitioner, discharge=stay, reason="home_care", code="E", attribution="social_care",
                          starts_on=today - datetime.timedelta(days=2))
    assert discharge_alerts() == 0  # social care's delay: the NHS rule does not apply
    services.delay_record(user=practitioner, discharge=stay, reason="medical", code="C", attribution="nhs")
    assert discharge_alerts() == 1
    services.alert_rule_retire(user=_admin(), rule=nhs_only, on=today)
    services.alert_rule_add(user=_admin(), name="Later", delayed_days=1, recipient="locality",
                            effective_from=today + datetime.timedelta(days=5))
    assert discharge_alerts() == 0  # retired today; the new one applies from next week


def test_a_change_checks_alerts_straight_away_and_the_sweep_catches_a_lost_task(practitioner, person, hospital,
                                                                               monkeypatch):
    from pathways.discharge import tasks

    today = timezone.localdate()
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=9))
    with TestCase.captureOnCommitCallbacks(execute=True):  # tasks run in-process here: the check runs at once
        services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=3),
                                reason="Ready")
    assert DischargeAlert.objects.filter(discharge=stay).count() == 3  # worker, team, team manager (3 days)
    assert not Discharge.objects.get(pk=stay.pk).alerts_due

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.discharge_alerts_check_task, "delay", broker_down)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=8),
                                reason="Corrected: ready since last week")
    assert Discharge.objects.get(pk=stay.pk).alerts_due  # saved; the task was lost
    monkeypatch.undo()
    assert tasks.discharge_alerts_sweep_task.delay().get() == 4  # 8 days: all four rules at the new DRD
    assert not Discharge.objects.get(pk=stay.pk).alerts_due


def test_pathway_1_home_with_enablement_starts_promoting_independence(practitioner, person, hospital, client):
    today = timezone.localdate()
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=5))
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=1), reason="Ready")
    services.pathway_set(user=practitioner, discharge=stay, pathway=1)
    services.discharge_complete(user=practitioner, discharge=stay, discharged_on=today, destination="home_enablement")
    episode = person.episodes.get(pathway="promoting_independence", ended_on__isnull=True)
    assert (episode.worker, episode.started_on, episode.planned_end_on) == (practitioner, today,
                                                                             today + datetime.timedelta(weeks=6))
    client.force_login(practitioner)
    assert str(person) in client.get("/work/").content.decode()


def test_the_tracking_list_shows_only_people_in_reach_and_the_hub_sees_the_county(
        practitioner, person, hospital, thanet_practitioner, thanet_team, client, django_assert_max_num_queries):
    from ascm.accounts import roles
    from tests.clients.factories import ClientFactory, allocate
    from tests.factories import UserFactory, member

    today = timezone.localdate()
    mine = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=12))
    services.ready_date_set(user=practitioner, discharge=mine, ready_on=today - datetime.timedelta(days=4), reason="Ready")
    theirs_person = allocate(ClientFactory(locality=thanet_team.locality), thanet_team, worker=thanet_practitioner).client
    theirs = _stay(thanet_practitioner, theirs_person, hospital, admitted=today - datetime.timedelta(days=3))
    client.force_login(practitioner)
    page = client.get("/discharges/").content.decode()
    assert mine.reference in page and theirs.reference not in page
    assert 'govuk-tag--red">4<' in page  # past the first alert threshold (1 day)
    assert client.get(f"/discharges/{theirs.pk}/").status_code == 404  # a guessed id from another locality
    download = client.get("/discharges/?format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(download)))
    assert rows[0][:3] == ["reference", "person", "nhs_number"] and [r[0] for r in rows[1:]] == [mine.reference]
    hub = UserFactory(username="hub")
    member(hub, thanet_team, roles.PRACTITIONER)
    hub.user_permissions.add(_permission("see_county_discharge"))
    client.force_login(hub)
    county = client.get("/discharges/").content.decode()
    assert mine.reference in county and theirs.reference in county
    assert client.get(f"/discharges/{mine.pk}/").status_code == 200
    for n in range(30):
        extra = allocate(ClientFactory(locality=person.locality), person.allocations.first().team, worker=practitioner).client
        _stay(practitioner, extra, hospital, admitted=today - datetime.timedelta(days=n + 1))
    client.force_login(practitioner)
    with django_assert_max_num_queries(20):  # the same 18 for one person or 31: no query per row
        page = client.get("/discharges/?sort=name").content.decode()
    assert page.count('href="/discharges/') >= 31


def _permission(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="discharge", codename=codename)


def test_the_pages_keep_what_was_typed_and_the_summary_counts(practitioner, person, hospital, client):
    today = timezone.localdate()
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=6))
    client.force_login(practitioner)
    bad = client.post(f"/discharges/{stay.pk}/ready-date/", {"reason": "Ward round said so"})
    body = bad.content.decode()
    assert bad.status_code == 400 and "Enter the discharge ready date" in body and "Ward round said so" in body
    ready = today - datetime.timedelta(days=2)
    client.post(f"/discharges/{stay.pk}/ready-date/", {"ready_on_0": ready.day, "ready_on_1": ready.month,
                                                        "ready_on_2": ready.year, "reason": "Ward round"})
    assert Discharge.objects.get(pk=stay.pk).ready_on == ready
    client.get("/discharges/summary/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        summary = client.get("/discharges/summary/").content.decode()
    assert len(queries) <= 12  # two for the figures, whatever the county
    assert '<span class="ascm-figure">1</span>people delayed today' in summary and "<svg" in summary
    for_the_hospital = client.get(f"/discharges/summary/?hospital={hospital.pk}").content.decode()
    assert '<span class="ascm-figure">1</span>people delayed today' in for_the_hospital
    assert '<span class="ascm-figure">0</span>people delayed today' in client.get(
        f"/discharges/summary/?hospital={hospital.pk + 999}").content.decode()
    csv_rows = list(csv.reader(io.StringIO(client.get("/discharges/summary/?format=csv").content.decode())))
    assert [hospital.name, "hospital", "1", "2", "0", "2"] in csv_rows
    trend = stays_in(practitioner, 90)["trend"]
    assert trend[-1]["people"] == 1 and trend[-1]["days"] == 2 and trend[-4]["people"] == 0


def test_the_api_starts_a_stay_and_records_the_discharge(api, practitioner, person, hospital, thanet_practitioner):
    from tests.conftest import as_user

    as_user(api, practitioner)
    bad = api.post("/api/v1/discharges/", {"client": person.pk, "hospital": hospital.pk, "admitted_on": "2026-03-01",
                                           "expected_on": "2026-02-01"}, format="json")
    assert bad.status_code == 400 and "expected_on" in bad.json()["errors"]
    made = api.post("/api/v1/discharges/", {"client": person.pk, "hospital": hospital.pk, "admitted_on": "2026-03-01"},
                    format="json")
    assert made.status_code == 201
    pk = made.json()["id"]
    wrong = api.post(f"/api/v1/discharges/{pk}/ready-date/", {"ready_on": "2026-02-01", "reason": "x"}, format="json")
    assert wrong.status_code == 400 and "ready_on" in wrong.json()["errors"]
    api.post(f"/api/v1/discharges/{pk}/ready-date/", {"ready_on": "2026-03-03", "reason": "Ward round"}, format="json")
    done = api.post(f"/api/v1/discharges/{pk}/discharged/", {"discharged_on": "2026-03-10", "destination": "home"},
                    format="json").json()
    assert (done["status"], done["delayed_days"]) == ("discharged", 7)
    summary = api.get("/api/v1/discharge-summary/").json()
    assert summary["people"] == 0 and len(summary["trend"]) == 90 and summary["trend"][-5]["people"] == 0
    as_user(api, thanet_practitioner)
    assert api.get(f"/api/v1/discharges/{pk}/").status_code == 404
    assert api.get("/api/v1/discharge-alert-rules/").status_code == 403
    as_user(api, _admin())
    rule = api.post("/api/v1/discharge-alert-rules/", {"name": "", "delayed_days": 0, "recipient": "team"}, format="json")
    assert rule.status_code == 400 and {"name", "delayed_days"} <= set(rule.json()["errors"])
    assert api.get("/api/v1/discharge-alert-rules/morning-time/").json() == {"hour": 7, "minute": 30}
    late = api.post("/api/v1/discharge-alert-rules/morning-time/", {"hour": 25, "minute": 0}, format="json")
    assert late.status_code == 400 and "hour" in late.json()["errors"]
    assert api.post("/api/v1/discharge-alert-rules/morning-time/", {"hour": 6, "minute": 15},
                    format="json").json() == {"hour": 6, "minute": 15}


def test_administrators_set_the_rules_and_the_morning_time(client):
    from django_celery_beat.models import PeriodicTask

    client.force_login(_admin())
    page = client.get("/discharges/alert-rules/").content.decode()
    assert "Delayed 3 days: the team manager" in page
    bad = client.post("/discharges/alert-rules/", {"name": "Five days", "delayed_days": "", "recipient": "locality"})
    assert bad.status_code == 400 and "Enter the delayed days, from 1 to 365" in bad.content.decode()
    assert 'value="Five days"' in bad.content.decode()
    client.post("/discharges/alert-rules/", {"name": "Five days", "delayed_days": "5", "recipient": "locality"})
    assert AlertRule.objects.filter(name="Five days", delayed_days=5).exists()
    client.post("/discharges/alert-rules/", {"hour": "6", "minute": "45"})
    crontab = PeriodicTask.objects.get(name="dtoc-morning-alerts").crontab
    assert (crontab.hour, crontab.minute, str(crontab.timezone)) == ("6", "45", "Europe/London")


def test_practitioners_cannot_set_the_rules(client, practitioner):
    client.force_login(practitioner)
    before = AlertRule.objects.count()
    assert client.get("/discharges/alert-rules/").status_code == 403
    refused = client.post("/discharges/alert-rules/", {"name": "Mine", "delayed_days": "1", "recipient": "team"})
    assert refused.status_code == 403 and AlertRule.objects.count() == before
    rule = AlertRule.objects.first()
    assert client.post(f"/discharges/alert-rules/{rule.pk}/retire/").status_code == 403
    rule.refresh_from_db()
    assert rule.retired_on is None


def test_the_morning_job_emails_one_digest_per_person_once(practitioner, manager, person, hospital, mailoutbox):
    from pathways.discharge.tasks import dtoc_morning_task
    from tests.clients.factories import ClientFactory, allocate

    practitioner.email, manager.email = "pat@ascm.invalid", "morgan@ascm.invalid"
    practitioner.save()
    manager.save()
    today = timezone.localdate()
    team = person.allocations.first().team
    for client, days in ((person, 4), (allocate(ClientFactory(locality=person.locality), team, worker=practitioner).client, 1)):
        stay = _stay(practitioner, client, hospital, admitted=today - datetime.timedelta(days=10))
        Discharge.objects.filter(pk=stay.pk).update(ready_on=today - datetime.timedelta(days=days))
    assert dtoc_morning_task.delay().get() == 2 + 3  # worker and team for both; the manager for the 4-day one
    by_person = {message.to[0]: message for message in mailoutbox}
    assert set(by_person) == {"pat@ascm.invalid", "morgan@ascm.invalid"}  # one each, however many patients
    assert by_person["pat@ascm.invalid"].subject == "Delayed discharges: 2 to look at"
    assert "4 delayed days" in by_person["morgan@ascm.invalid"].body  # as a team member, and escalated: listed once
    assert by_person["morgan@ascm.invalid"].body.count("4 delayed days") == 1
    assert dtoc_morning_task.delay().get() == 0 and len(mailoutbox) == 2  # nothing twice


def test_the_morning_job_makes_the_same_few_queries_for_a_county_of_delays(practitioner, person, hospital,
                                                                          django_assert_max_num_queries):
    from tests.clients.factories import ClientFactory, allocate

    today = timezone.localdate()
    team = person.allocations.first().team
    for n in range(40):
        client = allocate(ClientFactory(locality=person.locality), team, worker=practitioner).client
        stay = _stay(practitioner, client, hospital, admitted=today - datetime.timedelta(days=20))
        Discharge.objects.filter(pk=stay.pk).update(ready_on=today - datetime.timedelta(days=1 + n % 9))
    with django_assert_max_num_queries(15):  # per batch of 1,000 stays, whatever the alerts: no query per stay
        assert discharge_alerts() > 80


def test_changes_and_views_are_audited_and_the_record_shows_the_stay(practitioner, person, hospital, client):
    from ascm.audit.models import AuditEntry

    today = timezone.localdate()
    stay = _stay(practitioner, person, hospital, admitted=today - datetime.timedelta(days=8))
    services.ready_date_set(user=practitioner, discharge=stay, ready_on=today - datetime.timedelta(days=2), reason="Ready")
    assert AuditEntry.objects.filter(content_type__model="discharge", object_pk=str(stay.pk),
                                     action=AuditEntry.Action.CREATE).exists()
    assert AuditEntry.objects.filter(content_type__model="readydatechange", action=AuditEntry.Action.CREATE).exists()
    client.force_login(practitioner)
    client.get(f"/discharges/{stay.pk}/")
    assert AuditEntry.objects.filter(content_type__model="discharge", object_pk=str(stay.pk),
                                     action=AuditEntry.Action.ACCESS).exists()
    record = client.get(f"/people/{person.pk}/").content.decode()
    assert f"In {hospital.name}" in record and "2 delayed days" in record


def test_a_hospital_hub_starts_a_stay_in_the_browser_by_nhs_number(practitioner, person, hospital, client):
    client.force_login(practitioner)
    today = timezone.localdate()
    typed = {"nhs_number": "999 000 0000", "hospital": hospital.pk, "admitted_on_0": today.day,
             "admitted_on_1": today.month, "admitted_on_2": today.year}
    unknown = client.post("/discharges/new/", typed)
    assert unknown.status_code == 400 and "record the person first" in unknown.content.decode()
    assert 'value="999 000 0000"' in unknown.content.decode()
    made = client.post("/discharges/new/", {**typed, "nhs_number": person.nhs_number})
    stay = Discharge.objects.get(client=person)
    assert made["Location"] == f"/discharges/{stay.pk}/" and stay.hospital == hospital
