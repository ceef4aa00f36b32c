"""Deprivation of Liberty Safeguards: the date rules worked by hand, and the decision's checks."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ascm.accounts import roles
from safeguarding import dols
from safeguarding.models_dols import LibertyApplication, LibertyAssessment, LibertyAuthorisation, add_months
from safeguarding.permissions import dols_policy
from tests.clients.factories import ClientFactory
from tests.factories import UserFactory, member
from tests.providers.factories import CareSettingFactory

pytestmark = pytest.mark.django_db
MAY = datetime.date(2026, 5, 1)


def _apply(lead, home, **fields):
    values = {"client": ClientFactory(locality=home.locality, date_of_birth=datetime.date(1940, 1, 1)),
              "managing_authority": home, "kind": "standard", "received_on": MAY,
              "care_arrangements": "Locked front door; constant supervision", **fields}
    return dols.application_receive(user=lead, **values)


def test_an_urgent_authorisation_from_1_may_ends_8_may_and_extends_once_to_15_may(lead, home):
    application = _apply(lead, home, kind="urgent", urgent_granted_on=MAY)
    assert application.urgent.ends_on == datetime.date(2026, 5, 8) == application.deadline()
    with pytest.raises(ValidationError, match="Extend by 1 to 7 days"):
        dols.urgent_extend(user=lead, application=application, days=8, reason="Assessments booked")
    extended = dols.urgent_extend(user=lead, application=application, days=7, reason="Assessments booked")
    assert extended.ends_on == datetime.date(2026, 5, 15)
    with pytest.raises(ValidationError, match="already been extended once"):
        dols.urgent_extend(user=lead, application=application, days=1, reason="Still waiting")


def test_a_standard_request_received_1_may_is_in_breach_on_22_may(lead, home):
    application = _apply(lead, home)
    assert application.deadline() == datetime.date(2026, 5, 21)  # the 21st day, counting 1 May
    assert application.days_in_breach(datetime.date(2026, 5, 21)) == 0
    assert application.days_in_breach(datetime.date(2026, 5, 22)) == 1
    early = _apply(lead, home, needed_from=datetime.date(2026, 5, 27))  # sent 26 days ahead
    assert early.deadline() == datetime.date(2026, 5, 27)  # decided by the day it is needed
    with pytest.raises(ValidationError) as too_early:
        _apply(lead, home, needed_from=datetime.date(2026, 6, 30))
    assert "needed_from" in too_early.value.message_dict


def test_nobody_under_18_and_only_hospitals_and_care_homes_apply(lead, home):
    with pytest.raises(ValidationError) as young:
        _apply(lead, home, client=ClientFactory(date_of_birth=datetime.date(2010, 1, 1)))
    assert "apply from 18" in young.value.message_dict["client"][0]
    with pytest.raises(ValidationError) as agency:
        _apply(lead, CareSettingFactory(kind="home_care"))
    assert "managing_authority" in agency.value.message_dict


def _assess_all(lead, application, *, months=12, negative=None):
    assessor = UserFactory(username=f"bia-{application.pk}")
    for kind, _ in LibertyAssessment.Kind.choices:
        dols.assessment_record(user=lead, application=application, kind=kind, assessor=assessor, allocated_on=MAY,
                               completed_on=MAY + datetime.timedelta(days=5),
                               outcome="not_met" if kind == negative else "met",
                               recommended_months=months if kind == "best_interests" else None)
    return assessor


def test_a_standard_authorisation_lasts_at_most_12_months_and_what_the_assessor_recommends(lead, home):
    application = _apply(lead, home)
    dols.application_screen(user=lead, application=application, is_deprivation=True,
                            reasoning="Not free to leave; continuous supervision and control", priority="high",
                            priority_reason="Objecting to the placement")
    _assess_all(lead, application, months=6)
    start = datetime.date(2026, 5, 10)
    granted = {"granted": True, "starts_on": start, "representative_name": "Her daughter", "representative_kind": "unpaid"}
    with pytest.raises(ValidationError) as year:
        dols.application_decide(user=lead, application=application, ends_on=datetime.date(2027, 5, 11), **granted)
    assert year.value.message_dict["ends_on"] == ["An authorisation lasts at most 12 months"]
    with pytest.raises(ValidationError) as recommended:
        dols.application_decide(user=lead, application=application, ends_on=add_months(start, 7), **granted)
    assert "recommends at most 6 months" in recommended.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError, match="after the start"):
        dols.application_decide(user=lead, application=application, ends_on=start, **granted)
    decided = dols.application_decide(user=lead, application=application, ends_on=add_months(start, 6),
                                      conditions="Daily walk in the garden", **granted)
    assert decided.status == "granted" and decided.authorisation.ends_on == datetime.date(2026, 11, 10)


def test_granting_needs_every_assessment_met_and_a_signatory_who_did_not_assess(lead, home, canterbury):
    application = _apply(lead, home)
    _assess_all(lead, application, negative="mental_capacity")
    with pytest.raises(ValidationError) as negative:
        dols.application_decide(user=lead, application=application, granted=True, starts_on=MAY,
                                ends_on=add_months(MAY, 3), representative_name="Son", representative_kind="unpaid")
    assert "not every assessment is met (mental capacity)" in negative.value.message_dict["granted"][0]
    with pytest.raises(ValidationError) as no_reason:
        dols.application_decide(user=lead, application=application, granted=False)
    assert "reason" in no_reason.value.message_dict
    assessor_signatory = application.assessments.first().assessor
    member(assessor_signatory, lead.memberships.first().team, roles.SAFEGUARDING_LEAD)
    with pytest.raises(ValidationError, match="another signatory must decide"):
        dols.application_decide(user=assessor_signatory, application=application, granted=False, reason="Capacity")
    refused = dols.application_decide(user=lead, application=application, granted=False,
                                      reason="She has capacity to decide where to live")
    assert refused.status == "not_granted"


def test_dols_records_are_the_safeguarding_teams_only(lead, home, practitioner):
    application = _apply(lead, home)
    assert dols_policy.instances(lead).filter(pk=application.pk).exists()
    assert not dols_policy.instances(practitioner).exists()
    assert LibertyApplication.objects.get().reference.startswith("DL")


def test_the_team_receives_screens_and_decides_in_the_browser(lead, home, client, person, django_assert_max_num_queries):
    person.date_of_birth = datetime.date(1940, 1, 1)
    person.save()
    client.force_login(lead)
    empty = client.post("/safeguarding/dols/new/", {"nhs_number": person.nhs_number})
    assert empty.status_code == 400 and "Choose the hospital or care home that is applying" in empty.content.decode()
    urgent = client.post("/safeguarding/dols/new/", {
        "nhs_number": person.nhs_number, "managing_authority": home.pk, "kind": "urgent",
        "received_on_0": "1", "received_on_1": "5", "received_on_2": "2026", "care_arrangements": "Locked door"})
    assert urgent.status_code == 400 and "Enter the date the managing authority gave the urgent authorisation" in urgent.content.decode()
    assert 'value="Locked door"' in urgent.content.decode() or "Locked door</textarea>" in urgent.content.decode()
    done = client.post("/safeguarding/dols/new/", {
        "nhs_number": person.nhs_number, "managing_authority": home.pk, "kind": "urgent", "urgent_days": "7",
        "received_on_0": "1", "received_on_1": "5", "received_on_2": "2026", "urgent_granted_on_0": "1",
        "urgent_granted_on_1": "5", "urgent_granted_on_2": "2026", "care_arrangements": "Locked door"})
    application = LibertyApplication.objects.get()
    assert done["Location"] == f"/safeguarding/dols/{application.pk}/"
    page = client.get(done["Location"]).content.decode()
    assert "8 May 2026" in page and "days in breach" in page
    client.post(f"/safeguarding/dols/{application.pk}/extend/", {"days": "7", "reason": "BIA booked"})
    second = client.post(f"/safeguarding/dols/{application.pk}/extend/", {"days": "1", "reason": "Again"})
    assert "Extend it" not in second.content.decode()  # no second extension is offered
    refused = client.post(f"/safeguarding/dols/{application.pk}/decision/", {"granted": "yes"})
    assert refused.status_code == 400 and "not every assessment is met" in refused.content.decode()
    for _ in range(5):
        _apply(lead, home)
    client.get("/safeguarding/dols/")
    with django_assert_max_num_queries(10):
        queue = client.get("/safeguarding/dols/").content.decode()
    assert queue.index(application.reference) < queue.index("DL", queue.index(application.reference) + 9)


def test_the_record_shows_the_status_to_everyone_who_opens_it_and_the_detail_to_nobody_else(lead, home, person,
                                                                                           practitioner, client):
    person.date_of_birth = datetime.date(1940, 1, 1)
    person.save()
    application = _apply(lead, home, client=person)
    client.force_login(practitioner)
    record = client.get(f"/people/{person.pk}/").content.decode()
    assert "Application pending" in record and "21 May 2026" in record and application.reference not in record
    assert client.get(f"/safeguarding/dols/{application.pk}/").status_code == 404
    assert client.get("/safeguarding/dols/").status_code == 404


def test_the_api_takes_an_application_and_the_decision(api, lead, home, person, practitioner):
    from tests.conftest import as_user

    person.date_of_birth = datetime.date(1940, 1, 1)
    person.save()
    as_user(api, practitioner)
    assert api.get("/api/v1/dols-applications/").status_code == 404
    as_user(api, lead)
    bad = api.post("/api/v1/dols-applications/", {"client": person.pk, "managing_authority": home.pk, "kind": "urgent",
                                                  "received_on": "2026-05-01", "care_arrangements": ""}, format="json")
    assert bad.status_code == 400 and {"care_arrangements", "urgent_granted_on"} <= set(bad.json()["errors"])
    made = api.post("/api/v1/dols-applications/", {"client": person.pk, "managing_authority": home.pk, "kind": "urgent",
                                                   "received_on": "2026-05-01", "urgent_granted_on": "2026-05-01",
                                                   "care_arrangements": "Locked door"}, format="json")
    assert made.status_code == 201 and made.json()["deadline"] == "2026-05-08"
    pk = made.json()["id"]
    assert api.post(f"/api/v1/dols-applications/{pk}/extend/", {"days": 7, "reason": "BIA booked"},
                    format="json").json()["deadline"] == "2026-05-15"
    again = api.post(f"/api/v1/dols-applications/{pk}/extend/", {"days": 1, "reason": "Again"}, format="json")
    assert again.status_code == 400 and "extended once" in again.json()["errors"]["days"][0]
    refused = api.post(f"/api/v1/dols-applications/{pk}/decision/", {"granted": True}, format="json")
    assert refused.status_code == 400 and "granted" in refused.json()["errors"]


def test_the_daily_alerts_go_to_the_team_once_per_application_per_event(lead, home, canterbury_team, practitioner):
    from ascm.notifications.models import Notification
    from ascm.notifications.selectors import notifications_for
    from tests.clients.factories import allocate

    breached = _apply(lead, home)  # received 1 May: in breach since 23 May
    person = allocate(ClientFactory(locality=home.locality, date_of_birth=datetime.date(1940, 1, 1)), canterbury_team,
                      worker=practitioner).client
    granted = _apply(lead, home, client=person)
    _assess_all(lead, granted, months=3)
    dols.application_decide(user=lead, application=granted, granted=True, starts_on=datetime.date(2026, 5, 10),
                            ends_on=datetime.date(2026, 8, 10), representative_name="Son", representative_kind="unpaid")
    assert dols.dols_daily_alerts(today=datetime.date(2026, 7, 20)) == 2  # the breach; ending within 28 days
    assert dols.dols_daily_alerts(today=datetime.date(2026, 7, 21)) == 0
    assert notifications_for(user=lead).filter(kind="dols_breach", key=f"dols-{breached.pk}-breach").exists()
    assert Notification.objects.filter(kind="dols_authorisation_ending").count() == 1
    assert dols.dols_daily_alerts(today=datetime.date(2026, 8, 12)) == 1  # it ended: her worker is told
    assert dols.dols_daily_alerts(today=datetime.date(2026, 8, 12)) == 0
    assert notifications_for(user=practitioner).filter(kind="dols_authorisation_ended").exists()
    authorisation = LibertyAuthorisation.objects.get(application=granted)
    # It is marked ended the day after its last day, with the reason, and the change is in the history.
    assert (authorisation.status, authorisation.status_changed_on) == ("ended", datetime.date(2026, 8, 11))
    from ascm.audit.models import AuditEntry

    assert AuditEntry.objects.filter(content_type__model="libertyauthorisation", object_pk=str(authorisation.pk),
                                     action=AuditEntry.Action.UPDATE).exists()


def test_dols_changes_and_views_are_audited(lead, home, client):
    from ascm.audit.models import AuditEntry

    application = _apply(lead, home, kind="urgent", urgent_granted_on=MAY)
    dols.urgent_extend(user=lead, application=application, days=3, reason="BIA booked")
    assert AuditEntry.objects.filter(content_type__model="libertyapplication", object_pk=str(application.pk),
                                     action=AuditEntry.Action.CREATE).exists()
    assert AuditEntry.objects.filter(content_type__model="urgentauthorisation", action=AuditEntry.Action.UPDATE).exists()
    client.force_login(lead)
    client.get(f"/safeguarding/dols/{application.pk}/")
    assert AuditEntry.objects.filter(content_type__model="libertyapplication", object_pk=str(application.pk),
                                     action=AuditEntry.Action.ACCESS, actor=lead).exists()
