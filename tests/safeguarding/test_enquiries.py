"""Enquiries: the officer, Making Safeguarding Personal, allegations as the collection codes them,
strategy discussions, the safeguarding plan, the conclusion and its rules, reopening."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from ascm.accounts import roles
from safeguarding import enquiries, services
from safeguarding.models import Enquiry
from tests.factories import TeamFactory, UserFactory, member
from tests.providers.factories import CareSettingFactory

from .test_concerns import YES

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(canterbury):
    team = TeamFactory(name="Canterbury Safeguarding (enq)", team_type="safeguarding", locality=canterbury)
    return member(UserFactory(username="enq-lead"), team, roles.SAFEGUARDING_LEAD).user


@pytest.fixture
def enquiry(practitioner, person, lead):
    with TestCase.captureOnCommitCallbacks(execute=True):
        concern = services.concern_raise(user=practitioner, clients=[person], source="record", raised_by_name="Pat",
                                         what_happened="Money going missing", consent="given",
                                         received_at=timezone.now() - datetime.timedelta(days=3))
    services.decision_record(user=lead, adult=concern.adults.get(), **YES)
    return Enquiry.objects.get()


PERSONAL = {"outcomes_asked": "expressed", "desired_outcomes": "I want my money to be safe and to stay at home",
            "capacity": "has", "substantial_difficulty": False, "support": "family_friend"}


def test_a_decision_to_enquire_opens_the_enquiry(enquiry, person):
    assert enquiry.kind == "s42" and enquiry.adult.client == person and enquiry.reference.startswith("SE")
    assert enquiry.stage == "Desired outcomes to ask"


def test_an_officer_from_outside_the_team_is_given_access_by_name(enquiry, lead, thanet_practitioner, client):
    with TestCase.captureOnCommitCallbacks(execute=True):
        enquiries.enquiry_allocate(user=lead, enquiry=enquiry, officer=thanet_practitioner)
    client.force_login(thanet_practitioner)
    assert client.get(f"/safeguarding/enquiries/{enquiry.pk}/").status_code == 200
    assert enquiry.adult.concern.access_grants.get().reason == f"Enquiry officer for {enquiry.reference}"


def test_making_safeguarding_personal_asks_and_records_in_their_words(enquiry, lead):
    with pytest.raises(ValidationError) as empty:
        enquiries.enquiry_personal(user=lead, enquiry=enquiry, outcomes_asked="")
    assert set(empty.value.message_dict) == {"outcomes_asked", "capacity", "substantial_difficulty", "support"}
    with pytest.raises(ValidationError) as words:
        enquiries.enquiry_personal(user=lead, enquiry=enquiry, **{**PERSONAL, "desired_outcomes": " "})
    assert "desired_outcomes" in words.value.message_dict
    with pytest.raises(ValidationError) as advocate:
        enquiries.enquiry_personal(user=lead, enquiry=enquiry, **{**PERSONAL, "capacity": "lacks",
                                                                   "substantial_difficulty": True, "support": "none"})
    assert "no_advocate_reason" in advocate.value.message_dict
    done = enquiries.enquiry_personal(user=lead, enquiry=enquiry, **PERSONAL)
    assert done.stage == "Enquiring"


def test_allegations_need_their_codes_and_a_provider_source_names_the_provider(enquiry, lead):
    with pytest.raises(ValidationError) as empty:
        enquiries.allegation_add(user=lead, enquiry=enquiry)
    assert set(empty.value.message_dict) == {"risk_type", "location", "source"}
    with pytest.raises(ValidationError) as provider:
        enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="neglect", location="care_home_residential",
                                 source="service_provider")
    assert "source_setting" in provider.value.message_dict
    with pytest.raises(ValidationError) as who:
        enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="financial", location="own_home", source="unknown")
    assert "source_description" in who.value.message_dict
    home = CareSettingFactory()
    allegation = enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="neglect", location="care_home_residential",
                                          source="service_provider", source_setting=home)
    assert allegation.source_setting == home


def test_a_risk_outcome_only_after_risk_was_identified(enquiry, lead):
    allegation = enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="financial", location="own_home",
                                          source="known", source_description="A lodger")
    with pytest.raises(ValidationError) as missing:
        enquiries.allegation_conclude(user=lead, allegation=allegation, action_result="risk_action")
    assert "risk_outcome" in missing.value.message_dict
    for result in ("no_risk_no_action", "inconclusive_action"):
        with pytest.raises(ValidationError, match="only when risk was identified"):
            enquiries.allegation_conclude(user=lead, allegation=allegation, action_result=result, risk_outcome="reduced")
    assert enquiries.allegation_conclude(user=lead, allegation=allegation, action_result="risk_action",
                                         risk_outcome="reduced").is_concluded


def test_plan_actions_need_an_owner_and_dates_cannot_precede_the_concern(enquiry, lead):
    long_ago = timezone.localdate() - datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        enquiries.action_add(user=lead, enquiry=enquiry, action="Change the locks", due_on=long_ago)
    assert set(refused.value.message_dict) == {"owner", "due_on"}
    action = enquiries.action_add(user=lead, enquiry=enquiry, action="Change the locks", owner_name="Housing officer",
                                  due_on=timezone.localdate() + datetime.timedelta(days=7))
    assert not action.is_overdue()
    with pytest.raises(ValidationError) as meeting:
        enquiries.meeting_add(user=lead, enquiry=enquiry, kind="meeting", held_on=long_ago, attendees="", decisions="")
    assert set(meeting.value.message_dict) == {"held_on", "attendees", "decisions"}


def test_an_enquiry_concludes_only_when_every_allegation_is_and_can_be_reopened(enquiry, lead, practitioner):
    with pytest.raises(ValidationError) as nothing:
        enquiries.enquiry_conclude(user=lead, enquiry=enquiry, outcomes_achieved="", referrer_feedback="", sar_referral=None)
    assert set(nothing.value.message_dict) == {"allegations", "outcomes_asked", "referrer_feedback", "sar_referral"}
    enquiries.enquiry_personal(user=lead, enquiry=enquiry, **PERSONAL)
    first = enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="financial", location="own_home",
                                     source="known", source_description="A lodger")
    enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="psychological", location="own_home",
                             source="known", source_description="A lodger")
    enquiries.allegation_conclude(user=lead, allegation=first, action_result="risk_action", risk_outcome="removed")
    with pytest.raises(ValidationError) as open_one:
        enquiries.enquiry_conclude(user=lead, enquiry=enquiry, outcomes_achieved="fully", referrer_feedback="Told Pat",
                                   sar_referral=False)
    assert "Conclude every allegation" in open_one.value.message_dict["allegations"][0]
    enquiries.allegation_conclude(user=lead, allegation=enquiry.allegations.last(), action_result="no_risk_no_action")
    with pytest.raises(PermissionDenied):
        enquiries.enquiry_conclude(user=practitioner, enquiry=enquiry, outcomes_achieved="fully",
                                   referrer_feedback="x", sar_referral=False)
    with pytest.raises(ValidationError) as achieved:
        enquiries.enquiry_conclude(user=lead, enquiry=enquiry, outcomes_achieved="", referrer_feedback="Told Pat",
                                   sar_referral=False)
    assert "outcomes_achieved" in achieved.value.message_dict
    done = enquiries.enquiry_conclude(user=lead, enquiry=enquiry, outcomes_achieved="fully", referrer_feedback="Told Pat",
                                      sar_referral=False)
    assert done.status == "concluded" and done.adult.concern.status == "closed"
    with pytest.raises(ValidationError):
        enquiries.enquiry_reopen(user=lead, enquiry=done, reason="")
    reopened = enquiries.enquiry_reopen(user=lead, enquiry=done, reason="New information from the bank")
    assert reopened.status == "open" and reopened.adult.concern.status == "decided"


def test_the_enquiry_page_keeps_what_was_typed_on_an_error(enquiry, lead, client, django_assert_max_num_queries):
    client.force_login(lead)
    page = client.post(f"/safeguarding/enquiries/{enquiry.pk}/personal/", {
        "outcomes_asked": "expressed", "desired_outcomes": "", "capacity": "has"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Record the outcomes they want, in their words" in html and "There is a problem" in html
    assert 'value="has" checked' in html or 'value="has"checked' in html.replace(" ", "")
    for n in range(6):
        enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type="financial", location="own_home", source="unknown",
                                 source_description=f"Caller {n}")
    client.get(f"/safeguarding/enquiries/{enquiry.pk}/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/safeguarding/enquiries/{enquiry.pk}/").status_code == 200


def test_the_lead_overview_counts_per_locality(enquiry, lead, client):
    client.force_login(lead)
    from safeguarding.selectors import locality_overview

    rows = locality_overview(user=lead)
    assert [(r["locality"], r["enquiries"]) for r in rows] == [("Canterbury", 1)]
    page = client.get("/safeguarding/overview/").content.decode()
    assert "Canterbury" in page and "Open enquiries" in page


def test_other_people_get_404_on_the_enquiry(enquiry, practitioner, manager, client):
    for user in (practitioner, manager):
        client.force_login(user)
        assert client.get(f"/safeguarding/enquiries/{enquiry.pk}/").status_code == 404
        assert client.post(f"/safeguarding/enquiries/{enquiry.pk}/conclude/", {}).status_code == 404


def test_the_enquiry_through_the_api_from_outcomes_to_conclusion(api, enquiry, lead, practitioner):
    from tests.conftest import as_user

    as_user(api, practitioner)
    assert api.get(f"/api/v1/safeguarding-enquiries/{enquiry.pk}/").status_code == 404
    assert api.get("/api/v1/safeguarding-enquiries/").status_code == 404
    as_user(api, lead)
    base = f"/api/v1/safeguarding-enquiries/{enquiry.pk}"
    bad = api.post(f"{base}/personal/", {"outcomes_asked": "expressed"}, format="json")
    assert bad.status_code == 400 and {"desired_outcomes", "capacity", "support"} <= set(bad.json()["errors"])
    assert api.post(f"{base}/personal/", PERSONAL, format="json").status_code == 200
    added = api.post(f"{base}/allegations/", {"risk_type": "financial", "location": "own_home", "source": "unknown",
                                              "source_description": "A caller"}, format="json")
    assert added.status_code == 201
    allegation = added.json()["allegations"][0]["id"]
    wrong = api.post(f"{base}/conclude-allegation/", {"allegation": allegation, "action_result": "no_risk_no_action",
                                                      "risk_outcome": "removed"}, format="json")
    assert wrong.status_code == 400 and "risk_outcome" in wrong.json()["errors"]
    assert api.post(f"{base}/conclude-allegation/", {"allegation": allegation, "action_result": "risk_action",
                                                     "risk_outcome": "reduced"}, format="json").status_code == 200
    no_owner = api.post(f"{base}/actions/", {"action": "Bank to flag the account", "due_on": str(timezone.localdate())},
                        format="json")
    assert no_owner.status_code == 400 and "owner" in no_owner.json()["errors"]
    done = api.post(f"{base}/conclude/", {"outcomes_achieved": "partially", "referrer_feedback": "Phoned Pat",
                                          "sar_referral": False}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "concluded"
    assert api.get("/api/v1/safeguarding-enquiries/").json()["count"] == 1
