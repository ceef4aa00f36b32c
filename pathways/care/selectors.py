"""Reads of care records, filtered by what the user may see (the policies in permissions.py)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from ascm.core.db import CompiledOnce

from .permissions import assessment_policy, review_policy, support_plan_policy


def _episodes_of(client_id):
    from .models import Episode

    return Episode.objects.filter(client_id=client_id).select_related("team", "worker").order_by("-started_on", "-pk")[:20]


def _plans_of(client_id):
    from .models import SupportPlan

    return SupportPlan.objects.filter(client_id=client_id).order_by("-starts_on", "-pk")[:10]


def _next_review_of(client_id):
    from .models import Review

    return Review.objects.filter(plan__client_id=client_id, completed_on__isnull=True,
                                 plan__ended_on__isnull=True).order_by("due_on")[:1]


# The record page's lists depend only on the person: compiled once (see CompiledOnce).
_record_episodes, _record_plans, _record_next_review = (CompiledOnce(_episodes_of), CompiledOnce(_plans_of),
                                                         CompiledOnce(_next_review_of))


def pathway_journey_panel(user, client, holds: bool = True) -> dict:
    """The person's record page panel: their pathway episodes as a timeline, newest first (one query;
    none for someone never on a pathway)."""
    return {"episodes": _record_episodes(client.pk) if holds else []}


def pathway_journey_holds(field: str):
    """Whether the person in `field` has had an episode (the journey panel's holding)."""
    from .models import Episode

    return Exists(Episode.objects.filter(client_id=OuterRef(field)))


# Assessments, plans, reviews and the work pages ----------------------------------------------------


def assessments_for_user(*, user) -> QuerySet:
    return assessment_policy.instances(user)


def assessment_get_for_user(*, user, pk: int):
    from .models import Assessment

    return assessment_policy.get(user, pk, queryset=Assessment.objects.select_related(
        "client", "author", "signed_off_by", "last_saved_by", "episode", "carer", "supersedes"))


def plans_for_user(*, user) -> QuerySet:
    return support_plan_policy.instances(user)


def plan_get_for_user(*, user, pk: int):
    from .models import SupportPlan

    return support_plan_policy.get(user, pk, queryset=SupportPlan.objects.select_related(
        "client", "author", "episode", "assessment"))


def reviews_for_user(*, user) -> QuerySet:
    return review_policy.instances(user)


def review_get_for_user(*, user, pk: int):
    from .models import Review

    return review_policy.get(user, pk, queryset=Review.objects.select_related("plan__client", "reviewer"))


CARE_RECORD_PARTS = ("assessments", "plans")


def care_panel(user, client, holds: bool | dict = True) -> dict:
    """The record page's assessments, plans and reviews (three queries at most: none for assessments
    when the person has none, and none for plans and reviews when they have no plan)."""
    from ascm.core.db import select_related_only
    from clients.extensions import holds_part

    from .models import Assessment

    assessments = Assessment.objects.filter(Q(client=client) | Q(carer=client)).select_related("author")
    has_plans = holds_part(holds, "plans")
    return {
        "assessments": list(select_related_only(assessments, "client", "given_name", "family_name")
                            .order_by("-created_at")[:20]) if holds_part(holds, "assessments") else [],
        "plans": _record_plans(client.pk) if has_plans else [],
        "next_review": next(iter(_record_next_review(client.pk)), None) if has_plans else None,
    }


def _managed_team_ids(user) -> list[int]:
    """The teams in which the user signs work off (by permission, whatever their role is called)."""
    return assessment_policy.teams_where(user, "sign_off")


def _allocated_to_teams(team_ids, client_ref: str = "pk"):
    from clients.models import Allocation

    return Exists(Allocation.objects.filter(client=OuterRef(client_ref), ended_on__isnull=True, team_id__in=team_ids))


def _caseload_of(worker_id):
    from clients.models import Allocation

    return (Allocation.objects.filter(worker_id=worker_id, ended_on__isnull=True).select_related("client", "team")
            .only("client_id", "team_id", "client__given_name", "client__family_name", "team__name")
            .order_by("client__family_name", "client__given_name", "pk")[:200])


def _drafts_of(author_id):
    from .models import Assessment

    return (Assessment.objects.filter(author_id=author_id, status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED])
            .select_related("client")
            .only("kind", "status", "updated_at", "client_id", "client__given_name", "client__family_name")
            .order_by("-updated_at")[:50])


# The work page's caseload and drafts depend only on the user: compiled once (see CompiledOnce).
_work_caseload, _work_drafts = CompiledOnce(_caseload_of), CompiledOnce(_drafts_of)


def work_page(*, user, today=None) -> dict:
    """The practitioner's work page: caseload with current episode and next due date, drafts, due and
    overdue reviews, sign-offs waiting (for managers), notifications. A fixed number of queries."""
    import datetime

    from django.db.models import Min
    from django.utils import timezone

    from ascm.notifications.selectors import notifications_for
    from clients.models import Allocation

    from .models import Assessment, Episode, Review

    today = today or timezone.localdate()
    # Three plain queries rather than one with four correlated subqueries, which cost more to compile
    # than these cost to run; and only the columns the page shows are read.
    caseload = _work_caseload(user.pk)
    people = [allocation.client_id for allocation in caseload]
    open_episodes = {}
    for client_id, pathway, started_on, planned_end_on in (
            Episode.objects.filter(client_id__in=people, ended_on__isnull=True)
            .order_by("client_id", "-started_on", "-pk")
            .values_list("client_id", "pathway", "started_on", "planned_end_on")):
        open_episodes.setdefault(client_id, (pathway, started_on, planned_end_on))  # the newest open one
    next_review = dict(
        Review.objects.filter(plan__client_id__in=people, completed_on__isnull=True, plan__ended_on__isnull=True)
        .values("plan__client_id").annotate(first=Min("due_on")).values_list("plan__client_id", "first")
    ) if people else {}
    from pathways.referrals.models import Pathway

    labels = dict(Pathway.choices)
    for allocation in caseload:
        pathway, allocation.episode_started_on, allocation.episode_planned_end_on = open_episodes.get(
            allocation.client_id, ("", None, None))
        allocation.episode_label = labels.get(pathway, "")
        allocation.next_review_due = next_review.get(allocation.client_id)
        dates = [d for d in (allocation.next_review_due, allocation.episode_planned_end_on) if d]
        allocation.next_due = min(dates) if dates else None
        allocation.overdue = bool(allocation.next_due and allocation.next_due < today)
    from .models import ReminderThreshold

    soon = today + datetime.timedelta(days=ReminderThreshold.value_on(ReminderThreshold.Name.REVIEW_DUE_DAYS, today))
    reviews = list(Review.objects.filter(completed_on__isnull=True, plan__ended_on__isnull=True, due_on__lte=soon)
                   .filter(Exists(Allocation.objects.filter(client=OuterRef("plan__client_id"), worker=user,
                                                            ended_on__isnull=True)))
                   .select_related("plan__client")
                   .only("due_on", "plan_id", "plan__client_id", "plan__client__given_name", "plan__client__family_name")
                   .order_by("due_on", "pk")[:100])
    for review in reviews:
        review.overdue = review.due_on < today
    managed = _managed_team_ids(user)
    signoffs = []
    if managed and assessment_policy.user_may(user, "sign_off"):
        signoffs = list(Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
                        .filter(_allocated_to_teams(managed, "client_id")).exclude(author=user)
                        .select_related("client", "author").order_by("submitted_at")[:100])
    return {
        "today": today,
        "caseload": caseload,
        "drafts": _work_drafts(user.pk),
        "reviews": reviews,
        "signoffs": signoffs,
        "manages_teams": bool(managed),
        "notifications": list(notifications_for(user=user).filter(seen_at__isnull=True)[:10]),
    }


def overdue_reviews_for_manager(*, user, today=None) -> QuerySet:
    """Overdue reviews of people allocated to the teams the user manages, longest overdue first."""
    from django.utils import timezone

    from .models import Review

    today = today or timezone.localdate()
    return (Review.objects.filter(completed_on__isnull=True, plan__ended_on__isnull=True, due_on__lt=today)
            .filter(_allocated_to_teams(_managed_team_ids(user), "plan__client_id"))
            .select_related("plan__client").order_by("due_on", "pk"))


def open_episode_work(client):
    """An open pathway episode is open work at the front door (referrals' open_work extension point)."""
    from .models import Episode

    episode = (Episode.objects.filter(client=client, ended_on__isnull=True).select_related("team")
               .order_by("started_on", "pk").first())
    if episode is None:
        return None
    return episode.team, f"The person has an open {episode.get_pathway_display()} episode with {episode.team}"


def care_record_holds(field: str) -> dict:
    """Whether the person in `field` has an assessment (theirs, or as a carer), and a support plan."""
    from .models import Assessment, SupportPlan

    return {"assessments": Q(Exists(Assessment.objects.filter(client_id=OuterRef(field))))
            | Q(Exists(Assessment.objects.filter(carer_id=OuterRef(field)))),
            "plans": Exists(SupportPlan.objects.filter(client_id=OuterRef(field)))}
