"""The council's own view of the old SALT short- and long-term tables, rebuilt from the rows of a
Client Level Data file as NHS England's published transformations rebuild them from a submission
(NHSDigital/ASC-Client-Level-Data-SALT-ASCOF-transformations, 2023/24; see CLD-REFERENCE.md §4),
in the file's release strings. Each figure is a count of entries — one per request, period of
short-term support, review or person, as the table counts — and each entry names its person and
event, so every figure's list has exactly as many rows as the figure.

Rows come one person at a time (the file is written person by person); a carer's rows are the
carer's own and are gathered apart, one category per carer. Nothing here reads the database."""

import datetime
from dataclasses import dataclass

from .returns import age_on

DAY = datetime.timedelta(days=1)

ST_MAX = "Short term support: ST-Max"
ONGOING_LOW_LEVEL = "Short term support: Ongoing low level"
OTHER_SHORT_TERM = "Short term support: Other short term"
LONG_TERM = "Long term support: "
NURSING, RESIDENTIAL, COMMUNITY, PRISON = (LONG_TERM + s for s in ("Nursing care", "Residential care", "Community",
                                                                  "Prison"))
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
CARER_INVOLVING = "Unpaid carer support: Support involving the person cared-for"
INFORMATION_AND_ADVICE = "Information and advice"  # the part of the NFA outcome every release spells alike
# STS001's ranking of what followed a request: the highest-ranked service in the chain is the sequel.
SEQUEL_RANK = {ST_MAX: 1, NURSING: 2, RESIDENTIAL: 3, COMMUNITY: 4, PRISON: 5, ONGOING_LOW_LEVEL: 6, OTHER_SHORT_TERM: 7}

AGE_BANDS = ("18 to 64", "65 and over")
CARER_AGE_BANDS = ("Under 18", "18 to 25", "26 to 64", "65 to 84", "85 and over", "Age not known")
# LTS001: one setting per person, the first of these their services give.
SETTINGS = ("Nursing care", "Residential care", "Community: Direct payment", "Community: CASSR managed personal budget",
            "Community: CASSR commissioned support", "Community: delivery mechanism not recorded",
            "Prison: CASSR managed personal budget", "Prison: CASSR commissioned support",
            "Prison: delivery mechanism not recorded")
ST_MAX_SEQUELS = ("Long term support (any setting)", "Ongoing low level support", "Short term support (other)",
                  "Early cessation of service (not leading to long term support): NHS funded care, end of life or deceased",
                  "No services provided: needs identified but self-funding",
                  "No services provided: needs identified but support declined",
                  "No services provided: universal services or signposted to other services",
                  "No services provided: other")
CARER_CATEGORIES = ("Direct payment only", "CASSR managed personal budget", "CASSR commissioned support only",
                    "Support direct to carer: delivery mechanism not known",
                    "Information, advice and other universal services or signposting",
                    "No direct support provided to carer")


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    counts: str  # what one entry is, for the heading of its list
    about: str
    rows: tuple = ()  # the order rows are shown in; rows that are found and not named here follow, sorted
    columns: tuple = AGE_BANDS


TABLES = {t.key: t for t in (
    Table("STS001", "STS001: requests for support from new clients, and what followed", "requests",
          "Requests completed in the period from people not already in long-term support (requests less than "
          "5 days apart are one), by what followed within 28 days: the highest-ranked service, else the outcome "
          "of an assessment or review that ended without services, else the request's own outcome.",
          rows=tuple(SEQUEL_RANK)),
    Table("STS001-route", "STS001: requests for support from new clients, by route of access", "requests",
          "The same requests as STS001, by how each came to the council."),
    Table("STS002a", "STS002a: new clients' short-term support to maximise independence, and what followed",
          "periods of short-term support",
          "ST-Max that followed a new client's request and ended in the period (periods a day or less apart are "
          "one), by what followed within 3 days.", rows=ST_MAX_SEQUELS),
    Table("STS002b", "STS002b: short-term support to maximise independence for existing clients",
          "periods of short-term support",
          "ST-Max that ended in the period for people already in long-term support when it started.",
          rows=("ST-Max for existing clients",)),
    Table("LTS001a-18-64", "LTS001a: people in long-term support during the period, aged 18 to 64", "people",
          "Each person once, under their highest setting (nursing, then residential, then community by how it is "
          "delivered, then prison), by primary support reason. Age at the end of the period.", columns=SETTINGS),
    Table("LTS001a-65", "LTS001a: people in long-term support during the period, aged 65 and over", "people",
          "As the table above, for people aged 65 and over.", columns=SETTINGS),
    Table("LTS001b-18-64", "LTS001b: people in long-term support on the last day of the period, aged 18 to 64",
          "people", "Each person once, under their highest setting on the last day, by primary support reason.",
          columns=SETTINGS),
    Table("LTS001b-65", "LTS001b: people in long-term support on the last day of the period, aged 65 and over",
          "people", "As the table above, for people aged 65 and over.", columns=SETTINGS),
    Table("LTS002", "LTS002: reviews of people in long-term support, by outcome", "reviews",
          "Reviews completed in the period of people in long-term support during it."),
    Table("LTS002-achieved", "LTS002: reviews of people in long-term support, by outcomes achieved", "reviews",
          "The same reviews, by how far the person's outcomes were achieved."),
    Table("LTS003", "LTS003: unpaid carers supported during the period", "carers",
          "Each carer once, under the first of these their events give.", rows=CARER_CATEGORIES,
          columns=CARER_AGE_BANDS),
)}


@dataclass(frozen=True)
class Event:
    """The fields of a file row the tables read."""

    kind: str
    reference: str
    start: datetime.date
    end: datetime.date | None
    outcome: str
    route: str
    service_type: str
    component: str
    mechanism: str
    achieved: str


@dataclass(frozen=True)
class Entry:
    table: str
    row: str
    column: str
    client_id: int
    event_reference: str


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Derivation:
    """Feed it each person's rows (`person`), then `finish()` for the carers; entries come back."""

    def __init__(self, columns: list[str], *, start: datetime.date, end: datetime.date, codes: dict):
        self.at = {name: i for i, name in enumerate(columns)}
        self.start, self.end = start, end
        self.carer_type = codes["client_type"]["carer"]
        self.event_types = {v: k for k, v in codes["event_type"].items()}
        self.carers: dict[int, tuple[int, str, str]] = {}  # carer -> (category rank, age band, reference)

    def _event(self, values: list[str]) -> Event:
        v = lambda name: values[self.at[name]]  # noqa: E731
        return Event(self.event_types.get(v("Event Type"), ""), v("Event Reference"), _date(v("Event Start Date")),
                     _date(v("Event End Date")), v("Event Outcome"), v("Request: Route of Access"), v("Service Type"),
                     v("Service Component"), v("Delivery Mechanism"), v("Review Outcomes Achieved"))

    def _born(self, values):
        month, year = values[self.at["Birth Month"]], values[self.at["Birth Year"]]
        return datetime.date(int(year), int(month), 1) if month and year else None

    def person(self, rows: list[list[str]]) -> list[Entry]:
        """One person's rows of the file (their carer's-assessment rows are the carer's: see `carer`)."""
        mine = [r for r in rows if r[self.at["Client Type"]] != self.carer_type]
        for r in rows:
            if r[self.at["Client Type"]] == self.carer_type:
                self.carer(r)
        if not mine or not mine[0][self.at["LA Person Unique Identifier"]]:
            return []
        first = mine[0]
        client_id = int(first[self.at["LA Person Unique Identifier"]])
        born = self._born(first)
        if born is None:  # the transformations drop a person with no birth month and year (the report lists them)
            return []
        died = _date(first[self.at["Date of Death"]])
        psr = first[self.at["Primary Support Reason"]] or "Unknown"
        events = sorted((self._event(r) for r in mine), key=lambda e: (e.start, e.reference))
        age = age_on(born, self.end)
        if age < 18:
            return []
        band = AGE_BANDS[age >= 65]
        entries = []
        entry = lambda table, row, column, ref: entries.append(Entry(table, row, column, client_id, ref))  # noqa: E731
        long_term = [e for e in events if e.kind == "service" and e.service_type.startswith(LONG_TERM)]
        cohort = self._requests(events, long_term, band, entry)
        self._st_max(events, long_term, cohort, band, entry)
        self._long_term(long_term, died, psr, age, entry)
        if long_term and (died is None or died >= self.start):
            for review in (e for e in events if e.kind == "review"):
                entry("LTS002", review.outcome or "Outcome not recorded", band, review.reference)
                entry("LTS002-achieved", review.achieved or "Not recorded", band, review.reference)
        return entries

    # STS001 ------------------------------------------------------------------------------------------

    def _requests(self, events, long_term, band, entry) -> set[datetime.date]:
        """Requests from new clients and what followed; returns the start dates of the ST-Max that
        followed (STS002a's cohort)."""
        clusters = []  # [start, last request, references]
        for r in (e for e in events if e.kind == "request" and e.end):
            if clusters and r.start <= clusters[-1][1].end + 4 * DAY:
                if r.end >= clusters[-1][1].end:
                    clusters[-1][1] = r
                clusters[-1][2].add(r.reference)
            else:
                clusters.append([r.start, r, {r.reference}])
        cohort = set()
        for start, last, references in clusters:
            if any(s.start <= start and (s.end is None or start <= s.end) for s in long_term):
                continue  # already in long-term support: not a new client
            chain = self._chain([e for e in events if e.start >= last.end and e.reference not in references],
                                last.end, within=28, breaks=lambda e: e.kind == "request")
            services = [e for e in chain if e.kind == "service" and e.service_type in SEQUEL_RANK]
            if services:
                top = min(services, key=lambda e: (SEQUEL_RANK[e.service_type], e.start))
                row = top.service_type
                if row == ST_MAX:
                    cohort.add(top.start)
            elif (ended := self._nfa(chain)) is not None:
                row = f"Ended without services: {ended}"
            elif chain:
                row = f"No service found: {last.outcome}"
            else:
                row = f"Nothing followed within 28 days: {last.outcome}"
            entry("STS001", row, band, last.reference)
            entry("STS001-route", last.route or "Route of access not recorded", band, last.reference)
        return cohort

    @staticmethod
    def _chain(later, after: datetime.date, *, within: int, breaks) -> list[Event]:
        """The events that followed: the first starting within `within` days of `after`, then each
        starting no more than 3 days after the chain so far ends; `breaks` ends it."""
        chain, reach = [], after
        for e in sorted(later, key=lambda e: (e.start, e.reference)):
            if breaks(e):
                break
            if (e.start - after).days > within if not chain else reach is not None and e.start > reach + 3 * DAY:
                break
            chain.append(e)
            reach = None if e.end is None or reach is None else max(reach, e.end)
        return chain

    @staticmethod
    def _nfa(chain) -> str | None:
        ended = sorted((e for e in chain if e.kind in ("assessment", "review") and e.outcome.startswith("NFA")),
                       key=lambda e: e.end or datetime.date.max)
        if not ended:
            return None
        last = [e.outcome for e in ended if e.end == ended[-1].end]
        return last[0] if len(set(last)) == 1 else "NFA: Other"

    # STS002a/b ---------------------------------------------------------------------------------------

    def _st_max(self, events, long_term, cohort, band, entry):
        clusters = []  # [members]
        for s in (e for e in events if e.kind == "service" and e.service_type == ST_MAX):
            if clusters and all(m.end is not None for m in clusters[-1]) and s.start <= max(
                    m.end for m in clusters[-1]) + DAY:
                clusters[-1].append(s)
            else:
                clusters.append([s])
        for members in clusters:
            if any(m.end is None for m in members):
                continue
            start, end = members[0].start, max(m.end for m in members)
            if not self.start <= end <= self.end:
                continue
            last = max(members, key=lambda m: (m.end, m.reference))
            if any(m.start in cohort for m in members):
                entry("STS002a", self._after_st_max(events, members, end), band, last.reference)
            elif any(s.start <= start and (s.end is None or start <= s.end) for s in long_term):
                entry("STS002b", "ST-Max for existing clients", band, last.reference)

    def _after_st_max(self, events, members, end) -> str:
        chain = self._chain([e for e in events if e.start >= end and e not in members], end, within=3,
                            breaks=lambda e: e.kind == "service" and e.service_type == ST_MAX)
        types = {e.service_type for e in chain if e.kind == "service"}
        if any(t.startswith(LONG_TERM) for t in types):
            return ST_MAX_SEQUELS[0]
        if ONGOING_LOW_LEVEL in types:
            return ST_MAX_SEQUELS[1]
        if OTHER_SHORT_TERM in types:
            return ST_MAX_SEQUELS[2]
        outcome = self._nfa(chain) or max(members, key=lambda m: (m.end, m.reference)).outcome
        if not outcome.startswith("NFA"):
            return ST_MAX_SEQUELS[7]
        text = outcome.lower()
        if "deceased" in text or "nhs funded" in text or "end of life" in text:
            return ST_MAX_SEQUELS[3]
        if "self-funded" in text:
            return ST_MAX_SEQUELS[4]
        if "declined" in text:
            return ST_MAX_SEQUELS[5]
        if INFORMATION_AND_ADVICE.lower() in text:
            return ST_MAX_SEQUELS[6]
        return ST_MAX_SEQUELS[7]

    # LTS001a/b ---------------------------------------------------------------------------------------

    @staticmethod
    def _setting(e: Event) -> int:
        if e.service_type == NURSING:
            return 0
        if e.service_type == RESIDENTIAL:
            return 1
        mechanism = "direct payment" if "direct payment" in e.component.lower() else e.mechanism.lower()
        ranks = {"direct payment": 2, "cassr managed personal budget": 3, "cassr commissioned support": 4}
        if e.service_type == COMMUNITY:
            return ranks.get(mechanism, 5)
        return {"cassr managed personal budget": 6, "cassr commissioned support": 7}.get(mechanism, 8)

    def _long_term(self, long_term, died, psr, age, entry):
        suffix = "18-64" if age < 65 else "65"
        during = [s for s in long_term if died is None or died >= self.start]
        on_last_day = [s for s in long_term if (s.end is None or s.end >= self.end) and (died is None or died >= self.end)]
        for table, services in (("LTS001a", during), ("LTS001b", on_last_day)):
            if services:
                top = min(services, key=lambda s: (self._setting(s), -s.start.toordinal(), s.reference))
                entry(f"{table}-{suffix}", psr, SETTINGS[self._setting(top)], top.reference)

    # LTS003 ------------------------------------------------------------------------------------------

    def carer(self, values: list[str]):
        person = values[self.at["LA Person Unique Identifier"]]
        if not person:
            return  # a carer with no record of their own: the report lists the row
        e = self._event(values)
        if e.kind == "service" and e.service_type == CARER_DIRECT:
            rank = {"direct payment": 0, "cassr managed personal budget": 1, "cassr commissioned support": 2}.get(
                e.mechanism.lower(), 3)
        elif e.kind == "service":
            rank = 5
        elif e.kind == "request" or INFORMATION_AND_ADVICE.lower() in e.outcome.lower():
            rank = 4
        else:
            rank = 5
        born = self._born(values)
        if born is None:
            band = CARER_AGE_BANDS[5]
        else:
            age = age_on(born, self.end)
            band = CARER_AGE_BANDS[0 if age < 18 else 1 if age <= 25 else 2 if age <= 64 else 3 if age <= 84 else 4]
        carer = int(person)
        if carer not in self.carers or (rank, e.reference) < self.carers[carer][::2]:
            self.carers[carer] = (rank, band, e.reference)

    def finish(self) -> list[Entry]:
        return [Entry("LTS003", CARER_CATEGORIES[rank], band, carer, ref)
                for carer, (rank, band, ref) in sorted(self.carers.items())]


def grid(table: Table, counts: dict[tuple[str, str], int]) -> dict:
    """A table's rows and columns with their counts (zeros shown), known rows first in their order."""
    found = {row for row, _ in counts}
    rows = list(table.rows) + sorted(found - set(table.rows))
    body = [{"row": r, "cells": [{"column": c, "count": counts.get((r, c), 0)} for c in table.columns],
             "total": sum(counts.get((r, c), 0) for c in table.columns)} for r in rows]
    return {"key": table.key, "title": table.title, "about": table.about, "counts": table.counts,
            "columns": list(table.columns), "rows": body,
            "totals": [sum(counts.get((r, c), 0) for r in rows) for c in table.columns],
            "total": sum(counts.values())}
