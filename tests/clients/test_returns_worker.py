"""The Client Level Data file made by a real Celery worker on the machine's Redis, the task sent twice
(a redelivered message): made once, with its validation report and tables, and the same bytes as the
file made in this process."""

import datetime
import io

import pytest

from ascm.accounts import roles
from tests.core.test_tasks import run_twice_on_worker
from tests.factories import LocalityFactory, UserFactory, with_role
from tests.pathways.test_worker import queue  # noqa: F401 - the fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_file_is_made_once_by_a_real_worker(queue, settings, monkeypatch):  # noqa: F811
    from clients import returns
    from clients.models import CareEvent, ReturnFile
    from clients.services import care_event_record
    from clients.tasks import return_file_make_task
    from tests.clients.factories import ClientFactory

    monkeypatch.setenv("ASCM_MEDIA_ROOT", str(settings.MEDIA_ROOT))  # the worker writes where this process reads
    roles.roles_ensure()
    officer = with_role(UserFactory(), roles.PERFORMANCE_OFFICER)
    locality = LocalityFactory()
    for n in range(3):
        person = ClientFactory(locality=locality, date_of_birth=datetime.date(1950, 1, 1), primary_support_reason="unknown")
        source = type("S", (), {"pk": n, "_meta": type("M", (), {"label_lower": "tests.line"})})()
        care_event_record(client=person, event_type=CareEvent.Type.SERVICE, source=source,
                          start_date=datetime.date(2026, 5, 1), outcome="continuing",
                          details={"service_type": "nursing", "delivery_mechanism": "commissioned", "unit": "week",
                                   "unit_cost": "900.00", "units_per_week": "1.00"})
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    made = ReturnFile.objects.create(period_start=start, period_end=end, release=returns.CLD_RELEASE, made_by=officer,
                                     events_total=3)
    assert run_twice_on_worker(queue, return_file_make_task, made.pk) == [0, 3]
    made.refresh_from_db()
    assert (made.status, made.rows) == ("done", 3)
    assert made.problem_rows.filter(problem="no_primary_support_reason").count() == 3  # once each, not twice
    assert made.table_entries.filter(table="LTS001b-65", column="Nursing care", row="Unknown").count() == 3
    here = io.BytesIO()
    returns.write_file(here, start, end, la_code=returns.la_code())
    with made.file.open("rb") as written:
        assert written.read() == here.getvalue()
