"""`make run`'s demo data gives each demo login something to work on."""

import pytest

from ascm.accounts.models import User
from ascm.core.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_caseload_work_to_sign_off_and_an_mdt(client):
    demo_load()
    client.force_login(User.objects.get(username="practitioner"))
    work = client.get("/work/").content.decode()
    assert "Joan Fletcher" in work and "Care Act needs assessment for Joan Fletcher" in work and "Overdue" in work
    client.force_login(User.objects.get(username="manager"))
    assert "Canterbury City MDT" in client.get("/mdt/").content.decode()
    assert "Pat Practitioner" in client.get("/mdt/caseload/").content.decode()
