"""The Safeguarding Adults Collection against a hand-worked example, with every figure drilling
down to exactly the cases behind it."""

import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from ascm.accounts import roles
from safeguarding import enquiries, returns, services
from safeguarding.models import Enquiry
from tests.clients.factories import ClientFactory
from tests.factories import TeamFactory, UserFactory, member

from .test_concerns import YES

pytestmark = pytest.mark.django_db

YEAR = returns.current_year()


@pytest.fixture
def lead(canterbury):
    team = TeamFactory(name="Canterbury Safeguarding (sac)", team_type="safeguarding", locality=canterbury)
    return member(UserFactory(username="sac-lead"), team, roles.SAFEGUARDING_LEAD).user


def _enquiry(lead, raiser, person, allegations, *, conclude=True):
    with TestCase.captureOnCommitCallbacks(execute=True):
        concern = services.concern_raise(user=raiser, clients=[person], source="record", raised_by_name="Pat",
                                         what_happened="Concern", consent="given",
                                         received_at=timezone.now() - datetime.timedelta(days=1))
    services.decision_record(user=lead, adult=concern.adults.get(), **YES)
    enquiry = Enquiry.objects.get(adult__concern=concern)
    enquiries.enquiry_personal(user=lead, enquiry=enquiry, outcomes_asked="expressed", desired_outcomes="To feel safe",
                               capacity="lacks", substantial_difficulty=True, support="advocate")
    for risk_type, source, description in allegations:
        allegation = enquiries.allegation_add(user=lead, enquiry=enquiry, risk_type=risk_type, location="own_home",
                                              source=source, source_description=description)
        enquiries.allegation_conclude(user=lead, allegation=allegation, action_result="risk_action", risk_outcome="reduced")
    if conclude:
        enquiries.enquiry_conclude(user=lead, enquiry=enquiry, outcomes_achieved="fully", referrer_feedback="Told",
                                   sar_referral=False)
    return enquiry


def test_the_counting_rules_on_a_hand_worked_example(lead, practitioner, canterbury):
    frequent = ClientFactory(locality=canterbury, date_of_birth=datetime.date(YEAR - 80, 1, 1), gender="2")
    other = ClientFactory(locality=canterbury, date_of_birth=datetime.date(YEAR - 30, 6, 1), gender="1")
    # Three enquiries for one person: two strangers in the first; a stranger and a carer in the second.
    first = _enquiry(lead, practitioner, frequent, [("financial", "unknown", "Stranger A"),
                                                    ("financial", "unknown", "Stranger B")])
    second = _enquiry(lead, practitioner, frequent, [("physical", "unknown", "Stranger C"),
                                                     ("physical", "known", "Her carer")])
    _enquiry(lead, practitioner, frequent, [("neglect", "known", "Her son")], conclude=False)
    _enquiry(lead, practitioner, other, [("self_neglect", "known", "Himself")])
    tables = {t.key: t for part in returns.sac_tables(user=lead, year=YEAR).values() for t in part}
    rows = lambda key: {r.key: r.count for r in tables[key].rows}  # noqa: E731

    assert rows("sg1-cases") == {"concerns": 4, "s42": 4, "other": 0}  # each case every time
    assert tables["sg1-concern-people-age"].total == 2  # each person once
    assert rows("sg1-concern-people-age")["75-84"] == 1 and rows("sg1-concern-people-age")["18-64"] == 1
    assert rows("sg1-s42-people-gender")["2"] == 1
    assert rows("sg2-source")["unknown"] == 2  # first (two strangers: once) and second (a stranger)
    assert rows("sg2-source")["known"] == 2  # second (the carer) and the other person's
    assert rows("sg2-type")["financial"] == 1 and rows("sg2-type")["physical"] == 1  # one per distinct type
    assert rows("sg2-type")["neglect"] == 0  # not concluded in the year
    assert rows("sg2-outcome")["reduced"] == 3
    assert rows("sg3-asked")["expressed"] == 3 and rows("sg3-achieved")["fully"] == 3
    assert rows("sg3-advocacy")["yes"] == 3
    unknown = next(r for r in tables["sg2-source"].rows if r.key == "unknown")
    assert sorted(unknown.ids) == sorted([first.pk, second.pk])


def test_every_figure_drills_down_to_its_cases_and_each_table_downloads(lead, practitioner, canterbury, client):
    person = ClientFactory(locality=canterbury, date_of_birth=datetime.date(1940, 1, 1))
    _enquiry(lead, practitioner, person, [("financial", "unknown", "A caller")])
    client.force_login(lead)
    page = client.get("/safeguarding/returns/").content.decode()
    assert "Safeguarding Adults Collection" in page and f"/safeguarding/returns/{YEAR}/sg2-type/financial/" in page
    for key, row, expected in (("sg2-type", "financial", 1), ("sg1-cases", "concerns", 1),
                               ("sg1-concern-people-age", "85-94" if YEAR - 1940 < 95 else "95+", 1)):
        drill = client.get(f"/safeguarding/returns/{YEAR}/{key}/{row}/")
        assert drill.status_code == 200, (key, row)
        assert drill.content.decode().count("<li>") == expected
    download = client.get(f"/safeguarding/returns/{YEAR}/sg2-type.csv")
    assert download["Content-Type"].startswith("text/csv") and b"financial,Financial or material abuse,1" in download.content
    assert client.get(f"/safeguarding/returns/{YEAR}/nonsense/x/").status_code == 404


def test_cases_missing_data_are_listed_with_what_is_missing(lead, practitioner, canterbury, client):
    person = ClientFactory(locality=canterbury, date_of_birth=None, gender="X", ethnicity="99",
                           primary_support_reason="unknown")
    _enquiry(lead, practitioner, person, [("financial", "unknown", "A caller")])
    client.force_login(lead)
    page = client.get(f"/safeguarding/returns/{YEAR}/missing/").content.decode()
    assert "date of birth, gender, ethnicity, primary support reason" in page


def test_the_return_is_for_the_safeguarding_team_only(practitioner, manager, auditor, client):
    for user in (practitioner, manager, auditor):
        client.force_login(user)
        assert client.get("/safeguarding/returns/").status_code == 404
        assert client.get(f"/safeguarding/returns/{YEAR}/sg2-type.csv").status_code == 404


def test_the_return_page_is_bounded(lead, practitioner, canterbury, client, django_assert_max_num_queries):
    for n in range(5):
        _enquiry(lead, practitioner, ClientFactory(locality=canterbury), [("financial", "unknown", f"Caller {n}")])
    client.force_login(lead)
    client.get("/safeguarding/returns/")
    with django_assert_max_num_queries(12):
        assert client.get("/safeguarding/returns/").status_code == 200


def test_the_api_gives_the_return_with_each_figures_cases(api, lead, practitioner, canterbury):
    from tests.conftest import as_user

    enquiry = _enquiry(lead, practitioner, ClientFactory(locality=canterbury), [("financial", "unknown", "A caller")])
    as_user(api, lead)
    tables = {t["key"]: t for t in api.get(f"/api/v1/safeguarding-returns/?year={YEAR}").json()}
    financial = next(r for r in tables["sg2-type"]["rows"] if r["key"] == "financial")
    assert financial["count"] == 1 and financial["ids"] == [enquiry.pk]
    assert api.get("/api/v1/safeguarding-returns/?year=x").status_code == 400
    assert api.get(f"/api/v1/safeguarding-returns/missing/?year={YEAR}").status_code == 200
    as_user(api, practitioner)
    assert api.get("/api/v1/safeguarding-returns/").status_code == 404


def test_the_oldest_age_band_drills_down_too(lead, practitioner, canterbury, client):
    """Found by `make bench`: "95+" is not a slug, and the page failed once anyone was 95 or over."""
    _enquiry(lead, practitioner, ClientFactory(locality=canterbury, date_of_birth=datetime.date(YEAR - 97, 1, 1)),
             [("neglect", "unknown", "A caller")])
    client.force_login(lead)
    assert f"/safeguarding/returns/{YEAR}/sg1-concern-people-age/95+/" in client.get("/safeguarding/returns/").content.decode()
    assert client.get(f"/safeguarding/returns/{YEAR}/sg1-concern-people-age/95+/").status_code == 200
