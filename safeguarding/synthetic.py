"""The synthetic county's safeguarding work (`make bench`): about Kent's numbers — some 19,000
concerns and 5,500 section 42 enquiries a year — over three financial years, bulk-inserted."""

import datetime

from django.db import transaction
from django.utils import timezone

from ascm.core.synthetic import SyntheticRun

from .models import (
    ActionResult,
    AdultAtRisk,
    Allegation,
    Enquiry,
    PlanAction,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
    SafeguardingConcern,
)

YEARS = 3


def safeguarding_generate(run: SyntheticRun) -> dict:
    from ascm.organisation.models import Team
    from clients.models import Client

    if SafeguardingConcern.objects.exists():
        return {"concerns": SafeguardingConcern.objects.count(), "enquiries": Enquiry.objects.count()}
    rng = run.rng
    per_year = max(20, run.people * 19_000 // 250_000)
    teams = {t.locality_id: t for t in Team.objects.filter(team_type="safeguarding")}
    people = list(Client.objects.filter(locality_id__in=list(teams)).values_list("pk", "locality_id")[: per_year * 2])
    if not people:
        return {"concerns": 0}
    deciders = {}
    for team in teams.values():
        member = team.memberships.filter(ended_on__isnull=True).values_list("user_id", flat=True).first()
        deciders[team.locality_id] = member
    now = timezone.now()
    today = timezone.localdate()
    made = {"concerns": 0, "enquiries": 0, "allegations": 0}
    for chunk_start in range(0, per_year * YEARS, 5000):
        size = min(5000, per_year * YEARS - chunk_start)
        with transaction.atomic():
            concerns, picks = [], []
            for i in range(size):
                client_id, locality_id = people[rng.randrange(len(people))]
                received = now - datetime.timedelta(days=rng.randrange(0, 365 * YEARS), minutes=rng.randrange(1440))
                awaiting = (now - received).days < 3 and rng.random() < 0.8
                concerns.append(SafeguardingConcern(
                    reference=f"SY{chunk_start + i:08d}", locality_id=locality_id, team=teams.get(locality_id),
                    source=rng.choice(["referral", "record", "partner"]), received_at=received,
                    raised_by_name="Synthetic referrer", what_happened="Synthetic concern", consent="given",
                    status="awaiting" if awaiting else "decided"))
                picks.append((client_id, received, awaiting, locality_id))
            concerns = SafeguardingConcern.objects.bulk_create(concerns, batch_size=1000)
            adults = []
            for concern, (client_id, received, awaiting, locality_id) in zip(concerns, picks, strict=True):
                enquire = not awaiting and rng.random() < 0.29  # about 5,500 of 19,000
                met = enquire and rng.random() < 0.9
                adults.append(AdultAtRisk(
                    concern=concern, client_id=client_id,
                    has_care_needs=None if awaiting else True, at_risk=None if awaiting else enquire,
                    unable_to_protect=None if awaiting else met,
                    route="" if awaiting or met else "information",
                    outcome="" if awaiting else ("s42" if met else ("other" if enquire else "none")),
                    decided_by_id=None if awaiting else deciders.get(locality_id),
                    decided_at=None if awaiting else received + datetime.timedelta(days=2)))
            adults = AdultAtRisk.objects.bulk_create(adults, batch_size=1000)
            enquiries = []
            for adult in adults:
                if adult.outcome in ("s42", "other"):
                    started = timezone.localtime(adult.decided_at).date()
                    done = started + datetime.timedelta(days=rng.randrange(20, 120))
                    concluded = done < today
                    enquiries.append(Enquiry(
                        reference=f"SZ{adult.pk:08d}", adult=adult, kind=adult.outcome, started_on=started,
                        officer_id=adult.decided_by_id, outcomes_asked=rng.choice(["expressed", "expressed", "not_expressed", "not_asked"]),
                        desired_outcomes="To feel safe", not_asked_reason="Synthetic", capacity=rng.choice(["has", "has", "lacks"]),
                        substantial_difficulty=False, support=rng.choice(["advocate", "family_friend", "none"]),
                        status="concluded" if concluded else "open", concluded_on=done if concluded else None,
                        outcomes_achieved=rng.choice(["fully", "partially", "not"]) if concluded else "",
                        referrer_feedback="Synthetic" if concluded else "", sar_referral=False if concluded else None))
            enquiries = Enquiry.objects.bulk_create(enquiries, batch_size=1000)
            allegations, actions = [], []
            for enquiry in enquiries:
                for _ in range(rng.choice([1, 1, 2, 3])):
                    result = rng.choice(ActionResult.values) if enquiry.status == "concluded" else ""
                    allegations.append(Allegation(
                        enquiry=enquiry, risk_type=rng.choice(RiskType.values), location=rng.choice(RiskLocation.values),
                        source=rng.choice(RiskSource.values), source_description="Synthetic", action_result=result,
                        risk_outcome=rng.choice(RiskOutcome.values) if result in ("risk_action", "risk_no_action") else ""))
                if enquiry.status == "open":
                    actions.append(PlanAction(enquiry=enquiry, action="Synthetic action", owner_name="Partner",
                                              due_on=enquiry.started_on + datetime.timedelta(days=14)))
            Allegation.objects.bulk_create(allegations, batch_size=2000)
            PlanAction.objects.bulk_create(actions, batch_size=2000)
            made["concerns"] += len(concerns)
            made["enquiries"] += len(enquiries)
            made["allegations"] += len(allegations)
    return made
