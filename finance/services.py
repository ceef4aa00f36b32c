"""Finance writes: personal budgets, care packages and their lines, brokerage, approval within
delegated limits, rates, limits, tables, budgets and thresholds. Every rule that refuses something
raises a ValidationError naming the field, so pages and the API show it beside what was typed."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ascm.audit.models import AuditEntry
from ascm.audit.services import audit_records_written
from ascm.core.dates import date_check

from . import states
from .models import (
    AllocationBand,
    AllocationTable,
    ApprovalLimit,
    Budget,
    BudgetAlert,
    CarePackage,
    DeliveryMechanism,
    FinanceThreshold,
    FundingStream,
    LineFunding,
    PackageLine,
    PackageStatusChange,
    PersonalBudget,
    ProviderApproach,
    ProviderRate,
    ServiceType,
)
from .money import pounds, weekly_cost
from .permissions import care_package_policy

NO_LIMIT = Decimal("Infinity")
S = CarePackage.Status


# Rates, limits, tables, thresholds ------------------------------------------------------------

def rate_on(provider, service_type: str, on: datetime.date) -> ProviderRate | None:
    """The provider's rate for the service in force on a date (None: no framework rate)."""
    return (ProviderRate.objects.filter(provider=provider, service_type=service_type, effective_from__lte=on)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on)).order_by("-effective_from").first())


@transaction.atomic
def rate_add(*, user, provider, service_type: str, unit_cost, effective_from: datetime.date) -> ProviderRate:
    """A new rate from a date. It follows the latest rate (which then ends the day before); a rate
    that would start inside or before an existing one overlaps it and is refused."""
    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the date the rate takes effect"})
    if unit_cost is None or Decimal(unit_cost) <= 0:
        raise ValidationError({"unit_cost": "Enter a rate of more than £0"})
    if provider.closed_on and provider.closed_on <= effective_from:
        raise ValidationError({"provider": f"{provider} closed on {provider.closed_on:%-d %B %Y}: choose an open provider"})
    rates = ProviderRate.objects.select_for_update().filter(provider=provider, service_type=service_type)
    latest = rates.order_by("-effective_from").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise ValidationError({"effective_from": (
            f"This overlaps the rate from {latest.effective_from:%-d %B %Y} (£{latest.unit_cost}): "
            f"a new rate must start after {latest.effective_from:%-d %B %Y}")})
    if latest is not None:
        latest.effective_to = effective_from - datetime.timedelta(days=1)
        latest.save(update_fields=["effective_to", "updated_at"])
    return ProviderRate.objects.create(provider=provider, service_type=service_type, unit_cost=pounds(unit_cost),
                                       effective_from=effective_from, created_by=user)


def approval_limit_set(*, user, role, weekly_limit, effective_from: datetime.date) -> ApprovalLimit:
    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the date the limit takes effect"})
    if weekly_limit is not None and Decimal(weekly_limit) <= 0:
        raise ValidationError({"weekly_limit": "Enter a limit of more than £0, or leave it empty for no upper limit"})
    if ApprovalLimit.objects.filter(role=role, effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"{role} already has a limit from {effective_from:%-d %B %Y}"})
    return ApprovalLimit.objects.create(role=role, weekly_limit=None if weekly_limit is None else pounds(weekly_limit),
                                        effective_from=effective_from, created_by=user)


def threshold_set(*, user, name: str, value: int, effective_from: datetime.date) -> FinanceThreshold:
    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the date it takes effect"})
    if value is None or value < 1:
        raise ValidationError({"value": "Enter a whole number of 1 or more"})
    row, _ = FinanceThreshold.objects.update_or_create(name=name, effective_from=effective_from,
                                                       defaults={"value": value, "created_by": user})
    return row


@transaction.atomic
def allocation_table_create(*, user, effective_from: datetime.date, bands: list[tuple[int, Decimal]],
                            **points) -> AllocationTable:
    """A new resource allocation table from a date: points per reason an outcome cannot be achieved,
    and bands that start at 0 points, each worth at least the one before."""
    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the date the table takes effect"})
    if AllocationTable.objects.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"There is already a table from {effective_from:%-d %B %Y}"})
    bands = sorted((int(p), pounds(a)) for p, a in bands)
    if not bands or bands[0][0] != 0:
        raise ValidationError({"bands": "The first band must start at 0 points"})
    if len({p for p, _ in bands}) != len(bands):
        raise ValidationError({"bands": "Two bands start at the same number of points"})
    if any(a < 0 for _, a in bands) or any(b[1] < a[1] for a, b in zip(bands, bands[1:], strict=False)):
        raise ValidationError({"bands": "Each band's weekly amount must be £0 or more, and no less than the band below"})
    table = AllocationTable.objects.create(effective_from=effective_from, created_by=user, **points)
    AllocationBand.objects.bulk_create(AllocationBand(table=table, from_points=p, weekly_amount=a) for p, a in bands)
    return table


# Personal budgets ------------------------------------------------------------------------------

def allocation_table_on(on: datetime.date) -> AllocationTable | None:
    return AllocationTable.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def indicative_budget(assessment, on: datetime.date | None = None) -> tuple[AllocationTable | None, int, Decimal | None]:
    """(table, points, weekly amount) from the outcomes a signed-off assessment found the person
    unable to achieve, by the table in force on the day it was signed off."""
    if assessment is None or assessment.status != assessment.Status.SIGNED_OFF:
        return None, 0, None
    on = on or timezone.localdate(assessment.signed_off_at)
    table = allocation_table_on(on)
    if table is None:
        return None, 0, None
    outcomes = (assessment.answers or {}).get("outcomes", {})
    points = sum(table.points_for(answer.get("reason") or "") for answer in outcomes.values()
                 if isinstance(answer, dict) and answer.get("unable"))
    band = table.bands.filter(from_points__lte=points).order_by("-from_points").first()
    return table, points, band.weekly_amount if band else None


@transaction.atomic
def personal_budget_set(*, user, plan, agreed_weekly=None, difference_reason: str = "") -> PersonalBudget:
    """Work out the indicative amount (again, if the assessment changed) and record the amount agreed
    with the person; an agreed amount that differs from the indicative one needs the reason."""
    if agreed_weekly is not None and Decimal(agreed_weekly) < 0:
        raise ValidationError({"agreed_weekly": "The personal budget cannot be less than £0"})
    table, points, indicative = indicative_budget(plan.assessment)
    budget = PersonalBudget.objects.select_for_update().filter(plan=plan).first() or PersonalBudget(
        plan=plan, client_id=plan.client_id)
    if (agreed_weekly is not None and indicative is not None and pounds(agreed_weekly) != indicative
            and not difference_reason.strip()):
        raise ValidationError({"difference_reason": (
            f"Say why the agreed amount differs from the indicative £{indicative} a week")})
    budget.assessment, budget.table, budget.points, budget.indicative_weekly = (
        plan.assessment, table, points if table else None, indicative)
    if agreed_weekly is not None:
        budget.agreed_weekly, budget.agreed_on, budget.agreed_by = pounds(agreed_weekly), timezone.localdate(), user
    budget.difference_reason = difference_reason.strip()
    budget.save()
    return budget


# Care packages ---------------------------------------------------------------------------------

def _package_place(client):
    from clients.models import Allocation

    allocation = (Allocation.objects.filter(client=client, ended_on__isnull=True).select_related("team")
                  .order_by("-pk").first())
    team = allocation.team if allocation else None
    locality_id = client.locality_id or (team.locality_id if team else None)
    if locality_id is None:
        raise ValidationError({"client": "This person has no locality yet: record where they live first"})
    return locality_id, team


def _check_dates(starts_on, ends_on, *, start_field="starts_on", end_field="ends_on", label="The package"):
    if starts_on is None:
        raise ValidationError({start_field: f"Enter the date {label.lower()} starts"})
    date_check(starts_on, field=start_field, label="The start date")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({end_field: "The end date must be on or after the start date"})


@transaction.atomic
def package_create(*, user, client, delivery_mechanism: str, starts_on: datetime.date, ends_on=None,
                   plan=None) -> CarePackage:
    if delivery_mechanism not in DeliveryMechanism.values:
        raise ValidationError({"delivery_mechanism": "Choose how the support is delivered"})
    _check_dates(starts_on, ends_on)
    if plan is not None and plan.client_id != client.pk:
        raise ValidationError({"plan": "That support plan is someone else's"})
    locality_id, team = _package_place(client)
    package = CarePackage.objects.create(client=client, plan=plan, locality_id=locality_id, team=team,
                                         delivery_mechanism=delivery_mechanism, starts_on=starts_on, ends_on=ends_on,
                                         requested_by=user)
    _history(package, "", S.DRAFT, user, "Package started")
    return package


def _history(package, from_status, to_status, user, reason=""):
    PackageStatusChange.objects.create(package=package, from_status=from_status, to_status=to_status,
                                       changed_by=user, reason=reason, weekly_cost=package.weekly_cost)


def package_move(package: CarePackage, to_status: str, *, user, reason: str = "", fields=()) -> CarePackage:
    """The only way a package's status changes: along the state machine, with its history row."""
    if not states.can_move(package.status, to_status):
        raise ValidationError({"package": f"A package that is {package.get_status_display().lower()} cannot be "
                                          f"{CarePackage.Status(to_status).label.lower()}"})
    from_status, package.status = package.status, to_status
    package.save(update_fields=["status", "updated_at", *fields])
    _history(package, from_status, to_status, user, reason or states.move_label(from_status, to_status))
    package_ledger(package)
    return package


def package_ledger(package: CarePackage) -> None:
    """Each line of an approved package is a Service in the care-event ledger (what Client Level Data
    counts): open while it runs, ended with the package; a package cancelled after approval leaves
    the returns. The line is the event's source, so its reference never changes."""
    from clients.models import CareEvent
    from clients.services import care_event_cancel, care_event_record

    if package.status not in (S.APPROVED, S.ACTIVE, S.ENDED, S.CANCELLED):
        return
    for line in package.lines.all():
        if package.status == S.CANCELLED:
            care_event_cancel(source=line, event_type=CareEvent.Type.SERVICE)
            continue
        ends_on = line.ends_on or package.ends_on
        care_event_record(
            client=package.client, event_type=CareEvent.Type.SERVICE, source=line,
            start_date=max(line.starts_on, package.starts_on),
            end_date=ends_on if package.status == S.ENDED or (ends_on and ends_on < timezone.localdate()) else None,
            outcome="ended" if package.status == S.ENDED else "continuing",
            details=service_event_details(package, line))


def service_event_details(package, line) -> dict:
    """What the return needs of a service, in ASCM's codes (the return maps them to the release's strings)."""
    return {"service_type": line.service_type, "reablement": line.reablement,
            "delivery_mechanism": package.delivery_mechanism, "package": package.reference,
            "unit": line.unit, "unit_cost": None if line.unit_cost is None else f"{line.unit_cost}",
            "units_per_week": f"{line.units_per_week}"}


def _check_editable(package):
    if not package.is_editable:
        raise ValidationError({"package": (
            f"This package is {package.get_status_display().lower()}: its lines cannot be changed. "
            + ("Make a change to it instead; the change will need approval." if package.status in (S.APPROVED, S.ACTIVE)
               else ""))})


def _check_funding(funding: list[tuple[str, Decimal]]):
    if not funding:
        raise ValidationError({"funding": "Choose at least one funding stream"})
    streams = [stream for stream, _ in funding]
    if any(stream not in FundingStream.values for stream in streams):
        raise ValidationError({"funding": "Choose funding streams from the list"})
    if len(set(streams)) != len(streams):
        raise ValidationError({"funding": "Each funding stream can be given once"})
    shares = [Decimal(share) for _, share in funding]
    if any(share <= 0 for share in shares):
        raise ValidationError({"funding": "Each funding stream's share must be more than 0%"})
    total = sum(shares)
    if total != 100:
        raise ValidationError({"funding": f"The funding shares must add up to 100%; they add up to {total.normalize():f}%"})


def _line_values(package, *, service_type, provider, units_per_week, unit_cost, off_framework_reason, starts_on,
                 ends_on, funding) -> dict:
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": "Choose the type of service"})
    if units_per_week is None or Decimal(units_per_week) <= 0:
        raise ValidationError({"units_per_week": "Enter the units a week: more than 0"})
    if unit_cost is not None and Decimal(unit_cost) <= 0:
        raise ValidationError({"unit_cost": "Enter a unit cost of more than £0"})
    _check_dates(starts_on, ends_on, label="The service")
    if starts_on < package.starts_on or (package.ends_on and starts_on > package.ends_on):
        raise ValidationError({"starts_on": f"The service must start within the package (from {package.starts_on:%-d %B %Y})"})
    if package.ends_on and (ends_on is None or ends_on > package.ends_on):
        ends_on = package.ends_on if ends_on is None else ends_on
        if ends_on > package.ends_on:
            raise ValidationError({"ends_on": f"The service must end by the package's end ({package.ends_on:%-d %B %Y})"})
    _check_funding(funding)
    direct = service_type == ServiceType.DIRECT_PAYMENT
    if direct and provider is not None:
        raise ValidationError({"provider": "A direct payment is paid to the person: leave the provider empty"})
    if provider is not None and not provider.is_open:
        raise ValidationError({"provider": f"{provider} is closed in the providers register: choose an open provider"})
    rate = rate_on(provider, service_type, starts_on) if provider is not None else None
    reason = off_framework_reason.strip()
    if unit_cost is None:
        if rate is not None:
            unit_cost = rate.unit_cost
        elif provider is not None or direct:
            raise ValidationError({"unit_cost": "Enter the unit cost: there is no framework rate for this provider and service"})
    unit_cost = None if unit_cost is None else pounds(unit_cost)
    on_framework = rate is not None and unit_cost == rate.unit_cost
    if provider is not None and not on_framework and not reason:
        raise ValidationError({"off_framework_reason": (
            f"Say why this rate is off the framework (the framework rate is £{rate.unit_cost})" if rate else
            "Say why: there is no framework rate for this provider and service")})
    return {"service_type": service_type, "provider": provider, "units_per_week": Decimal(units_per_week),
            "unit_cost": unit_cost, "rate": rate if on_framework else None,
            "off_framework_reason": "" if on_framework else reason, "starts_on": starts_on, "ends_on": ends_on,
            "weekly_cost": weekly_cost(units_per_week, unit_cost) if unit_cost is not None else Decimal("0.00")}


def _package_recost(package):
    total = sum((line.weekly_cost for line in package.lines.all()), Decimal("0.00"))
    package.weekly_cost = pounds(total)
    package.save(update_fields=["weekly_cost", "updated_at"])


@transaction.atomic
def line_add(*, user, package, service_type, units_per_week, funding, starts_on=None, ends_on=None, provider=None,
             unit_cost=None, off_framework_reason: str = "", description: str = "", reablement: bool = False) -> PackageLine:
    """A service in a draft package. With no provider (other than a direct payment) it waits for
    brokerage; with one, its unit cost is the provider's framework rate unless a reason is given."""
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    _check_editable(package)
    values = _line_values(package, service_type=service_type, provider=provider, units_per_week=units_per_week,
                          unit_cost=unit_cost, off_framework_reason=off_framework_reason,
                          starts_on=starts_on or package.starts_on, ends_on=ends_on, funding=funding)
    line = PackageLine.objects.create(package=package, description=description.strip(), reablement=reablement, **values)
    LineFunding.objects.bulk_create(LineFunding(line=line, stream=s, share_percent=Decimal(p)) for s, p in funding)
    _package_recost(package)
    return line


def package_line_funding(line) -> list[tuple[str, Decimal]]:
    return [(f.stream, f.share_percent) for f in line.shares]


def _check_complete(package):
    lines = list(package.lines.all())
    if not lines:
        raise ValidationError({"package": "Add at least one service before submitting the package"})
    if any(line.needs_provider for line in lines):
        raise ValidationError({"package": "A service has no provider yet: send the package to brokerage first"})
    if any(line.unit_cost is None for line in lines):
        raise ValidationError({"package": "Every service needs a unit cost"})


def approvers_for(package) -> list:
    """Who may approve this package: holders of a role whose delegated limit (today) covers its
    weekly cost, whose reach includes the person (their locality, or county-wide), never its requester."""
    from ascm.accounts.models import Role, User
    from ascm.organisation.models import TeamMembership

    roles = [role for role, limit in role_limits_on(timezone.localdate()).items() if limit >= package.weekly_cost]
    if not roles:
        return []
    county = [r.pk for r in roles if r.record_scope == Role.RecordScope.ALL]
    local = [r.pk for r in roles if r.record_scope == Role.RecordScope.LOCALITY]
    members = TeamMembership.objects.filter(ended_on__isnull=True).filter(
        Q(role_id__in=county) | Q(role_id__in=local, team__locality_id=package.locality_id)).values("user")
    users = User.objects.filter(Q(pk__in=members) | Q(groups__role__in=county), is_active=True)
    users = users.exclude(pk=package.requested_by_id).filter(
        Q(groups__permissions__codename="approve_carepackage")
        | Q(memberships__role__group__permissions__codename="approve_carepackage")).distinct()
    return list(users)


def role_limits_on(on: datetime.date) -> dict:
    """Each role's delegated weekly limit in force on a date (NO_LIMIT for a row with no amount)."""
    limits = {}
    for row in (ApprovalLimit.objects.filter(effective_from__lte=on).select_related("role")
                .order_by("role_id", "-effective_from")):
        limits.setdefault(row.role, NO_LIMIT if row.weekly_limit is None else row.weekly_limit)
    return limits


def user_approval_limit(user, on: datetime.date | None = None) -> Decimal | None:
    """The highest weekly cost this user may approve on a date (None: they may approve nothing)."""
    from ascm.accounts.selectors import user_roles

    if not care_package_policy.user_may(user, "approve"):
        return None
    limits = role_limits_on(on or timezone.localdate())
    held = [limits[role] for role in user_roles(user) if role in limits]
    return max(held) if held else None


def _tell_approvers(package):
    from ascm.notifications.services import notify

    notify(recipients=approvers_for(package), kind="package_approval", key=f"package-approval:{package.pk}",
           title=f"Care package {package.reference} for {package.client} (£{package.weekly_cost} a week) is waiting for approval",
           url=package.get_absolute_url())


@transaction.atomic
def package_submit(*, user, package) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if not states.can_move(package.status, S.SUBMITTED):
        raise ValidationError({"package": f"A package that is {package.get_status_display().lower()} cannot be "
                                          "submitted for approval"})
    _check_complete(package)
    package.submitted_at = timezone.now()
    package_move(package, S.SUBMITTED, user=user, fields=["submitted_at"])
    transaction.on_commit(lambda: _tell_approvers(package))
    return package


@transaction.atomic
def package_to_brokerage(*, user, package) -> CarePackage:
    from ascm.notifications.services import notify_holders

    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if package.status in CarePackage.EDITABLE and not any(line.needs_provider for line in package.lines.all()):
        raise ValidationError({"package": "Every service already has a provider: submit the package for approval"})
    package.brokerage_started_at, package.brokerage_ended_at = timezone.now(), None
    package_move(package, S.BROKERAGE, user=user, fields=["brokerage_started_at", "brokerage_ended_at"])
    transaction.on_commit(lambda: notify_holders(
        permission="finance.broker_carepackage", locality=package.locality, kind="brokerage",
        key=f"brokerage:{package.pk}:{package.brokerage_started_at:%Y%m%d%H%M%S}",
        title=f"Find a provider: care package {package.reference} ({package.locality})", url=package.get_absolute_url(),
        actor=user))
    return package


@transaction.atomic
def approach_record(*, user, line, provider, outcome: str = ProviderApproach.Outcome.AWAITING, offered_unit_cost=None,
                    offered_start=None, notes: str = "", approached_on=None, package=None) -> ProviderApproach:
    if package is not None and line.package_id != package.pk:
        raise ValidationError({"line": "That service is not in this package"})
    package = CarePackage.objects.select_for_update().get(pk=line.package_id)
    if package.status != S.BROKERAGE:
        raise ValidationError({"package": "Only a package in brokerage has providers approached"})
    if not line.needs_provider:
        raise ValidationError({"line": "This service already has a provider"})
    if provider is None:
        raise ValidationError({"provider": "Choose the provider approached"})
    if not provider.is_open:
        raise ValidationError({"provider": f"{provider} is closed in the providers register: choose an open provider"})
    if outcome not in ProviderApproach.Outcome.values or outcome == ProviderApproach.Outcome.ACCEPTED:
        raise ValidationError({"outcome": "Choose what the provider said (accept an offer with its own button)"})
    if outcome == ProviderApproach.Outcome.OFFERED and (offered_unit_cost is None or Decimal(offered_unit_cost) <= 0):
        raise ValidationError({"offered_unit_cost": "Enter the unit cost offered: more than £0"})
    approached_on = approached_on or timezone.localdate()
    date_check(approached_on, field="approached_on", label="The date approached", future=False)
    return ProviderApproach.objects.create(line=line, provider=provider, outcome=outcome, notes=notes.strip(),
                                           offered_unit_cost=None if offered_unit_cost is None else pounds(offered_unit_cost),
                                           offered_start=offered_start, approached_on=approached_on, recorded_by=user)


@transaction.atomic
def offer_accept(*, user, approach, off_framework_reason: str = "") -> CarePackage:
    """The broker takes an offer: the line gets the provider and the offered cost (off the framework
    needs the reason). When every service has a provider, brokerage ends and the package is
    submitted for approval."""
    package = CarePackage.objects.select_for_update().get(pk=approach.line.package_id)
    if package.status != S.BROKERAGE:
        raise ValidationError({"package": "Only a package in brokerage takes offers"})
    if approach.outcome != ProviderApproach.Outcome.OFFERED:
        raise ValidationError({"approach": "Only an offer can be accepted"})
    line = PackageLine.objects.select_for_update().get(pk=approach.line_id)
    if not line.needs_provider:
        raise ValidationError({"approach": "This service already has a provider"})
    values = _line_values(package, service_type=line.service_type, provider=approach.provider,
                          units_per_week=line.units_per_week, unit_cost=approach.offered_unit_cost,
                          off_framework_reason=off_framework_reason, starts_on=max(line.starts_on, approach.offered_start or line.starts_on),
                          ends_on=line.ends_on, funding=package_line_funding(line))
    for name, value in values.items():
        setattr(line, name, value)
    line.save()
    approach.outcome = ProviderApproach.Outcome.ACCEPTED
    approach.save(update_fields=["outcome", "updated_at"])
    line.approaches.filter(outcome=ProviderApproach.Outcome.OFFERED).exclude(pk=approach.pk).update(
        outcome=ProviderApproach.Outcome.OFFER_REFUSED)
    _package_recost(package)
    if not any(other.needs_provider for other in package.lines.all()):
        package.brokerage_ended_at = package.submitted_at = timezone.now()
        package_move(package, S.SUBMITTED, user=user, reason=f"Provider found ({approach.provider}): submitted for approval",
                     fields=["brokerage_ended_at", "submitted_at"])
        transaction.on_commit(lambda: _tell_approvers(package))
    return package


def _decide(user, package, reason, *, required_reason: bool):
    from ascm.notifications.services import notifications_resolve

    if package.status != S.SUBMITTED:
        raise ValidationError({"package": "Only a package waiting for approval can be decided"})
    if package.requested_by_id == user.pk:
        raise ValidationError({"package": "You asked for this package: someone else must decide it"})
    if required_reason and not reason.strip():
        raise ValidationError({"reason": "Give the reason: the requester will read it"})
    transaction.on_commit(lambda: notifications_resolve(key=f"package-approval:{package.pk}"))


@transaction.atomic
def package_approve(*, user, package, reason: str = "") -> CarePackage:
    """Approve within the approver's delegated limit, never the requester's own. A change replaces the
    package it changes (which ends the day before). It starts on its start date (today, if that has come)."""
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    _decide(user, package, reason, required_reason=False)
    if not care_package_policy.user_may_for(user, "approve", package):
        raise ValidationError({"package": "You may not approve packages for this person"})
    limit = user_approval_limit(user)
    if limit is None or package.weekly_cost > limit:
        shown = "none" if limit is None else f"£{limit} a week"
        raise ValidationError({"package": (f"This package costs £{package.weekly_cost} a week, above your approval "
                                           f"limit ({shown}): it needs someone with a higher limit")})
    package.decided_by, package.decided_at, package.approved_weekly_cost = user, timezone.now(), package.weekly_cost
    package_move(package, S.APPROVED, user=user, reason=reason.strip() or "Approved",
                 fields=["decided_by", "decided_at", "approved_weekly_cost"])
    if package.replaces_id:
        _end_replaced(user, package)
    if package.starts_on <= timezone.localdate():
        package_move(package, S.ACTIVE, user=user, reason="Started on approval (its start date had come)")
    _tell_requester(package, "approved")
    return package


def _end_replaced(user, package):
    old = CarePackage.objects.select_for_update().get(pk=package.replaces_id)
    if old.status not in (S.APPROVED, S.ACTIVE):
        return
    last_day = package.starts_on - datetime.timedelta(days=1)
    if old.status == S.APPROVED and old.starts_on > last_day:
        package_move(old, S.CANCELLED, user=user, reason=f"Replaced by {package.reference} before it started")
        return
    _end(old, last_day, user=user, reason=f"Replaced by {package.reference} from {package.starts_on:%-d %B %Y}")


def _end(package, ends_on, *, user, reason):
    package.ends_on, package.end_reason = ends_on, reason[:200]
    package.lines.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on)).update(ends_on=ends_on)
    package_move(package, S.ENDED, user=user, reason=reason, fields=["ends_on", "end_reason"])


def _tell_requester(package, what):
    from ascm.notifications.services import notify

    transaction.on_commit(lambda: notify(
        recipients=[package.requested_by], kind="package_decision", key=f"package-{what}:{package.pk}",
        title=f"Care package {package.reference} for {package.client}: {what}", url=package.get_absolute_url()))


@transaction.atomic
def package_not_approve(*, user, package, reason: str) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    _decide(user, package, reason, required_reason=True)
    if not care_package_policy.user_may_for(user, "approve", package):
        raise ValidationError({"package": "You may not decide packages for this person"})
    package.decided_by, package.decided_at = user, timezone.now()
    package_move(package, S.NOT_APPROVED, user=user, reason=reason.strip(), fields=["decided_by", "decided_at"])
    _tell_requester(package, "not approved")
    return package


@transaction.atomic
def package_return(*, user, package, reason: str) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    _decide(user, package, reason, required_reason=True)
    if not care_package_policy.user_may_for(user, "approve", package):
        raise ValidationError({"package": "You may not decide packages for this person"})
    package_move(package, S.RETURNED, user=user, reason=reason.strip())
    _tell_requester(package, "returned for changes")
    return package


@transaction.atomic
def package_change(*, user, package, starts_on: datetime.date) -> CarePackage:
    """A change to an approved package: a new draft with the same services from a date, which must be
    approved in its turn (and then ends the one it changes). The approved package runs on meanwhile."""
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if package.status not in (S.APPROVED, S.ACTIVE):
        raise ValidationError({"package": "Only an approved or active package can be changed"})
    open_change = CarePackage.objects.filter(replaces=package).exclude(status__in=states.FINAL).first()
    if open_change is not None or hasattr(package, "replaced_by") and package.replaced_by.status not in states.FINAL:
        raise ValidationError({"package": "There is already a change to this package in progress"})
    if CarePackage.objects.filter(replaces=package).exists():
        raise ValidationError({"package": "This package has already been changed once: change the newer package"})
    _check_dates(starts_on, package.ends_on, start_field="starts_on", label="The change")
    if starts_on < package.starts_on:
        raise ValidationError({"starts_on": f"The change must start on or after {package.starts_on:%-d %B %Y}"})
    change = CarePackage.objects.create(client=package.client, plan=package.plan, locality=package.locality,
                                        team=package.team, replaces=package, delivery_mechanism=package.delivery_mechanism,
                                        starts_on=starts_on, ends_on=package.ends_on, requested_by=user)
    _history(change, "", S.DRAFT, user, f"Change to {package.reference} from {starts_on:%-d %B %Y}")
    for line in package.lines.prefetch_related("funding"):
        if line.ends_on is not None and line.ends_on < starts_on:
            continue
        funding = package_line_funding(line)
        copy = PackageLine.objects.create(
            package=change, service_type=line.service_type, provider=line.provider, units_per_week=line.units_per_week,
            unit_cost=line.unit_cost, rate=line.rate, off_framework_reason=line.off_framework_reason,
            starts_on=max(line.starts_on, starts_on), ends_on=line.ends_on, weekly_cost=line.weekly_cost,
            description=line.description, reablement=line.reablement)
        LineFunding.objects.bulk_create(LineFunding(line=copy, stream=s, share_percent=p) for s, p in funding)
    _package_recost(change)
    return change


@transaction.atomic
def line_change(*, user, line, units_per_week, unit_cost=None, off_framework_reason: str = "", ends_on=None,
                funding=None) -> PackageLine:
    """Change a service in a draft (or a change in progress): its units, cost, end or funding."""
    package = CarePackage.objects.select_for_update().get(pk=line.package_id)
    _check_editable(package)
    funding = funding or package_line_funding(line)
    values = _line_values(package, service_type=line.service_type, provider=line.provider, units_per_week=units_per_week,
                          unit_cost=unit_cost, off_framework_reason=off_framework_reason, starts_on=line.starts_on,
                          ends_on=ends_on, funding=funding)
    for name, value in values.items():
        setattr(line, name, value)
    line.save()
    shares = {stream: Decimal(share) for stream, share in funding}
    for row in line.funding.all():  # each change audited; a stream taken off stays at 0%
        if row.share_percent != shares.get(row.stream, Decimal("0")):
            row.share_percent = shares.get(row.stream, Decimal("0"))
            row.save(update_fields=["share_percent"])
    held = set(line.funding.values_list("stream", flat=True))
    LineFunding.objects.bulk_create(LineFunding(line=line, stream=s, share_percent=p)
                                    for s, p in shares.items() if s not in held)
    _package_recost(package)
    return line


def package_decide(*, user, package, decision: str, reason: str = "") -> CarePackage:
    """The approver's decision on a package waiting for approval: approve, return or not approve."""
    acts = {"approve": package_approve, "return": package_return, "not_approve": package_not_approve}
    if decision not in acts:
        raise ValidationError({"decision": "Choose your decision"})
    return acts[decision](user=user, package=package, reason=reason)


@transaction.atomic
def package_cancel(*, user, package, reason: str) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for cancelling"})
    return package_move(package, S.CANCELLED, user=user, reason=reason.strip())


@transaction.atomic
def package_end(*, user, package, ends_on: datetime.date, reason: str) -> CarePackage:
    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if package.status not in (S.ACTIVE, S.APPROVED):
        raise ValidationError({"package": "Only an approved or active package can be ended"})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the package ends"})
    if ends_on is None or ends_on < package.starts_on:
        raise ValidationError({"ends_on": f"The end date must be on or after the start ({package.starts_on:%-d %B %Y})"})
    date_check(ends_on, field="ends_on", label="The end date")
    if ends_on >= timezone.localdate() or package.status == S.APPROVED and package.starts_on > timezone.localdate():
        # A future end: the daily job ends it the day after its last day; the end date is set now.
        package.ends_on, package.end_reason = ends_on, reason.strip()[:200]
        package.save(update_fields=["ends_on", "end_reason", "updated_at"])
        package.lines.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=ends_on)).update(ends_on=ends_on)
        _history(package, package.status, package.status, user, f"To end on {ends_on:%-d %B %Y}: {reason.strip()}")
        return package
    _end(package, ends_on, user=user, reason=reason.strip())
    return package


def packages_start_and_end(*, today: datetime.date | None = None) -> tuple[int, int]:
    """The daily job: approved packages whose start date has come start; active ones past their last
    day end. Only approved packages ever start. Safe to run twice (each move happens once)."""
    today = today or timezone.localdate()
    started = ended = 0
    for pk in CarePackage.objects.filter(status=S.APPROVED, starts_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            package = CarePackage.objects.select_for_update().get(pk=pk)
            if package.status == S.APPROVED and package.starts_on <= today:
                package_move(package, S.ACTIVE, user=None, reason="Started on its start date")
                started += 1
    for pk in CarePackage.objects.filter(status=S.ACTIVE, ends_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            package = CarePackage.objects.select_for_update().get(pk=pk)
            if package.status == S.ACTIVE and package.ends_on and package.ends_on < today:
                _end(package, package.ends_on, user=None, reason=package.end_reason or "Reached its end date")
                ended += 1
    # A line that ends before its package (six weeks of reablement, say) ends its Service in the ledger.
    recent = today - datetime.timedelta(days=7)
    for package in CarePackage.objects.filter(status=S.ACTIVE, lines__ends_on__lt=today,
                                              lines__ends_on__gte=recent).distinct():
        package_ledger(package)
    return started, ended


# Budgets ---------------------------------------------------------------------------------------

@transaction.atomic
def budget_set(*, user, year: int, locality, service_type: str, amount, team=None) -> Budget:
    """Set (or change) the budget for a year, place and service type; changes are audited."""
    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({"amount": "Enter a budget of more than £0"})
    if service_type not in ServiceType.values:
        raise ValidationError({"service_type": "Choose the type of service"})
    if team is not None and team.locality_id != locality.pk:
        raise ValidationError({"team": f"{team} is not in {locality}"})
    budget = Budget.objects.select_for_update().filter(year=year, locality=locality, team=team,
                                                       service_type=service_type).first()
    if budget is None:
        return Budget.objects.create(year=year, locality=locality, team=team, service_type=service_type,
                                     amount=pounds(amount), created_by=user)
    budget.amount = pounds(amount)
    budget.save(update_fields=["amount", "updated_at"])
    return budget


def budgets_check_forecasts(*, today: datetime.date | None = None) -> int:
    """The daily job: each budget whose forecast outturn has reached the alert threshold is told to
    finance officers and the locality's approvers, once per budget, threshold and amount (a budget
    raised later is alerted again if it is overrun again). Safe to run twice."""
    from django.urls import reverse

    from ascm.notifications.services import notify, notify_holders
    from ascm.organisation.selectors import memberships_holding

    from .money import financial_year
    from .selectors import budget_rows

    today = today or timezone.localdate()
    year = financial_year(today)
    percent = FinanceThreshold.value_on(FinanceThreshold.Name.FORECAST_ALERT_PERCENT, today)
    finance = None
    told = 0
    for row in budget_rows(year=year, budgets=Budget.objects.filter(year=year, closed_at__isnull=True)):
        if row.budget is None or row.forecast * 100 < row.budget.amount * percent:
            continue
        _, created = BudgetAlert.objects.get_or_create(budget=row.budget, percent=percent, budget_amount=row.budget.amount,
                                                       defaults={"forecast": row.forecast})
        if not created:
            continue
        told += 1
        if finance is None:
            finance = {m.user for m in memberships_holding("finance.see_county_carepackage").select_related("user")
                       if m.user.is_active}
        title = f"Budget forecast to go over: {row.budget}: forecast £{row.forecast:,} against £{row.budget.amount:,}"
        url = f"{reverse('finance:commitments')}?year={year}&locality={row.budget.locality_id}"
        key = f"budget-forecast:{row.budget.pk}:{percent}:{row.budget.amount}"
        notify(recipients=finance, kind="budget_forecast", key=key, title=title, url=url)
        notify_holders(permission="finance.approve_carepackage", locality=row.budget.locality, kind="budget_forecast",
                       key=key, title=title, url=url)
    return told


def finance_merge(user, survivor, duplicate) -> dict[str, int]:
    """A merge moves the duplicate's care packages, personal budgets, financial assessments, invoices,
    payments and direct payments to the survivor; two current packages at once, or an invoice each for
    the same period, cannot be merged (put one right first)."""
    from clients.services import client_merge_move_rows

    current = CarePackage.objects.filter(client__in=[survivor, duplicate], status__in=(S.APPROVED, S.ACTIVE))
    if current.values("client").distinct().count() > 1:
        raise ValidationError("Both records have a current care package: end one first")
    from .models import ClientInvoice, ClientPayment, DirectPaymentAgreement, FinancialAssessment

    both = (ClientInvoice.objects.filter(client__in=[survivor, duplicate]).values("period_start")
            .annotate(people=Count("client", distinct=True)).filter(people__gt=1).order_by("period_start").first())
    if both is not None:
        raise ValidationError(f"Both records were invoiced for the period from {both['period_start']:%-d %B %Y}: "
                              "the person was billed twice, which finance must put right before the records are merged")
    moved = client_merge_move_rows(user=user, model=CarePackage, field="client", survivor=survivor, duplicate=duplicate)
    moved.update(client_merge_move_rows(user=user, model=PersonalBudget, field="client", survivor=survivor,
                                        duplicate=duplicate))
    moved.update(client_merge_move_rows(user=user, model=FinancialAssessment, field="client", survivor=survivor,
                                        duplicate=duplicate))
    moved.update(client_merge_move_rows(user=user, model=ClientInvoice, field="client", survivor=survivor,
                                        duplicate=duplicate))
    moved.update(client_merge_move_rows(user=user, model=DirectPaymentAgreement, field="client", survivor=survivor,
                                        duplicate=duplicate))
    moved.update(client_merge_move_rows(user=user, model=ClientPayment, field="client", survivor=survivor,
                                        duplicate=duplicate))
    return moved


# Financial assessments (charging) -------------------------------------------------------------------

def charging_rates_on(on: datetime.date):
    from .models import ChargingRates

    return ChargingRates.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def charging_rates_add(*, user, effective_from: datetime.date, **figures):
    """A new table of charging rates from a date (each April). Two tables from the same date overlap."""
    from .models import ChargingRates

    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the date the rates take effect"})
    if ChargingRates.objects.filter(effective_from=effective_from).exists():
        raise ValidationError({"effective_from": f"There are already rates from {effective_from:%-d %B %Y}: "
                                                 "a new table must start on another date"})
    for name, value in figures.items():
        if value is not None and not isinstance(value, int) and Decimal(value) < 0:
            raise ValidationError({name: "A rate cannot be negative"})
    if figures.get("capital_lower") is not None and figures.get("capital_upper") is not None \
            and Decimal(figures["capital_upper"]) <= Decimal(figures["capital_lower"]):
        raise ValidationError({"capital_upper": "The upper capital limit must be above the lower one"})
    return ChargingRates.objects.create(effective_from=effective_from, created_by=user, **figures)


def _check_items(items, field: str, amount: str, kinds: dict):
    for item in items:
        if item.get("kind", "other") not in kinds:
            raise ValidationError({field: f"Choose the kind of each item from the list ({', '.join(kinds)})"})
        try:
            value = Decimal(str(item.get(amount)))
        except (ArithmeticError, ValueError):
            raise ValidationError({field: "Enter each amount in pounds and pence, like 1250.00"}) from None
        if value < 0:
            raise ValidationError({field: "Amounts cannot be negative"})
        item[amount] = str(pounds(value))
    return items


@transaction.atomic
def financial_assessment_save(*, user, client, assessment=None, **data):
    """Create or change a draft financial assessment; amounts are checked, nothing is worked out yet."""
    from .charging import CAPITAL_KINDS, INCOME_KINDS
    from .models import FinancialAssessment

    if assessment is not None and assessment.status != FinancialAssessment.Status.DRAFT:
        raise ValidationError({"assessment": "A completed assessment is not changed: start a new one"})
    data["capital"] = _check_items(list(data.get("capital", [])), "capital", "value", CAPITAL_KINDS)
    data["income"] = _check_items(list(data.get("income", [])), "income", "weekly", INCOME_KINDS)
    data["dre_itemised"] = _check_items([{**i, "kind": "other"} for i in data.get("dre_itemised", [])], "dre_itemised",
                                        "weekly", {"other": ""})
    for name in ("property_value", "housing_costs"):
        if data.get(name) is not None and Decimal(data[name]) < 0:
            raise ValidationError({name: "Amounts cannot be negative"})
        data[name] = pounds(data.get(name) or 0)
    date_check(data.get("assessed_on"), field="assessed_on", label="The assessment date", future=False)
    if data.get("setting") not in FinancialAssessment.Setting.values:
        raise ValidationError({"setting": "Choose care at home or a care home"})
    if assessment is None:
        assessment = FinancialAssessment(client=client, author=user)
    for name, value in data.items():
        setattr(assessment, name, value)
    assessment.save()
    return assessment


def cost_of_care(client) -> Decimal | None:
    """The weekly cost of the person's current care (the most a contribution can be)."""
    from .selectors import costs_of_care

    return costs_of_care([client.pk]).get(client.pk)


_UNKNOWN = object()


def financial_assessment_work_out(assessment, *, rates=None, cost=_UNKNOWN):
    """(rates, lines, weekly contribution, pays full cost) by finance.charging, with the rates in force on
    the assessment's date and the person's current cost of care (both may be given, for a batch); a
    ValidationError says what is missing."""
    from .charging import calculate
    from .models import FinancialAssessment

    rates = rates or charging_rates_on(assessment.assessed_on)
    if rates is None:
        raise ValidationError({"assessed_on": "No charging rates were in force on that date"})
    if cost is _UNKNOWN:
        cost = cost_of_care(assessment.client)
    if assessment.kind in (FinancialAssessment.Kind.FULL_COST, FinancialAssessment.Kind.LIGHT_TOUCH):
        lines = [("Assessment", assessment.get_kind_display()),
                 ("Your weekly contribution: the full cost of your care", f"£{cost:,}" if cost is not None else "The full cost")]
        return rates, lines, cost, True
    try:
        result = calculate(setting=assessment.setting, rates=rates, on=assessment.assessed_on,
                           born=assessment.client.date_of_birth, capital=assessment.capital, income=assessment.income,
                           property_value=assessment.property_value, permanent_care_from=assessment.permanent_care_from,
                           deferred_payment=assessment.deferred_payment, dre_items=assessment.dre_itemised,
                           housing_costs=assessment.housing_costs, disabled=assessment.disabled,
                           enhanced=assessment.enhanced_disability, cost_of_care=cost)
    except ValueError as error:
        raise ValidationError({"assessment": str(error)}) from None
    return rates, result.lines, result.weekly_contribution, result.pays_full_cost


@transaction.atomic
def financial_assessment_complete(*, user, assessment):
    """Work the contribution out with the rates in force on the assessment's date and keep the working;
    an earlier completed assessment for the person is replaced (kept, marked so)."""
    from .models import FinancialAssessment

    assessment = FinancialAssessment.objects.select_for_update().select_related("client").get(pk=assessment.pk)
    if assessment.status != FinancialAssessment.Status.DRAFT:
        raise ValidationError({"assessment": "This assessment is already completed"})
    rates, lines, contribution, full = financial_assessment_work_out(assessment)
    FinancialAssessment.objects.filter(client=assessment.client, status=FinancialAssessment.Status.COMPLETED).update(
        status=FinancialAssessment.Status.SUPERSEDED)
    assessment.rates, assessment.lines, assessment.weekly_contribution = rates, [list(line) for line in lines], contribution
    assessment.pays_full_cost, assessment.status = full, FinancialAssessment.Status.COMPLETED
    assessment.completed_by, assessment.completed_at = user, timezone.now()
    assessment.save()
    return assessment


def person_told(*, user, assessment, told_on: datetime.date):
    """Record the day the person was sent (or given) the contribution letter."""
    from .models import FinancialAssessment

    if assessment.status != FinancialAssessment.Status.COMPLETED:
        raise ValidationError({"assessment": "Complete the assessment before telling the person their contribution"})
    if told_on is None:
        raise ValidationError({"told_on": "Enter the date the person was told"})
    date_check(told_on, field="told_on", label="The date the person was told", future=False,
               not_before=assessment.assessed_on)
    assessment.told_on, assessment.told_by = told_on, user
    assessment.save(update_fields=["told_on", "told_by", "updated_at"])
    return assessment


def charges_start(*, user, assessment, charge_from: datetime.date, backdate_reason: str = ""):
    """The day the contribution is charged from: never without a completed assessment, never before the
    person was told — unless someone who may backdate records why."""
    from .models import FinancialAssessment
    from .permissions import financial_assessment_policy

    if assessment.status != FinancialAssessment.Status.COMPLETED:
        raise ValidationError({"assessment": "Charges start only from a completed financial assessment"})
    if assessment.told_on is None:
        raise ValidationError({"charge_from": "Tell the person their contribution first: charges start from that day"})
    if charge_from is None:
        raise ValidationError({"charge_from": "Enter the date charges start"})
    date_check(charge_from, field="charge_from", label="The date charges start")
    reason = backdate_reason.strip()
    if charge_from < assessment.told_on:
        if not financial_assessment_policy.user_may(user, "backdate"):
            raise ValidationError({"charge_from": (
                f"Charges cannot start before the person was told ({assessment.told_on:%-d %B %Y}): a manager may "
                "backdate them, with the reason")})
        if not reason:
            raise ValidationError({"backdate_reason": "Give the reason the charges are backdated"})
    assessment.charge_from, assessment.charge_set_by = charge_from, user
    assessment.backdate_reason = reason if charge_from < assessment.told_on else ""
    assessment.save(update_fields=["charge_from", "charge_set_by", "backdate_reason", "updated_at"])
    return assessment


# Direct payments -------------------------------------------------------------------------------------

def _dp_review_check(due: datetime.date, since: datetime.date, months: int, field: str = "next_review_due"):
    from ascm.core.dates import add_months

    latest = add_months(since, months)
    if due is None:
        raise ValidationError({field: "Enter the date the next review is due"})
    if due <= since:
        raise ValidationError({field: f"The review must be after {since:%-d %B %Y}"})
    if due > latest:
        raise ValidationError({field: f"Direct payments are reviewed within {months} months: by {latest:%-d %B %Y} at the latest"})


@transaction.atomic
def direct_payment_agree(*, user, package, recipient: str, starts_on: datetime.date, recipient_name: str = "",
                         account_reference: str = "", next_review_due: datetime.date | None = None):
    """The agreement for an approved package delivered as a direct payment: the weekly amount is its
    direct payment lines'; the first review is within 6 months of the start (by then, if no date is given)."""
    from ascm.core.dates import add_months

    from .models import DP_FIRST_REVIEW_MONTHS, DirectPaymentAgreement

    package = CarePackage.objects.select_for_update().get(pk=package.pk)
    if package.status not in (S.APPROVED, S.ACTIVE):
        raise ValidationError({"package": "Only an approved package is paid as a direct payment"})
    weekly = sum((line.weekly_cost for line in package.lines.filter(service_type=ServiceType.DIRECT_PAYMENT)), Decimal("0"))
    if not weekly:
        raise ValidationError({"package": "The package has no direct payment service"})
    if hasattr(package, "direct_payment"):
        raise ValidationError({"package": "This package already has a direct payment agreement"})
    if recipient not in DirectPaymentAgreement.Recipient.values:
        raise ValidationError({"recipient": "Choose who receives the payments"})
    if recipient != DirectPaymentAgreement.Recipient.PERSON and not recipient_name.strip():
        raise ValidationError({"recipient_name": "Give the name of the person who receives the payments"})
    if starts_on is None or starts_on < package.starts_on:
        raise ValidationError({"starts_on": f"The payments start on or after the package ({package.starts_on:%-d %B %Y})"})
    due = next_review_due or add_months(starts_on, DP_FIRST_REVIEW_MONTHS)
    _dp_review_check(due, starts_on, DP_FIRST_REVIEW_MONTHS)
    return DirectPaymentAgreement.objects.create(
        package=package, client=package.client, recipient=recipient, recipient_name=recipient_name.strip(),
        weekly_amount=pounds(weekly), starts_on=starts_on, account_reference=account_reference.strip(),
        next_review_due=due, created_by=user)


def direct_payment_schedule(agreement, count: int = 6) -> list[tuple[datetime.date, Decimal]]:
    """The next payments: every 4 weeks from the start, four weeks' amount each (none after it ends)."""
    today = timezone.localdate()
    day = agreement.starts_on
    while day + datetime.timedelta(weeks=4) <= today:
        day += datetime.timedelta(weeks=4)
    payments = []
    while len(payments) < count and (agreement.ended_on is None or day <= agreement.ended_on):
        payments.append((day, pounds(agreement.weekly_amount * 4)))
        day += datetime.timedelta(weeks=4)
    return payments


@transaction.atomic
def direct_payment_review(*, user, agreement, reviewed_on: datetime.date, notes: str,
                          next_review_due: datetime.date | None = None):
    from ascm.core.dates import add_months
    from ascm.notifications.services import notifications_resolve

    from .models import DP_REVIEW_MONTHS, DirectPaymentReview

    if not notes.strip():
        raise ValidationError({"notes": "Say what the review found"})
    if reviewed_on is None:
        raise ValidationError({"reviewed_on": "Enter the date of the review"})
    date_check(reviewed_on, field="reviewed_on", label="The review date", future=False, not_before=agreement.starts_on)
    due = next_review_due or add_months(reviewed_on, DP_REVIEW_MONTHS)
    _dp_review_check(due, reviewed_on, DP_REVIEW_MONTHS)
    review = DirectPaymentReview.objects.create(agreement=agreement, reviewed_on=reviewed_on, notes=notes.strip(),
                                                next_review_due=due, reviewed_by=user)
    key = f"dp-review:{agreement.pk}:{agreement.next_review_due}"
    agreement.next_review_due = due
    agreement.save(update_fields=["next_review_due", "updated_at"])
    transaction.on_commit(lambda: notifications_resolve(key=key))
    return review


def direct_payment_surplus(*, user, agreement, returned_on: datetime.date, amount, notes: str = ""):
    from .models import DirectPaymentSurplus

    if amount is None or Decimal(amount) <= 0:
        raise ValidationError({"amount": "Enter the amount returned: more than £0"})
    date_check(returned_on, field="returned_on", label="The date returned", future=False, not_before=agreement.starts_on)
    return DirectPaymentSurplus.objects.create(agreement=agreement, returned_on=returned_on, amount=pounds(amount),
                                               notes=notes.strip(), recorded_by=user)


REVIEW_NOTICE_DAYS = 14


def direct_payment_reviews_remind(*, today: datetime.date | None = None) -> int:
    """The daily job: a review due within 14 days (or overdue) is told to the person's team, once per
    agreement and due date. Safe to run twice."""
    from ascm.notifications.services import notify_team

    from .models import DirectPaymentAgreement

    today = today or timezone.localdate()
    told = 0
    due = (DirectPaymentAgreement.objects.filter(ended_on__isnull=True,
                                                 next_review_due__lte=today + datetime.timedelta(days=REVIEW_NOTICE_DAYS))
           .select_related("client", "package__team"))
    for agreement in due:
        when = "overdue since" if agreement.next_review_due < today else "due by"
        told += notify_team(team=agreement.package.team, kind="direct_payment_review",
                            key=f"dp-review:{agreement.pk}:{agreement.next_review_due}",
                            title=f"Direct payment review for {agreement.client} {when} {agreement.next_review_due:%-d %B %Y}",
                            url=agreement.get_absolute_url())
    return told


# Re-assessment on a new April table --------------------------------------------------------------------

def _current_to_reassess(rates):
    from .models import FinancialAssessment

    return FinancialAssessment.objects.filter(status=FinancialAssessment.Status.COMPLETED,
                                              kind=FinancialAssessment.Kind.FULL,
                                              assessed_on__lt=rates.effective_from)


@transaction.atomic
def reassessment_start(*, user, rates):
    from .models import Reassessment
    from .tasks import reassessment_run_task

    if Reassessment.objects.filter(rates=rates).exists():
        raise ValidationError({"rates": "Everyone has already been re-assessed on these rates"})
    job = Reassessment.objects.create(rates=rates, created_by=user, total=_current_to_reassess(rates).count())
    transaction.on_commit(lambda: reassessment_run_task.delay(job.pk))
    return job


REASSESS_BATCH = 500


def reassessment_run(job_id: int, *, batch: int = REASSESS_BATCH) -> int:
    """Work each current full assessment out again on the job's rates, dated the day they take effect:
    in batches, progress saved after each, resuming after the last one done (safe to run twice)."""
    from .models import FinancialAssessment, Reassessment
    from .selectors import costs_of_care

    looked = 0
    while True:
        with transaction.atomic():
            job = Reassessment.objects.select_for_update().select_related("rates").get(pk=job_id)
            if job.status != Reassessment.Status.MAKING:
                return looked
            olds = list(_current_to_reassess(job.rates).filter(pk__gt=job.last_assessment_id)
                        .select_related("client").order_by("pk")[:batch])
            if not olds:
                job.status = Reassessment.Status.DONE
                job.save(update_fields=["status", "updated_at"])
                return looked
            copies = [FinancialAssessment(
                client=old.client, kind=old.kind, setting=old.setting, assessed_on=job.rates.effective_from,
                disabled=old.disabled, enhanced_disability=old.enhanced_disability, capital=old.capital,
                income=old.income, property_value=old.property_value, permanent_care_from=old.permanent_care_from,
                deferred_payment=old.deferred_payment, dre_itemised=old.dre_itemised, housing_costs=old.housing_costs,
                author=job.created_by, completed_by=job.created_by, completed_at=timezone.now(), reassessment=job,
                status=FinancialAssessment.Status.COMPLETED) for old in olds]
            costs = costs_of_care([o.client_id for o in olds])  # the batch's costs of care in one query
            for copy in copies:
                try:
                    copy.rates, lines, copy.weekly_contribution, copy.pays_full_cost = financial_assessment_work_out(
                        copy, rates=job.rates, cost=costs.get(copy.client_id))
                except ValidationError as error:
                    copy.status = FinancialAssessment.Status.DRAFT  # left for a person to finish, with the reason
                    lines = [["Not worked out", " ".join(m for ms in error.message_dict.values() for m in ms)]]
                copy.lines = [list(line) for line in lines]
            FinancialAssessment.objects.bulk_create(copies)
            FinancialAssessment.objects.filter(pk__in=[old.pk for old in olds]).update(
                status=FinancialAssessment.Status.SUPERSEDED)
            # Bulk writes pass auditlog's signals by: each new assessment and each superseded one is logged here.
            audit_records_written(user=job.created_by, model=FinancialAssessment, action=AuditEntry.Action.CREATE,
                                  changes={c.pk: {"status": ["", c.status], "reassessment": ["", str(job.pk)],
                                                  "weekly_contribution": ["", str(c.weekly_contribution)]}
                                           for c in copies})
            audit_records_written(user=job.created_by, model=FinancialAssessment,
                                  changes={old.pk: {"status": [old.status, FinancialAssessment.Status.SUPERSEDED]}
                                           for old in olds})
            job.last_assessment_id, job.done = olds[-1].pk, job.done + len(olds)
            job.save(update_fields=["last_assessment_id", "done", "updated_at"])
            looked += len(olds)


def reassessment_told(*, user, job, told_on: datetime.date):
    """The day the letters went: each new contribution is charged from then (or the rates' date, if later)."""
    from .models import FinancialAssessment, Reassessment

    if job.status != Reassessment.Status.DONE:
        raise ValidationError({"job": "Record the letters once everyone has been worked out"})
    if told_on is None:
        raise ValidationError({"told_on": "Enter the date the letters were sent"})
    date_check(told_on, field="told_on", label="The date the letters were sent", future=False)
    charge_from = max(told_on, job.rates.effective_from)
    told = FinancialAssessment.objects.filter(reassessment=job, status=FinancialAssessment.Status.COMPLETED)
    audit_records_written(user=user, model=FinancialAssessment, changes={
        pk: {"told_on": ["", str(told_on)], "charge_from": ["", str(charge_from)]} for pk in told.values_list("pk", flat=True)})
    told.update(told_on=told_on, told_by=user, charge_from=charge_from, charge_set_by=user)
    job.status, job.told_on = Reassessment.Status.TOLD, told_on
    job.save(update_fields=["status", "told_on", "updated_at"])
    return job
