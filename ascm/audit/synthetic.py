"""A realistic audit log volume for benchmarks: every day's views and changes add up fast."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ascm.accounts.models import User
from ascm.core.synthetic import SyntheticRun
from ascm.organisation.models import Team

from .models import AuditEntry


def audit_log_generate(run: SyntheticRun) -> dict:
    wanted = run.people  # about one entry per person supported: a few months of work
    existing = AuditEntry.objects.filter(additional_data__synthetic=True).count()
    if existing >= wanted:
        return {"audit_entries": existing}
    actors = list(User.objects.filter(username__startswith="staff").values_list("pk", flat=True)[:500])
    teams = list(Team.objects.values_list("pk", "name")[:200])
    team_type = ContentType.objects.get_for_model(Team)
    now = timezone.now()
    batch = []
    for n in range(existing, wanted):
        pk, name = teams[n % len(teams)]
        batch.append(
            AuditEntry(
                content_type=team_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=name,
                action=AuditEntry.Action.ACCESS if n % 4 else AuditEntry.Action.UPDATE,
                changes={"email": ["", f"team{pk}@ascm.invalid"]} if n % 4 == 0 else None,
                actor_id=actors[n % len(actors)] if actors else None,
                timestamp=now - timedelta(minutes=n % 200_000),
                additional_data={"synthetic": True},
            )
        )
        if len(batch) == 5000:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    return {"audit_entries": wanted}
