"""Administrators set response targets, pathway settings, reminder thresholds (dated) and caseload
weights in GOV.UK pages and the API; the rules between values are refused with a clear message on
the field, what was typed is kept, and every change is audited."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ascm.audit.models import AuditEntry
from mdt.models import CaseloadWeight
from mdt.selectors import _weights
from pathways.care.models import PathwaySetting, ReminderThreshold
from pathways.care.services import _planned_end
from pathways.referrals.models import ResponseTarget

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAGES = ["/referrals/response-targets/", "/settings/pathways/", "/settings/reminder-thresholds/",
         "/mdt/caseload-weights/"]


def test_response_targets_are_saved_in_order_of_urgency(client, administrator):
    client.force_login(administrator)
    response = client.post(PAGES[0], {"hours-urgent": "100", "hours-soon": "72", "hours-routine": "672"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Soon referrals cannot have less time than urgent ones (100 hours)" in page
    assert 'value="100"' in page and "govuk-input--error" in page
    response = client.post(PAGES[0], {"hours-urgent": "12", "hours-soon": "72", "hours-routine": "672"})
    assert response.status_code == 302
    assert ResponseTarget.objects.get(urgency="urgent").hours == 12
    change = AuditEntry.objects.filter(content_type__model="responsetarget").latest("timestamp")
    assert str(change.changes["hours"][1]) == "12" and change.actor == administrator
    assert AuditEntry.objects.filter(content_type__model="responsetarget", timestamp__gte=change.timestamp).count() == 1


def test_pathway_settings_keep_enablement_short_term_and_set_new_episodes_planned_ends(client, administrator, person):
    client.force_login(administrator)
    fields = {"planned_length_weeks-promoting_independence": "", "planned_length_weeks-supporting_independence": "12"}
    response = client.post(PAGES[1], fields)
    assert response.status_code == 400
    assert "planned length: enablement is short-term" in response.content.decode()
    response = client.post(PAGES[1], {**fields, "planned_length_weeks-promoting_independence": "8"})
    assert response.status_code == 302
    assert _planned_end("promoting_independence", person, TODAY) == TODAY + datetime.timedelta(weeks=8)
    assert _planned_end("supporting_independence", person, TODAY) == TODAY + datetime.timedelta(weeks=12)
    assert PathwaySetting.objects.get(pathway="promoting_wellbeing").planned_length_weeks is None


def test_reminder_thresholds_change_from_a_date_and_keep_what_applied_before(client, administrator):
    client.force_login(administrator)
    values = {"value-review_due_days": "21", "value-enablement_ending_days": "7",
              "value-signoff_waiting_working_days": "5", "value-age_notice_days": "7"}
    yesterday = TODAY - datetime.timedelta(days=1)
    response = client.post(PAGES[2], {**values, "effective_from_0": yesterday.day, "effective_from_1": yesterday.month,
                                      "effective_from_2": yesterday.year})
    assert response.status_code == 400 and "cannot be in the past" in response.content.decode()
    assert 'value="21"' in response.content.decode()
    later = TODAY + datetime.timedelta(days=10)
    response = client.post(PAGES[2], {**values, "effective_from_0": later.day, "effective_from_1": later.month,
                                      "effective_from_2": later.year})
    assert response.status_code == 302
    name = ReminderThreshold.Name.REVIEW_DUE_DAYS
    assert ReminderThreshold.value_on(name, TODAY) == 14 and ReminderThreshold.value_on(name, later) == 21
    assert ReminderThreshold.objects.count() == 1  # only the changed threshold got a row
    page = client.get(PAGES[2]).content.decode()
    assert later.strftime("%-d %B %Y") in page and "Days before a review is due" in page
    response = client.post(PAGES[2], {**values, "value-review_due_days": "14"})  # today's value: nothing changes
    assert response.status_code == 400 and "Nothing has changed" in response.content.decode()


def test_caseload_weights_refuse_a_complex_case_counting_less_and_apply_to_the_review(client, administrator):
    client.force_login(administrator)
    form = client.get(PAGES[3]).context["form"]
    values = {name: ("" if value is None else value) for name, value in form.initial.items()}
    response = client.post(PAGES[3], {**values, "weight-supporting_independence": "2", "complex_weight-supporting_independence": "1.5"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "A complex case must count at least as much as the weight (2)" in page and 'value="1.5"' in page
    assert 'href="#id_complex_weight-supporting_independence"' in page
    response = client.post(PAGES[3], {**values, "weight-supporting_independence": "2", "complex_weight-supporting_independence": ""})
    assert response.status_code == 302
    weights = _weights()
    assert weights[("supporting_independence", False)] == weights[("supporting_independence", True)] == Decimal(2)
    assert CaseloadWeight.objects.get(pathway="supporting_independence").complex_weight is None


def test_practitioners_cannot_change_settings(client, api, practitioner):
    client.force_login(practitioner)
    for url in PAGES:
        assert client.post(url, {}).status_code == 403, url
    api.force_authenticate(practitioner)
    for name in ("response-targets", "pathways", "reminder-thresholds", "caseload-weights"):
        assert api.patch(f"/api/v1/settings/{name}/", {}, format="json").status_code == 403, name


@pytest.mark.parametrize("url", PAGES)
def test_settings_pages_make_a_bounded_number_of_queries(url, client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_api_reads_and_changes_settings_with_field_errors(api, administrator):
    api.force_authenticate(administrator)
    assert api.get("/api/v1/settings/response-targets/").json() == {"urgent": 24, "soon": 72, "routine": 672}
    response = api.patch("/api/v1/settings/response-targets/", {"urgent": 100}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["soon"]
    response = api.patch("/api/v1/settings/response-targets/", {"urgent": 0}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["urgent"]
    assert api.patch("/api/v1/settings/response-targets/", {"urgent": 8}, format="json").json()["urgent"] == 8
    response = api.patch("/api/v1/settings/caseload-weights/", {"default": {"complex_weight": "0.5"}}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["default"]["complex_weight"]
    response = api.patch("/api/v1/settings/caseload-weights/", {"autism_and_sensory": {"weight": "1.25"}}, format="json")
    assert response.json()["autism_and_sensory"]["weight"] == "1.25"
    response = api.patch("/api/v1/settings/pathways/", {"promoting_independence": None}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["promoting_independence"]
    later = TODAY + datetime.timedelta(days=3)
    response = api.patch(f"/api/v1/settings/reminder-thresholds/?effective_from={later.isoformat()}",
                         {"age_notice_days": 30}, format="json")
    assert response.status_code == 200 and response.json()["age_notice_days"] == 7  # today's, until then
    assert ReminderThreshold.objects.get().effective_from == later
    response = api.patch("/api/v1/settings/reminder-thresholds/?effective_from=2020-01-01", {"age_notice_days": 30},
                         format="json")
    assert response.status_code == 400 and response.json()["errors"]["effective_from"]
