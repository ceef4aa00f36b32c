"""CompiledOnce runs a query compiled once per process with a new id, and gives what the queryset
would: the same rows, in the same order, with related rows read in the same query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ascm.core.db import CompiledOnce, select_related_only
from clients import services
from clients.models import Allocation, CaseNote, Relationship
from tests.clients.factories import ClientFactory, allocate

pytestmark = pytest.mark.django_db

BUILDS = {
    "notes, newest first, with amendments": lambda pk: CaseNote.objects.filter(client_id=pk, amends__isnull=True)
    .select_related("author").prefetch_related("amendments__author").order_by("-occurred_at", "-id")[:3],
    "allocations with team and worker": lambda pk: Allocation.objects.filter(client_id=pk).select_related(
        "team__locality", "worker"),
    "relationships with only the related person's name": lambda pk: select_related_only(
        Relationship.objects.filter(client_id=pk).order_by("pk"), "related_client", "given_name", "family_name"),
}


@pytest.mark.parametrize("name", BUILDS)
def test_it_gives_what_the_queryset_gives_for_each_person(name, practitioner, canterbury_team):
    build = BUILDS[name]
    compiled = CompiledOnce(build)
    people = []
    for n in range(3):
        person = allocate(ClientFactory(), canterbury_team, worker=practitioner if n else None).client
        for i in range(n + 2):
            note = services.note_add(user=practitioner, client=person, note_type="visit",
                                     occurred_at=timezone.now(), text=f"note {i}")
            if i == 0:
                services.note_add(user=practitioner, client=person, note_type="visit", occurred_at=timezone.now(),
                                  text="amended", amends=note)
            services.relationship_add(client=person, relationship_type="friend", related_client=ClientFactory())
        people.append(person)
    for person in people + people:  # compiled at the first, then reused
        with CaptureQueriesContext(connection) as plain:
            expected = list(build(person.pk))
        with CaptureQueriesContext(connection) as queries:
            got = compiled(person.pk)
        assert [row.pk for row in got] == [row.pk for row in expected] and got
        assert [vars(row).keys() for row in got] == [vars(row).keys() for row in expected]
        with CaptureQueriesContext(connection) as touched:  # related rows came with the query
            for row in got:
                [str(getattr(row, f, "")) for f in ("author", "team", "worker", "related_client")]
                [str(a.author) for a in row.amendments.all()] if isinstance(row, CaseNote) else None
        assert len(touched) == 0
        assert [q["sql"] for q in queries.captured_queries] == [q["sql"] for q in plain.captured_queries]


def test_a_query_that_depends_on_more_than_the_id_is_refused():
    with pytest.raises(ValueError, match="depend on nothing else"):
        CompiledOnce(lambda pk: CaseNote.objects.filter(client_id=pk, occurred_at__lte=timezone.now()))(1)
    with pytest.raises(ValueError, match="exactly once"):
        CompiledOnce(lambda pk: CaseNote.objects.filter(client_id=pk) | CaseNote.objects.filter(author_id=pk))(1)
