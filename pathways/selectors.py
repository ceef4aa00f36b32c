"""Reads of referrals, filtered by what the user may see."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404

from ascm.organisation.selectors import teams_for_user

from .models import URGENCY_RANK, Referral


def referrals_for_user(*, user) -> QuerySet[Referral]:
    """Referrals held by (or linked to) teams whose work the user may look into, and those they took."""
    if not user.has_perm("pathways.view_referral"):
        return Referral.objects.none()
    teams = list(teams_for_user(user=user).values_list("pk", "locality_id"))
    team_ids = [pk for pk, _ in teams]
    locality_ids = {locality for _, locality in teams}
    return Referral.objects.filter(
        Q(team_id__in=team_ids) | Q(safeguarding_team_id__in=team_ids) | Q(team__isnull=True, locality_id__in=locality_ids)
        | Q(created_by=user)
    )


def referral_get_for_user(*, user, pk: int) -> Referral:
    referral = referrals_for_user(user=user).filter(pk=pk).select_related(
        "client", "team", "locality", "allocated_to", "routing_rule", "safeguarding_team").first()
    if referral is None:
        raise Http404("No such referral")
    return referral


def team_queue(*, team) -> QuerySet[Referral]:
    """Unallocated referrals in the team's queue: most urgent first, then oldest."""
    rank = Case(*[When(urgency=u, then=Value(r)) for u, r in URGENCY_RANK.items()], output_field=IntegerField())
    return (
        Referral.objects.filter(team=team, status__in=Referral.WAITING)
        .select_related("client", "routing_rule")
        .annotate(urgency_rank=rank)
        .order_by("urgency_rank", "received_at", "pk")
    )


def referrals_panel(user, client) -> dict:
    """The record page's referrals, newest first, each with where it is now (one query). The record is
    already authorised, so every referral of the person is listed, linked ones included."""
    return {"referrals": list(Referral.objects.filter(client=client).select_related("team", "allocated_to")
                              .order_by("-received_at", "-pk")[:20])}


def pathway_journey_panel(user, client) -> dict:
    """The person's record page panel: their pathway episodes as a timeline, newest first (one query)."""
    from .models import Episode

    return {"episodes": list(Episode.objects.filter(client=client).select_related("team", "worker")
                             .order_by("-started_on", "-pk")[:20])}


# Assessments, plans, reviews and the work pages ----------------------------------------------------


def _in_reach(user, queryset, client_field: str = "client"):
    from clients.selectors import clients_in_reach

    return queryset.filter(**{f"{client_field}__in": clients_in_reach(user=user)})


def _get_for_user(user, queryset, pk: int, client_id):
    """Fetch and authorise: the object if the user may open the person's record (by role, or after
    breaking the glass), else 404 — the same answer as for an id that does not exist."""
    from clients.selectors import client_get_for_user

    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    client_get_for_user(user=user, pk=client_id(obj))
    return obj


def assessments_for_user(*, user) -> QuerySet:
    from .models import Assessment

    if not user.has_perm("pathways.view_assessment"):
        return Assessment.objects.none()
    return _in_reach(user, Assessment.objects.all())


def assessment_get_for_user(*, user, pk: int):
    from .models import Assessment

    if not user.has_perm("pathways.view_assessment"):
        raise Http404("Not found")
    queryset = Assessment.objects.select_related("client", "author", "signed_off_by", "last_saved_by", "episode",
                                                 "carer", "supersedes")
    return _get_for_user(user, queryset, pk, lambda a: a.client_id)


def plans_for_user(*, user) -> QuerySet:
    from .models import SupportPlan

    if not user.has_perm("pathways.view_supportplan"):
        return SupportPlan.objects.none()
    return _in_reach(user, SupportPlan.objects.all())


def plan_get_for_user(*, user, pk: int):
    from .models import SupportPlan

    if not user.has_perm("pathways.view_supportplan"):
        raise Http404("Not found")
    return _get_for_user(user, SupportPlan.objects.select_related("client", "author", "episode", "assessment"), pk,
                         lambda p: p.client_id)


def reviews_for_user(*, user) -> QuerySet:
    from .models import Review

    if not user.has_perm("pathways.view_review"):
        return Review.objects.none()
    return _in_reach(user, Review.objects.all(), "plan__client")


def review_get_for_user(*, user, pk: int):
    from .models import Review

    if not user.has_perm("pathways.view_review"):
        raise Http404("Not found")
    return _get_for_user(user, Review.objects.select_related("plan__client", "reviewer"), pk, lambda r: r.plan.client_id)


def care_panel(user, client) -> dict:
    """The record page's assessments, plans and reviews (three queries)."""
    from .models import Assessment, Review, SupportPlan

    return {
        "assessments": list(Assessment.objects.filter(Q(client=client) | Q(carer=client))
                            .select_related("author", "client").order_by("-created_at")[:20]),
        "plans": list(SupportPlan.objects.filter(client=client).order_by("-starts_on", "-pk")[:10]),
        "next_review": Review.objects.filter(plan__client=client, completed_on__isnull=True,
                                             plan__ended_on__isnull=True).order_by("due_on").first(),
    }


def _managed_team_ids(user) -> list[int]:
    """The teams in which the user signs work off (by permission, whatever their role is called)."""
    from ascm.organisation.selectors import memberships_holding

    return list(memberships_holding("pathways.sign_off_assessment", user=user).values_list("team_id", flat=True))


def _allocated_to_teams(team_ids, client_ref: str = "pk"):
    from clients.models import Allocation

    return Exists(Allocation.objects.filter(client=OuterRef(client_ref), ended_on__isnull=True, team_id__in=team_ids))


def work_page(*, user, today=None) -> dict:
    """The practitioner's work page: caseload with current episode and next due date, drafts, due and
    overdue reviews, sign-offs waiting (for managers), notifications. A fixed number of queries."""
    import datetime

    from django.db.models import Min, Subquery
    from django.utils import timezone

    from ascm.notifications.selectors import notifications_for
    from clients.models import Allocation

    from .models import Assessment, Episode, Review

    today = today or timezone.localdate()
    open_episodes = Episode.objects.filter(client=OuterRef("client_id"), ended_on__isnull=True).order_by("-started_on", "-pk")
    next_review = (Review.objects.filter(plan__client=OuterRef("client_id"), completed_on__isnull=True,
                                         plan__ended_on__isnull=True)
                   .values("plan__client").annotate(first=Min("due_on")).values("first"))
    caseload = list(
        Allocation.objects.filter(worker=user, ended_on__isnull=True)
        .select_related("client", "team")
        .annotate(episode_pathway=Subquery(open_episodes.values("pathway")[:1]),
                  episode_started_on=Subquery(open_episodes.values("started_on")[:1]),
                  episode_planned_end_on=Subquery(open_episodes.values("planned_end_on")[:1]),
                  next_review_due=Subquery(next_review[:1]))
        .order_by("client__family_name", "client__given_name", "pk")[:200]
    )
    from .models import Pathway

    labels = dict(Pathway.choices)
    for allocation in caseload:
        allocation.episode_label = labels.get(allocation.episode_pathway, "")
        dates = [d for d in (allocation.next_review_due, allocation.episode_planned_end_on) if d]
        allocation.next_due = min(dates) if dates else None
        allocation.overdue = bool(allocation.next_due and allocation.next_due < today)
    from .models import ReminderThreshold

    soon = today + datetime.timedelta(days=ReminderThreshold.value_on(ReminderThreshold.Name.REVIEW_DUE_DAYS, today))
    reviews = list(Review.objects.filter(completed_on__isnull=True, plan__ended_on__isnull=True, due_on__lte=soon)
                   .filter(Exists(Allocation.objects.filter(client=OuterRef("plan__client_id"), worker=user,
                                                            ended_on__isnull=True)))
                   .select_related("plan__client").order_by("due_on", "pk")[:100])
    for review in reviews:
        review.overdue = review.due_on < today
    managed = _managed_team_ids(user)
    signoffs = []
    if managed and user.has_perm("pathways.sign_off_assessment"):
        signoffs = list(Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
                        .filter(_allocated_to_teams(managed, "client_id")).exclude(author=user)
                        .select_related("client", "author").order_by("submitted_at")[:100])
    return {
        "today": today,
        "caseload": caseload,
        "drafts": list(Assessment.objects.filter(author=user, status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED])
                       .select_related("client").order_by("-updated_at")[:50]),
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
