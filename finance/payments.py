"""Provider payments and client invoices: actuals from providers (entered or a CSV), the 4-weekly pay
run (a line is paid what was delivered, never more than planned, and never unapproved: otherwise it
is held, with the reason), its approval and ledger export, remittances, and the person's invoice for
the period — their assessed contribution for the chargeable days, never more than the chargeable care
they received (equipment, and reablement's first 6 weeks, are free)."""

import csv
import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ascm.core.csvfiles import csv_decode

from .models import (
    FREE_SERVICES,
    PAID_ON_ACTUALS,
    REABLEMENT_FREE_WEEKS,
    CarePackage,
    ClientInvoice,
    FinancialAssessment,
    PackageLine,
    PayRun,
    PayRunItem,
    ServiceActual,
    ServiceType,
)
from .money import pounds

PERIOD_DAYS = 28
ZERO = Decimal("0.00")


def _overlap(start, end, period_start, period_end) -> tuple[datetime.date, datetime.date] | None:
    first, last = max(start, period_start), min(end or period_end, period_end)
    return (first, last) if first <= last else None


def _days(span) -> int:
    return (span[1] - span[0]).days + 1 if span else 0


def planned_units(line, period_start, period_end) -> Decimal:
    return pounds(line.units_per_week * _days(_overlap(line.starts_on, line.ends_on, period_start, period_end)) / 7)


@transaction.atomic
def actual_record(*, user, line, period_start: datetime.date, units, source: str = "") -> ServiceActual:
    """What the provider delivered on a line in a period; again for the same period replaces it (audited)."""
    if units is None or Decimal(units) < 0:
        raise ValidationError({"units": "Enter the units delivered: 0 or more"})
    if period_start is None:
        raise ValidationError({"period_start": "Enter the first day of the period"})
    if line.service_type not in PAID_ON_ACTUALS:
        raise ValidationError({"line": f"{line.get_service_type_display()} is paid as planned: it takes no actuals"})
    if line.ends_on and period_start > line.ends_on:
        raise ValidationError({"period_start": f"This service ended on {line.ends_on:%-d %B %Y}: no actuals after it"})
    if period_start + datetime.timedelta(days=PERIOD_DAYS - 1) < line.starts_on:
        raise ValidationError({"period_start": f"This service starts on {line.starts_on:%-d %B %Y}: the period is before it"})
    if PayRun.objects.filter(status=PayRun.Status.APPROVED, period_start=period_start).exists():
        raise ValidationError({"period_start": "That period's pay run is approved: its actuals are final"})
    actual, _ = ServiceActual.objects.update_or_create(line=line, period_start=period_start, defaults={
        "units": pounds(units), "entered_by": user, "source": source})
    return actual


def actuals_import(*, user, data: bytes, filename: str) -> list[list[str]]:
    """A provider's CSV of actuals: line, period_start (YYYY-MM-DD), units. Each row is recorded or
    refused with the reason; returns the report, a row each."""
    reader = csv.DictReader(io.StringIO(csv_decode(data)))
    missing = {"line", "period_start", "units"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError({"file": f"The file needs the columns line, period_start and units (missing: {', '.join(sorted(missing))})"})
    report = []
    for number, row in enumerate(reader, start=2):
        try:
            line = PackageLine.objects.filter(pk=int(row["line"])).first()
            if line is None:
                raise ValidationError({"line": "No such package line"})
            actual_record(user=user, line=line, period_start=datetime.date.fromisoformat(row["period_start"].strip()),
                          units=Decimal(row["units"].strip()), source=filename[:100])
            report.append([str(number), row["line"], "recorded", ""])
        except (ValueError, ArithmeticError):
            report.append([str(number), row.get("line", ""), "refused", "The date must be YYYY-MM-DD and the units a number"])
        except ValidationError as error:
            report.append([str(number), row.get("line", ""), "refused",
                           " ".join(m for ms in error.message_dict.values() for m in ms)])
    return report


def _pay(line, period_start, period_end, actuals) -> PayRunItem:
    span = _overlap(max(line.starts_on, line.package.starts_on), line.ends_on or line.package.ends_on,
                    period_start, period_end)
    planned = planned_units(line, *span) if span else ZERO
    item = PayRunItem(line=line, provider_id=line.provider_id, units_planned=planned)
    delivered = actuals.get(line.pk)
    item.units_delivered = delivered
    if line.package.status not in CarePackage.COMMITTED:
        item.held, item.hold_reason = True, f"The package is not approved ({line.package.get_status_display().lower()})"
    elif line.unit_cost is None:
        item.held, item.hold_reason = True, "The service has no unit cost"
    elif line.service_type in PAID_ON_ACTUALS:
        if delivered is None:
            item.held, item.hold_reason = True, "No actuals entered for the period"
        elif delivered > planned:
            item.held, item.hold_reason = True, f"Actuals ({delivered}) exceed the planned {planned}: check with the provider"
        else:
            item.units_paid, item.amount = delivered, pounds(delivered * line.unit_cost)
    else:
        item.units_paid, item.amount = planned, pounds(line.weekly_cost * _days(span) / 7)
    return item


@transaction.atomic
def pay_run_create(*, user, period_start: datetime.date) -> PayRun:
    """The pay run for the 28 days from `period_start`: every provider line of an approved package
    running in it, and every line with actuals in it (held if its package is not approved). A period
    overlapping one already in a pay run is refused: nothing is paid twice."""
    if period_start is None:
        raise ValidationError({"period_start": "Enter the first day of the period"})
    period_end = period_start + datetime.timedelta(days=PERIOD_DAYS - 1)
    clash = PayRun.objects.select_for_update().filter(period_start__lte=period_end, period_end__gte=period_start).first()
    if clash is not None:
        raise ValidationError({"period_start": f"This period overlaps the pay run from {clash.period_start:%-d %B %Y}, "
                                               "already made: nothing is paid twice"})
    run = PayRun.objects.create(period_start=period_start, period_end=period_end, created_by=user)
    run.lines_total = _pay_lines(run).count()
    run.save(update_fields=["lines_total"])
    from .tasks import pay_run_make_task

    transaction.on_commit(lambda: pay_run_make_task.delay(run.pk))
    return run


def _pay_lines(run):
    """The lines a pay run looks at: provider lines of approved packages running in the period, and
    every line with actuals in it (held, if its package is not approved)."""
    with_actuals = ServiceActual.objects.filter(period_start=run.period_start).values("line_id")
    running = (Q(package__status__in=CarePackage.COMMITTED, starts_on__lte=run.period_end)
               & (Q(ends_on__isnull=True) | Q(ends_on__gte=run.period_start)))
    return (PackageLine.objects.filter(running | Q(pk__in=with_actuals), provider__isnull=False)
            .exclude(service_type=ServiceType.DIRECT_PAYMENT))


BATCH = 2000


def pay_run_make(run_id: int, *, batch: int = BATCH) -> int:
    """Make the pay run's items in batches, saving progress after each (the page shows it); run again
    (a redelivered task) it carries on after the last line done, so nothing is paid twice. Returns the
    number of lines it looked at."""
    run = PayRun.objects.filter(pk=run_id, status=PayRun.Status.MAKING).first()
    if run is None:
        return 0
    looked = 0
    while True:
        with transaction.atomic():
            run = PayRun.objects.select_for_update().get(pk=run_id)
            if run.status != PayRun.Status.MAKING:
                return looked
            lines = list(_pay_lines(run).filter(pk__gt=run.last_line_id).select_related("package").order_by("pk")[:batch])
            if not lines:
                direct_payments_make(run)
                run.status = PayRun.Status.DRAFT
                run.save(update_fields=["status", "updated_at"])
                return looked
            actuals = dict(ServiceActual.objects.filter(period_start=run.period_start, line__in=lines)
                           .values_list("line_id", "units"))
            items = []
            for line in lines:
                item = _pay(line, run.period_start, run.period_end, actuals)
                if item.units_planned or item.units_delivered is not None:
                    item.pay_run = run
                    items.append(item)
            PayRunItem.objects.bulk_create(items, ignore_conflicts=True)
            run.last_line_id, run.lines_done = lines[-1].pk, run.lines_done + len(lines)
            run.save(update_fields=["last_line_id", "lines_done", "updated_at"])
            looked += len(lines)


@transaction.atomic
def pay_run_approve(*, user, pay_run) -> PayRun:
    """A finance officer approves the run (not its maker); the people's invoices for the period follow."""
    run = PayRun.objects.select_for_update().get(pk=pay_run.pk)
    if run.status != PayRun.Status.DRAFT:
        raise ValidationError({"pay_run": "This pay run is already approved" if run.status == PayRun.Status.APPROVED
                               else "This pay run is still being made"})
    if run.created_by_id == user.pk:
        raise ValidationError({"pay_run": "You made this pay run: another finance officer approves it"})
    run.status, run.approved_by, run.approved_at = PayRun.Status.APPROVED, user, timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    invoices_make(pay_run=run)
    return run


def ledger_rows(pay_run) -> list[list[str]]:
    """The CSV for the council's ledger: one row per paid line and funding stream (held lines are not in it)."""
    rows = [["pay_run", "period_start", "period_end", "provider_id", "provider", "package", "line", "service",
             "locality", "funding_stream", "share_percent", "amount"]]
    items = (pay_run.items.filter(held=False).select_related("provider", "line__package__locality")
             .prefetch_related("line__funding").order_by("provider__name", "line_id"))
    head = [str(pay_run.pk), pay_run.period_start.isoformat(), pay_run.period_end.isoformat()]
    for item in items:
        for stream, percent, part in _split(item.amount, item.line.shares):
            rows.append(head + [str(item.provider_id), item.provider.name, item.line.package.reference, str(item.line_id),
                                item.line.service_type, item.line.package.locality.name, stream, percent, part])
    # Direct payments go to the person's account, not a provider: the payee is the agreement.
    instalments = (pay_run.direct_payments.filter(amount__gt=0).select_related("agreement__package__locality")
                   .prefetch_related("agreement__package__lines__funding").order_by("agreement_id"))
    for instalment in instalments:
        package = instalment.agreement.package
        line = next((x for x in package.lines.all() if x.service_type == ServiceType.DIRECT_PAYMENT), None)
        for stream, percent, part in _split(instalment.amount, line.shares if line else None):
            rows.append(head + ["", f"Direct payment {instalment.agreement.account_reference or instalment.agreement_id}",
                                package.reference, str(line.pk) if line else "", ServiceType.DIRECT_PAYMENT,
                                package.locality.name, stream, percent, part])
    return rows


def _split(amount: Decimal, shares) -> list[tuple[str, str, str]]:
    """An amount across its funding streams; the last takes what rounding leaves, so the parts add up exactly."""
    if not shares:
        return [("", "100.00", f"{amount}")]
    parts, remaining = [], amount
    for index, share in enumerate(shares):
        part = remaining if index == len(shares) - 1 else pounds(amount * share.share_percent / 100)
        remaining -= part
        parts.append((share.stream, f"{share.share_percent}", f"{part}"))
    return parts


def remittances(pay_run):
    """Per provider, in one grouped query: lines paid and held, and the total paid."""
    from django.db.models import Count, Sum

    return (pay_run.items.values("provider_id", "provider__name").order_by("provider__name")
            .annotate(paid=Count("pk", filter=Q(held=False)), held_lines=Count("pk", filter=Q(held=True)),
                      total=Sum("amount", filter=Q(held=False))))


def direct_payments_summary(pay_run) -> dict:
    """The run's direct payments in one grouped query: how many, before and after contributions."""
    from django.db.models import Count, Sum

    return pay_run.direct_payments.aggregate(count=Count("pk"), gross=Sum("gross"), contribution=Sum("contribution"),
                                             amount=Sum("amount"))


def remittance_items(pay_run, provider_id=None):
    """The lines of a pay run (of one provider's remittance), held ones first."""
    items = pay_run.items.select_related("provider", "line__package__client").order_by("-held", "provider__name", "line_id")
    return items.filter(provider_id=provider_id) if provider_id else items


def _free_days(line, span) -> int:
    """Days of the line in `span` that are never charged: equipment, and reablement's first 6 weeks."""
    if line.service_type in FREE_SERVICES:
        return _days(span)
    if line.reablement:
        free_until = line.starts_on + datetime.timedelta(weeks=REABLEMENT_FREE_WEEKS) - datetime.timedelta(days=1)
        return _days(_overlap(span[0], free_until, span[0], span[1]))
    return 0


def _contribution_due(assessment, period_start, period_end, cost: Decimal) -> Decimal:
    """The person's assessed contribution for the days charged in the period, never more than `cost`
    (the chargeable care they received); a full-cost payer pays the cost."""
    if assessment.pays_full_cost or assessment.weekly_contribution is None:
        return cost
    charged_days = _days(_overlap(assessment.charge_from, None, period_start, period_end))
    return min(pounds(assessment.weekly_contribution * charged_days / 7), cost)


def _charged_assessments(period_end) -> dict:
    return {a.client_id: a for a in FinancialAssessment.objects.filter(
        status=FinancialAssessment.Status.COMPLETED, charge_from__isnull=False, charge_from__lte=period_end)}


def _invoice_figures(pay_run, assessments) -> dict[int, dict]:
    """Per person with a charge: the chargeable care paid for in the run (each line's payment for the
    days charged, less free days), the lines of the invoice, and what they owe for it."""
    period_start, period_end = pay_run.period_start, pay_run.period_end
    received = {}
    items = (pay_run.items.filter(held=False, line__package__client_id__in=list(assessments))
             .select_related("line__package"))
    for item in items:
        line = item.line
        span = _overlap(line.starts_on, line.ends_on, period_start, period_end)
        assessment = assessments[line.package.client_id]
        charged_span = _overlap(max(span[0], assessment.charge_from), span[1], span[0], span[1]) if span else None
        days = _days(span)
        chargeable = max(_days(charged_span) - (_free_days(line, charged_span) if charged_span else 0), 0)
        share = pounds(item.amount * chargeable / days) if days else ZERO
        entry = received.setdefault(line.package.client_id, {"care": ZERO, "lines": []})
        entry["care"] += share
        entry["lines"].append([f"{line.get_service_type_display()} ({line.package.reference})", f"£{item.amount}",
                               f"£{share} chargeable"])
    for client_id, entry in received.items():
        entry["due"] = _contribution_due(assessments[client_id], period_start, period_end, entry["care"])
    return received


def invoices_make(*, pay_run) -> int:
    """Each person with a completed financial assessment whose charges have started: their invoice for
    the period. Safe to run twice (one invoice per person and period)."""
    period_start, period_end = pay_run.period_start, pay_run.period_end
    assessments = _charged_assessments(period_end)
    received = _invoice_figures(pay_run, assessments)
    invoiced = set(ClientInvoice.objects.filter(client_id__in=list(received), period_start=period_start)
                   .values_list("client_id", flat=True))
    made = 0
    for client_id, entry in received.items():
        if client_id in invoiced:
            continue
        assessment, care, due = assessments[client_id], entry["care"], entry["due"]
        charged_days = _days(_overlap(assessment.charge_from, None, period_start, period_end))
        lines = entry["lines"] + [
            ["Your assessed contribution", f"£{assessment.weekly_contribution} a week" if assessment.weekly_contribution
             is not None else "The full cost", f"{charged_days} days charged"],
            ["Chargeable care you received", f"£{care}", ""], ["You pay (never more than the care you received)", f"£{due}", ""]]
        ClientInvoice.objects.create(client_id=client_id, assessment=assessment, pay_run=pay_run,
                                     period_start=period_start, period_end=period_end, care_received=care, amount=due,
                                     lines=lines)
        made += 1
    return made


def direct_payments_make(run) -> int:
    """The period's direct payment instalments: each agreement's weekly amount for the days it runs in
    the period (its package approved), less what the person's contribution leaves after their invoice
    for other care — so a contribution is never taken twice. Safe to run twice."""
    from .models import DirectPaymentAgreement, DirectPaymentInstalment

    agreements = list(DirectPaymentAgreement.objects.filter(
        package__status__in=CarePackage.COMMITTED, starts_on__lte=run.period_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=run.period_start)).select_related("package"))
    assessments = _charged_assessments(run.period_end)
    with_dp = {a.client_id: assessments[a.client_id] for a in agreements if a.client_id in assessments}
    invoiced = _invoice_figures(run, with_dp)
    instalments = []
    for agreement in agreements:
        span = _overlap(max(agreement.starts_on, agreement.package.starts_on),
                        agreement.ended_on or agreement.package.ends_on, run.period_start, run.period_end)
        if span is None:
            continue
        gross = pounds(agreement.weekly_amount * _days(span) / 7)
        contribution = ZERO
        if agreement.client_id in with_dp:
            left = _contribution_due(with_dp[agreement.client_id], run.period_start, run.period_end, gross + (
                invoiced[agreement.client_id]["care"] if agreement.client_id in invoiced else ZERO))
            contribution = min(max(left - invoiced.get(agreement.client_id, {}).get("due", ZERO), ZERO), gross)
        instalments.append(DirectPaymentInstalment(pay_run=run, agreement=agreement, days=_days(span), gross=gross,
                                                   contribution=contribution, amount=gross - contribution))
    DirectPaymentInstalment.objects.bulk_create(instalments, ignore_conflicts=True)
    return len(instalments)


# What the person paid --------------------------------------------------------------------------------

@transaction.atomic
def client_payment_record(*, user, client, received_on: datetime.date, amount, method: str, reference: str = ""):
    from ascm.core.dates import date_check

    from .models import ClientPayment

    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({"amount": "Enter the amount received: more than £0"})
    if method not in ClientPayment.Method.values:
        raise ValidationError({"method": "Choose how it was paid"})
    date_check(received_on, field="received_on", label="The date received", future=False)
    return ClientPayment.objects.create(client=client, received_on=received_on, amount=pounds(amount), method=method,
                                        reference=reference.strip(), recorded_by=user)


@transaction.atomic
def client_payment_cancel(*, user, payment, reason: str):
    """A payment recorded in error leaves the balance; it is kept, with who cancelled it and why (audited)."""
    if payment.cancelled_at is not None:
        raise ValidationError({"payment": "This payment is already cancelled"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the payment is cancelled"})
    payment.cancelled_at, payment.cancelled_reason = timezone.now(), reason.strip()[:200]
    payment.save(update_fields=["cancelled_at", "cancelled_reason", "updated_at"])
    return payment
