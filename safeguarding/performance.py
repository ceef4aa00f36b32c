"""Safeguarding and DoLS on the performance dashboard, to those who may see safeguarding (the lists
behind the figures name people): concerns, decisions within target, open enquiries, the DoLS backlog
and its breaches."""

from django.db.models import F
from django.utils import timezone

from ascm.performance.extensions import Column, Measure

from .models import AdultAtRisk, Enquiry, SafeguardingConcern
from .models_dols import LibertyApplication

SAFEGUARDING, DOLS = "Safeguarding", "Deprivation of Liberty Safeguards"
SEE, SEE_DOLS = "safeguarding.view_safeguardingconcern", "safeguarding.view_libertyapplication"


def _concerns(scope):
    return scope.filter(SafeguardingConcern.objects.select_related("locality"))


def _adults(scope):
    return scope.filter(AdultAtRisk.objects.filter(decided_at__isnull=False).select_related("concern", "client"),
                        locality="concern__locality_id")


def _applications(scope):
    return scope.filter(LibertyApplication.objects.filter(status__in=LibertyApplication.OPEN)
                        .select_related("client", "managing_authority"), team="team_id")


CONCERNS = (Column("Concern", lambda c: c.reference, lambda c: c.get_absolute_url()),
            Column("Received", lambda c: f"{c.received_at:%-d %b %Y}"), Column("Locality", lambda c: c.locality.name),
            Column("Status", lambda c: c.get_status_display()))
DECISIONS = (Column("Concern", lambda a: a.concern.reference, lambda a: a.concern.get_absolute_url()),
             Column("Adult", lambda a: a.client.display_name), Column("Due", lambda a: f"{a.concern.due_on:%-d %b %Y}"),
             Column("Decided", lambda a: f"{a.decided_at:%-d %b %Y}"), Column("Outcome", lambda a: a.get_outcome_display()))
ENQUIRIES = (Column("Enquiry", lambda e: e.reference, lambda e: e.get_absolute_url()),
             Column("Adult", lambda e: e.adult.client.display_name), Column("Started", lambda e: f"{e.started_on:%-d %b %Y}"))
APPLICATIONS = (Column("Application", lambda a: a.reference, lambda a: a.get_absolute_url()),
                Column("Person", lambda a: a.client.display_name), Column("Care home or hospital", lambda a: a.managing_authority.name),
                Column("Due", lambda a: f"{a.due_on:%-d %b %Y}" if a.due_on else "–"))


def measures() -> dict[str, Measure]:
    return {
        "sg-concerns": Measure(80, SAFEGUARDING, "Safeguarding concerns received", _concerns, CONCERNS,
                               date_field="received_at", trend=True, permission=SEE),
        "sg-decisions": Measure(81, SAFEGUARDING, "Section 42 decisions made", _adults, DECISIONS,
                                date_field="decided_at", permission=SEE),
        "sg-decisions-in-target": Measure(
            82, SAFEGUARDING, "Section 42 decisions made within target",
            lambda s: _adults(s).filter(decided_at__date__lte=F("concern__due_on")), DECISIONS, date_field="decided_at",
            permission=SEE, target="the working days set for decisions (dated, from when each concern arrived)"),
        "sg-enquiries-open": Measure(83, SAFEGUARDING, "Enquiries open", lambda s: s.filter(
            Enquiry.objects.filter(status=Enquiry.Status.OPEN).select_related("adult__client"),
            locality="adult__concern__locality_id"), ENQUIRIES, permission=SEE),
        "dols-backlog": Measure(90, DOLS, "Applications waiting for a decision", _applications, APPLICATIONS,
                                permission=SEE_DOLS),
        "dols-breaches": Measure(91, DOLS, "Applications past their statutory deadline",
                                 lambda s: _applications(s).filter(due_on__lt=timezone.localdate()), APPLICATIONS,
                                 permission=SEE_DOLS),
    }
