"""Reads of referrals, filtered by what the user may see."""

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from ascm.core.db import CompiledOnce

from .models import FLAGS, URGENCY_RANK, Referral, ResponseTarget
from .permissions import referral_policy


def referrals_for_user(*, user) -> QuerySet[Referral]:
    """Referrals the user may see (the ReferralPolicy's reach)."""
    return referral_policy.instances(user)


def referral_get_for_user(*, user, pk: int) -> Referral:
    return referral_policy.get(user, pk, queryset=Referral.objects.select_related(
        "client", "team", "locality", "allocated_to", "routing_rule", "safeguarding_team"))


def team_queue(*, team) -> QuerySet[Referral]:
    """Unallocated referrals in the team's queue: most urgent first, then oldest."""
    rank = Case(*[When(urgency=u, then=Value(r)) for u, r in URGENCY_RANK.items()], output_field=IntegerField())
    return (
        Referral.objects.filter(team=team, status__in=Referral.WAITING)
        .select_related("client", "routing_rule")
        .annotate(urgency_rank=rank)
        .order_by("urgency_rank", "received_at", "pk")
    )


QUEUE_PAGE_SIZE = 50
# What the queue page shows of each referral and its person: nothing else is read.
_QUEUE_FIELDS = ("urgency", "received_at", "status", "routing_reason", "link_reason", *FLAGS,
                 "client__given_name", "client__family_name")


def team_queue_page(*, team, page_number=None, now=None) -> Page:
    """One page of the team's queue, each referral with how long it has waited against its urgency's
    response target (`waited_hours`, `target_hours`, `breached`). Three queries, whatever the queue's
    length: the count, the page, the targets."""
    rows = team_queue(team=team).select_related(None).select_related("client").only(*_QUEUE_FIELDS)
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(page_number)
    targets = dict(ResponseTarget.objects.values_list("urgency", "hours"))
    now = now or timezone.now()
    page.object_list = list(page.object_list)
    for referral in page.object_list:
        waited = (now - referral.received_at).total_seconds() / 3600
        referral.waited_hours = int(waited)
        referral.target_hours = targets.get(referral.urgency)
        referral.breached = referral.target_hours is not None and waited > referral.target_hours
    return page


def referrals_panel(user, client, holds: bool = True) -> dict:
    """The record page's referrals, newest first, each with where it is now (one query; none for a
    person never referred). The record is already authorised, so every referral of the person is
    listed, linked ones included."""
    return {"referrals": _record_referrals(client.pk) if holds else []}


def _referrals_of(client_id):
    shown = ("received_at", "source", "status", "safeguarding_concern", "team_id", "allocated_to_id", "team__name",
             "allocated_to__first_name", "allocated_to__last_name", "allocated_to__username")
    return (Referral.objects.filter(client_id=client_id).select_related("team", "allocated_to")
            .only(*shown).order_by("-received_at", "-pk")[:20])


_record_referrals = CompiledOnce(_referrals_of)  # depends only on the person: compiled once


def referrals_record_holds(field: str):
    """Whether the person in `field` has ever been referred (the record panel's holding)."""
    from django.db.models import Exists, OuterRef

    return Exists(Referral.objects.filter(client_id=OuterRef(field)))


def open_safeguarding_concern(field: str = "client_id"):
    """A referral raised a safeguarding concern and is still open: a flag other apps may show about
    the person (clients' person_flags extension point), never with the referral's detail."""
    from django.db.models import Exists, OuterRef

    return Exists(Referral.objects.filter(client=OuterRef(field), safeguarding_concern=True)
                  .exclude(status=Referral.Status.CLOSED))


def routing_rules_overview() -> list[dict]:
    """The rules in order, each in words, with what to warn about: a rule that can never apply (an
    earlier one takes all its referrals), and localities with no team of the rule's target type
    (their referrals fall back to triage). A fixed number of queries, whatever the number of rules."""
    from ascm.organisation.models import Locality, Team, TeamType

    from .models import Pathway, RoutingRule
    from .routing import rule_conditions_words, rules_unreachable

    rules = list(RoutingRule.objects.prefetch_related("localities").order_by("position", "pk"))
    localities = {loc.pk: loc.name for loc in Locality.objects.current().order_by("name")}
    having: dict[str, set[int]] = {}
    for team_type, locality_id in Team.objects.current().values_list("team_type", "locality_id"):
        having.setdefault(team_type, set()).add(locality_id)
    rule_localities = {rule.pk: {loc.pk for loc in rule.localities.all()} for rule in rules}
    unreachable = rules_unreachable(rules, rule_localities)
    rows = []
    for rule in rules:
        reach = rule_localities[rule.pk] or set(localities)
        missing = sorted(localities[pk] for pk in reach - having.get(rule.target_team_type, set()) if pk in localities)
        rows.append({"rule": rule, "words": rule_conditions_words(rule, sorted(loc.name for loc in rule.localities.all())),
                     "team_type": TeamType(rule.target_team_type).label, "pathway": Pathway(rule.target_pathway).label,
                     "unreachable_by": unreachable.get(rule.pk), "missing": missing})
    return rows
