"""Client Level Data (CLD) from the care-event ledger: which events a reporting period holds, each
event as a row of the specification's fields in its release's strings (clients/data/cld_release_N.json:
a new release is a new data file, not new code), and the problems that would get a row rejected or
leave a value the return needs missing. The file is written row by row to disk (a year's file is
large), person by person and each person's events in reference order, so the same ledger always
makes the same bytes."""

import csv
import datetime
import functools
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q
from django.utils import timezone

from ascm.core.years import financial_year

from .models import CareEvent, Client

CLD_RELEASE = "2"
ASSESSMENT_KINDS = ("needs", "carer")  # safeguarding, DoLS, MCA and MHA assessments are never in CLD


@functools.cache
def codes(release: str = CLD_RELEASE) -> dict:
    return json.loads((Path(__file__).parent / "data" / f"cld_release_{release}.json").read_text(encoding="utf-8"))


# Periods ---------------------------------------------------------------------------------------------

def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """Quarter 1–4 of the financial year starting 1 April `year`."""
    start = datetime.date(year + (1 if quarter == 4 else 0), {1: 4, 2: 7, 3: 10, 4: 1}[quarter], 1)
    end_month = start.month + 2
    end = (datetime.date(start.year, end_month + 1, 1) if end_month < 12 else datetime.date(start.year + 1, 1, 1))
    return start, end - datetime.timedelta(days=1)


def period_check(start: datetime.date | None, end: datetime.date | None, *, today: datetime.date | None = None):
    """A CLD period is a quarter, or the 12 months to a quarter's end (the rolling year DHSC asks for),
    and has ended. Anything else is refused with the reason."""
    today = today or timezone.localdate()
    if start is None or end is None:
        raise ValidationError({"period": "Choose the quarter"})
    quarter_ends = {(3, 31), (6, 30), (9, 30), (12, 31)}
    if (end.month, end.day) not in quarter_ends:
        raise ValidationError({"period": f"{end:%-d %B %Y} is not the last day of a quarter"})
    one_quarter = quarter_bounds(financial_year(end), quarter_of(end))[0]
    year = datetime.date(end.year - 1, end.month, end.day) + datetime.timedelta(days=1)
    if start not in (one_quarter, year):
        raise ValidationError({"period": "A Client Level Data period is a quarter, or the 12 months to the end of one"})
    if end >= today:
        raise ValidationError({"period": f"That period has not ended yet: it ends on {end:%-d %B %Y}"})


def quarter_of(day: datetime.date) -> int:
    return {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[day.month]


# Which events ----------------------------------------------------------------------------------------

def period_events(start: datetime.date, end: datetime.date):
    """The ledger's events a period's file holds: requests, assessments and reviews completed in it;
    services running in it (open ones too); never cancelled events. In reference order."""
    completed = Q(event_type__in=(CareEvent.Type.REQUEST, CareEvent.Type.REVIEW), end_date__gte=start, end_date__lte=end)
    assessed = Q(event_type=CareEvent.Type.ASSESSMENT, end_date__gte=start, end_date__lte=end,
                 details__kind__in=ASSESSMENT_KINDS)
    service = Q(event_type=CareEvent.Type.SERVICE, start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    return CareEvent.objects.filter(completed | assessed | service, cancelled_at__isnull=True).order_by("reference")


# Rows ------------------------------------------------------------------------------------------------

PROBLEMS = {
    # key: (what is wrong, as the report groups it; the field a person puts right)
    "no_person": "A carer's assessment whose carer has no record of their own (the row has no person)",
    "no_nhs_number": "No NHS number",
    "no_date_of_birth": "No date of birth",
    "no_gender": "Gender not known",
    "no_ethnicity": "No ethnicity",
    "no_primary_support_reason": "No primary support reason",
    "no_accommodation": "Accommodation not known (18 to 64)",
    "no_employment": "Employment not known (18 to 64, learning disability support)",
    "no_outcome": "No event outcome",
    "no_unit_cost": "A service with no unit cost",
    "no_outcomes_achieved": "A review without the outcomes achieved",
    "ends_before_start": "The event ends before it starts",
    "after_death": "A service open after the person died",
}


@dataclass
class Row:
    values: list[str]
    problems: list[str]
    client_id: int | None


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Age as the CLD transformations compute it: from the first of the birth month, in 365.25-day years."""
    return int((on - born.replace(day=1)).days // 365.25)


def event_row(event: CareEvent, person: Client | None, *, start: datetime.date, end: datetime.date, la_code: str,
              release: str = CLD_RELEASE) -> Row:
    """One event as the specification's row, with what is wrong with it."""
    c = codes(release)
    problems = []
    details = event.details or {}
    carer_row = event.event_type == CareEvent.Type.ASSESSMENT and details.get("kind") == "carer"
    if person is None:
        problems.append("no_person")
    age = age_on(person.date_of_birth, end) if person and person.date_of_birth else None
    if person is not None:
        if not person.nhs_number:
            problems.append("no_nhs_number")
        if person.date_of_birth is None:
            problems.append("no_date_of_birth")
        if person.gender == "X":
            problems.append("no_gender")
        if person.ethnicity == "99":
            problems.append("no_ethnicity")
        if (not carer_row and event.event_type != CareEvent.Type.REQUEST
                and person.primary_support_reason == "unknown"):
            problems.append("no_primary_support_reason")
    working_age = age is not None and 18 <= age <= 64
    psr = "unpaid_carer" if carer_row else (person.primary_support_reason if person else "")
    service = event.event_type == CareEvent.Type.SERVICE
    if service and person is not None and working_age:
        if person.accommodation_status == "unknown":
            problems.append("no_accommodation")
        if psr == "learning_disability" and person.employment_status == "unknown":
            problems.append("no_employment")
    outcome = c["event_outcome"][event.event_type].get(event.outcome, "")
    if not outcome:
        problems.append("no_outcome")
    if event.end_date and event.end_date < event.start_date:
        problems.append("ends_before_start")
    service_type = component = mechanism = unit_cost = frequency = units = ""
    if service:
        service_type, component = c["service"]["reablement" if details.get("reablement") else details.get("service_type", "")]
        mechanism = c["delivery_mechanism"].get(details.get("delivery_mechanism", ""), "")
        unit_cost = details.get("unit_cost") or ""
        if not unit_cost:
            problems.append("no_unit_cost")
        frequency = c["cost_frequency"].get(details.get("unit", ""), "")
        units = details.get("units_per_week") or ""
        if person is not None and person.date_of_death and event.end_date is None:
            problems.append("after_death")
    achieved = ""
    if event.event_type == CareEvent.Type.REVIEW:
        achieved = c["review_outcomes_achieved"].get(details.get("outcomes_achieved", ""), "")
        if not achieved:
            problems.append("no_outcomes_achieved")
    born = person.date_of_birth if person else None
    values = [
        la_code, start.isoformat(), end.isoformat(), (person.nhs_number or "") if person else "",
        str(person.pk) if person else "", (person.gp_practice.ods_code if person and person.gp_practice_id else ""),
        c["gender"].get(person.gender, "") if person else "", c["ethnicity"].get(person.ethnicity, "") if person else "",
        f"{born.month:02d}" if born else "", str(born.year) if born else "",
        person.date_of_death.isoformat() if person and person.date_of_death else "",
        c["client_type"]["carer" if carer_row else "service_user"],
        "" if event.event_type == CareEvent.Type.REQUEST and psr == "unknown" else c["primary_support_reason"].get(psr, ""),
        c["accommodation_status"].get(person.accommodation_status, "") if person and working_age else "",
        c["employment_status"].get(person.employment_status, "") if person and working_age else "",
        c["event_type"][event.event_type], event.reference, event.start_date.isoformat(),
        event.end_date.isoformat() if event.end_date else "", outcome,
        c["route_of_access"].get(event.route_of_access, "") if event.event_type == CareEvent.Type.REQUEST else "",
        c["assessment_type"].get(event.assessment_type, "") if event.event_type == CareEvent.Type.ASSESSMENT else "",
        service_type, component, mechanism, achieved, unit_cost, frequency, units,
    ]
    return Row(values=values, problems=problems, client_id=person.pk if person else None)


PEOPLE_PER_BATCH = 500


def rows_for(start: datetime.date, end: datetime.date, *, la_code: str, release: str = CLD_RELEASE, progress=None):
    """Every row of the period's file, streamed person by person (the tables are derived one person at
    a time), each person's events in reference order: events for a range of people at a time, with
    their people (and carers') in a query or two per batch, never the whole period in memory."""
    events = period_events(start, end).select_related("client__gp_practice").order_by("client_id", "reference")
    bounds = events.aggregate(first=Min("client_id"), last=Max("client_id"))
    done = 0
    if bounds["first"] is None:
        return
    for low in range(bounds["first"], bounds["last"] + 1, PEOPLE_PER_BATCH):
        batch = list(events.filter(client_id__gte=low, client_id__lt=low + PEOPLE_PER_BATCH))
        if not batch:
            continue
        carers = {d: None for d in (e.details.get("carer") for e in batch if e.details.get("kind") == "carer") if d}
        if carers:
            carers.update({p.pk: p for p in Client.objects.filter(pk__in=list(carers)).select_related("gp_practice")})
        for event in batch:
            person = event.client
            if event.event_type == CareEvent.Type.ASSESSMENT and event.details.get("kind") == "carer":
                person = carers.get(event.details.get("carer"))
            yield event, event_row(event, person, start=start, end=end, la_code=la_code, release=release)
        done += len(batch)
        if progress:
            progress(done)


def write_file(out, start: datetime.date, end: datetime.date, *, la_code: str, release: str = CLD_RELEASE,
               progress=None, problem=None, person=None) -> tuple[int, str]:
    """Write the CSV to the binary stream `out`; returns (rows, sha256). `problem(event, row)` hears of
    each row with problems (the validation report); `person(rows)` of each person's rows' values once
    all are written (the tables), before the batch's `progress`."""
    digest = hashlib.sha256()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush():
        data = buffer.getvalue().encode("utf-8")
        out.write(data)
        digest.update(data)
        buffer.seek(0)
        buffer.truncate()

    writer.writerow(codes(release)["columns"])
    count, group, current = 0, [], None

    def person_done():
        if person and group:
            person(group)
        group.clear()

    def batch_done(done):  # a batch ends with a person's last row
        person_done()
        if progress:
            progress(done)

    for event, row in rows_for(start, end, la_code=la_code, release=release, progress=batch_done):
        if event.client_id != current:
            person_done()
            current = event.client_id
        group.append(row.values)
        writer.writerow(row.values)
        count += 1
        if row.problems and problem:
            problem(event, row)
        if count % 1000 == 0:
            flush()
    flush()
    return count, digest.hexdigest()


def la_code() -> str:
    return settings.ASCM_LA_CODE


# Making the file (services) ----------------------------------------------------------------------

def return_file_start(*, user, period_start: datetime.date | None, period_end: datetime.date | None):
    """Ask for the period's file: refused for a period that is not a quarter (or the 12 months to
    one) or has not ended, and while a file for it is being made (one at a time: say so, not two)."""
    from django.db import IntegrityError, transaction

    from .models import ReturnFile
    from .tasks import return_file_make_task

    period_check(period_start, period_end)
    making = ReturnFile.objects.filter(kind=ReturnFile.Kind.CLD, period_start=period_start, period_end=period_end,
                                       status=ReturnFile.Status.MAKING).select_related("made_by").first()
    if making is not None:
        raise ValidationError({"period": f"A file for this period is already being made (asked for by "
                                         f"{making.made_by.get_full_name() or making.made_by.username} at "
                                         f"{timezone.localtime(making.created_at):%H:%M}): wait for it"})
    try:
        with transaction.atomic():
            made = ReturnFile.objects.create(kind=ReturnFile.Kind.CLD, period_start=period_start, period_end=period_end,
                                             release=CLD_RELEASE, made_by=user,
                                             events_total=period_events(period_start, period_end).count())
    except IntegrityError:  # asked for twice at once: the constraint lets one through
        raise ValidationError({"period": "A file for this period is already being made: wait for it"}) from None
    transaction.on_commit(lambda: return_file_make_task.delay(made.pk))
    return made


def return_file_make(file_id: int) -> int:
    """The task: write the file and its validation report. Run again (a redelivered task) while it is
    still being made, it starts the file afresh; once made, it does nothing. Returns the rows written."""
    import os

    from .models import ReturnFile, ReturnProblem, ReturnTableEntry
    from .return_tables import Derivation

    made = ReturnFile.objects.filter(pk=file_id, status=ReturnFile.Status.MAKING).first()
    if made is None:
        return 0
    # A half-made report and tables from a run that died are derived, not records: made again.
    ReturnProblem.objects.filter(file=made).delete()
    ReturnTableEntry.objects.filter(file=made).delete()
    tables = Derivation(codes(made.release)["columns"], start=made.period_start, end=made.period_end,
                        codes=codes(made.release))
    entries = []
    name = f"returns/cld-{made.period_start}-{made.period_end}-{made.pk}.csv"
    path = Path(settings.MEDIA_ROOT) / name
    os.makedirs(path.parent, exist_ok=True)
    pending = []

    def progress(done):
        ReturnFile.objects.filter(pk=made.pk).update(events_done=done)
        ReturnProblem.objects.bulk_create(pending)
        pending.clear()
        save_entries()

    def save_entries():
        ReturnTableEntry.objects.bulk_create(ReturnTableEntry(file=made, **vars(e)) for e in entries)
        entries.clear()

    def person(rows):
        entries.extend(tables.person(rows))

    def problem(event, row):
        pending.extend(ReturnProblem(file=made, problem=key, event_reference=event.reference, client_id=row.client_id,
                                     source_model=event.source_model, source_id=event.source_id) for key in row.problems)

    try:
        with open(path, "wb") as out:
            rows, digest = write_file(out, made.period_start, made.period_end, la_code=la_code(), release=made.release,
                                      progress=progress, problem=problem, person=person)
        ReturnProblem.objects.bulk_create(pending)
        entries.extend(tables.finish())
        save_entries()
    except Exception as error:
        ReturnFile.objects.filter(pk=made.pk).update(status=ReturnFile.Status.FAILED, failure=str(error)[:2000],
                                                     finished_at=timezone.now())
        raise
    ReturnFile.objects.filter(pk=made.pk).update(
        status=ReturnFile.Status.DONE, file=name, rows=rows, sha256=digest, finished_at=timezone.now(),
        problems=ReturnProblem.objects.filter(file=made).count(), events_done=rows)
    return rows


def problem_groups(made):
    """The report's groups: what is wrong and how many rows, in one grouped query."""
    from django.db.models import Count

    counts = dict(made.problem_rows.values("problem").order_by("problem").annotate(n=Count("pk")).values_list("problem", "n"))
    return [{"key": key, "label": label, "count": counts[key]} for key, label in PROBLEMS.items() if key in counts]


PERSON_PROBLEMS = {"no_nhs_number", "no_date_of_birth", "no_gender", "no_ethnicity", "no_primary_support_reason",
                   "no_accommodation", "no_employment", "after_death"}


def problem_links(problems, key: str) -> list[tuple]:
    """Each problem row with where to put it right: the person's details, or the event's own page
    (from the app that owns it, through the care-event sources extension point)."""
    from django.urls import reverse

    from .extensions import care_event_sources

    problems = list(problems)
    if key in PERSON_PROBLEMS:
        return [(p, reverse("clients:edit", args=[p.client_id]) if p.client_id else "", "their details") for p in problems]
    urls, labels = {}, {}
    for source in care_event_sources:
        ids = [p.source_id for p in problems if p.source_model == source.source_model]
        if ids:
            urls.update({(source.source_model, i): url for i, url in source.urls(ids).items()})
            labels[source.source_model] = source.label
    return [(p, urls.get((p.source_model, p.source_id), ""), labels.get(p.source_model, "the record")) for p in problems]


# The rebuilt SALT tables (selectors) -----------------------------------------------------------------

def table_figures(made) -> list[dict]:
    """Every table of a made file with its figures, in one grouped query."""
    from django.db.models import Count

    from .return_tables import TABLES, grid

    counts: dict[str, dict] = {}
    for entry in made.table_entries.order_by().values("table", "row", "column").annotate(n=Count("pk")):
        counts.setdefault(entry["table"], {})[(entry["row"], entry["column"])] = entry["n"]
    return [grid(table, counts.get(key, {})) for key, table in TABLES.items()]


def table_entries(made, key: str, *, row: str = "", column: str = ""):
    """What a figure counts: the entries of a table, or of one row, column or cell of it."""
    entries = made.table_entries.filter(table=key)
    if row:
        entries = entries.filter(row=row)
    if column:
        entries = entries.filter(column=column)
    return entries.select_related("client").order_by("event_reference", "pk")


def tables_csv(made, out):
    """The tables as one CSV: table, row, column, figure (zeros included)."""
    writer = csv.writer(out)
    writer.writerow(["Table", "Row", "Column", "Figure"])
    for table in table_figures(made):
        for line in table["rows"]:
            for cell in line["cells"]:
                writer.writerow([table["title"], line["row"], cell["column"], cell["count"]])
