"""Demo pathway work for `make run`: episodes, a draft and a signed-off assessment, a plan whose
first review is overdue — so the work page, sign-off and reviews have something to show."""

import datetime

from django.utils import timezone

from ascm.organisation.models import Team

from . import assessments, plans, services
from .eligibility import ADULT_OUTCOMES
from .models import Assessment, Episode


def demo_pathway_work(users) -> None:
    from clients.models import Client

    pat, morgan = users.get("practitioner"), users.get("manager")
    team = Team.objects.filter(name="Canterbury Promoting Independence").first()
    people = {c.legacy_id: c for c in Client.objects.filter(legacy_id__startswith="DEMO")}
    if not (pat and morgan and team and people) or Episode.objects.filter(client__in=people.values()).exists():
        return
    today = timezone.localdate()
    joan, arthur, priya = people["DEMO001"], people["DEMO002"], people["DEMO003"]
    episode = services.episode_start(user=pat, client=joan, pathway="promoting_independence", team=team, worker=pat,
                                     started_on=today - datetime.timedelta(days=10))
    assessments.assessment_create(user=pat, client=joan, kind="needs", episode=episode)
    services.episode_start(user=pat, client=priya, pathway="lifespan_0_25", team=team, worker=pat)
    ongoing = services.episode_start(user=pat, client=arthur, pathway="supporting_independence", team=team, worker=pat,
                                     started_on=today - datetime.timedelta(weeks=12))
    draft = assessments.assessment_create(user=pat, client=arthur, kind="needs", episode=ongoing)
    answers = {"what_matters": "Staying in his own home", "arises_from_impairment": True,
               "significant_impact_on_wellbeing": True,
               "outcomes": {code: {"unable": code in ("nutrition", "home_safety"),
                                   "reason": "needs_assistance" if code in ("nutrition", "home_safety") else ""}
                            for code in ADULT_OUTCOMES}}
    draft = assessments.assessment_save_draft(user=pat, assessment=draft, expected_version=1, answers=answers)
    submitted = assessments.assessment_submit(user=pat, assessment=draft, expected_version=2, practitioner_agrees=True)
    signed = assessments.assessment_sign_off(user=morgan, assessment=submitted)
    plans.plan_create(user=pat, client=arthur, episode=ongoing, assessment=signed,
                      starts_on=today - datetime.timedelta(weeks=10), contingency="His daughter visits daily",
                      outcomes=[{"outcome": "Eat a hot meal every day", "met_by": "service", "how": "Lunchtime visit"},
                                {"outcome": "Get to the lunch club", "met_by": "community", "how": "Community transport"}])
    assert Assessment.objects.filter(client=arthur, status="signed_off").exists()
