"""Hospital discharge pages: the patient tracking list (and its CSV and print), starting a record
(for a hospital-discharge referral, or directly), a stay's page with its forms (each posting to its
own URL), the morning summary, and the administrators' alert rules and morning time."""

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
from ascm.core.forms import form_add_service_errors, form_submit, page_form_post
from ascm.core.policies import policy_required

from . import selectors, services
from .forms import (
    AlertRuleForm,
    CompleteForm,
    DelayForm,
    DischargeNewForm,
    DischargeStartForm,
    PathwayForm,
    PlanForm,
    ReadyDateForm,
)
from .models import AlertRule, Discharge
from .permissions import alert_rule_policy, discharge_policy

FORMS = {"ready_form": ReadyDateForm, "pathway_form": PathwayForm, "delay_form": DelayForm, "plan_form": PlanForm,
         "complete_form": CompleteForm}


def _filters(request) -> dict:
    def number(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    sort = request.GET.get("sort", "delayed")
    return {"hospital": number("hospital"), "locality": number("locality"), "team": number("team"),
            "delayed_only": request.GET.get("delayed") == "1", "sort": sort if sort in selectors.SORTS else "delayed"}


@policy_required(discharge_policy, "view")
def tracking(request):
    """Everyone in hospital known to the council, awaiting discharge support: filtered, sorted,
    paged; ?format=csv for the daily discharge call (all rows)."""
    from ascm.organisation.models import Locality, Team
    from ascm.providers.models import CareSetting

    filters = _filters(request)
    today = timezone.localdate()
    threshold = selectors.alert_threshold(today)
    queryset = selectors.tracking_list(request.user, today=today, **filters)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for row in selectors.tracking_csv_rows(selectors.with_tracking(list(queryset), today, threshold), today):
            writer.writerow([csv_cell_safe(str(cell)) for cell in row])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="patient-tracking-list-{today}.csv"'
        return response
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    selectors.with_tracking(page.object_list, today, threshold)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "discharge/tracking.html", {
        "page": page, "query": query.urlencode(), "filters": filters, "threshold": threshold, "today": today,
        "hospitals": CareSetting.objects.filter(kind=CareSetting.Kind.HOSPITAL).order_by("name"),
        "localities": Locality.objects.order_by("name"), "teams": Team.objects.filter(archived_at__isnull=True).order_by("name"),
        "sorts": [("delayed", "Delayed days"), ("name", "Name"), ("hospital", "Hospital and ward"),
                  ("admitted", "Date of admission")]})


@policy_required(discharge_policy, "add")
def new(request):
    from clients.selectors import client_from_form

    form = DischargeNewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        client = client_from_form(form, user=request.user)
        if client is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "nhs_number"}
            try:
                discharge = services.discharge_start(user=request.user, client=client, **data)
            except ValidationError as error:
                form_add_service_errors(form, error, aliases={"client": "nhs_number"})
            else:
                messages.success(request, f"Discharge record {discharge.reference} started")
                return redirect(discharge)
    return render(request, "discharge/start.html", {"form": form, "referral": None}, status=400 if form.errors else 200)


@policy_required(discharge_policy, "add")
def from_referral(request, referral_pk: int):
    from pathways.referrals.selectors import referral_get_for_user

    referral = referral_get_for_user(user=request.user, pk=referral_pk)
    if not referral.hospital_discharge:
        raise Http404("No such referral")
    existing = Discharge.objects.filter(referral=referral).first()
    if existing is not None:
        return redirect(existing)
    form = DischargeStartForm(request.POST if request.method == "POST" else None, initial={
        "admitted_on": referral.admitted_on or timezone.localtime(referral.received_at).date(),
        "expected_on": referral.expected_discharge_on})
    if request.method == "POST":
        made = {}
        if form_submit(form, lambda f: made.setdefault("d", services.discharge_from_referral(
                user=request.user, referral=referral, **f.cleaned_data))):
            messages.success(request, f"Discharge record {made['d'].reference} started")
            return redirect(made["d"])
    return render(request, "discharge/start.html", {"form": form, "referral": referral},
                  status=400 if form.errors else 200)


def _get(request, pk):
    return discharge_policy.get(request.user, pk, queryset=Discharge.objects.select_related(
        "client", "hospital", "ward", "team", "planned_setting", "destination_setting", "referral"))


def _page(request, discharge, status=200, bound=None):
    audit_record_view(user=request.user, instance=discharge, reason="Hospital discharge viewed")
    today = timezone.localdate()
    context = {
        "discharge": discharge, "form": bound, "today": today, "days": discharge.delayed_days(today),
        "threshold": selectors.alert_threshold(today),
        "ready_dates": discharge.ready_date_changes.select_related("changed_by"),
        "pathways": discharge.pathway_changes.select_related("changed_by"),
        "periods": selectors.delay_days_by_reason(discharge, today),
        "alerts": discharge.alerts.select_related("rule")}
    initial = {"plan_form": {"expected_on": discharge.expected_on, "planned_destination": discharge.planned_destination,
                             "planned_setting": discharge.planned_setting_id, "bridging_care": discharge.bridging_care,
                             "unpaid_carers": discharge.unpaid_carers, "next_action": discharge.next_action,
                             "next_action_on": discharge.next_action_on},
               "pathway_form": {"pathway": discharge.pathway}}
    for name, form_class in FORMS.items():
        context[name] = bound if isinstance(bound, form_class) else form_class(initial=initial.get(name))
    return render(request, "discharge/record.html", context, status=status)


@policy_required(discharge_policy, "view")
def record(request, pk: int):
    return _page(request, _get(request, pk))


def _post(request, pk, form_class, act, success):
    return page_form_post(request, get=lambda: _get(request, pk), page=_page, form_class=form_class, act=act,
                          success=success)


@require_POST
@policy_required(discharge_policy, "change")
def ready_date(request, pk: int):
    return _post(request, pk, ReadyDateForm, lambda d, f: services.ready_date_set(
        user=request.user, discharge=d, **f.cleaned_data), "Discharge ready date updated")


@require_POST
@policy_required(discharge_policy, "change")
def pathway(request, pk: int):
    return _post(request, pk, PathwayForm, lambda d, f: services.pathway_set(
        user=request.user, discharge=d, **f.cleaned_data), "Discharge pathway updated")


@require_POST
@policy_required(discharge_policy, "change")
def delay(request, pk: int):
    return _post(request, pk, DelayForm, lambda d, f: services.delay_record(
        user=request.user, discharge=d, **f.cleaned_data), "Delay recorded")


@require_POST
@policy_required(discharge_policy, "change")
def plan(request, pk: int):
    return _post(request, pk, PlanForm, lambda d, f: services.plan_update(
        user=request.user, discharge=d, **f.cleaned_data), "Discharge plan saved")


@require_POST
@policy_required(discharge_policy, "change")
def complete(request, pk: int):
    return _post(request, pk, CompleteForm, lambda d, f: services.discharge_complete(
        user=request.user, discharge=d, **f.cleaned_data), "Discharge recorded")


@policy_required(discharge_policy, "view")
def summary(request):
    from ascm.organisation.models import Locality
    from ascm.providers.models import CareSetting

    from .summary import morning_summary

    filters = _filters(request)
    data = morning_summary(request.user, hospital=filters["hospital"], locality=filters["locality"])
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["place", "kind", "people_delayed", "delayed_days", "new_since_yesterday", "longest_delay_days"])
        for row in data["hospitals"] + data["localities"]:
            writer.writerow([csv_cell_safe(row["name"]), row["kind"], row["people"], row["days"], row["new"], row["longest"]])
        for kind, bars in (("reason", data["by_reason"]), ("attribution", data["by_attribution"])):
            for bar in bars:
                writer.writerow([csv_cell_safe(bar.label), kind, bar.people, bar.days, "", ""])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="discharge-summary-{data["today"]}.csv"'
        return response
    return render(request, "discharge/summary.html", {
        "data": data, "filters": filters, "query": request.GET.urlencode(),
        "hospitals": CareSetting.objects.filter(kind=CareSetting.Kind.HOSPITAL).order_by("name"),
        "localities": Locality.objects.order_by("name")})


@policy_required(alert_rule_policy, "view")
def alert_rules(request):
    from .schedule import MorningTimeForm, morning_time, morning_time_set

    form = AlertRuleForm(request.POST if request.method == "POST" and "name" in request.POST else None)
    time_form = MorningTimeForm(request.POST if request.method == "POST" and "hour" in request.POST else None,
                                initial=morning_time())
    if request.method == "POST":
        if not alert_rule_policy.user_may(request.user, "add"):
            raise PermissionDenied
        if time_form.is_bound and form_submit(time_form, lambda f: morning_time_set(user=request.user, **f.cleaned_data)):
            messages.success(request, "The morning alerts' time is changed")
            return redirect("discharge:alert-rules")
        if form.is_bound and form_submit(form, lambda f: services.alert_rule_add(user=request.user, **f.cleaned_data)):
            messages.success(request, "Alert rule added")
            return redirect("discharge:alert-rules")
    today = timezone.localdate()
    rules = AlertRule.objects.order_by("retired_on", "delayed_days", "pk")
    return render(request, "discharge/alert_rules.html", {
        "form": form if form.is_bound else time_form if time_form.is_bound else None, "rule_form": form,
        "time_form": time_form, "rules": rules, "today": today},
        status=400 if form.errors or time_form.errors else 200)


@require_POST
@policy_required(alert_rule_policy, "change")
def alert_rule_retire(request, pk: int):
    rule = alert_rule_policy.get(request.user, pk, action="change")
    services.alert_rule_retire(user=request.user, rule=rule)
    messages.success(request, f"“{rule.name}” retired from today")
    return redirect("discharge:alert-rules")
