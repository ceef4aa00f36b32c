"""The Safeguarding Adults Collection (SAC) for one financial year, from the records.

Every figure is the length of a list of cases (or people), so each can be drilled down to the cases
behind it and the list's count always equals the figure. Counting rules, from the collection:
- SG1 counts concerns and enquiries *started* in the year. In the person tables each person once
  (age band by age on 31 March, or at death if earlier; gender; ethnicity; primary support reason);
  in the case tables each case every time.
- SG2 counts s42 enquiries *concluded* in the year: one count per distinct type of risk, location and
  source per enquiry (two strangers are one "Other – unknown"; a stranger and a carer one each), the
  same for action and result, and risk outcome only where risk was identified.
- SG3, Making Safeguarding Personal, for the same concluded s42 enquiries: outcomes asked and
  expressed, achieved; and for those lacking capacity, whether an advocate, family member or friend
  supported them.
A fixed number of queries for the whole year, whatever its size."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from types import SimpleNamespace

from ascm.core.years import financial_year, year_label, year_parse  # noqa: F401 - the returns' year, read in one place
from clients.reference import Ethnicity, Gender, PrimarySupportReason

from .models import (
    RISK_IDENTIFIED,
    ActionResult,
    AdultAtRisk,
    Allegation,
    Enquiry,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
)
from .permissions import concern_policy

AGE_BANDS = [("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85-94", 85, 94), ("95+", 95, 200)]


@dataclass
class Row:
    key: str
    label: str
    ids: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)


@dataclass
class Table:
    key: str
    title: str
    unit: str  # "people", "concerns" or "enquiries": what the drill-down lists
    rows: list[Row]

    @property
    def total(self) -> int:
        return len({i for row in self.rows for i in row.ids}) if self.unit == "people" else sum(r.count for r in self.rows)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The financial year starting 1 April `year` (2026 → 2026-27)."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def _age_band(client, on: datetime.date) -> str:
    if client.date_of_birth is None:
        return "unknown"
    at = min(on, client.date_of_death) if client.date_of_death else on
    age = at.year - client.date_of_birth.year - ((at.month, at.day) < (client.date_of_birth.month, client.date_of_birth.day))
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return "unknown"


def _rows(choices, values_of, items, id_of) -> list[Row]:
    """Rows in the code list's order; each item counted once per distinct value it has."""
    rows = OrderedDict((code, Row(code, label)) for code, label in choices)
    for item in items:
        for value in values_of(item):
            rows.setdefault(value or "unknown", Row(value or "unknown", "Not recorded")).ids.append(id_of(item))
    return list(rows.values())


def _person_tables(prefix: str, title: str, clients: list, on: datetime.date) -> list[Table]:
    bands = [(label, label) for label, _, _ in AGE_BANDS] + [("unknown", "Age not known")]
    return [
        Table(f"{prefix}-age", f"{title}: age band", "people", _rows(bands, lambda c: [_age_band(c, on)], clients, lambda c: c.pk)),
        Table(f"{prefix}-gender", f"{title}: gender", "people", _rows(Gender.choices, lambda c: [c.gender], clients, lambda c: c.pk)),
        Table(f"{prefix}-ethnicity", f"{title}: ethnicity", "people",
              _rows(Ethnicity.choices, lambda c: [c.ethnicity], clients, lambda c: c.pk)),
        Table(f"{prefix}-psr", f"{title}: primary support reason", "people",
              _rows(PrimarySupportReason.choices, lambda c: [c.primary_support_reason], clients, lambda c: c.pk)),
    ]


_PERSON = ("date_of_birth", "date_of_death", "gender", "ethnicity", "primary_support_reason")


def _light(names, values) -> SimpleNamespace:
    return SimpleNamespace(**dict(zip(names, values, strict=True)))


def sac_tables(*, user, year: int) -> dict[str, list[Table]]:
    """SG1, SG2 and SG3 for the financial year, for the concerns the user may see. The rows are read
    as plain values (no model instances: a county's year is some 100,000 rows), then counted."""
    start, end = year_bounds(year)
    concerns = concern_policy.instances(user)
    person = [f"client__{name}" for name in _PERSON]
    people = {}

    def client_of(client_id, values):
        if client_id not in people:
            people[client_id] = _light(("pk", *_PERSON), (client_id, *values))
        return people[client_id]

    adults = [SimpleNamespace(concern_id=concern_id, client=client_of(client_id, rest)) for concern_id, client_id, *rest in
              AdultAtRisk.objects.filter(concern__in=concerns, concern__received_at__date__gte=start,
                                         concern__received_at__date__lte=end)
              .values_list("concern_id", "client_id", *person)]
    started = [SimpleNamespace(pk=pk, kind=kind, adult=SimpleNamespace(client=client_of(client_id, rest)))
               for pk, kind, client_id, *rest in
               Enquiry.objects.filter(adult__concern__in=concerns, started_on__gte=start, started_on__lte=end)
               .values_list("pk", "kind", "adult__client_id", *[f"adult__{name}" for name in person])]
    enquiry_fields = ("pk", "outcomes_asked", "outcomes_achieved", "capacity", "support")
    concluded = [_light(enquiry_fields, row) for row in
                 Enquiry.objects.filter(adult__concern__in=concerns, kind="s42", status=Enquiry.Status.CONCLUDED,
                                        concluded_on__gte=start, concluded_on__lte=end).values_list(*enquiry_fields)]
    allegation_fields = ("risk_type", "location", "source", "action_result", "risk_outcome")
    allegations = {}
    for enquiry_id, *row in (Allegation.objects.filter(enquiry_id__in=[e.pk for e in concluded])
                             .values_list("enquiry_id", *allegation_fields)):
        allegations.setdefault(enquiry_id, []).append(_light(allegation_fields, row))

    def unique(clients):
        return list({c.pk: c for c in clients}.values())

    concern_people = unique(a.client for a in adults)
    s42_people = unique(e.adult.client for e in started if e.kind == "s42")
    other_people = unique(e.adult.client for e in started if e.kind == "other")
    concern_ids = sorted({a.concern_id for a in adults})
    sg1 = [Table("sg1-cases", "Cases started in the year", "cases", [
        Row("concerns", "Safeguarding concerns", concern_ids),
        Row("s42", "Section 42 enquiries", [e.pk for e in started if e.kind == "s42"]),
        Row("other", "Other enquiries", [e.pk for e in started if e.kind == "other"]),
    ])]
    sg1 += _person_tables("sg1-concern-people", "People with a concern", concern_people, end)
    sg1 += _person_tables("sg1-s42-people", "People with a section 42 enquiry", s42_people, end)
    sg1 += _person_tables("sg1-other-people", "People with an other enquiry", other_people, end)

    def distinct(enquiry, attribute, only=None):
        return sorted({getattr(a, attribute) for a in allegations.get(enquiry.pk, ())
                       if getattr(a, attribute) and (only is None or only(a))})

    sg2 = [
        Table("sg2-type", "Concluded section 42 enquiries: type of risk", "enquiries",
              _rows(RiskType.choices, lambda e: distinct(e, "risk_type"), concluded, lambda e: e.pk)),
        Table("sg2-location", "Concluded section 42 enquiries: location of risk", "enquiries",
              _rows(RiskLocation.choices, lambda e: distinct(e, "location"), concluded, lambda e: e.pk)),
        Table("sg2-source", "Concluded section 42 enquiries: source of risk", "enquiries",
              _rows(RiskSource.choices, lambda e: distinct(e, "source"), concluded, lambda e: e.pk)),
        Table("sg2-action", "Concluded section 42 enquiries: action and result", "enquiries",
              _rows(ActionResult.choices, lambda e: distinct(e, "action_result"), concluded, lambda e: e.pk)),
        Table("sg2-outcome", "Concluded section 42 enquiries where risk was identified: risk outcome", "enquiries",
              _rows(RiskOutcome.choices, lambda e: distinct(e, "risk_outcome", lambda a: a.action_result in RISK_IDENTIFIED),
                    concluded, lambda e: e.pk)),
    ]
    expressed = [e for e in concluded if e.outcomes_asked == Enquiry.OutcomesAsked.EXPRESSED]
    lacking = [e for e in concluded if e.capacity == Enquiry.Capacity.LACKS]
    sg3 = [
        Table("sg3-asked", "Making Safeguarding Personal: were they asked about their desired outcomes?", "enquiries",
              _rows(Enquiry.OutcomesAsked.choices, lambda e: [e.outcomes_asked], concluded, lambda e: e.pk)),
        Table("sg3-achieved", "Of those who expressed outcomes: were they achieved?", "enquiries",
              _rows(Enquiry.Achieved.choices, lambda e: [e.outcomes_achieved], expressed, lambda e: e.pk)),
        Table("sg3-advocacy", "Of those lacking capacity: supported by an advocate, family or friend?", "enquiries",
              _rows([("yes", "Yes"), ("no", "No")],
                    lambda e: ["yes" if e.support in (Enquiry.Support.ADVOCATE, Enquiry.Support.FAMILY_FRIEND) else "no"],
                    lacking, lambda e: e.pk)),
    ]
    return {"SG1": sg1, "SG2": sg2, "SG3": sg3}


def sac_table(*, user, year: int, key: str) -> Table | None:
    for tables in sac_tables(user=user, year=year).values():
        for table in tables:
            if table.key == key:
                return table
    return None


def sac_missing(*, user, year: int) -> list[dict]:
    """Cases in the year the return cannot count fully yet, and what each is missing."""
    start, end = year_bounds(year)
    concerns = concern_policy.instances(user)
    problems = []
    for adult in (AdultAtRisk.objects.filter(concern__in=concerns, concern__received_at__date__gte=start,
                                             concern__received_at__date__lte=end).select_related("client", "concern")):
        client, missing = adult.client, []
        if client.date_of_birth is None:
            missing.append("date of birth")
        if client.gender in ("", Gender.NOT_KNOWN):
            missing.append("gender")
        if client.ethnicity in ("", "99", "Z"):
            missing.append("ethnicity")
        if client.primary_support_reason in ("", "unknown"):
            missing.append("primary support reason")
        if missing:
            problems.append({"what": f"{adult.concern.reference}: {client}", "url": adult.concern.get_absolute_url(),
                             "missing": missing})
    for enquiry in (Enquiry.objects.filter(adult__concern__in=concerns, status=Enquiry.Status.CONCLUDED,
                                           concluded_on__gte=start, concluded_on__lte=end)
                    .select_related("adult__client").prefetch_related("allegations")):
        missing = []
        if not enquiry.outcomes_asked:
            missing.append("whether desired outcomes were asked")
        if not enquiry.capacity:
            missing.append("capacity")
        if any(not (a.risk_type and a.location and a.source and a.action_result) for a in enquiry.allegations.all()):
            missing.append("an allegation's codes")
        if missing:
            problems.append({"what": f"{enquiry.reference}: {enquiry.adult.client}", "url": enquiry.get_absolute_url(),
                             "missing": missing})
    return problems


def current_year(today=None) -> int:
    return financial_year(today)
