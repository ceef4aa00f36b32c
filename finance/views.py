"""Finance pages: care packages (a person's package, its lines, brokerage and the decision, each form
posting to its own URL), the approval and brokerage queues, the personal budget on a support plan,
commitments against budgets (with CSV and XLSX), and the set-up pages for rates, limits, the
resource allocation table, budgets and thresholds."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ascm.audit.services import audit_record_view
from ascm.core.csvfiles import csv_cell_safe
from ascm.core.forms import form_submit, page_form_post
from ascm.core.policies import policy_required
from ascm.core.years import financial_year, year_label, year_parse

from . import selectors, services
from .forms import (
    AcceptForm,
    AllocationTableForm,
    ApproachForm,
    BudgetForm,
    ChangeForm,
    DecisionForm,
    EndForm,
    LimitForm,
    LineForm,
    PackageForm,
    PersonalBudgetForm,
    RateForm,
    ReasonForm,
    SubmitForm,
    ThresholdForm,
)
from .models import (
    AllocationTable,
    ApprovalLimit,
    CarePackage,
    DirectPaymentAgreement,
    FinanceThreshold,
    FinancialAssessment,
    ProviderApproach,
    ProviderRate,
    ServiceType,
)
from .permissions import (
    allocation_table_policy,
    approval_limit_policy,
    budget_policy,
    care_package_policy,
    charging_rates_policy,
    client_invoice_policy,
    client_payment_policy,
    direct_payment_policy,
    finance_threshold_policy,
    financial_assessment_policy,
    pay_run_policy,
    personal_budget_policy,
    provider_rate_policy,
    reassessment_policy,
    service_actual_policy,
)

S = CarePackage.Status


def _year(request, value=None) -> int:
    try:
        return year_parse(value if value is not None else request.GET.get("year"))
    except ValueError:
        raise Http404("Not found") from None


def _number(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@policy_required(care_package_policy, "view")
def home(request):
    """Finance's front page: what waits for this user (approvals, brokerage) and the packages."""
    user = request.user
    approvals, limit = selectors.approval_queue(user)
    context = {"limit": limit, "today": timezone.localdate(), "year": financial_year(),
               "may_approve": care_package_policy.user_may(user, "approve"),
               "may_broker": care_package_policy.user_may(user, "broker"),
               "may_budgets": budget_policy.user_may(user, "view")}
    if context["may_approve"]:
        context["approvals"] = approvals.count()
    if context["may_broker"]:
        context["brokerage"] = selectors.brokerage_queue(user).count()
    context["open"] = selectors.packages_for(user, status="open").count()
    return render(request, "finance/home.html", context)


@policy_required(care_package_policy, "view")
def packages(request):
    from ascm.organisation.models import Locality

    filters = {"status": request.GET.get("status", ""), "locality": _number(request, "locality"),
               "service_type": request.GET.get("service", "") if request.GET.get("service") in ServiceType.values else "",
               "q": request.GET.get("q", "").strip()[:100]}
    page = Paginator(selectors.packages_for(request.user, **filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "finance/packages.html", {
        "page": page, "query": query.urlencode(), "filters": filters, "localities": Locality.objects.order_by("name"),
        "statuses": [("open", "In progress"), ("current", "Approved or active"), *S.choices],
        "services": ServiceType.choices})


@policy_required(care_package_policy, "add")
def package_new(request, client_pk: int):
    from clients.permissions import client_policy

    client = client_policy.get(request.user, client_pk)
    plan = client.support_plans.filter(ended_on__isnull=True).order_by("-starts_on").first()
    form = PackageForm(request.POST if request.method == "POST" else None, client=client,
                       initial={"plan": plan, "starts_on": timezone.localdate(), "delivery_mechanism": "commissioned"})
    made = {}
    if request.method == "POST" and form_submit(form, lambda f: made.setdefault("p", services.package_create(
            user=request.user, client=client, **f.cleaned_data))):
        messages.success(request, f"Care package {made['p'].reference} started: add its services")
        return redirect(made["p"])
    return render(request, "finance/package_new.html", {"form": form, "client": client},
                  status=400 if form.errors else 200)


def _get(request, pk, action="view"):
    return selectors.package_get(request.user, pk, action)


def _page(request, package, status=200, bound=None, bound_name=""):
    audit_record_view(user=request.user, instance=package, reason="Care package viewed")
    user = request.user
    lines = list(selectors.package_lines(package))
    selectors.with_brokerage_time([package])
    limit = services.user_approval_limit(user) if care_package_policy.user_may(user, "approve") else None
    forms_ = {"line_form": LineForm(), "decision_form": DecisionForm(), "approach_form": ApproachForm(package=package),
              "accept_form": AcceptForm(), "cancel_form": ReasonForm(), "submit_form": SubmitForm(), "change_form": ChangeForm(
                  initial={"starts_on": timezone.localdate()}), "end_form": EndForm()}
    if bound is not None:
        forms_[bound_name] = bound
    may_change = care_package_policy.user_may(user, "change")
    may_decide = (package.status == S.SUBMITTED and package.requested_by_id != user.pk
                  and care_package_policy.user_may(user, "approve"))
    context = {
        "package": package, "client": package.client, "lines": lines, "form": bound, "today": timezone.localdate(),
        "history": package.status_changes.select_related("changed_by"),
        "needs_provider": any(line.needs_provider for line in lines),
        "may_edit": may_change and package.is_editable,
        "may_submit": may_change and package.status in (S.DRAFT, S.RETURNED),
        "may_decide": may_decide, "limit": limit,
        "within_limit": limit is not None and package.weekly_cost <= limit,
        "may_broker": package.status == S.BROKERAGE and care_package_policy.user_may(user, "broker"),
        "may_change_package": may_change and package.status in (S.APPROVED, S.ACTIVE),
        "may_cancel": may_change and package.status in (S.DRAFT, S.RETURNED, S.BROKERAGE, S.SUBMITTED, S.APPROVED),
        "change": CarePackage.objects.filter(replaces=package).first(),
        "direct_payment": DirectPaymentAgreement.objects.filter(package=package).first(),
        "may_agree_dp": (package.status in (S.APPROVED, S.ACTIVE) and direct_payment_policy.user_may(user, "add")
                         and any(line.service_type == ServiceType.DIRECT_PAYMENT for line in lines)),
        "brokerage_target": selectors.brokerage_target(),
        "year_label": year_label(financial_year()),
        "year_cost": package.year_cost(financial_year()),
        **forms_}
    return render(request, "finance/package.html", context, status=status)


@policy_required(care_package_policy, "view")
def package(request, pk: int):
    return _page(request, _get(request, pk))


def _post(request, pk, form_class, act, success, name, action="change"):
    return page_form_post(request, get=lambda: _get(request, pk, action),
                          page=lambda req, item, status, bound: _page(req, item, status, bound, name),
                          form_class=form_class, act=act, success=success)


@require_POST
@policy_required(care_package_policy, "change")
def line_add(request, pk: int):
    return _post(request, pk, LineForm, lambda p, f: services.line_add(
        user=request.user, package=p, funding=f.funding(),
        **{k: v for k, v in f.cleaned_data.items() if not k.startswith("share_")}), "Service added", "line_form")


@require_POST
@policy_required(care_package_policy, "change")
def submit(request, pk: int):
    return _post(request, pk, SubmitForm, lambda p, f: services.package_submit(user=request.user, package=p),
                 "Submitted for approval: the approvers whose limits cover it have been told", "submit_form")


@require_POST
@policy_required(care_package_policy, "change")
def to_brokerage(request, pk: int):
    return _post(request, pk, SubmitForm, lambda p, f: services.package_to_brokerage(user=request.user, package=p),
                 "Sent to brokerage: the brokerage team have been told", "submit_form")


@require_POST
@policy_required(care_package_policy, "approve")
def decide(request, pk: int):
    return _post(request, pk, DecisionForm,
                 lambda p, f: services.package_decide(user=request.user, package=p, **f.cleaned_data), "Decision recorded",
                 "decision_form", action="approve")


@require_POST
@policy_required(care_package_policy, "broker")
def approach(request, pk: int):
    item = _get(request, pk, "broker")
    form = ApproachForm(request.POST, package=item)

    if form_submit(form, lambda f: services.approach_record(user=request.user, package=item, **f.cleaned_data)):
        messages.success(request, "Approach recorded")
        return redirect(item)
    return _page(request, _get(request, pk, "broker"), 400, form, "approach_form")


@require_POST
@policy_required(care_package_policy, "broker")
def accept(request, pk: int, approach_pk: int):
    item = _get(request, pk, "broker")
    offer = ProviderApproach.objects.filter(pk=approach_pk, line__package=item).select_related("line", "provider").first()
    if offer is None:
        raise Http404("No such offer")
    return _post(request, pk, AcceptForm, lambda p, f: services.offer_accept(
        user=request.user, approach=offer, off_framework_reason=f.cleaned_data["off_framework_reason"]),
        f"Offer from {offer.provider} accepted", "accept_form", action="broker")


@require_POST
@policy_required(care_package_policy, "change")
def change(request, pk: int):
    made = {}
    item = _get(request, pk, "change")
    form = ChangeForm(request.POST)
    if form_submit(form, lambda f: made.setdefault("c", services.package_change(
            user=request.user, package=item, starts_on=f.cleaned_data["starts_on"]))):
        messages.success(request, f"Change {made['c'].reference} started: it needs approval before it replaces "
                                  f"{item.reference}")
        return redirect(made["c"])
    return _page(request, _get(request, pk), 400, form, "change_form")


@require_POST
@policy_required(care_package_policy, "change")
def end(request, pk: int):
    return _post(request, pk, EndForm, lambda p, f: services.package_end(user=request.user, package=p, **f.cleaned_data),
                 "The package's end is recorded", "end_form")


@require_POST
@policy_required(care_package_policy, "change")
def cancel(request, pk: int):
    return _post(request, pk, ReasonForm, lambda p, f: services.package_cancel(
        user=request.user, package=p, reason=f.cleaned_data["reason"]), "Package cancelled", "cancel_form")


@policy_required(care_package_policy, "approve")
def approvals(request):
    queue, limit = selectors.approval_queue(request.user)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "finance/approvals.html", {"page": page, "limit": limit, "query": ""})


@policy_required(care_package_policy, "broker")
def brokerage(request):
    page = Paginator(selectors.brokerage_queue(request.user), 50).get_page(request.GET.get("page"))
    selectors.with_brokerage_time(page.object_list)
    return render(request, "finance/brokerage.html", {"page": page, "target": selectors.brokerage_target(), "query": ""})


@policy_required(personal_budget_policy, "change")
def personal_budget(request, plan_pk: int):
    from pathways.care.selectors import plan_get_for_user

    plan = plan_get_for_user(user=request.user, pk=plan_pk)
    existing = plan.personal_budget_record if hasattr(plan, "personal_budget_record") else None
    table, points, indicative = services.indicative_budget(plan.assessment)
    initial = {"agreed_weekly": existing.agreed_weekly if existing and existing.agreed_weekly is not None else indicative,
               "difference_reason": existing.difference_reason if existing else ""}
    form = PersonalBudgetForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form_submit(form, lambda f: services.personal_budget_set(
            user=request.user, plan=plan, **f.cleaned_data)):
        messages.success(request, "Personal budget saved")
        return redirect("care:plan", pk=plan.pk)
    return render(request, "finance/personal_budget.html", {
        "form": form, "plan": plan, "client": plan.client, "table": table, "points": points, "indicative": indicative},
        status=400 if form.errors else 200)


# Commitments ------------------------------------------------------------------------------------

COLUMNS = ["Locality", "Team", "Service", "Budget", "Committed", "Waiting for approval", "Forecast outturn",
           "Variance", "Forecast % of budget", "Packages"]


def _row_cells(row):
    return [row.locality, row.team, row.service_label, row.amount if row.budget else "", row.committed, row.pipeline,
            row.forecast, row.variance if row.budget else "", row.percent if row.percent is not None else "", row.packages]


@policy_required(budget_policy, "view")
def commitments(request):
    from ascm.organisation.models import Locality

    year = _year(request)
    locality = _number(request, "locality")
    data = selectors.commitments(request.user, year=year, locality=locality)
    fmt = request.GET.get("format")
    name = f"commitments-{year_label(year)}{f'-locality-{locality}' if locality else ''}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in data["rows"]:
            writer.writerow([csv_cell_safe(str(cell)) for cell in _row_cells(row)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = f"Commitments {year_label(year)}"
        sheet.append(COLUMNS)
        for row in data["rows"]:
            sheet.append([csv_cell_safe(c) if isinstance(c, str) else c for c in _row_cells(row)])
        for column in "DEFGH":
            for cell in sheet[column][1:]:
                cell.number_format = "£#,##0.00"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    chart_max = max([max(r.extra.get("amount", 0), r.forecast) for r in data["by_type"]] or [0])
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "finance/commitments.html", {
        **data, "year": year, "year_label": year_label(year), "locality": locality, "chart_max": chart_max,
        "localities": Locality.objects.order_by("name"), "years": range(financial_year() + 1, financial_year() - 5, -1),
        "query": query.urlencode(), "may_set": budget_policy.user_may(request.user, "add")})


@policy_required(budget_policy, "view")
def commitment_lines(request, year: int, locality_pk: int, service_type: str):
    from ascm.organisation.models import Locality

    year = _year(request, str(year))
    if service_type not in ServiceType.values:
        raise Http404("Not found")
    if not budget_policy.may_see_locality(request.user, locality_pk):
        raise Http404("Not found")
    locality = Locality.objects.filter(pk=locality_pk).first()
    if locality is None:
        raise Http404("Not found")
    team = _number(request, "team")
    pipeline = request.GET.get("pipeline") == "1"
    lines = selectors.commitment_lines(request.user, year=year, locality_id=locality_pk, service_type=service_type,
                                       team_id=team, include_pipeline=pipeline)
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "finance/commitment_lines.html", {
        "page": page, "year": year, "year_label": year_label(year), "locality": locality,
        "service": ServiceType(service_type).label, "total": selectors.commitment_lines_total(lines),
        "pipeline": pipeline, "query": query.urlencode()})


# Set-up ----------------------------------------------------------------------------------------

def _setup(request, *, form, act, success, template, context):
    if request.method == "POST" and form_submit(form, act):
        messages.success(request, success)
        return redirect(request.path)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@policy_required(provider_rate_policy, "view")
def rates(request):
    if request.method == "POST" and not provider_rate_policy.user_may(request.user, "add"):
        raise PermissionDenied
    form = RateForm(request.POST if request.method == "POST" else None)
    rows = ProviderRate.objects.select_related("provider").order_by("provider__name", "service_type", "-effective_from")
    provider = _number(request, "provider")
    if provider:
        rows = rows.filter(provider_id=provider)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return _setup(request, form=form, act=lambda f: services.rate_add(user=request.user, **f.cleaned_data),
                  success="Rate added", template="finance/rates.html",
                  context={"page": page, "query": f"provider={provider}" if provider else "",
                           "may_add": provider_rate_policy.user_may(request.user, "add")})


@policy_required(approval_limit_policy, "view")
def limits(request):
    if request.method == "POST" and not approval_limit_policy.user_may(request.user, "add"):
        raise PermissionDenied
    form = LimitForm(request.POST if request.method == "POST" else None)
    return _setup(request, form=form, act=lambda f: services.approval_limit_set(user=request.user, **f.cleaned_data),
                  success="Approval limit set", template="finance/limits.html", context={
                      "rows": ApprovalLimit.objects.select_related("role__group", "created_by"),
                      "in_force": services.role_limits_on(timezone.localdate()),
                      "may_add": approval_limit_policy.user_may(request.user, "add"), "no_limit": services.NO_LIMIT})


@policy_required(allocation_table_policy, "view")
def allocation(request):
    if request.method == "POST" and not allocation_table_policy.user_may(request.user, "add"):
        raise PermissionDenied
    latest = AllocationTable.objects.prefetch_related("bands").first()
    initial = {}
    if latest is not None:
        initial = {f"points_{r}": latest.points_for(r) for r in ("needs_assistance", "pain_distress_anxiety",
                                                                 "endangers_safety", "takes_significantly_longer")}
        for i, band in enumerate(latest.bands.all(), start=1):
            initial.update({f"band_points_{i}": band.from_points, f"band_amount_{i}": band.weekly_amount})
    form = AllocationTableForm(request.POST if request.method == "POST" else None, initial=initial)

    def act(f):
        services.allocation_table_create(user=request.user, effective_from=f.cleaned_data["effective_from"],
                                         bands=f.bands(), **f.points())

    if request.method == "POST" and form.is_valid():
        try:
            act(form)
        except ValidationError as error:
            from ascm.core.forms import form_add_service_errors

            form_add_service_errors(form, error, aliases={"bands": "band_points_1"})
        else:
            messages.success(request, "Resource allocation table added")
            return redirect(request.path)
    return render(request, "finance/allocation.html", {
        "form": form, "tables": AllocationTable.objects.prefetch_related("bands")[:10],
        "may_add": allocation_table_policy.user_may(request.user, "add")}, status=400 if form.errors else 200)


@policy_required(budget_policy, "view")
def budgets(request):
    if request.method == "POST" and not budget_policy.user_may(request.user, "add"):
        raise PermissionDenied
    year = _year(request)
    years = list(range(financial_year() + 1, financial_year() - 5, -1))
    form = BudgetForm(request.POST if request.method == "POST" else None, years=years, initial={"year": year})
    rows = budget_policy.instances(request.user).filter(year=year).select_related("locality", "team")
    page = Paginator(rows.order_by("locality__name", "team__name", "service_type"), 50).get_page(request.GET.get("page"))
    return _setup(request, form=form, act=lambda f: services.budget_set(user=request.user, **f.cleaned_data),
                  success="Budget saved", template="finance/budgets.html", context={
                      "page": page, "year": year, "years": years, "year_label": year_label(year), "query": f"year={year}",
                      "may_add": budget_policy.user_may(request.user, "add")})


@policy_required(finance_threshold_policy, "view")
def thresholds(request):
    if request.method == "POST" and not finance_threshold_policy.user_may(request.user, "add"):
        raise PermissionDenied
    form = ThresholdForm(request.POST if request.method == "POST" else None)
    today = timezone.localdate()
    return _setup(request, form=form, act=lambda f: services.threshold_set(user=request.user, **f.cleaned_data),
                  success="Setting saved", template="finance/thresholds.html", context={
                      "rows": FinanceThreshold.objects.all(),
                      "in_force": [(label, FinanceThreshold.value_on(name, today)) for name, label in FinanceThreshold.Name.choices],
                      "may_add": finance_threshold_policy.user_may(request.user, "add")})


# Financial assessments ------------------------------------------------------------------------------

def _assessment_initial(assessment) -> dict:
    initial = {name: getattr(assessment, name) for name in (
        "kind", "setting", "assessed_on", "disabled", "enhanced_disability", "property_value", "permanent_care_from",
        "deferred_payment", "housing_costs")}
    for i, item in enumerate(assessment.capital, start=1):
        initial.update({f"capital_kind_{i}": item["kind"], f"capital_description_{i}": item.get("description", ""),
                        f"capital_value_{i}": item["value"]})
    for i, item in enumerate(assessment.income, start=1):
        initial.update({f"income_kind_{i}": item["kind"], f"income_weekly_{i}": item["weekly"]})
    for i, item in enumerate(assessment.dre_itemised, start=1):
        initial.update({f"dre_description_{i}": item["description"], f"dre_weekly_{i}": item["weekly"]})
    return initial


def _assessment_form_page(request, client, assessment=None):
    from .forms import FinancialAssessmentForm

    initial = _assessment_initial(assessment) if assessment else {"assessed_on": timezone.localdate(), "kind": "full"}
    form = FinancialAssessmentForm(request.POST if request.method == "POST" else None, initial=initial)
    made = {}
    if request.method == "POST" and form_submit(form, lambda f: made.setdefault("a", services.financial_assessment_save(
            user=request.user, client=client, assessment=assessment, **f.service_data()))):
        messages.success(request, "Financial assessment saved: check the working, then complete it")
        return redirect(made["a"])
    return render(request, "finance/financial_assessment_form.html", {"form": form, "client": client,
                                                                       "assessment": assessment},
                  status=400 if form.errors else 200)


@policy_required(financial_assessment_policy, "add")
def financial_assessment_new(request, client_pk: int):
    from clients.permissions import client_policy

    return _assessment_form_page(request, client_policy.get(request.user, client_pk))


def _assessment_get(request, pk, action="view"):
    return financial_assessment_policy.get(request.user, pk, action, queryset=FinancialAssessment.objects.select_related(
        "client", "rates", "author", "completed_by", "told_by", "charge_set_by"))


@policy_required(financial_assessment_policy, "change")
def financial_assessment_edit(request, pk: int):
    assessment = _assessment_get(request, pk, "change")
    if assessment.status != FinancialAssessment.Status.DRAFT:
        raise Http404("Not found")
    return _assessment_form_page(request, assessment.client, assessment)


def _assessment_page(request, assessment, status=200, bound=None, bound_name=""):
    from .forms import ChargeStartForm, ToldForm

    audit_record_view(user=request.user, instance=assessment, reason="Financial assessment viewed")
    preview, problem = None, ""
    if assessment.status == FinancialAssessment.Status.DRAFT:
        try:
            _, preview, contribution, _ = services.financial_assessment_work_out(assessment)
        except ValidationError as error:
            problem = " ".join(m for ms in error.message_dict.values() for m in ms)
    forms_ = {"told_form": ToldForm(initial={"told_on": timezone.localdate()}),
              "charge_form": ChargeStartForm(initial={"charge_from": assessment.told_on})}
    if bound is not None:
        forms_[bound_name] = bound
    return render(request, "finance/financial_assessment.html", {
        "assessment": assessment, "client": assessment.client, "preview": preview, "problem": problem, "form": bound,
        "may_change": financial_assessment_policy.user_may(request.user, "change"), **forms_}, status=status)


@policy_required(financial_assessment_policy, "view")
def financial_assessment(request, pk: int):
    return _assessment_page(request, _assessment_get(request, pk))


def _assessment_post(request, pk, form_class, act, success, name):
    return page_form_post(request, get=lambda: _assessment_get(request, pk, "change"),
                          page=lambda req, item, status, bound: _assessment_page(req, item, status, bound, name),
                          form_class=form_class, act=act, success=success)


@require_POST
@policy_required(financial_assessment_policy, "change")
def financial_assessment_complete(request, pk: int):
    return _assessment_post(request, pk, SubmitForm, lambda a, f: services.financial_assessment_complete(
        user=request.user, assessment=a), "Assessment completed: send the person their letter", "submit_form")


@require_POST
@policy_required(financial_assessment_policy, "change")
def financial_assessment_told(request, pk: int):
    from .forms import ToldForm

    return _assessment_post(request, pk, ToldForm, lambda a, f: services.person_told(
        user=request.user, assessment=a, **f.cleaned_data), "The date the person was told is recorded", "told_form")


@require_POST
@policy_required(financial_assessment_policy, "change")
def financial_assessment_charges(request, pk: int):
    from .forms import ChargeStartForm

    return _assessment_post(request, pk, ChargeStartForm, lambda a, f: services.charges_start(
        user=request.user, assessment=a, **f.cleaned_data), "Charges start date saved", "charge_form")


@policy_required(financial_assessment_policy, "view")
def financial_assessment_letter(request, pk: int):
    """The contribution letter, in plain words, with the working and how to ask for a review."""
    assessment = _assessment_get(request, pk)
    if assessment.status == FinancialAssessment.Status.DRAFT:
        raise Http404("Not found")
    audit_record_view(user=request.user, instance=assessment, reason="Contribution letter printed")
    from .letters import contribution_letter_context, contribution_letter_pdf

    if request.GET.get("format") == "pdf":
        from ascm.core.documents import pdf_response

        return pdf_response(contribution_letter_pdf(assessment), f"contribution-letter-{assessment.pk}.pdf")
    return render(request, "finance/contribution_letter.html", contribution_letter_context(assessment))


@policy_required(charging_rates_policy, "view")
def charging_rates(request):
    from .forms import ChargingRatesForm
    from .models import ChargingRates

    if request.method == "POST" and not charging_rates_policy.user_may(request.user, "add"):
        raise PermissionDenied
    latest = ChargingRates.objects.first()
    initial = {name: getattr(latest, name) for name, *_ in ChargingRatesForm.FIGURES} if latest else {}
    if latest:
        initial["pension_age"] = latest.pension_age
    form = ChargingRatesForm(request.POST if request.method == "POST" else None, initial=initial)
    return _setup(request, form=form, act=lambda f: services.charging_rates_add(user=request.user, **f.cleaned_data),
                  success="Charging rates added", template="finance/charging_rates.html",
                  context={"tables": ChargingRates.objects.all()[:6], "figures": ChargingRatesForm.FIGURES,
                           "may_add": charging_rates_policy.user_may(request.user, "add")})


# Provider payments and invoices -----------------------------------------------------------------------

@policy_required(pay_run_policy, "view")
def pay_runs(request):
    from . import payments
    from .forms import PayRunForm
    from .models import PayRun

    if request.method == "POST" and not pay_run_policy.user_may(request.user, "add"):
        raise PermissionDenied
    form = PayRunForm(request.POST if request.method == "POST" else None)
    made = {}
    if request.method == "POST" and form_submit(form, lambda f: made.setdefault("r", payments.pay_run_create(
            user=request.user, **f.cleaned_data))):
        messages.success(request, "Pay run made: check the held lines, then another finance officer approves it")
        return redirect(made["r"])
    page = Paginator(PayRun.objects.select_related("created_by", "approved_by"), 25).get_page(request.GET.get("page"))
    return render(request, "finance/pay_runs.html", {"form": form, "page": page, "query": ""},
                  status=400 if form.errors else 200)


def _pay_run_page(request, run, status=200, bound=None):
    from . import payments

    provider = _number(request, "provider")
    page = Paginator(payments.remittance_items(run, provider), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "finance/pay_run.html", {
        "run": run, "remittances": payments.remittances(run), "form": bound, "page": page, "provider": provider,
        "query": query.urlencode(), "held": run.items.filter(held=True).count(),
        "direct_payments": payments.direct_payments_summary(run),
        "may_approve": pay_run_policy.user_may(request.user, "change")}, status=status)


@policy_required(pay_run_policy, "view")
def pay_run(request, pk: int):
    return _pay_run_page(request, pay_run_policy.get(request.user, pk))


@require_POST
@policy_required(pay_run_policy, "change")
def pay_run_approve(request, pk: int):
    from . import payments

    return page_form_post(request, get=lambda: pay_run_policy.get(request.user, pk),
                          page=lambda req, item, status, bound: _pay_run_page(req, item, status, bound),
                          form_class=SubmitForm, act=lambda r, f: payments.pay_run_approve(user=request.user, pay_run=r),
                          success="Pay run approved; the people's invoices for the period are made")


@policy_required(pay_run_policy, "view")
def pay_run_ledger(request, pk: int):
    from . import payments

    run = pay_run_policy.get(request.user, pk)
    if run.status != run.Status.APPROVED:
        raise Http404("Not found")
    out = io.StringIO()
    writer = csv.writer(out)
    for row in payments.ledger_rows(run):
        writer.writerow([csv_cell_safe(cell) for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pay-run-{run.period_start}.csv"'
    return response


@policy_required(service_actual_policy, "add")
def actuals(request):
    from . import payments
    from .forms import ActualForm, ActualsImportForm
    from .models import PackageLine

    form = ActualForm(request.POST if request.method == "POST" and "units" in request.POST else None)
    upload = ActualsImportForm(request.POST if request.method == "POST" and "units" not in request.POST else None,
                               request.FILES or None)
    report = None

    def record(f):
        line = PackageLine.objects.filter(pk=f.cleaned_data["line"]).first()
        if line is None:
            raise ValidationError({"line": "No such package line"})
        payments.actual_record(user=request.user, line=line, period_start=f.cleaned_data["period_start"],
                               units=f.cleaned_data["units"])

    if form.is_bound and form_submit(form, record):
        messages.success(request, "Actuals recorded")
        return redirect(request.path)
    if upload.is_bound and upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            report = payments.actuals_import(user=request.user, data=file.read(), filename=file.name)
        except ValidationError as error:
            from ascm.core.forms import form_add_service_errors

            form_add_service_errors(upload, error)
    bound = form if form.is_bound else upload if upload.is_bound else None
    return render(request, "finance/actuals.html", {"form": bound, "actual_form": form, "upload_form": upload,
                                                    "report": report},
                  status=400 if bound is not None and bound.errors else 200)


def _statement_page(request, person, status=200, bound=None, bound_name=""):
    from .forms import ClientPaymentCancelForm, ClientPaymentForm
    from .selectors import statement_for

    invoices = client_invoice_policy.instances(request.user).filter(client=person)
    payments = (client_payment_policy.instances(request.user).filter(client=person)
                if client_payment_policy.user_may(request.user, "view") else [])
    audit_record_view(user=request.user, instance=person, reason="Statement of charges viewed")
    forms_ = {"payment_form": ClientPaymentForm(initial={"received_on": timezone.localdate()}),
              "cancel_form": ClientPaymentCancelForm()}
    if bound is not None:
        forms_[bound_name] = bound
    return render(request, "finance/statement.html", {
        "client": person, "statement": statement_for(person, invoices, payments), "form": bound,
        "cancelling": request.POST.get("payment") if bound_name == "cancel_form" else None,
        "may_record": client_payment_policy.user_may(request.user, "add"), **forms_}, status=status)


def _statement_person(request, client_pk: int):
    from clients.permissions import client_policy

    return client_policy.get(request.user, client_pk)


@policy_required(client_invoice_policy, "view")
def statement(request, client_pk: int):
    return _statement_page(request, _statement_person(request, client_pk))


@require_POST
@policy_required(client_payment_policy, "add")
def statement_payment(request, client_pk: int):
    from . import payments
    from .forms import ClientPaymentForm

    person = _statement_person(request, client_pk)
    form = ClientPaymentForm(request.POST)
    if form_submit(form, lambda f: payments.client_payment_record(user=request.user, client=person, **f.cleaned_data)):
        messages.success(request, "Payment recorded")
        return redirect("finance:statement", client_pk=person.pk)
    return _statement_page(request, person, 400, form, "payment_form")


@require_POST
@policy_required(client_payment_policy, "change")
def statement_payment_cancel(request, client_pk: int, pk: int):
    from . import payments
    from .forms import ClientPaymentCancelForm

    person = _statement_person(request, client_pk)
    payment = client_payment_policy.get(request.user, pk, "change",
                                        queryset=person.client_payments.all())
    form = ClientPaymentCancelForm(request.POST)
    if form_submit(form, lambda f: payments.client_payment_cancel(user=request.user, payment=payment, **f.cleaned_data)):
        messages.success(request, "Payment cancelled: it no longer counts towards the balance")
        return redirect("finance:statement", client_pk=person.pk)
    return _statement_page(request, person, 400, form, "cancel_form")


# Direct payments ---------------------------------------------------------------------------------------

@policy_required(direct_payment_policy, "add")
def direct_payment_new(request, pk: int):
    from .forms import DirectPaymentForm

    package = _get(request, pk)
    form = DirectPaymentForm(request.POST if request.method == "POST" else None,
                             initial={"starts_on": package.starts_on, "recipient": "person"})
    made = {}
    if request.method == "POST" and form_submit(form, lambda f: made.setdefault("a", services.direct_payment_agree(
            user=request.user, package=package, **f.cleaned_data))):
        messages.success(request, "Direct payment agreement made")
        return redirect(made["a"])
    return render(request, "finance/direct_payment_new.html", {"form": form, "package": package, "client": package.client},
                  status=400 if form.errors else 200)


def _dp_get(request, pk, action="view"):
    from .models import DirectPaymentAgreement

    return direct_payment_policy.get(request.user, pk, action,
                                     queryset=DirectPaymentAgreement.objects.select_related("client", "package"))


def _dp_page(request, agreement, status=200, bound=None, bound_name=""):
    from .forms import DirectPaymentReviewForm, DirectPaymentSurplusForm

    audit_record_view(user=request.user, instance=agreement, reason="Direct payment viewed")
    forms_ = {"review_form": DirectPaymentReviewForm(initial={"reviewed_on": timezone.localdate()}),
              "surplus_form": DirectPaymentSurplusForm()}
    if bound is not None:
        forms_[bound_name] = bound
    return render(request, "finance/direct_payment.html", {
        "agreement": agreement, "client": agreement.client, "form": bound, "today": timezone.localdate(),
        "schedule": services.direct_payment_schedule(agreement), "reviews": agreement.reviews.select_related("reviewed_by"),
        "surpluses": agreement.surpluses.all(), "may_change": direct_payment_policy.user_may(request.user, "change"),
        "instalments": agreement.instalments.select_related("pay_run").order_by("-pay_run__period_start")[:13],
        **forms_}, status=status)


@policy_required(direct_payment_policy, "view")
def direct_payment(request, pk: int):
    return _dp_page(request, _dp_get(request, pk))


@require_POST
@policy_required(direct_payment_policy, "change")
def direct_payment_review(request, pk: int):
    from .forms import DirectPaymentReviewForm

    return page_form_post(request, get=lambda: _dp_get(request, pk, "change"),
                          page=lambda req, item, status, bound: _dp_page(req, item, status, bound, "review_form"),
                          form_class=DirectPaymentReviewForm, success="Review recorded",
                          act=lambda a, f: services.direct_payment_review(user=request.user, agreement=a, **f.cleaned_data))


@require_POST
@policy_required(direct_payment_policy, "change")
def direct_payment_surplus(request, pk: int):
    from .forms import DirectPaymentSurplusForm

    return page_form_post(request, get=lambda: _dp_get(request, pk, "change"),
                          page=lambda req, item, status, bound: _dp_page(req, item, status, bound, "surplus_form"),
                          form_class=DirectPaymentSurplusForm, success="Returned surplus recorded",
                          act=lambda a, f: services.direct_payment_surplus(user=request.user, agreement=a, **f.cleaned_data))


@require_POST
@policy_required(reassessment_policy, "add")
def reassessment_start(request, rates_pk: int):
    from .models import ChargingRates

    rates = ChargingRates.objects.filter(pk=rates_pk).first()
    if rates is None:
        raise Http404("Not found")
    try:
        job = services.reassessment_start(user=request.user, rates=rates)
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
        return redirect("finance:charging-rates")
    return redirect(job)


def _reassessment_page(request, job, status=200, bound=None):
    from .forms import LettersSentForm

    return render(request, "finance/reassessment.html", {
        "job": job, "form": bound, "letters_form": bound or LettersSentForm(initial={"told_on": timezone.localdate()}),
        "changed": job.assessments.filter(status="completed").count(),
        "left": job.assessments.filter(status="draft").select_related("client")[:50]}, status=status)


@policy_required(reassessment_policy, "view")
def reassessment(request, pk: int):
    return _reassessment_page(request, reassessment_policy.get(request.user, pk))


@require_POST
@policy_required(reassessment_policy, "change")
def reassessment_told(request, pk: int):
    from .forms import LettersSentForm

    return page_form_post(request, get=lambda: reassessment_policy.get(request.user, pk),
                          page=lambda req, item, status, bound: _reassessment_page(req, item, status, bound),
                          form_class=LettersSentForm, success="Letters recorded: the new contributions are charged from then",
                          act=lambda job, f: services.reassessment_told(user=request.user, job=job, **f.cleaned_data))
