"""Statutory returns' pages: ask for a Client Level Data file, watch it being made, download it, and
its validation report with a link to put each row right."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from ascm.audit.services import audit_record_view
from ascm.core.forms import form_add_service_errors
from ascm.core.policies import policy_required

from . import returns
from .forms import ReturnFileForm
from .models import ReturnFile
from .permissions import return_file_policy


@policy_required(return_file_policy, "view")
def home(request):
    form = ReturnFileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not return_file_policy.user_may(request.user, "add"):
            raise Http404("Not found")
        if form.is_valid():
            start, end = form.period()
            try:
                made = returns.return_file_start(user=request.user, period_start=start, period_end=end)
            except ValidationError as error:
                form_add_service_errors(form, error, aliases={"period": "quarter"})
            else:
                messages.success(request, "The file is being made: this page shows its progress")
                return redirect(made)
    files = Paginator(return_file_policy.instances(request.user).select_related("made_by"), 25)
    return render(request, "clients/returns/home.html", {
        "form": form, "page": files.get_page(request.GET.get("page")), "query": "",
        "may_add": return_file_policy.user_may(request.user, "add")}, status=400 if form.errors else 200)


def _file(request, pk):
    return return_file_policy.get(request.user, pk, queryset=ReturnFile.objects.select_related("made_by"))


@policy_required(return_file_policy, "view")
def file_detail(request, pk: int):
    made = _file(request, pk)
    return render(request, "clients/returns/file.html", {
        "file": made, "groups": returns.problem_groups(made), "codes": returns.codes(made.release)})


@policy_required(return_file_policy, "view")
def file_download(request, pk: int):
    made = _file(request, pk)
    if made.status != ReturnFile.Status.DONE or not made.file:
        raise Http404("Not made yet")
    # The file holds every person's identifiers: each download is in the audit log.
    audit_record_view(user=request.user, instance=made, reason="Return file downloaded")
    return FileResponse(made.file.open("rb"), as_attachment=True, content_type="text/csv; charset=utf-8",
                        filename=f"cld-{made.period_start}-{made.period_end}.csv")


@policy_required(return_file_policy, "view")
def file_problems(request, pk: int):
    made = _file(request, pk)
    key = request.GET.get("problem", "")
    if key not in returns.PROBLEMS:
        raise Http404("No such problem")
    page = Paginator(made.problem_rows.filter(problem=key).select_related("client").order_by("event_reference"), 50
                     ).get_page(request.GET.get("page"))
    return render(request, "clients/returns/problems.html", {
        "file": made, "key": key, "label": returns.PROBLEMS[key], "page": page, "query": f"problem={key}",
        "rows": returns.problem_links(page.object_list, key)})


@policy_required(return_file_policy, "view")
def file_tables(request, pk: int):
    made = _file(request, pk)
    if made.status != ReturnFile.Status.DONE:
        raise Http404("Not made yet")
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="salt-tables-{made.period_start}-{made.period_end}.csv"'
        returns.tables_csv(made, response)
        return response
    return render(request, "clients/returns/tables.html", {"file": made, "tables": returns.table_figures(made)})


@policy_required(return_file_policy, "view")
def file_table_entries(request, pk: int, key: str):
    from .return_tables import TABLES

    made = _file(request, pk)
    table = TABLES.get(key)
    if table is None or made.status != ReturnFile.Status.DONE:
        raise Http404("No such table")
    row, column = request.GET.get("row", ""), request.GET.get("column", "")
    page = Paginator(returns.table_entries(made, key, row=row, column=column), 50).get_page(request.GET.get("page"))
    return render(request, "clients/returns/table_entries.html", {
        "file": made, "table": table, "row": row, "column": column, "page": page,
        "query": urlencode({k: v for k, v in (("row", row), ("column", column)) if v})})
