"""Safeguarding concerns and the s42 decision: raised from a record, a referral or a partner's
system; decided with each test answered; seen only by the locality's safeguarding team and named
people (404 for everyone else); overdue decisions reminded once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ascm.accounts import roles
from ascm.notifications.models import Notification
from ascm.notifications.selectors import notifications_for
from clients.models import BreakGlassAccess
from pathways.referrals import services as referral_services
from pathways.referrals.defaults import routing_defaults_ensure
from safeguarding import services
from safeguarding.models import AdultAtRisk, DecisionTarget, SafeguardingAccess, SafeguardingConcern
from safeguarding.permissions import concern_policy
from tests.clients.factories import ClientFactory, allocate
from tests.conftest import as_user
from tests.factories import TeamFactory, UserFactory, member
from tests.providers.factories import CareSettingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sg_team(canterbury):
    return TeamFactory(name="Canterbury Safeguarding (test)", team_type="safeguarding", locality=canterbury,
                       email="safeguarding@example.invalid")


@pytest.fixture
def lead(sg_team):
    return member(UserFactory(username="lee", first_name="Lee", last_name="Lead"), sg_team, roles.SAFEGUARDING_LEAD).user


@pytest.fixture
def thanet_lead(thanet):
    team = TeamFactory(name="Thanet Safeguarding (test)", team_type="safeguarding", locality=thanet)
    return member(UserFactory(username="tia"), team, roles.SAFEGUARDING_LEAD).user


def _raise(user, person, **fields):
    values = {"source": SafeguardingConcern.Source.RECORD, "raised_by_name": "Pat Practitioner",
              "what_happened": "Bruises on both arms; says a visitor pushed her", "consent": "given", **fields}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.concern_raise(user=user, clients=[person], **values)


YES = {"has_care_needs": True, "has_care_needs_reason": "Dementia; daily care", "at_risk": True,
       "at_risk_reason": "Unexplained bruising", "unable_to_protect": True,
       "unable_to_protect_reason": "Cannot recognise or report the risk"}


def test_a_concern_from_a_record_goes_to_the_safeguarding_team_and_not_back_to_the_raiser(practitioner, person, lead,
                                                                                         sg_team):
    concern = _raise(practitioner, person, immediate_action="Her daughter is staying with her")
    assert concern.reference == f"SG{concern.pk:07d}" and concern.team == sg_team
    assert concern.adults.get().client == person and concern.status == "awaiting"
    assert notifications_for(user=lead).filter(kind="safeguarding_concern").exists()
    assert not notifications_for(user=practitioner).filter(kind="safeguarding_concern").exists()
    assert concern_policy.instances(lead).filter(pk=concern.pk).exists()
    assert not concern_policy.instances(practitioner).exists()  # raising it does not open it


def test_bad_concerns_are_refused_with_a_message_per_field(practitioner, person):
    with pytest.raises(ValidationError) as refused:
        services.concern_raise(user=practitioner, clients=[], source="record", raised_by_name="", what_happened="",
                               consent="")
    assert set(refused.value.message_dict) == {"clients", "raised_by_name", "what_happened", "consent"}
    with pytest.raises(ValidationError) as no_reason:
        _raise(practitioner, person, consent="not_sought")
    assert no_reason.value.message_dict == {"consent_reason": ["Say why consent was not sought"]}
    with pytest.raises(ValidationError) as no_setting:
        _raise(practitioner, person, large_scale=True)
    assert "setting" in no_setting.value.message_dict
    with pytest.raises(ValidationError) as future:
        _raise(practitioner, person, received_at=timezone.now() + datetime.timedelta(days=3))
    assert "received_at" in future.value.message_dict
    large = _raise(practitioner, person, large_scale=True, setting=CareSettingFactory())
    assert large.large_scale and large.setting_id


def test_a_referral_flagged_for_safeguarding_becomes_one_concern_in_the_team_queue(triage_user, canterbury, sg_team, lead):
    routing_defaults_ensure()
    person = ClientFactory(locality=canterbury)
    with TestCase.captureOnCommitCallbacks(execute=True):
        referral = referral_services.referral_create(user=triage_user, client=person, source="police", locality=canterbury,
                                                     referrer_name="PC Synthetic", referrer_organisation="Kent Police",
                                                     safeguarding_concern=True,
                                                     needs_referrer="Found confused and with no food in the house")
    referral_services.referral_route(referral_id=referral.pk)
    referral_services.referral_route(referral_id=referral.pk)  # routed again (a redelivered task): no second concern
    concern = SafeguardingConcern.objects.get()
    assert concern.referral == referral and concern.source == "referral" and concern.team == sg_team
    assert concern.raised_by_organisation == "Kent Police" and "no food" in concern.what_happened
    assert services.concern_from_referral(referral) == concern


@pytest.fixture
def triage_user(canterbury_team):
    return member(UserFactory(username="tri"), canterbury_team, roles.PRACTITIONER).user


def test_the_decision_answers_each_test_with_reasoning(practitioner, person, lead):
    adult = _raise(practitioner, person).adults.get()
    with pytest.raises(PermissionDenied):
        services.decision_record(user=practitioner, adult=adult, **YES)
    with pytest.raises(ValidationError) as unanswered:
        services.decision_record(user=lead, adult=adult, has_care_needs=True, at_risk=None, unable_to_protect=None)
    assert set(unanswered.value.message_dict) == {"has_care_needs_reason", "at_risk", "unable_to_protect"}
    not_met = {**YES, "unable_to_protect": False, "unable_to_protect_reason": "Told her GP and her daughter herself"}
    with pytest.raises(ValidationError) as no_route:
        services.decision_record(user=lead, adult=adult, **not_met)
    assert no_route.value.message_dict == {"route": ["Choose the route taken, as the tests are not all met"]}
    decided = services.decision_record(user=lead, adult=adult, route="assessment", other_enquiry=True, **not_met)
    assert decided.outcome == "other" and decided.failed_tests == ["unable to protect themselves"]
    assert decided.concern.status == "decided"
    with pytest.raises(ValidationError, match="already been made"):
        services.decision_record(user=lead, adult=adult, **YES)


def test_all_three_tests_met_is_a_section_42_enquiry(practitioner, person, lead):
    adult = _raise(practitioner, person).adults.get()
    assert services.decision_record(user=lead, adult=adult, route="nfa", **YES).outcome == "s42"
    adult.refresh_from_db()
    assert adult.route == ""  # a route is for tests not met


def test_named_access_opens_one_concern_until_it_is_taken_away(practitioner, person, lead, client):
    concern = _raise(practitioner, person)
    other = _raise(practitioner, ClientFactory(locality=person.locality))
    with pytest.raises(ValidationError) as no_reason:
        services.access_grant(user=lead, concern=concern, grantee=practitioner, reason=" ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        services.access_grant(user=practitioner, concern=concern, grantee=practitioner, reason="Allocated worker")
    access = services.access_grant(user=lead, concern=concern, grantee=practitioner, reason="Her allocated worker")
    client.force_login(practitioner)
    page = client.get(f"/safeguarding/concerns/{concern.pk}/")
    assert page.status_code == 200 and "Her allocated worker" in page.content.decode()
    assert client.get(f"/safeguarding/concerns/{other.pk}/").status_code == 404
    assert list(concern_policy.instances(practitioner)) == [concern]
    services.access_revoke(user=lead, access=access, reason="Case closed to her")
    assert client.get(f"/safeguarding/concerns/{concern.pk}/").status_code == 404
    assert SafeguardingAccess.objects.get().revoked_at is not None  # kept, listed on the case


def test_breaking_the_glass_does_not_open_safeguarding(practitioner, person, thanet_practitioner, client):
    concern = _raise(practitioner, person)
    BreakGlassAccess.objects.create(user=thanet_practitioner, client=person, reason="A&E called about her",
                                    expires_at=timezone.now() + datetime.timedelta(hours=4))
    client.force_login(thanet_practitioner)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/safeguarding/concerns/{concern.pk}/").status_code == 404


def test_the_record_shows_the_flag_and_whom_to_contact_never_the_detail(practitioner, person, lead, client):
    _raise(practitioner, person)
    client.force_login(practitioner)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "Safeguarding: open concern" in page and "safeguarding@example.invalid" in page
    assert "Bruises" not in page and "Raise a safeguarding concern" in page


def test_the_queue_is_most_overdue_first_and_bounded(practitioner, lead, canterbury, client, django_assert_max_num_queries):
    DecisionTarget.objects.create(working_days=2, applies_from=datetime.date(2020, 1, 1))
    old = _raise(practitioner, allocate(ClientFactory(locality=canterbury), TeamFactory(locality=canterbury)).client,
                 received_at=timezone.now() - datetime.timedelta(days=21))
    for _ in range(8):
        _raise(practitioner, ClientFactory(locality=canterbury))
    client.force_login(lead)
    client.get("/safeguarding/")
    with django_assert_max_num_queries(12):
        page = client.get("/safeguarding/").content.decode()
    assert page.index(old.reference) < page.index("SG", page.index(old.reference) + 10)
    assert "Overdue by" in page and page.count("<tr class=\"govuk-table__row\">") >= 9


def test_an_overdue_decision_is_reminded_once_to_those_who_decide(practitioner, person, lead, sg_team):
    concern = _raise(practitioner, person, received_at=timezone.now() - datetime.timedelta(days=10))
    _raise(practitioner, ClientFactory(locality=person.locality))  # not due yet
    assert services.decision_reminders() == 1
    assert services.decision_reminders() == 0
    note = Notification.objects.get(kind="safeguarding_decision_overdue")
    assert note.team == sg_team and notifications_for(user=lead).filter(pk=note.pk).exists()
    assert not notifications_for(user=practitioner).filter(pk=note.pk).exists()
    services.decision_record(user=lead, adult=concern.adults.get(), **YES)
    assert notifications_for(user=lead).get(pk=note.pk).seen_at is not None  # done: read for all


def test_decision_targets_are_dated_data_administrators_set(administrator, client):
    client.force_login(administrator)
    page = client.post("/safeguarding/decision-targets/", {"working_days": "0"})
    assert page.status_code == 400 and "Enter a number of working days from 1 to 60" in page.content.decode()
    assert "Enter the date it applies from" in page.content.decode()
    done = client.post("/safeguarding/decision-targets/", {"working_days": "3", "applies_from_0": "1",
                                                           "applies_from_1": "4", "applies_from_2": "2026"})
    assert done.status_code == 302
    assert DecisionTarget.on(datetime.date(2026, 4, 2)) == 3 and DecisionTarget.on(datetime.date(2026, 3, 31)) == 2


def test_the_api_takes_a_partners_concern_and_answers_it_with_a_reference_only(api, person, lead, canterbury):
    partner = member(UserFactory(username="police"), TeamFactory(locality=canterbury), roles.PRACTITIONER).user
    as_user(api, partner)
    bad = api.post("/api/v1/safeguarding-concerns/", {"clients": [person.pk], "consent": "not_sought",
                                                      "raised_by_name": "PC Synthetic", "what_happened": ""}, format="json")
    assert bad.status_code == 400 and {"what_happened", "consent_reason"} <= set(bad.json()["errors"])
    made = api.post("/api/v1/safeguarding-concerns/", {
        "clients": [person.pk], "raised_by_name": "PC Synthetic", "raised_by_organisation": "Kent Police",
        "what_happened": "Reported missing money", "consent": "not_sought",
        "consent_reason": "She was not at home when we called"}, format="json")
    assert made.status_code == 201 and set(made.json()) == {"id", "reference", "decision_due_on"}
    assert api.get(f"/api/v1/safeguarding-concerns/{made.json()['id']}/").status_code == 404  # not theirs to read
    assert api.get("/api/v1/safeguarding-concerns/").status_code == 404
    as_user(api, lead)
    listed = api.get("/api/v1/safeguarding-concerns/").json()
    assert listed["count"] == 1 and listed["results"][0]["source"] == "partner"
    adult = listed["results"][0]["adults"][0]["id"]
    refused = api.post(f"/api/v1/safeguarding-concerns/{made.json()['id']}/decision/", {"adult": adult}, format="json")
    assert refused.status_code == 400 and {"has_care_needs", "at_risk", "unable_to_protect"} <= set(refused.json()["errors"])
    decided = api.post(f"/api/v1/safeguarding-concerns/{made.json()['id']}/decision/", {"adult": adult, **YES},
                       format="json")
    assert decided.status_code == 200 and decided.json()["adults"][0]["outcome"] == "s42"
    granted = api.post(f"/api/v1/safeguarding-concerns/{made.json()['id']}/access/",
                       {"user": partner.pk, "reason": "Police liaison officer on the case"}, format="json")
    assert granted.status_code == 201
    as_user(api, partner)
    assert api.get(f"/api/v1/safeguarding-concerns/{made.json()['id']}/").status_code == 200


def test_a_merge_moves_the_safeguarding_records(practitioner, manager, person, canterbury_team):
    from clients.services import client_merge

    duplicate = allocate(ClientFactory(locality=person.locality), canterbury_team).client
    concern = _raise(practitioner, duplicate)
    client_merge(user=manager, survivor=person, duplicate=duplicate, reason="Same person, two records")
    assert AdultAtRisk.objects.get(concern=concern).client == person


def test_a_large_scale_concern_names_every_adult_each_with_their_own_decision(practitioner, person, lead, client,
                                                                             canterbury):
    home = CareSettingFactory()
    concern = _raise(practitioner, person, large_scale=True, setting=home)
    resident = ClientFactory(locality=canterbury)
    client.force_login(lead)
    missing = client.post(f"/safeguarding/concerns/{concern.pk}/adults/", {"nhs_number": "999 999 9999"})
    assert missing.status_code == 400 and "No one on ASCM has that NHS number" in missing.content.decode()
    assert client.post(f"/safeguarding/concerns/{concern.pk}/adults/",
                       {"nhs_number": resident.nhs_number}).status_code == 302
    again = client.post(f"/safeguarding/concerns/{concern.pk}/adults/", {"nhs_number": resident.nhs_number})
    assert "already named in this concern" in again.content.decode()
    assert concern.adults.count() == 2
    services.decision_record(user=lead, adult=concern.adults.get(client=person), **YES)
    concern.refresh_from_db()
    assert concern.status == "awaiting"  # the resident's decision is still to make
    client.force_login(practitioner)
    assert client.post(f"/safeguarding/concerns/{concern.pk}/adults/", {"nhs_number": "1"}).status_code == 404


def test_the_administrator_finds_the_decision_targets_on_the_organisation_page(administrator, practitioner, client):
    client.force_login(administrator)
    assert "/safeguarding/decision-targets/" in client.get("/organisation/").content.decode()
    client.force_login(practitioner)
    assert "/safeguarding/decision-targets/" not in client.get("/organisation/").content.decode()


def test_a_decision_due_today_is_flagged_that_morning_and_again_when_overdue(practitioner, person, lead, sg_team):
    concern = _raise(practitioner, person)
    due = concern.decision_due(list(DecisionTarget.objects.all()))
    assert services.decision_reminders(today=due - datetime.timedelta(days=1)) == 0
    assert services.decision_reminders(today=due) == 1
    assert services.decision_reminders(today=due) == 0  # once
    assert notifications_for(user=lead).filter(kind="safeguarding_decision_due").exists()
    assert services.decision_reminders(today=due + datetime.timedelta(days=1)) == 1  # the second threshold: overdue
    services.decision_record(user=lead, adult=concern.adults.get(), **YES)
    assert all(n.seen_at is not None for n in notifications_for(user=lead).filter(kind__startswith="safeguarding_decision"))


def test_the_open_safeguarding_flag_is_read_from_its_own_index(practitioner, person):
    """The flag's condition is its index's, so PostgreSQL can read a caseload's open matters from the
    index (the caseload review weights thousands of people by it) rather than every adult at risk."""
    from django.db import connection

    from clients.models import Client
    from safeguarding.selectors import open_safeguarding
    from tests.plans import index_plan

    if connection.vendor != "postgresql":
        pytest.skip("partial indexes are PostgreSQL's here")
    _raise(practitioner, person)
    flagged = Client.objects.filter(open_safeguarding("pk"))
    assert list(flagged) == [person]
    plan = index_plan(flagged)
    assert "sg_adult_flag_idx" in plan, plan
