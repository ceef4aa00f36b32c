"""DoLS pages: the queue of every open application with its deadline and breach, receiving an
application, and the application page with its forms (each posting to its own URL)."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.csvfiles import csv_cell_safe
from ascm.core.forms import form_add_service_errors, page_form_post
from ascm.core.policies import policy_required

from . import dols
from .dols_selectors import (
    AGE_BANDS,
    PRIORITIES,
    RETURN_COLUMNS,
    dols_dashboard,
    dols_dashboard_cases,
    dols_queue,
    dols_queue_counts,
    dols_return_cases,
    dols_return_figures,
    dols_return_label,
    dols_return_rows,
    with_breach,
)
from .forms import (
    DolsApplicationForm,
    DolsAssessmentForm,
    DolsDecisionForm,
    DolsExtendForm,
    DolsRenewalForm,
    DolsReviewForm,
    DolsScreenForm,
    DolsStatusForm,
    DolsWithdrawForm,
)
from .models_dols import LibertyApplication, LibertyAssessment
from .permissions import dols_policy
from .return_views import year_from_request
from .returns import year_label

FORMS = {"screen_form": DolsScreenForm, "extend_form": DolsExtendForm, "assessment_form": DolsAssessmentForm,
         "decision_form": DolsDecisionForm, "status_form": DolsStatusForm, "withdraw_form": DolsWithdrawForm,
         "renewal_form": DolsRenewalForm, "review_form": DolsReviewForm}


def _paged(request, queryset, per_page=50):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    with_breach(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@policy_required(dols_policy, "view")
def queue(request):
    """Every open application, all priorities, most in breach first: paged, and the same few queries
    however long the backlog."""
    priority = request.GET.get("priority", "")
    priority = priority if priority in {p for p, _ in PRIORITIES} else ""
    breached = request.GET.get("breached") == "1"
    page, query = _paged(request, dols_queue(request.user, priority=priority, breached=breached))
    counts = dols_queue_counts(request.user)
    caption = f"{counts['total']} open application{'s' if counts['total'] != 1 else ''}, {counts['breaches']} in breach"
    if priority or breached:
        caption += f"; {page.paginator.count} shown by the filter"
    return render(request, "safeguarding/dols_queue.html", {
        "page": page, "query": query, "caption": caption, "priorities": PRIORITIES, "priority": priority,
        "breached": breached})


@policy_required(dols_policy, "view")
def dashboard(request):
    return render(request, "safeguarding/dols_dashboard.html", {"dashboard": dols_dashboard(request.user)})


@policy_required(dols_policy, "view")
def dashboard_cases(request, key: str):
    queryset = dols_dashboard_cases(request.user, key)
    if queryset is None:
        raise Http404("Not found")
    page, query = _paged(request, queryset)
    return render(request, "safeguarding/dols_cases.html", {
        "page": page, "query": query, "title": _dashboard_title(key), "caption": _count_caption(page), "back": reverse("safeguarding:dols-dashboard"),
        "back_label": "DoLS backlog"})


def _count_caption(page) -> str:
    count = page.paginator.count
    return f"{count} application{'s' if count != 1 else ''}"


def _dashboard_title(key: str) -> str:
    labels = dict(PRIORITIES) | {"age": "All priorities"}
    bands = {b: label for b, label, *_ in AGE_BANDS}
    fixed = {"breaches": "Open applications in breach", "new_breaches": "Applications that went into breach today",
             "due_this_week": "Applications due in the next 7 days"}
    if key in fixed:
        return fixed[key]
    first, _, second = key.partition("_")
    if first == "breach":
        return f"In breach: {labels[second].lower()}"
    return f"{labels[first]}: open {bands[second].lower()}"




@policy_required(dols_policy, "view")
def dols_return(request):
    from .returns import current_year

    year = year_from_request(request)
    return render(request, "safeguarding/dols_return.html", {
        "year": year, "label": year_label(year), "figures": dols_return_figures(request.user, year),
        "years": range(current_year(), current_year() - 5, -1)})


@policy_required(dols_policy, "view")
def dols_return_csv(request, year: int):
    year = year_from_request(request, year)

    def lines():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(RETURN_COLUMNS)
        for row in dols_return_rows(request.user, year):
            writer.writerow([csv_cell_safe("" if row[c] is None else str(row[c])) for c in RETURN_COLUMNS])
            if out.tell() > 64_000:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dols-return-{year}.csv"'
    return response


@policy_required(dols_policy, "view")
def dols_return_figure(request, year: int, key: str):
    year = year_from_request(request, year)
    queryset = dols_return_cases(request.user, year, key)
    if queryset is None:
        raise Http404("Not found")
    label = dols_return_label(year, key)
    page, query = _paged(request, queryset)
    return render(request, "safeguarding/dols_cases.html", {
        "page": page, "query": query, "title": f"{label}, {year_label(year)}", "caption": _count_caption(page),
        "back": f"{reverse('safeguarding:dols-return')}?year={year}", "back_label": f"DoLS return {year_label(year)}"})


@policy_required(dols_policy, "add")
def receive(request):
    from clients.selectors import client_from_form

    form = DolsApplicationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        client = client_from_form(form)
        if client is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "nhs_number"}
            try:
                application = dols.application_receive(user=request.user, client=client, **data)
            except ValidationError as error:
                form_add_service_errors(form, error, aliases={"client": "nhs_number"})
            else:
                messages.success(request, f"Application {application.reference} received: decision due "
                                          f"{application.deadline():%-d %B %Y}")
                return redirect(application)
    return render(request, "safeguarding/dols_form.html", {"form": form}, status=400 if form.errors else 200)


def _page(request, application, status=200, bound=None):
    audit_record_view(user=request.user, instance=application, reason="DoLS application viewed")
    assessments = {a.kind: a for a in application.assessments.select_related("assessor")}
    authorisation = getattr(application, "authorisation", None)
    context = {"application": application, "form": bound,
               "assessments": [(label, assessments.get(code)) for code, label in LibertyAssessment.Kind.choices],
               "authorisation": authorisation, "today": timezone.localdate(),
               "reviews": list(authorisation.reviews.all()) if authorisation else [],
               "renewals": list(authorisation.renewals.order_by("received_on")) if authorisation else [],
               "may_renew": bool(authorisation and dols.renewal_may_be_requested(authorisation)),
               "renewal_opens_on": authorisation and dols.renewal_opens_on(authorisation),
               "renewal_needed_from": authorisation and dols.renewal_needed_from(authorisation),
               "urgent": getattr(application, "urgent", None) if application.kind == "urgent" else None}
    for name, form_class in FORMS.items():
        context[name] = bound if isinstance(bound, form_class) else form_class()
    return render(request, "safeguarding/dols_application.html", context, status=status)


def _get(request, pk):
    return dols_policy.get(request.user, pk, queryset=LibertyApplication.objects.select_related(
        "client", "managing_authority", "urgent", "authorisation__signatory", "renewal_of"))


@policy_required(dols_policy, "view")
def application(request, pk: int):
    return _page(request, _get(request, pk))


def _post(request, pk, form_class, act, success):
    return page_form_post(request, get=lambda: _get(request, pk), page=_page, form_class=form_class, act=act,
                          success=success)


@require_POST
@policy_required(dols_policy, "change")
def screen(request, pk: int):
    return _post(request, pk, DolsScreenForm, lambda a, f: dols.application_screen(
        user=request.user, application=a, **f.service_arguments()), "Screening and priority recorded")


@require_POST
@policy_required(dols_policy, "change")
def extend(request, pk: int):
    return _post(request, pk, DolsExtendForm, lambda a, f: dols.urgent_extend(
        user=request.user, application=a, **f.cleaned_data), "Urgent authorisation extended")


@require_POST
@policy_required(dols_policy, "change")
def assessment(request, pk: int):
    return _post(request, pk, DolsAssessmentForm, lambda a, f: dols.assessment_record(
        user=request.user, application=a, **f.cleaned_data), "Assessment recorded")


@require_POST
@policy_required(dols_policy, "sign")
def decide(request, pk: int):
    return _post(request, pk, DolsDecisionForm, lambda a, f: dols.application_decide(
        user=request.user, application=a, **f.service_arguments()), "Decision recorded")


@require_POST
@policy_required(dols_policy, "change")
def authorisation_status(request, pk: int):
    def act(item, form):
        authorisation = getattr(item, "authorisation", None)
        if authorisation is None:
            raise ValidationError("There is no authorisation to change")
        dols.authorisation_change(user=request.user, authorisation=authorisation, **form.cleaned_data)

    return _post(request, pk, DolsStatusForm, act, "Authorisation updated")


@require_POST
@policy_required(dols_policy, "change")
def withdraw(request, pk: int):
    return _post(request, pk, DolsWithdrawForm, lambda a, f: dols.application_withdraw(
        user=request.user, application=a, **f.cleaned_data), "Application withdrawn")


def _authorisation(item):
    authorisation = getattr(item, "authorisation", None)
    if authorisation is None:
        raise ValidationError("There is no authorisation")
    return authorisation


@require_POST
@policy_required(dols_policy, "add")
def renewal(request, pk: int):
    made = {}

    def act(item, form):
        made["application"] = dols.renewal_request(user=request.user, authorisation=_authorisation(item), **form.cleaned_data)

    response = _post(request, pk, DolsRenewalForm, act, "Renewal request recorded")
    if made:
        return redirect(made["application"])
    return response


@require_POST
@policy_required(dols_policy, "change")
def review(request, pk: int):
    return _post(request, pk, DolsReviewForm, lambda a, f: dols.authorisation_review(
        user=request.user, authorisation=_authorisation(a), **f.cleaned_data), "Review recorded")


LETTERS = {
    "decision": "Standard authorisation: the decision",
    "extension": "Urgent authorisation: the extension",
    "form": "Standard authorisation: the form's content",
}


@policy_required(dols_policy, "view")
def letter(request, pk: int, kind: str):
    """A printable letter or the standard form's content, from the record (the print stylesheet hides
    the service's navigation). Each one printed is in the audit log as a view."""
    item = _get(request, pk)
    if kind not in LETTERS or not dols.letter_available(item, kind):
        raise Http404("Not found")
    urgent = getattr(item, "urgent", None) if item.kind == "urgent" else None
    audit_record_view(user=request.user, instance=item, reason=f"DoLS letter printed: {LETTERS[kind]}")
    assessments = list(item.assessments.select_related("assessor"))
    context = {"application": item, "kind": kind, "title": LETTERS[kind], "urgent": urgent, "assessments": assessments,
               "authorisation": getattr(item, "authorisation", None), "today": timezone.localdate(),
               "reviews": list(item.authorisation.reviews.all()) if getattr(item, "authorisation", None) else []}
    if request.GET.get("format") == "pdf":
        from ascm.core.documents import document_pdf, pdf_response

        pdf = document_pdf("safeguarding/documents/dols_letter.html", context, title=f"{LETTERS[kind]}: {item.reference}")
        return pdf_response(pdf, f"dols-{item.reference}-{kind}.pdf")
    return render(request, "safeguarding/dols_letter.html", context)
