"""Reads of referrals, filtered by what the user may see."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from ascm.organisation.selectors import teams_for_user

from .models import URGENCY_RANK, Referral


def referrals_for_user(*, user) -> QuerySet[Referral]:
    """Referrals held by (or linked to) teams whose work the user may look into, and those they took."""
    if not user.has_perm("referrals.view_referral"):
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
