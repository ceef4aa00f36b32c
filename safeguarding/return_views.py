"""The Safeguarding Adults Collection pages: the tables, a CSV per table, the cases behind every
figure, and what is missing before the deadline."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render

from ascm.audit.services import audit_record_views
from ascm.core.csvfiles import csv_cell_safe
from ascm.core.policies import policy_required
from clients.models import Client

from . import returns
from .models import Enquiry, SafeguardingConcern
from .permissions import concern_policy


def year_from_request(request, year=None) -> int:
    """The year in the URL or ?year= (pages answer 404 for one that is not a year)."""
    try:
        return returns.year_parse(year if year is not None else request.GET.get("year"))
    except ValueError:
        raise Http404("Not found") from None


@policy_required(concern_policy, "view")
def sac(request):
    year = year_from_request(request)
    return render(request, "safeguarding/sac.html", {
        "year": year, "label": returns.year_label(year), "tables": returns.sac_tables(user=request.user, year=year),
        "years": range(returns.current_year(), returns.current_year() - 5, -1)})


@policy_required(concern_policy, "view")
def sac_csv(request, year: int, key: str):
    table = returns.sac_table(user=request.user, year=year_from_request(request, year), key=key)
    if table is None:
        raise Http404("Not found")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "label", table.unit])
    for row in table.rows:
        writer.writerow([csv_cell_safe(row.key), csv_cell_safe(row.label), row.count])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sac-{year}-{key}.csv"'
    return response


@policy_required(concern_policy, "view")
def sac_cases(request, year: int, key: str, row: str):
    year = year_from_request(request, year)
    table = returns.sac_table(user=request.user, year=year, key=key)
    found = next((r for r in table.rows if r.key == row), None) if table else None
    if found is None:
        raise Http404("Not found")
    if table.unit == "people":
        items = list(Client.objects.filter(pk__in=found.ids).order_by("family_name", "given_name"))
        audit_record_views(user=request.user, instances=items, reason="Safeguarding Adults Collection: the cases behind a figure")
        cases = [{"label": str(c), "detail": c.nhs_number or "", "url": None} for c in items]
    elif table.unit == "cases" and row == "concerns":
        cases = [{"label": c.reference, "detail": c.received_at.strftime("%-d %b %Y"), "url": c.get_absolute_url()}
                 for c in SafeguardingConcern.objects.filter(pk__in=found.ids).order_by("received_at")]
    else:
        cases = [{"label": f"{e.reference}: {e.adult.client}", "detail": e.get_kind_display(), "url": e.get_absolute_url()}
                 for e in Enquiry.objects.filter(pk__in=found.ids).select_related("adult__client").order_by("started_on")]
    return render(request, "safeguarding/sac_cases.html", {
        "year": year, "label": returns.year_label(year), "table": table, "row": found, "cases": cases})


@policy_required(concern_policy, "view")
def sac_missing(request, year: int):
    year = year_from_request(request, year)
    return render(request, "safeguarding/sac_missing.html", {
        "year": year, "label": returns.year_label(year), "problems": returns.sac_missing(user=request.user, year=year)})
