"""The performance dashboard: every figure equals the length of the list it links to, for a manager's
teams, a locality and the county; scopes and figures follow access; a bounded number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from ascm.accounts.models import User
from ascm.core.demo import demo_load
from ascm.performance import selectors
from ascm.performance.extensions import performance_measures
from ascm.performance.models import ExportFile

pytestmark = pytest.mark.django_db
YEAR_AGO = timezone.localdate() - datetime.timedelta(days=364)


@pytest.fixture
def demo():
    demo_load()


def _figures(body: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="figure-([a-z0-9-]+)">([^<]*)<', body))


@pytest.mark.parametrize("username, scope", [("manager", "teams"), ("head", ""), ("returns", "county"),
                                             ("safeguarding", "")])
def test_every_figure_equals_the_count_of_its_list(client, demo, username, scope):
    user = User.objects.get(username=username)
    client.force_login(user)
    query = f"scope={scope}&from={YEAR_AGO}&to={timezone.localdate()}" if scope else ""
    page = client.get(f"/performance/?{query}")
    assert page.status_code == 200
    figures = _figures(page.content.decode())
    assert figures, "no figures shown"
    chosen = selectors.scope_for(user, scope, YEAR_AGO if scope else selectors.quarter_start(timezone.localdate()),
                                 timezone.localdate())
    for key, shown in figures.items():
        measure = dict(performance_measures.items())[key]
        drill = client.get(f"/performance/{key}/?{chosen.query}")
        assert drill.status_code == 200, key
        listed = int(re.search(r'data-testid="drill-count">[^:]*: ([\d,]+)', drill.content.decode()).group(1)
                     .replace(",", ""))
        assert listed == selectors.drill_rows(measure, chosen).count()
        if not measure.value:
            assert shown.replace(",", "") == str(listed), key  # a count is the length of its list


def test_scopes_and_figures_follow_access(client, demo):
    manager, practitioner = User.objects.get(username="manager"), User.objects.get(username="practitioner")
    client.force_login(practitioner)
    assert client.get("/performance/").status_code == 403
    client.force_login(manager)
    assert client.get("/performance/?scope=county").status_code == 404  # not theirs to see
    from ascm.organisation.models import Locality

    thanet = Locality.objects.get(name="Thanet")
    assert client.get(f"/performance/?scope=locality:{thanet.pk}").status_code == 404
    body = client.get("/performance/").content.decode()
    assert "figure-referrals-received" in body and "figure-sg-concerns" not in body  # safeguarding: its own staff
    assert client.get("/performance/sg-concerns/").status_code == 404
    client.force_login(User.objects.get(username="safeguarding"))
    assert "figure-sg-concerns" in client.get("/performance/").content.decode()


def test_a_bad_period_is_refused_with_the_reason_and_what_was_typed_kept(client, demo):
    client.force_login(User.objects.get(username="manager"))
    bad = client.get("/performance/?scope=teams&start_0=31&start_1=2&start_2=2026&end_0=1&end_1=3&end_2=2026")
    body = bad.content.decode()
    assert bad.status_code == 400 and "govuk-error-summary" in body and 'value="31"' in body
    future = timezone.localdate() + datetime.timedelta(days=3)
    late = client.get(f"/performance/?scope=teams&start_0=1&start_1=1&start_2={future.year}&end_0={future.day}"
                      f"&end_1={future.month}&end_2={future.year}")
    assert late.status_code == 400 and "The period cannot end in the future" in late.content.decode()
    backwards = client.get("/performance/?scope=teams&start_0=2&start_1=3&start_2=2026&end_0=1&end_1=3&end_2=2026")
    assert "The period must start on or before its last day" in backwards.content.decode()


def test_the_dashboard_makes_a_bounded_number_of_queries(client, demo, django_assert_max_num_queries):
    from tests.clients.factories import ClientFactory

    client.force_login(User.objects.get(username="returns"))
    with django_assert_max_num_queries(60) as few:
        client.get("/performance/?scope=county")
    from ascm.organisation.models import Locality

    canterbury = Locality.objects.get(name="Canterbury")
    ClientFactory.create_batch(30, locality=canterbury)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/performance/?scope=county")


def test_exports_match_the_page_and_a_long_list_goes_to_a_background_task(client, demo, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    client.force_login(User.objects.get(username="manager"))
    page = _figures(client.get("/performance/?scope=teams").content.decode())
    csv = client.get("/performance/?scope=teams&format=csv").content.decode().splitlines()
    assert csv[0] == "Section,Figure,This period,Previous period" and len(csv) - 1 == len(page)
    xlsx = client.get("/performance/?scope=teams&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    monkeypatch.setattr(ExportFile, "EXPORT_ROWS", 0)
    drill = client.get("/performance/on-pathway-supporting-independence/?scope=teams").content.decode()
    assert "Make the export (CSV)" in drill
    assert client.get("/performance/on-pathway-supporting-independence/?scope=teams&format=csv").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post("/performance/on-pathway-supporting-independence/export/?scope=teams", {"format": "csv"})
    export = ExportFile.objects.get()
    assert made["Location"] == f"/performance/exports/{export.pk}/" and export.status == "done"
    assert "Download the export" in client.get(made["Location"]).content.decode()
    body = b"".join(client.get(f"/performance/exports/{export.pk}/download/").streaming_content).decode()
    assert body.splitlines()[0].startswith("Person,Pathway") and len(body.splitlines()) - 1 == export.rows
    from ascm.audit.models import AuditEntry

    assert AuditEntry.objects.get_for_object(export).filter(action=AuditEntry.Action.ACCESS).exists()
    client.force_login(User.objects.get(username="head"))
    assert client.get(f"/performance/exports/{export.pk}/").status_code == 404  # someone else's export


def test_the_dashboard_in_the_api(api, demo):
    api.force_authenticate(User.objects.get(username="manager"))
    body = api.get("/api/v1/performance/dashboard/?scope=teams").json()
    figures = {f["key"]: f for f in body["figures"]}
    rows = api.get("/api/v1/performance/reviews-overdue/?scope=teams").json()
    assert rows["count"] == figures["reviews-overdue"]["rows"] and figures["reviews-overdue"]["snapshot"]
    bad = api.get("/api/v1/performance/dashboard/?from=2026-02-31&to=2026-03-01")
    assert bad.status_code == 400 and "from" in bad.json()["errors"]
    assert api.get("/api/v1/performance/sg-concerns/").status_code == 404
    api.force_authenticate(User.objects.get(username="practitioner"))
    assert api.get("/api/v1/performance/dashboard/").status_code == 403
