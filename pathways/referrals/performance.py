"""The front door's figures on the performance dashboard: referrals received, how they were routed,
and how soon they were allocated against the response targets."""

from django.db.models import Avg, Case, DateTimeField, DurationField, ExpressionWrapper, F, Value, When
from django.urls import reverse

from ascm.core.db import HoursBetween
from ascm.performance.extensions import Column, Measure

from .models import Referral, ResponseTarget

SECTION = "Referrals"


def _referrals(scope):
    return scope.filter(Referral.objects.select_related("client", "team"), team="team_id")


def _link(r):
    return reverse("referrals:detail", args=[r.pk])


COLUMNS = (Column("Referral", lambda r: f"Referral {r.pk}", _link), Column("Person", lambda r: r.client.display_name),
           Column("Received", lambda r: f"{r.received_at:%-d %b %Y}"), Column("Urgency", lambda r: r.get_urgency_display()),
           Column("Team", lambda r: r.team.name if r.team_id else "Not routed"), Column("Status", lambda r: r.get_status_display()))


def _within_target(scope):
    """Allocated no later than the target for the referral's urgency (the targets read once)."""
    from datetime import timedelta

    targets = dict(ResponseTarget.objects.values_list("urgency", "hours"))
    allowed = Case(*[When(urgency=u, then=Value(timedelta(hours=h))) for u, h in targets.items()],
                   default=Value(timedelta(hours=24 * 365)), output_field=DurationField())
    deadline = ExpressionWrapper(F("received_at") + allowed, output_field=DateTimeField())
    return _referrals(scope).filter(allocated_at__isnull=False).alias(deadline=deadline).filter(
        allocated_at__lte=F("deadline"))


def measures() -> dict[str, Measure]:
    return {
        "referrals-received": Measure(10, SECTION, "Referrals received", _referrals, COLUMNS, date_field="received_at",
                                      trend=True),
        "referrals-routed": Measure(11, SECTION, "Routed to a team's queue by the rules",
                                    lambda s: _referrals(s).filter(team__isnull=False, linked_to__isnull=True),
                                    COLUMNS, date_field="received_at"),
        "referrals-linked": Measure(12, SECTION, "Linked to the person's open work",
                                    lambda s: _referrals(s).filter(linked_to__isnull=False), COLUMNS,
                                    date_field="received_at"),
        "referrals-unrouted": Measure(13, SECTION, "Waiting to be routed",
                                      lambda s: _referrals(s).filter(status=Referral.Status.RECEIVED), COLUMNS,
                                      help="Received, and no rule has placed them in a team's queue yet."),
        "referrals-allocated": Measure(14, SECTION, "Allocated to a worker",
                                       lambda s: _referrals(s).filter(allocated_at__isnull=False), COLUMNS,
                                       date_field="allocated_at",
                                       value=("hours on average", Avg, HoursBetween(F("allocated_at"), F("received_at")))),
        "referrals-in-target": Measure(15, SECTION, "Allocated within the response target", _within_target, COLUMNS,
                                       date_field="allocated_at",
                                       target="the hours set for each urgency (administrators' response targets)"),
    }
