"""Synthetic referrals for benchmarks: about one per five people, most already allocated or closed,
some waiting in team queues. Bulk-inserted, deterministic, tops up on re-run."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun
from clients.models import Allocation


def care_generate(run: SyntheticRun) -> dict:
    """Episodes, assessments, plans and reviews for everyone with an open allocation: a timeline of one
    or two episodes each, a signed-off assessment and a plan for about half, reviews due from three
    months ago to a year ahead, a few drafts and assessments waiting for sign-off. Runs once."""
    from .eligibility import ADULT_OUTCOMES
    from .models import Assessment, Episode, Review, SupportPlan

    if Episode.objects.filter(client__legacy_id__startswith="SYN").exists():
        return {"episodes": Episode.objects.count(), "plans": SupportPlan.objects.count(), "reviews": Review.objects.count()}
    rng = run.rng
    today = timezone.localdate()
    author_id = Allocation.objects.filter(worker__isnull=False).values_list("worker_id", flat=True).first()
    answers = {"what_matters": "Synthetic", "arises_from_impairment": True, "significant_impact_on_wellbeing": True,
               "outcomes": {code: {"unable": i < 3, "reason": "needs_assistance" if i < 3 else ""}
                            for i, code in enumerate(ADULT_OUTCOMES)}}
    allocations = (Allocation.objects.filter(ended_on__isnull=True, client__legacy_id__startswith="SYN")
                   .values_list("client_id", "team_id", "worker_id").order_by("pk"))
    chunk = []
    for client_id, team_id, worker_id in allocations.iterator(chunk_size=5000):
        chunk.append((client_id, team_id, worker_id))
        if len(chunk) == 5000:
            _care_batch(chunk, rng, today, author_id, answers)
            chunk = []
    if chunk:
        _care_batch(chunk, rng, today, author_id, answers)
    return {"episodes": Episode.objects.count(), "assessments": Assessment.objects.count(),
            "plans": SupportPlan.objects.count(), "reviews": Review.objects.count()}


def _care_batch(chunk, rng, today, author_id, answers) -> None:
    from pathways.referrals.models import Pathway

    from .models import Assessment, Episode, Review, SupportPlan

    with transaction.atomic():
        earlier, current = [], []
        for client_id, team_id, worker_id in chunk:
            started = today - datetime.timedelta(days=rng.randint(10, 700))
            if rng.random() < 0.4:  # enablement first, then long-term support
                earlier.append(Episode(client_id=client_id, pathway=Pathway.PROMOTING_INDEPENDENCE, team_id=team_id,
                                       worker_id=worker_id, started_on=started - datetime.timedelta(days=42),
                                       ended_on=started, outcome="ongoing_long_term_support"))
                pathway = Pathway.SUPPORTING_INDEPENDENCE
            else:
                pathway = rng.choices([Pathway.PROMOTING_INDEPENDENCE, Pathway.SUPPORTING_INDEPENDENCE,
                                       Pathway.PROMOTING_WELLBEING], [3, 5, 2])[0]
            planned_end = started + datetime.timedelta(weeks=6) if pathway == Pathway.PROMOTING_INDEPENDENCE else None
            current.append(Episode(client_id=client_id, pathway=pathway, team_id=team_id, worker_id=worker_id,
                                   started_on=started, planned_end_on=planned_end))
        Episode.objects.bulk_create(earlier)
        episodes = Episode.objects.bulk_create(current)
        assessments, plans = [], []
        for episode in episodes:
            roll = rng.random()
            status = (Assessment.Status.SIGNED_OFF if roll < 0.5 else Assessment.Status.DRAFT if roll < 0.55
                      else Assessment.Status.SUBMITTED if roll < 0.57 else None)
            if status is None:
                continue
            submitted = timezone.now() - datetime.timedelta(days=rng.randint(1, 20))
            assessments.append(Assessment(
                kind=Assessment.Kind.NEEDS, client_id=episode.client_id, episode=episode,
                author_id=episode.worker_id or author_id, status=status, answers=answers,
                submitted_at=submitted if status != Assessment.Status.DRAFT else None,
                determination={"eligible": True, "reasoning": []} if status != Assessment.Status.DRAFT else {},
                practitioner_agrees=True if status != Assessment.Status.DRAFT else None))
        assessments = Assessment.objects.bulk_create(assessments)
        for assessment in assessments:
            if assessment.status == Assessment.Status.SIGNED_OFF:
                plans.append(SupportPlan(client_id=assessment.client_id, episode_id=assessment.episode_id,
                                         assessment=assessment, author_id=assessment.author_id,
                                         starts_on=today - datetime.timedelta(days=rng.randint(7, 500)),
                                         outcomes=[{"outcome": "Synthetic outcome", "met_by": "service", "how": ""}]))
        plans = SupportPlan.objects.bulk_create(plans)
        Review.objects.bulk_create([
            Review(plan=plan, due_on=today + datetime.timedelta(days=rng.randint(-90, 365))) for plan in plans])


def care_events_generate(run: SyntheticRun) -> dict:
    """Each synthetic assessment (its first version) and completed review in the care-event ledger."""
    from clients.synthetic import care_events_insert, sql_json, sql_local_date, sql_reference

    eligible = ("(a.determination->>'eligible')::boolean" if _postgres()
                else "json_extract(a.determination, '$.eligible')")
    assessments = care_events_insert(
        f"SELECT {sql_reference('ASM', 'a.id')}, a.client_id, 'assessment', 'care.assessment', a.id,"  # noqa: S608 - built from constants, no input
        f" {sql_local_date('a.created_at')},"
        f" CASE WHEN a.status = 'signed_off' THEN {sql_local_date('a.signed_off_at')} END,"
        f" CASE WHEN a.status <> 'signed_off' THEN '' WHEN {eligible} THEN 'eligible' ELSE 'not_eligible' END,"
        f" '', 'long_term', {sql_json(kind='a.kind')} FROM pathways_assessment a WHERE a.supersedes_id IS NULL")
    reviews = care_events_insert(
        f"SELECT {sql_reference('REV', 'r.id')}, p.client_id, 'review', 'care.review', r.id, r.completed_on,"  # noqa: S608 - built from constants, no input
        f" r.completed_on, r.outcome, '', '', {sql_json(outcomes_achieved='r.outcomes_achieved')}"
        " FROM pathways_review r JOIN pathways_supportplan p ON p.id = r.plan_id WHERE r.completed_on IS NOT NULL")
    return {"assessment events": assessments, "review events": reviews}


def _postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
