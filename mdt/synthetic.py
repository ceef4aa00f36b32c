"""Synthetic MDT meetings for benchmarks: per locality, a fortnightly meeting at a GP practice with
13 held meetings over the last six months (10 people discussed, one action each, some overdue) and
the next one with 25 people on its agenda. Bulk-inserted, runs once."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun


def mdt_generate(run: SyntheticRun) -> dict:
    from ascm.organisation.models import GPPractice, Locality
    from clients.models import Allocation

    from .models import Action, AgendaItem, Meeting, MeetingSeries

    if MeetingSeries.objects.filter(title__startswith="Synthetic").exists():
        return {"meetings": Meeting.objects.count(), "agenda_items": AgendaItem.objects.count()}
    rng = run.rng
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()
    with transaction.atomic():
        for locality in Locality.objects.all():
            practice = GPPractice.objects.filter(locality=locality).first()
            people = list(Allocation.objects.filter(ended_on__isnull=True, worker__isnull=False,
                                                    client__locality=locality).values_list("client_id", "worker_id")[:400])
            if practice is None or len(people) < 40:
                continue
            creator = people[0][1]
            first = now - datetime.timedelta(weeks=26)
            series = MeetingSeries.objects.create(locality=locality, title=f"Synthetic {locality.name} MDT",
                                                  gp_practice=practice, first_at=first, every_weeks=2, created_by_id=creator)
            meetings = Meeting.objects.bulk_create([
                Meeting(series=series, locality=locality, title=series.title, gp_practice=practice,
                        starts_at=first + datetime.timedelta(weeks=2 * n), created_by_id=creator,
                        status=Meeting.Status.HELD if n < 13 else Meeting.Status.SCHEDULED) for n in range(14)])
            items = []
            for n, meeting in enumerate(meetings):
                chosen = rng.sample(people, 25 if n == 13 else 10)
                for client_id, worker_id in chosen:
                    discussed = meeting.status == Meeting.Status.HELD
                    items.append(AgendaItem(
                        meeting=meeting, client_id=client_id, reason="Synthetic reason", ask="Synthetic ask",
                        consent_at_adding="given", added_by_id=worker_id, discussed_at=meeting.starts_at if discussed else None,
                        summary="Synthetic discussion" if discussed else ""))
            items = AgendaItem.objects.bulk_create(items)
            workers = dict(people)
            Action.objects.bulk_create([
                Action(agenda_item=item, description="Synthetic action", owner_id=workers[item.client_id],
                       due_on=today + datetime.timedelta(days=rng.randint(-60, 30)),
                       status=Action.Status.OPEN if rng.random() < 0.5 else Action.Status.DONE)
                for item in items if item.discussed_at])
    return {"meetings": Meeting.objects.count(), "agenda_items": AgendaItem.objects.count(),
            "actions": Action.objects.count()}
