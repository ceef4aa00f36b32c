"""The finance return's (ASC-FR) pages: the year's extracts, their CSV, and the people behind each figure."""

import csv

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ascm.core.csvfiles import csv_cell_safe
from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required
from ascm.core.years import financial_year, year_label

from . import asc_fr
from .forms import FinanceReturnForm
from .permissions import finance_return_policy


def _year_form(request):
    form = FinanceReturnForm(request.GET if "year" in request.GET else {"year": financial_year() - 1})
    if form.is_valid():
        try:
            asc_fr.year_check(form.cleaned_data["year"])
        except ValidationError as error:
            form_add_service_errors(form, error)
    return form


@policy_required(finance_return_policy, "view")
def finance_return(request):
    form = _year_form(request)
    if form.errors:
        return render(request, "finance/asc_fr.html", {"form": form}, status=400)
    data = asc_fr.extract(form.cleaned_data["year"])
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="asc-fr-{year_label(data["year"])}.csv"'
        writer = csv.writer(response)
        for row in asc_fr.csv_rows(data):
            writer.writerow([csv_cell_safe(c) if isinstance(c, str) else c for c in row])
        return response
    return render(request, "finance/asc_fr.html", {"form": form, **data})


@policy_required(finance_return_policy, "view")
def finance_return_people(request):
    form = _year_form(request)
    setting, psr, band = (request.GET.get(k, "") for k in ("setting", "psr", "band"))
    try:
        asc_fr.filters_check(setting=setting, psr=psr, band=band)
    except ValidationError as error:
        form_add_service_errors(form, error)
    if form.errors:
        return render(request, "finance/asc_fr.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    found = asc_fr.people(year, setting=setting, psr=psr, band=band)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    from clients.models import Client

    names = Client.objects.in_bulk([f.client_id for f in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "finance/asc_fr_people.html", {
        "year": year, "label": year_label(year), "page": page, "query": query.urlencode(),
        "rows": [(f, names.get(f.client_id)) for f in page.object_list],
        "setting_label": {**asc_fr.SETTINGS, "long": "Long-term support", "short": "Short-term support"}.get(setting, ""),
        "psr_label": asc_fr.psr_labels().get(psr, ""), "band": band,
        "gross": sum(f.gross for f in found), "contribution": sum(f.contribution for f in found),
        "people": len({f.client_id for f in found})})
