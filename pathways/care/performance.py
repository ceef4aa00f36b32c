"""Care's figures on the performance dashboard: assessments and their waits, reviews, and people on
each pathway and moving between them."""

from django.db.models import Avg, Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from ascm.core.db import HoursBetween
from ascm.performance.extensions import Column, Measure
from pathways.referrals.models import Pathway

from .models import Assessment, Episode, Review

ASSESSMENTS, REVIEWS, PATHWAYS = "Assessments", "Reviews", "Pathways"


def _person(row_client):
    return reverse("clients:record", args=[row_client.pk])


def _assessments(scope):
    return scope.filter(Assessment.objects.select_related("client", "episode__team"), team="episode__team_id",
                        locality="client__locality_id")


ASSESSMENT_COLUMNS = (
    Column("Person", lambda a: a.client.display_name, lambda a: reverse("care:assessment", args=[a.pk])),
    Column("Assessment", lambda a: a.get_kind_display()), Column("Status", lambda a: a.get_status_display()),
    Column("Submitted", lambda a: f"{a.submitted_at:%-d %b %Y}" if a.submitted_at else "–"),
    Column("Signed off", lambda a: f"{a.signed_off_at:%-d %b %Y}" if a.signed_off_at else "–"),
    Column("Team", lambda a: a.episode.team.name if a.episode_id else "–"))


def _reviews(scope):
    return scope.filter(Review.objects.select_related("plan__client", "plan__episode__team"),
                        team="plan__episode__team_id", locality="plan__client__locality_id")


REVIEW_COLUMNS = (
    Column("Person", lambda r: r.plan.client.display_name, lambda r: reverse("care:plan", args=[r.plan_id])),
    Column("Due", lambda r: f"{r.due_on:%-d %b %Y}"),
    Column("Completed", lambda r: f"{r.completed_on:%-d %b %Y}" if r.completed_on else "–"),
    Column("Outcome", lambda r: r.outcome or "–"))


def _episodes(scope):
    return scope.filter(Episode.objects.select_related("client", "team"), team="team_id", locality="team__locality_id")


EPISODE_COLUMNS = (
    Column("Person", lambda e: e.client.display_name, lambda e: _person(e.client)),
    Column("Pathway", lambda e: e.get_pathway_display()), Column("Team", lambda e: e.team.name),
    Column("Started", lambda e: f"{e.started_on:%-d %b %Y}"),
    Column("Ended", lambda e: f"{e.ended_on:%-d %b %Y}" if e.ended_on else "–"))


def _overdue(scope):
    return _reviews(scope).filter(completed_on__isnull=True, plan__ended_on__isnull=True,
                                  due_on__lt=timezone.localdate())


def _moved(scope):
    """Episodes that began as another pathway's episode for the person ended: the flow between pathways."""
    earlier = Episode.objects.filter(client=OuterRef("client_id"), ended_on__isnull=False,
                                     ended_on__lte=OuterRef("started_on")).exclude(pathway=OuterRef("pathway"))
    return _episodes(scope).filter(Exists(earlier))


def measures() -> dict[str, Measure]:
    found = {
        "assessments-signed-off": Measure(
            20, ASSESSMENTS, "Assessments signed off, days from referral", lambda s: _assessments(s).filter(
                status=Assessment.Status.SIGNED_OFF, episode__referral__isnull=False),
            ASSESSMENT_COLUMNS, date_field="signed_off_at",
            value=("days on average", Avg, HoursBetween(F("signed_off_at"), F("episode__referral__received_at")) / 24)),
        "assessments-awaiting-sign-off": Measure(
            21, ASSESSMENTS, "Assessments waiting for sign-off",
            lambda s: _assessments(s).filter(status=Assessment.Status.SUBMITTED), ASSESSMENT_COLUMNS),
        "reviews-completed": Measure(30, REVIEWS, "Reviews completed",
                                     lambda s: _reviews(s).filter(completed_on__isnull=False), REVIEW_COLUMNS,
                                     date_field="completed_on"),
        "reviews-overdue": Measure(31, REVIEWS, "Reviews overdue", _overdue, REVIEW_COLUMNS,
                                   help="Due before today, not yet completed, on a plan that has not ended."),
        "pathway-moves": Measure(49, PATHWAYS, "Started on a pathway after another ended (flow between pathways)",
                                 _moved, EPISODE_COLUMNS, date_field="started_on"),
    }
    for order, (code, label) in enumerate(Pathway.choices):
        found[f"on-pathway-{code.replace('_', '-')}"] = Measure(
            40 + order, PATHWAYS, f"People on {label}",
            lambda s, code=code: _episodes(s).filter(pathway=code, ended_on__isnull=True), EPISODE_COLUMNS)
    return found
