"""Every safeguarding URL and endpoint, for every role, with and without a named grant: the
locality's safeguarding lead may, a person given the one concern may read it, and everyone else
gets 404 — the same as for an id that does not exist."""

import pytest
from django.test import TestCase

from ascm.accounts import roles
from safeguarding import services
from safeguarding.models import SafeguardingConcern
from tests.factories import TeamFactory, UserFactory, member, with_role

pytestmark = pytest.mark.django_db

ROLES = ["practitioner", "manager", "thanet_practitioner", "finance", "administrator", "auditor", "lead", "thanet_lead",
         "granted"]


@pytest.fixture
def world(canterbury, thanet, canterbury_team, thanet_team, practitioner, manager, thanet_practitioner, administrator,
          auditor, person):
    sg = TeamFactory(name="Canterbury Safeguarding (matrix)", team_type="safeguarding", locality=canterbury)
    lead = member(UserFactory(username="m-lead"), sg, roles.SAFEGUARDING_LEAD).user
    thanet_lead = member(UserFactory(username="m-tlead"),
                         TeamFactory(name="Thanet Safeguarding (matrix)", team_type="safeguarding", locality=thanet),
                         roles.SAFEGUARDING_LEAD).user
    finance = member(UserFactory(username="m-fin"), canterbury_team, roles.FINANCE_OFFICER).user
    granted = member(UserFactory(username="m-granted"), thanet_team, roles.PRACTITIONER).user
    with TestCase.captureOnCommitCallbacks(execute=True):
        concern = services.concern_raise(user=practitioner, clients=[person], source="record", raised_by_name="Pat",
                                         what_happened="Money missing", consent="given")
    access = services.access_grant(user=lead, concern=concern, grantee=granted, reason="Police liaison")
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = services.concern_raise(user=practitioner, clients=[person], source="record", raised_by_name="Pat",
                                        what_happened="Neglect feared", consent="given")
    from .test_concerns import YES

    services.decision_record(user=lead, adult=second.adults.get(), **YES)
    concern.enquiry = second.adults.get().enquiry
    import datetime

    from safeguarding import dols
    from tests.providers.factories import CareSettingFactory

    person.date_of_birth = datetime.date(1940, 1, 1)
    person.save()
    concern.dols = dols.application_receive(user=lead, client=person, managing_authority=CareSettingFactory(
        locality=canterbury), kind="standard", received_on=datetime.date.today(), care_arrangements="Locked door")
    users = {"practitioner": practitioner, "manager": manager, "thanet_practitioner": thanet_practitioner,
             "finance": finance, "administrator": with_role(administrator, roles.ADMINISTRATOR), "auditor": auditor,
             "lead": lead, "thanet_lead": thanet_lead, "granted": granted}
    return users, concern, concern.adults.get(), access, person


def _requests(concern, adult, access, person):
    c, a = concern.pk, adult.pk
    return {
        "queue": ("get", "/safeguarding/", None),
        "concern": ("get", f"/safeguarding/concerns/{c}/", None),
        "decision": ("get", f"/safeguarding/adults/{a}/decision/", None),
        "grant": ("post", f"/safeguarding/concerns/{c}/access/", {}),
        "revoke": ("post", f"/safeguarding/access/{access.pk}/revoke/", {"revoke_reason": "Matrix"}),
        "raise": ("get", f"/safeguarding/new/{person.pk}/", None),
        "targets": ("get", "/safeguarding/decision-targets/", None),
        "overview": ("get", "/safeguarding/overview/", None),
        "dols queue": ("get", "/safeguarding/dols/", None),
        "dols application": ("get", f"/safeguarding/dols/{concern.dols.pk}/", None),
        "dols decide": ("post", f"/safeguarding/dols/{concern.dols.pk}/decision/", {}),
        "api dols": ("get", f"/api/v1/dols-applications/{concern.dols.pk}/", None),
        "dols withdraw": ("post", f"/safeguarding/dols/{concern.dols.pk}/withdraw/", {}),
        "dols letter": ("get", f"/safeguarding/dols/{concern.dols.pk}/print/decision/", None),
        "dols backlog": ("get", "/safeguarding/dols/backlog/", None),
        "dols backlog cases": ("get", "/safeguarding/dols/backlog/breaches/", None),
        "dols return": ("get", "/safeguarding/dols/returns/", None),
        "dols return csv": ("get", "/safeguarding/dols/returns/2026.csv", None),
        "api dols withdraw": ("post", f"/api/v1/dols-applications/{concern.dols.pk}/withdraw/", {}),
        "api dols backlog": ("get", "/api/v1/dols-backlog/", None),
        "api dols return": ("get", "/api/v1/dols-returns/", None),
        "enquiry": ("get", f"/safeguarding/enquiries/{concern.enquiry.pk}/", None),
        "enquiry conclude": ("post", f"/safeguarding/enquiries/{concern.enquiry.pk}/conclude/", {}),
        "allegation add": ("post", f"/safeguarding/enquiries/{concern.enquiry.pk}/allegations/", {}),
        "api list": ("get", "/api/v1/safeguarding-concerns/", None),
        "api concern": ("get", f"/api/v1/safeguarding-concerns/{c}/", None),
        "api decision": ("post", f"/api/v1/safeguarding-concerns/{c}/decision/", {"adult": a}),
        "api grant": ("post", f"/api/v1/safeguarding-concerns/{c}/access/", {}),
        "api revoke": ("post", f"/api/v1/safeguarding-concerns/{c}/revoke-access/", {"access": access.pk}),
    }


# What each role gets; anything not listed is 404.
ALLOWED = {
    "lead": {"queue": 200, "concern": 200, "decision": 200, "grant": 400, "revoke": 302, "raise": 200, "targets": 200,
             "overview": 200, "enquiry": 200, "enquiry conclude": 400, "allegation add": 400,
             "dols queue": 200, "dols application": 200, "dols decide": 400, "api dols": 200,
             "dols withdraw": 400, "dols letter": 404,  # not decided yet: no letter to print
             "dols backlog": 200, "dols backlog cases": 200, "dols return": 200, "dols return csv": 200,
             "api dols withdraw": 400, "api dols backlog": 200, "api dols return": 200,
             "api list": 200, "api concern": 200, "api decision": 400, "api grant": 400, "api revoke": 400},
    "thanet_lead": {"queue": 200, "targets": 200, "api list": 200, "overview": 200,  # their own locality's: empty here
                    "dols queue": 200, "dols backlog": 200, "dols backlog cases": 200, "dols return": 200,
                    "dols return csv": 200, "api dols backlog": 200, "api dols return": 200},
    "granted": {"queue": 200, "concern": 200, "api list": 200, "api concern": 200, "overview": 200},
    "practitioner": {"raise": 200},
    "manager": {"raise": 200},
    "administrator": {"targets": 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_every_safeguarding_url_for_every_role(world, role, client, api):
    users, concern, adult, access, person = world
    user = users[role]
    client.force_login(user)
    api.force_authenticate(user)
    answers = {}
    for name, (method, path, data) in _requests(concern, adult, access, person).items():
        caller = api if path.startswith("/api/") else client
        response = getattr(caller, method)(path, data, format="json") if caller is api else getattr(caller, method)(path, data or {})
        answers[name] = response.status_code
        if response.status_code == 200 and name in ("queue", "api list") and role == "thanet_lead":
            assert concern.reference not in response.content.decode()
    expected = {name: ALLOWED.get(role, {}).get(name, 404) for name in answers}
    assert answers == expected


def test_an_id_that_does_not_exist_gets_the_same_answer(world, client):
    users, concern, *_ = world
    client.force_login(users["practitioner"])
    missing = client.get(f"/safeguarding/concerns/{concern.pk + 1000}/")
    hidden = client.get(f"/safeguarding/concerns/{concern.pk}/")
    assert missing.status_code == hidden.status_code == 404
    assert SafeguardingConcern.objects.filter(pk=concern.pk).exists()
