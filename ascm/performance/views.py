"""The performance dashboard: for a manager's teams, a locality or the county, in a period against the
one before it; every figure links to the list behind it (whose length is the figure), and every
table exports as CSV or XLSX."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required

from . import selectors, services
from .extensions import performance_measures
from .forms import PeriodForm
from .models import ExportFile
from .permissions import dashboard_policy

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _scope(request, form=None):
    """The scope and period asked for: from the picker's form, else ?scope=&from=&to= (this quarter so far)."""
    get = request.GET
    if form is not None and form.is_bound:
        if not form.is_valid():
            return None
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        try:
            first, last = selectors.period_parse(start.isoformat() if start else "", end.isoformat() if end else "")
        except ValidationError as error:
            form_add_service_errors(form, error, aliases={"from": "start", "to": "end"})
            return None
        return selectors.scope_for(request.user, form.cleaned_data["scope"], first, last)
    try:
        first, last = selectors.period_parse(get.get("from", ""), get.get("to", ""))
    except ValidationError:
        raise Http404("Not a period") from None
    return selectors.scope_for(request.user, get.get("scope", ""), first, last)


@policy_required(dashboard_policy, "view")
def dashboard(request):
    scopes = selectors.scopes_for(request.user)
    if not scopes:
        raise Http404("You hold no team, locality or county to see figures for")
    bound = "start_0" in request.GET  # the picker's form; links carry ?scope=&from=&to=
    form = PeriodForm(request.GET if bound else None, scopes=scopes)
    scope = _scope(request, form if bound else None)
    if scope is None:
        scope = selectors.scope_for(request.user, "", *selectors.period_parse("", ""))
        status = 400
    else:
        status = 200
        if not bound:
            form = PeriodForm(initial={"scope": request.GET.get("scope") or scopes[0][0], "start": scope.start,
                                       "end": scope.end}, scopes=scopes)
    sections = selectors.dashboard(request.user, scope)
    file_format = request.GET.get("format", "")
    if file_format in CONTENT_TYPES and status == 200:
        rows = [[section, f.measure.label, "" if f.value is None else f.value, "" if f.previous is None else f.previous]
                for section, figures in sections for f in figures]
        return _download(services.table_bytes(["Section", "Figure", "This period", "Previous period"], rows, file_format),
                         file_format, f"performance-{scope.start}-{scope.end}")
    trends = [(f, selectors.trend(f.measure, scope)) for _, figures in sections for f in figures if f.measure.trend]
    return render(request, "performance/dashboard.html", {
        "form": form, "scope": scope, "previous": scope.previous(), "sections": sections, "trends": trends,
        "periods": selectors.periods(), "scope_value": request.GET.get("scope") or (
            form.cleaned_data.get("scope") if form.is_bound and form.is_valid() else scopes[0][0])},
        status=status)


def _download(data: bytes, file_format: str, name: str):
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


def _measure(request, key):
    measure = dict(performance_measures.items()).get(key)
    if measure is None or (measure.permission and not request.user.has_perm(measure.permission)):
        raise Http404("No such figure")
    return measure


@policy_required(dashboard_policy, "view")
def drill_down(request, key: str):
    measure = _measure(request, key)
    scope = _scope(request)
    rows = selectors.drill_rows(measure, scope)
    file_format = request.GET.get("format", "")
    if file_format in CONTENT_TYPES:
        if rows.count() > ExportFile.EXPORT_ROWS:
            raise Http404("Too many rows for the browser: make the export instead")
        header, body = services.drill_table(measure, rows)
        return _download(services.table_bytes(header, body, file_format), file_format, f"{key}-{scope.start}-{scope.end}")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    cells = [[(c.value(row), c.url(row) if c.url else "") for c in measure.columns] for row in page.object_list]
    return render(request, "performance/drill_down.html", {
        "measure": measure, "key": key, "scope": scope, "page": page, "cells": cells, "query": scope.query,
        "scope_value": request.GET.get("scope", ""), "too_many": page.paginator.count > ExportFile.EXPORT_ROWS,
        "figure": selectors.figure(key, measure, scope)})


@require_POST
@policy_required(dashboard_policy, "view")
def export_start(request, key: str):
    measure = _measure(request, key)
    scope = _scope(request)
    file_format = request.POST.get("format", "csv")
    if file_format not in CONTENT_TYPES:
        raise Http404("No such format")
    made = services.export_start(user=request.user, key=key, scope_value=request.GET.get("scope", ""), scope=scope,
                                 file_format=file_format)
    messages.success(request, f"The export of {measure.label.lower()} is being made: this page shows when it is ready")
    return redirect("performance:export", pk=made.pk)


def _export(request, pk):
    made = ExportFile.objects.filter(pk=pk, made_by=request.user).first() if str(pk).isdigit() else None
    if made is None:
        raise Http404("No such export")
    return made


@policy_required(dashboard_policy, "view")
def export(request, pk: int):
    made = _export(request, pk)
    return render(request, "performance/export.html", {"export": made, "measure": _measure(request, made.measure)})


@policy_required(dashboard_policy, "view")
def export_download(request, pk: int):
    made = _export(request, pk)
    if made.status != ExportFile.Status.DONE:
        raise Http404("Not ready yet")
    from ascm.audit.services import audit_record_view

    audit_record_view(user=request.user, instance=made, reason="Export downloaded")  # it names people
    return FileResponse(made.file.open("rb"), as_attachment=True, content_type=CONTENT_TYPES[made.file_format],
                        filename=f"{made.measure}-{made.period_start}-{made.period_end}.{made.file_format}")
