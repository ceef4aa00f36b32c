"""Reads for the Deprivation of Liberty Safeguards: the queue of every open application, the DoLS
lead's backlog dashboard and the annual return. Everything is counted and sorted in the database on
the stored deadline (`due_on`), so each page makes the same few queries whatever the backlog; every
figure has a key that lists the applications behind it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from .models_dols import LibertyApplication, LibertyAuthorisation
from .permissions import dols_policy

OPEN = Q(status__in=LibertyApplication.OPEN)


def dols_queue(user, *, priority: str = "", breached: bool = False) -> QuerySet:
    """Every open application the user may see, all priorities, most in breach first (the earliest
    deadline), then by reference: a queryset to page through."""
    queryset = dols_policy.instances(user).filter(OPEN)
    if priority:
        queryset = queryset.filter(priority="" if priority == "none" else priority)
    if breached:
        queryset = queryset.filter(due_on__lt=timezone.localdate())
    return queryset.select_related("client", "managing_authority").order_by("due_on", "pk")


def dols_queue_counts(user) -> dict:
    today = timezone.localdate()
    return dols_policy.instances(user).filter(OPEN).aggregate(
        total=Count("pk"), breaches=Count("pk", filter=Q(due_on__lt=today)))


def with_breach(items, today=None):
    today = today or timezone.localdate()
    for item in items:
        item.breach_days = item.days_in_breach(today)
    return items


# --- The DoLS lead's dashboard ---------------------------------------------------------------------

AGE_BANDS = [("0-21", "0 to 21 days", 0, 21), ("22-90", "22 to 90 days", 22, 90),
             ("91-365", "91 days to a year", 91, 365), ("over-365", "Over a year", 366, None)]
PRIORITIES = [*LibertyApplication.Priority.choices, ("none", "Not yet prioritised")]


def _age_q(band: str, today: datetime.date) -> Q:
    _, _, low, high = next(b for b in AGE_BANDS if b[0] == band)
    q = Q(received_on__lte=today - datetime.timedelta(days=low))
    return q & Q(received_on__gte=today - datetime.timedelta(days=high)) if high is not None else q


def _priority_q(priority: str) -> Q:
    return Q(priority="" if priority == "none" else priority)


@dataclass
class Figure:
    key: str
    label: str
    count: int


def _dashboard_figures(today: datetime.date) -> dict[str, Q]:
    """Each figure of the dashboard by its key (as in its drill-down URL): which open applications."""
    figures = {f"{p}_{band}": _priority_q(p) & _age_q(band, today) for p, _ in PRIORITIES for band, *_ in AGE_BANDS}
    figures |= {f"age_{band}": _age_q(band, today) for band, *_ in AGE_BANDS}
    figures |= {f"breach_{p}": _priority_q(p) & Q(due_on__lt=today) for p, _ in PRIORITIES}
    figures |= {"breaches": Q(due_on__lt=today), "new_breaches": Q(due_on=today - datetime.timedelta(days=1)),
                "due_this_week": Q(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=6))}
    return figures


def _counts(queryset, figures: dict[str, Q]) -> dict[str, int]:
    """Every figure counted in one query (the aliases are generated: the keys are for URLs)."""
    keys = list(figures)
    row = queryset.aggregate(**{f"n{i}": Count("pk", filter=figures[key]) if figures[key] else Count("pk")
                                for i, key in enumerate(keys)})
    return {key: row[f"n{i}"] for i, key in enumerate(keys)}


def dols_dashboard(user, today=None) -> dict:
    """Open applications by priority and age; breaches today; the average days to a decision over
    the last 12 months; authorisations ending in the next 28 days. Four queries."""
    today = today or timezone.localdate()
    mine = dols_policy.instances(user)
    counts = _counts(mine.filter(OPEN), _dashboard_figures(today))
    grid = [{"priority": p, "label": label, "cells": [Figure(f"{p}_{band}", band_label, counts[f"{p}_{band}"])
                                                       for band, band_label, *_ in AGE_BANDS]} for p, label in PRIORITIES]
    for row in grid:
        row["total"] = sum(cell.count for cell in row["cells"])
    by_age = [Figure(f"age_{band}", label, counts[f"age_{band}"]) for band, label, *_ in AGE_BANDS]
    by_priority_breach = [Figure(f"breach_{p}", label, counts[f"breach_{p}"]) for p, label in PRIORITIES]
    # Decisions in the last 12 months: the days from receipt to the signatory's decision.
    year_ago = today - datetime.timedelta(days=365)
    decided = list(mine.filter(decided_on__gt=year_ago, decided_on__lte=today)
                   .values_list("kind", "received_on", "decided_on", "due_on"))
    days = [(d - r).days for _, r, d, _ in decided]
    standard = [(d, due) for kind, _, d, due in decided if kind == LibertyApplication.Kind.STANDARD]
    horizon = today + datetime.timedelta(days=28)
    ending = (LibertyAuthorisation.objects.filter(application__in=mine, status=LibertyAuthorisation.Status.ACTIVE,
                                                  ends_on__gte=today, ends_on__lte=horizon)
              .select_related("application__client", "application__managing_authority")
              .annotate(renewals_open=Count("renewals", filter=Q(renewals__status__in=LibertyApplication.OPEN)))
              .order_by("ends_on", "pk"))
    ending = list(ending[:201])
    return {
        "today": today, "horizon": horizon, "grid": grid, "by_age": by_age, "by_priority_breach": by_priority_breach,
        "age_max": max(f.count for f in by_age), "breach_max": max(f.count for f in by_priority_breach),
        "open_total": sum(f.count for f in by_age), "breaches": counts["breaches"], "new_breaches": counts["new_breaches"],
        "due_this_week": counts["due_this_week"],
        "decided": len(days), "average_days": round(sum(days) / len(days)) if days else None,
        "standard_decided": len(standard),
        "standard_in_time": sum(1 for d, due in standard if due and d <= due),
        "ending": ending[:200], "ending_more": len(ending) > 200,
    }


def dols_dashboard_cases(user, key: str, today=None) -> QuerySet | None:
    """The open applications behind a dashboard figure ("high_22-90", "breach_low", "age_0-21", "breaches")."""
    q = _dashboard_figures(today or timezone.localdate()).get(key)
    if q is None:
        return None
    return dols_policy.instances(user).filter(OPEN).filter(q).select_related(
        "client", "managing_authority").order_by("due_on", "pk")


# --- The annual return -----------------------------------------------------------------------------

def return_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The financial year that starts on 1 April of `year`."""
    from ascm.core.years import year_bounds

    return year_bounds(year)


def _return_figures(start: datetime.date, end: datetime.date) -> list[tuple[str, str, Q]]:
    received = Q(received_on__gte=start, received_on__lte=end)
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    return [
        ("active", "Applications active in the year", Q()),
        ("received", "Received in the year", received),
        ("brought-forward", "Not decided at the start of the year", Q(received_on__lt=start)),
        ("standard", "Received: standard requests", received & Q(kind=LibertyApplication.Kind.STANDARD)),
        ("urgent", "Received: with an urgent authorisation", received & Q(kind=LibertyApplication.Kind.URGENT)),
        ("renewals", "Received: renewals of an authorisation", received & Q(renewal_of__isnull=False)),
        ("granted", "Signed off: authorised", decided & Q(status=LibertyApplication.Status.GRANTED)),
        ("not-granted", "Signed off: not authorised", decided & Q(status=LibertyApplication.Status.NOT_GRANTED)),
        ("withdrawn", "Withdrawn", Q(withdrawn_on__gte=start, withdrawn_on__lte=end)),
        ("in-time", "Signed off within the statutory timescale", decided & Q(decided_on__lte=F("due_on"))),
        ("late", "Signed off after the statutory deadline", decided & Q(decided_on__gt=F("due_on"))),
        ("open-at-end", "Not decided at the end of the year", ~Q(decided_on__lte=end) & ~Q(withdrawn_on__lte=end)),
    ]


def dols_return_applications(user, year: int) -> QuerySet:
    """Every application active in the financial year: received in it, or received before and not
    decided or withdrawn by its start."""
    start, end = return_year_bounds(year)
    return dols_policy.instances(user).filter(
        Q(received_on__gte=start, received_on__lte=end)
        | (Q(received_on__lt=start) & ~Q(decided_on__lt=start) & ~Q(withdrawn_on__lt=start)))


def dols_return_figures(user, year: int) -> list[Figure]:
    """The return's counts, one query."""
    start, end = return_year_bounds(year)
    figures = _return_figures(start, end)
    counts = _counts(dols_return_applications(user, year), {key: q for key, _, q in figures})
    return [Figure(key, label, counts[key]) for key, label, _ in figures]


def dols_return_label(year: int, key: str) -> str | None:
    return next((label for k, label, _ in _return_figures(*return_year_bounds(year)) if k == key), None)


def dols_return_cases(user, year: int, key: str) -> QuerySet | None:
    start, end = return_year_bounds(year)
    q = next((q for k, _, q in _return_figures(start, end) if k == key), None)
    if q is None:
        return None
    return dols_return_applications(user, year).filter(q).select_related(
        "client", "managing_authority").order_by("received_on", "pk")


RETURN_COLUMNS = ["person_reference", "application_reference", "managing_authority_type", "received_date",
                  "request_type", "renewal", "statutory_deadline", "sign_off_date", "outcome", "reason_not_granted",
                  "withdrawn_date", "authorisation_start", "authorisation_end", "days_to_sign_off"]


def dols_return_rows(user, year: int, chunk: int = 2000, offset: int = 0, limit: int | None = None):
    """One row per application active in the year, as at 31 March: the person's reference is the
    same every year (the record's own), so people are followed from one return to the next."""
    from clients.identifiers import person_reference

    _, end = return_year_bounds(year)
    rows = (dols_return_applications(user, year).order_by("received_on", "pk").values_list(
        "client_id", "reference", "managing_authority__kind", "received_on", "kind", "renewal_of_id", "due_on",
        "decided_on", "status", "not_granted_reason", "withdrawn_on", "authorisation__starts_on", "authorisation__ends_on"))
    rows = rows[offset:offset + limit] if limit is not None else rows[offset:] if offset else rows
    for (client_id, reference, setting, received, kind, renewal, due, decided, status, reason, withdrawn, starts,
         ends) in rows.iterator(chunk_size=chunk):
        signed = decided if decided and decided <= end else None
        withdrawn = withdrawn if withdrawn and withdrawn <= end else None
        outcome = ("withdrawn" if withdrawn else status if signed else "not_decided")
        yield {
            "person_reference": person_reference(client_id), "application_reference": reference,
            "managing_authority_type": setting, "received_date": received, "request_type": kind,
            "renewal": "yes" if renewal else "no", "statutory_deadline": due, "sign_off_date": signed,
            "outcome": outcome, "reason_not_granted": reason if outcome == "not_granted" else "",
            "withdrawn_date": withdrawn,
            "authorisation_start": starts if outcome == "granted" else None,
            "authorisation_end": ends if outcome == "granted" else None,
            "days_to_sign_off": (signed - received).days if signed else None,
        }


def dols_record_panel(user, client, holds: bool = True) -> dict:
    """The person's record: the authorisation in force and any application pending (a renewal, say),
    with their end and due dates, for everyone who may open the record; the details stay with the
    DoLS team (the link only for them). Three queries at most; none for someone never applied for."""
    if not holds:
        return {"authorisation": None, "application": None, "visible": set(), "any": False}
    authorisation = (LibertyAuthorisation.objects.filter(application__client=client, status=LibertyAuthorisation.Status.ACTIVE)
                     .select_related("application__managing_authority").order_by("-ends_on").first())
    pending = (LibertyApplication.objects.filter(client=client).filter(OPEN)
               .select_related("managing_authority").order_by("-received_on").first())
    shown = [a.pk for a in (authorisation.application if authorisation else None, pending) if a]
    visible = set(dols_policy.instances(user).filter(pk__in=shown).values_list("pk", flat=True)) if shown else set()
    return {"authorisation": authorisation, "application": pending, "visible": visible, "any": bool(shown)}


def dols_record_holds(field: str):
    """Whether the person in `field` has ever had a DoLS application (the record panel's holding)."""
    from django.db.models import Exists, OuterRef

    return Exists(LibertyApplication.objects.filter(client_id=OuterRef(field)))
