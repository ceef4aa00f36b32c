"""The finance return (ASC-FR) extracts for a financial year, from what the council paid and charged:
providers' payments and direct payments in the year's approved pay runs (gross expenditure), and the
people's contributions — their invoices from those pay runs and the contributions netted off their
direct payments — as income. Long-term support by primary support reason × setting × age band,
short-term support by setting × age band, care homes' cost per resident-week and home care's
average hourly rate (in-house and external).

A pay run belongs to the year its period starts in. A person's invoice is shared across the
settings of the care it was for in proportion to their cost, to the penny, so every figure is the sum
of its list of people and the contributions reconcile exactly with what was invoiced."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, CharField, F, Q, Sum, Value, When
from django.utils import timezone

from ascm.core.years import financial_year, year_bounds, year_label

from .models import ClientInvoice, DirectPaymentInstalment, PayRun, PayRunItem, ServiceType

ZERO = Decimal("0.00")
LONG_TERM = {
    "nursing": "Nursing care",
    "residential": "Residential care",
    "supported": "Supported accommodation (supported living and Shared Lives)",
    "direct_payment": "Community: direct payments",
    "home_care": "Community: home care",
    "day_care": "Community: day care",
}
SHORT_TERM = {
    "st_max": "Short-term support to maximise independence (reablement)",
    "st_residential": "Short-term residential care (respite)",
    "low_level": "Ongoing low-level support (equipment)",
}
SETTINGS = {**LONG_TERM, **SHORT_TERM}
BANDS = ("18 to 64", "65 and over", "Under 18 or age not known")
HOME_CARE_PROVIDERS = {"in_house": "In-house (the council's own service)", "external": "External providers"}


def year_check(year: int, *, today: datetime.date | None = None) -> None:
    """A year that has not started has nothing to return; the current one is shown to date."""
    if year > financial_year(today or timezone.localdate()):
        raise ValidationError({"year": f"The {year_label(year)} financial year has not started yet"})


def _band(prefix: str, year: int):
    end = year_bounds(year)[1]
    born = f"{prefix}date_of_birth"
    return Case(When(**{f"{born}__lte": end.replace(year=end.year - 65)}, then=Value(BANDS[1])),
                When(**{f"{born}__lte": end.replace(year=end.year - 18)}, then=Value(BANDS[0])),
                default=Value(BANDS[2]), output_field=CharField())


def _setting():
    types = ServiceType
    return Case(
        When(line__reablement=True, then=Value("st_max")),
        When(line__service_type=types.NURSING, then=Value("nursing")),
        When(line__service_type=types.RESIDENTIAL, then=Value("residential")),
        When(line__service_type__in=(types.SUPPORTED_LIVING, types.SHARED_LIVES), then=Value("supported")),
        When(line__service_type=types.DIRECT_PAYMENT, then=Value("direct_payment")),
        When(line__service_type=types.HOME_CARE, then=Value("home_care")),
        When(line__service_type=types.DAY_SERVICE, then=Value("day_care")),
        When(line__service_type=types.RESPITE, then=Value("st_residential")),
        default=Value("low_level"), output_field=CharField())


def _runs(year: int):
    start, end = year_bounds(year)
    return Q(pay_run__status=PayRun.Status.APPROVED, pay_run__period_start__gte=start, pay_run__period_start__lte=end)


@dataclass
class PersonFigure:
    """What one person cost in one setting in the year, and their contribution to it."""

    client_id: int
    setting: str
    psr: str
    band: str
    gross: Decimal = ZERO
    contribution: Decimal = ZERO
    units: Decimal = ZERO
    in_house_gross: Decimal = ZERO
    in_house_units: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.contribution

    @property
    def setting_label(self) -> str:
        return SETTINGS[self.setting]


def person_figures(year: int) -> list[PersonFigure]:
    """Every person and setting the year's money went on: three grouped queries (providers'
    payments, direct payments, invoices), the invoices shared out in Python."""
    found: dict[tuple[int, str], PersonFigure] = {}
    items = (PayRunItem.objects.filter(_runs(year), held=False)
             .values(client=F("line__package__client_id"), setting=_setting(),
                     psr=F("line__package__client__primary_support_reason"),
                     band=_band("line__package__client__", year),
                     in_house=Case(When(provider__kind="council", then=Value(True)), default=Value(False),
                                   output_field=BooleanField()))
             .annotate(gross=Sum("amount"), units=Sum("units_paid")).order_by())
    for row in items:
        figure = found.setdefault((row["client"], row["setting"]),
                                  PersonFigure(row["client"], row["setting"], row["psr"], row["band"]))
        figure.gross += row["gross"]
        figure.units += row["units"]
        if row["in_house"]:
            figure.in_house_gross += row["gross"]
            figure.in_house_units += row["units"]
    direct = (DirectPaymentInstalment.objects.filter(_runs(year))
              .values(client=F("agreement__client_id"), psr=F("agreement__client__primary_support_reason"),
                      band=_band("agreement__client__", year))
              .annotate(gross=Sum("gross"), contribution=Sum("contribution")).order_by())
    for row in direct:
        figure = found.setdefault((row["client"], "direct_payment"),
                                  PersonFigure(row["client"], "direct_payment", row["psr"], row["band"]))
        figure.gross += row["gross"]
        figure.contribution += row["contribution"]
    invoiced = dict(ClientInvoice.objects.filter(_runs(year)).values("client_id").annotate(total=Sum("amount"))
                    .order_by().values_list("client_id", "total"))
    by_client = defaultdict(list)
    for figure in found.values():
        by_client[figure.client_id].append(figure)
    for client_id, total in invoiced.items():
        _share(total, [f for f in by_client.get(client_id, []) if f.setting != "direct_payment"]
               or by_client.get(client_id, []))
    return sorted(found.values(), key=lambda f: (f.setting, f.psr, f.band, f.client_id))


def _share(total: Decimal, figures: list[PersonFigure]) -> None:
    """An invoice's amount over the settings it was for, by cost; the last takes the pennies left."""
    if not figures:
        return
    figures = sorted(figures, key=lambda f: (f.gross, f.setting))
    cost = sum(f.gross for f in figures)
    left = total
    for figure in figures[:-1]:
        part = (total * figure.gross / cost).quantize(Decimal("0.01")) if cost else ZERO
        figure.contribution += part
        left -= part
    figures[-1].contribution += left


@dataclass
class Cell:
    gross: Decimal = ZERO
    contribution: Decimal = ZERO
    units: Decimal = ZERO
    people: set = field(default_factory=set)

    def add(self, f: PersonFigure):
        self.gross += f.gross
        self.contribution += f.contribution
        self.units += f.units
        self.people.add(f.client_id)

    @property
    def net(self):
        return self.gross - self.contribution


def psr_labels() -> dict[str, str]:
    from clients.models import Client

    return dict(Client._meta.get_field("primary_support_reason").choices)


def extract(year: int) -> dict:
    """The year's figures: long-term by band → PSR → setting; short-term by setting → band; care
    homes' cost per resident-week and home care's hourly rates; totals that reconcile."""
    figures = person_figures(year)
    labels = psr_labels()
    long_term = {band: defaultdict(lambda: defaultdict(Cell)) for band in BANDS}
    short_term = defaultdict(lambda: defaultdict(Cell))
    totals = {"long": Cell(), "short": Cell(), "all": Cell()}
    homes = {key: Cell() for key in ("residential", "nursing")}
    home_care = {key: Cell() for key in HOME_CARE_PROVIDERS}
    for f in figures:
        if f.setting in LONG_TERM:
            long_term[f.band][f.psr][f.setting].add(f)
            long_term[f.band][f.psr]["total"].add(f)
            totals["long"].add(f)
        else:
            short_term[f.setting][f.band].add(f)
            short_term[f.setting]["total"].add(f)
            totals["short"].add(f)
        totals["all"].add(f)
        if f.setting in homes:
            homes[f.setting].add(f)
        if f.setting == "home_care":
            home_care["in_house"].gross += f.in_house_gross
            home_care["in_house"].units += f.in_house_units
            home_care["external"].gross += f.gross - f.in_house_gross
            home_care["external"].units += f.units - f.in_house_units
    return {
        "year": year, "label": year_label(year), "to_date": year == financial_year(),
        "long_term": [{"band": band, "rows": [
            {"psr": psr, "label": labels.get(psr, psr), "cells": [{"key": s, "label": LONG_TERM[s], "cell": row[s]} for s in LONG_TERM], "total": row["total"]}
            for psr, row in sorted(long_term[band].items(), key=lambda kv: labels.get(kv[0], kv[0]))]}
            for band in BANDS if long_term[band]],
        "short_term": [{"setting": key, "label": label, "cells": [{"key": b, "cell": short_term[key][b]} for b in BANDS],
                        "total": short_term[key]["total"]} for key, label in SHORT_TERM.items()],
        "unit_costs": [{"setting": key, "label": LONG_TERM[key], "gross": cell.gross, "weeks": cell.units,
                        "per_week": _per(cell.gross, cell.units)} for key, cell in homes.items()],
        "home_care": [{"provider": key, "label": label, "gross": home_care[key].gross, "hours": home_care[key].units,
                       "per_hour": _per(home_care[key].gross, home_care[key].units)}
                      for key, label in HOME_CARE_PROVIDERS.items()],
        "totals": totals, "long_settings": LONG_TERM, "bands": BANDS,
    }


def _per(money: Decimal, units: Decimal) -> Decimal | None:
    return (money / units).quantize(Decimal("0.01")) if units else None


def people(year: int, *, setting: str = "", psr: str = "", band: str = "") -> list[PersonFigure]:
    """The people behind a figure (their figures sum to it)."""
    return [f for f in person_figures(year) if (not setting or f.setting == setting or setting == "long" and
                                                f.setting in LONG_TERM or setting == "short" and f.setting in SHORT_TERM)
            and (not psr or f.psr == psr) and (not band or f.band == band)]


def filters_check(*, setting: str, psr: str, band: str) -> None:
    errors = {}
    if setting and setting not in SETTINGS and setting not in ("long", "short"):
        errors["setting"] = f"Choose one of: {', '.join([*SETTINGS, 'long', 'short'])}"
    if psr and psr not in psr_labels():
        errors["psr"] = "Choose a primary support reason"
    if band and band not in BANDS:
        errors["band"] = f"Choose one of: {', '.join(BANDS)}"
    if errors:
        raise ValidationError(errors)


def csv_rows(data: dict):
    yield ["Section", "Setting", "Primary support reason", "Age band", "Gross expenditure", "Client contributions",
           "Net expenditure", "People", "Units paid"]
    for band in data["long_term"]:
        for row in band["rows"]:
            for one in row["cells"]:
                key, cell = one["key"], one["cell"]
                if cell.people:
                    yield ["Long-term support", LONG_TERM[key], row["label"], band["band"], cell.gross,
                           cell.contribution, cell.net, len(cell.people), cell.units]
    for row in data["short_term"]:
        for one in row["cells"]:
            band, cell = one["key"], one["cell"]
            if cell.people:
                yield ["Short-term support", row["label"], "", band, cell.gross, cell.contribution, cell.net,
                       len(cell.people), cell.units]
    for row in data["unit_costs"]:
        yield ["Unit cost per resident-week", row["label"], "", "", row["gross"], "", "", "", row["weeks"]]
    for row in data["home_care"]:
        yield ["Home care average hourly rate", row["label"], "", "", row["gross"], "", "", "", row["hours"]]
