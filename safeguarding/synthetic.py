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
    DecisionTarget,
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
    targets = list(DecisionTarget.objects.all())
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
                    status="awaiting" if awaiting else "decided",
                    due_on=SafeguardingConcern(received_at=received).decision_due(targets)))
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


def dols_generate(run: SyntheticRun) -> dict:
    """About Kent's DoLS work (about 10,000 applications a year) over three years: a fifth of standard
    requests decided within 21 days and the rest taking months, so several thousand are open — the
    backlog the queue, the dashboard and the daily job are measured on."""
    from ascm.organisation.models import Team
    from ascm.providers.models import CareSetting
    from clients.models import Client

    from .models_dols import DOLS_RULES, LibertyApplication, LibertyAuthorisation, UrgentAuthorisation, add_months

    if LibertyApplication.objects.exists():
        return {"dols applications": LibertyApplication.objects.count()}
    rng = run.rng
    per_year = max(40, run.people * 10_000 // 250_000)
    teams = {t.locality_id: t for t in Team.objects.filter(team_type="safeguarding")}
    settings_by_locality = {}
    for pk, locality_id in CareSetting.objects.filter(kind__in=CareSetting.MANAGING_AUTHORITY).values_list("pk", "locality_id"):
        settings_by_locality.setdefault(locality_id, []).append(pk)
    born_before = timezone.localdate().replace(year=timezone.localdate().year - 70)
    people = list(Client.objects.filter(locality_id__in=[loc for loc in teams if loc in settings_by_locality],
                                        date_of_birth__lt=born_before).values_list("pk", "locality_id")[: per_year * 2])
    if not people:
        return {"dols applications": 0}
    signatories = {t.locality_id: t.memberships.filter(ended_on__isnull=True).values_list("user_id", flat=True).first()
                   for t in teams.values()}
    today = timezone.localdate()
    total, made = per_year * YEARS, {"dols applications": 0, "dols open": 0, "dols authorisations": 0}
    for chunk_start in range(0, total, 5000):
        size = min(5000, total - chunk_start)
        with transaction.atomic():
            applications, plans = [], []
            for i in range(size):
                client_id, locality_id = people[rng.randrange(len(people))]
                received = today - datetime.timedelta(days=rng.randrange(0, 365 * YEARS))
                urgent = rng.random() < 0.2
                # A fifth decided within the timescale; the rest wait months (the national mean is 144 days).
                wait = rng.randrange(3, 21) if rng.random() < 0.2 else 21 + int(rng.expovariate(1 / 150))
                closed = received + datetime.timedelta(days=wait)
                withdrawn = rng.random() < 0.1
                status = ("withdrawn" if withdrawn else "granted" if rng.random() < 0.85 else "not_granted") \
                    if closed <= today else rng.choice(["received", "assessing", "assessing"])
                due = (received + datetime.timedelta(days=DOLS_RULES["urgent_days"]) if urgent
                       else received + datetime.timedelta(days=DOLS_RULES["decide_within_days"] - 1))
                priority = "" if status == "received" else rng.choice(["high", "medium", "medium", "low", "low"])
                applications.append(LibertyApplication(
                    reference=f"DY{chunk_start + i:08d}", client_id=client_id, locality_id=locality_id,
                    managing_authority_id=rng.choice(settings_by_locality[locality_id]), team=teams[locality_id],
                    kind="urgent" if urgent else "standard", received_on=received, due_on=due,
                    care_arrangements="Synthetic care arrangements", status=status, priority=priority,
                    priority_reason="Synthetic" if priority else "", is_deprivation=True if priority else None,
                    screening_reasoning="Synthetic" if priority else "",
                    decided_on=closed if status in ("granted", "not_granted") else None,
                    not_granted_reason="Synthetic: a requirement was not met" if status == "not_granted" else "",
                    withdrawn_on=closed if status == "withdrawn" else None,
                    withdrawn_reason="Synthetic: the person left" if status == "withdrawn" else ""))
                plans.append((urgent, received, closed, locality_id))
            applications = LibertyApplication.objects.bulk_create(applications, batch_size=1000)
            urgents, authorisations = [], []
            for application, (urgent, received, closed, locality_id) in zip(applications, plans, strict=True):
                if urgent:
                    urgents.append(UrgentAuthorisation(application=application, granted_on=received, ends_on=application.due_on))
                if application.status == "granted":
                    ends = add_months(closed, rng.choice([3, 6, 6, 12, 12])) - datetime.timedelta(days=1)
                    authorisations.append(LibertyAuthorisation(
                        application=application, starts_on=closed, ends_on=ends, conditions="",
                        representative_name="Synthetic representative", representative_kind=rng.choice(["unpaid", "paid"]),
                        signatory_id=signatories[locality_id], status="active" if ends >= today else "ended",
                        status_reason="" if ends >= today else "The authorisation reached its end date",
                        status_changed_on=None if ends >= today else ends + datetime.timedelta(days=1)))
            UrgentAuthorisation.objects.bulk_create(urgents, batch_size=2000)
            LibertyAuthorisation.objects.bulk_create(authorisations, batch_size=2000)
            made["dols applications"] += len(applications)
            made["dols open"] += sum(1 for a in applications if a.status in LibertyApplication.OPEN)
            made["dols authorisations"] += len(authorisations)
    return made
