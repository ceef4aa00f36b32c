"""The dashboard's reads: the scope a user may look at, the period and the one before it, and each
measure's figures — one query per measure for this period and the previous one together, one more
for a trend — whatever the size of the county."""

import datetime
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .extensions import performance_measures
from .permissions import dashboard_policy

MAX_DAYS = 731  # two years at most, so a figure stays a figure and not a history


@dataclass(frozen=True)
class Scope:
    """Whose figures: some teams (a manager's), localities, or the county; and the period."""

    kind: str  # "teams", "locality" or "county"
    label: str
    team_ids: tuple[int, ...] | None
    locality_ids: tuple[int, ...] | None
    start: datetime.date
    end: datetime.date

    def previous(self) -> "Scope":
        length = (self.end - self.start).days + 1
        return replace(self, start=self.start - datetime.timedelta(days=length),
                       end=self.start - datetime.timedelta(days=1))

    def filter(self, queryset, *, team: str = "", locality: str = "locality_id"):
        """Rows in scope: by team for a team scope (by the teams' localities where rows have no team),
        by locality for a locality, everything for the county."""
        if self.kind == "teams" and team:
            return queryset.filter(**{f"{team}__in": self.team_ids})
        if self.kind in ("teams", "locality"):
            return queryset.filter(**{f"{locality}__in": self.locality_ids})
        return queryset

    @property
    def query(self) -> str:
        return f"scope={self.kind}{'' if self.kind != 'locality' else ':' + str(self.locality_ids[0])}" \
               f"&from={self.start.isoformat()}&to={self.end.isoformat()}"


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


def in_period(date_field: str, start: datetime.date, end: datetime.date) -> Q:
    low, high = _bounds(start, end)
    return Q(**{f"{date_field}__gte": low, f"{date_field}__lt": high})


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)


def periods(today: datetime.date | None = None) -> list[tuple[str, datetime.date, datetime.date]]:
    """The period picker's quick choices."""
    from ascm.core.years import financial_year

    today = today or timezone.localdate()
    month = today.replace(day=1)
    last_month_end = month - datetime.timedelta(days=1)
    quarter = quarter_start(today)
    last_quarter_end = quarter - datetime.timedelta(days=1)
    year = datetime.date(financial_year(today), 4, 1)
    return [("This month so far", month, today), ("Last month", last_month_end.replace(day=1), last_month_end),
            ("This quarter so far", quarter, today), ("Last quarter", quarter_start(last_quarter_end), last_quarter_end),
            ("This financial year so far", year, today),
            ("Last financial year", datetime.date(year.year - 1, 4, 1), year - datetime.timedelta(days=1))]


def period_parse(start: str, end: str, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The period asked for (this quarter so far when none is); a ValidationError says what is wrong."""
    today = today or timezone.localdate()
    if not start and not end:
        return quarter_start(today), today
    errors = {}
    try:
        first = datetime.date.fromisoformat(start)
    except ValueError:
        errors["from"] = "Enter the first day of the period as a real date"
    try:
        last = datetime.date.fromisoformat(end)
    except ValueError:
        errors["to"] = "Enter the last day of the period as a real date"
    if errors:
        raise ValidationError(errors)
    if last > today:
        raise ValidationError({"to": "The period cannot end in the future"})
    if first > last:
        raise ValidationError({"from": "The period must start on or before its last day"})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationError({"from": "Choose a period of two years or less"})
    return first, last


def scopes_for(user) -> list[tuple[str, str]]:
    """The scopes a user may pick: their teams, each of their localities, the county."""
    from ascm.organisation.models import Locality
    from ascm.organisation.selectors import user_locality_ids, user_team_ids

    choices = []
    if user_team_ids(user):
        choices.append(("teams", "My teams"))
    for pk, name in Locality.objects.filter(pk__in=user_locality_ids(user)).order_by("name").values_list("pk", "name"):
        choices.append((f"locality:{pk}", name))
    if dashboard_policy.user_may(user, "county"):
        choices.append(("county", "The county"))
    return choices


def scope_for(user, value: str, start: datetime.date, end: datetime.date) -> Scope:
    """The scope asked for, if the user may see it (else the first they may); Http404 for another's."""
    from django.http import Http404

    from ascm.organisation.models import Locality, Team
    from ascm.organisation.selectors import user_team_ids

    allowed = dict(scopes_for(user))
    value = value or (next(iter(allowed)) if allowed else "")
    if value not in allowed:
        raise Http404("Not a scope you may see")
    if value == "teams":
        teams = tuple(sorted(user_team_ids(user)))
        localities = tuple(sorted(set(Team.objects.filter(pk__in=teams).values_list("locality_id", flat=True))))
        return Scope("teams", "My teams", teams, localities, start, end)
    if value.startswith("locality:"):
        pk = int(value.split(":", 1)[1])
        return Scope("locality", Locality.objects.get(pk=pk).name, None, (pk,), start, end)
    return Scope("county", "The county", None, None, start, end)


def measures_for(user) -> list:
    return [m for m in performance_measures if not m.permission or user.has_perm(m.permission)]


def measure_key(measure) -> str:
    for key, item in performance_measures.items():
        if item is measure:
            return key
    raise KeyError(measure)


@dataclass
class Figure:
    key: str
    measure: object
    value: object
    previous: object
    count: int  # rows behind it (for an average, how many it averages)

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _round(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))  # money stays to the penny
    return None if value is None else round(value, 1)


def _expression(measure, scope):
    """The measure's value expression; a callable one is made for the scope (this financial year's cost)."""
    expression = measure.value[2]
    return expression(scope) if callable(expression) else expression


def figure(key: str, measure, scope: Scope) -> Figure:
    """This period's figure and the previous period's, in one query."""
    rows = measure.rows(scope)
    if not measure.date_field:
        if measure.value:
            found = rows.aggregate(value=measure.value[1](_expression(measure, scope)), n=Count("pk"))
            return Figure(key, measure, _round(found["value"] or 0), None, found["n"])
        count = rows.count()
        return Figure(key, measure, count, None, count)
    previous = scope.previous()
    now_q, then_q = (in_period(measure.date_field, scope.start, scope.end),
                     in_period(measure.date_field, previous.start, previous.end))
    if measure.value:
        function, expression = measure.value[1], _expression(measure, scope)
        found = rows.filter(now_q | then_q).aggregate(
            value=function(expression, filter=now_q), before=function(expression, filter=then_q),
            n=Count("pk", filter=now_q), n_before=Count("pk", filter=then_q))
        return Figure(key, measure, _round(found["value"] or 0) if found["n"] else None,
                      _round(found["before"] or 0) if found["n_before"] else None, found["n"])
    found = rows.filter(now_q | then_q).aggregate(value=Count("pk", filter=now_q), before=Count("pk", filter=then_q))
    return Figure(key, measure, found["value"], found["before"], found["value"])


def dashboard(user, scope: Scope) -> list[tuple[str, list[Figure]]]:
    """Every figure the user may see, by section, in the measures' order."""
    sections: dict[str, list[Figure]] = {}
    for key, measure in performance_measures.items():
        if measure.permission and not user.has_perm(measure.permission):
            continue
        sections.setdefault(measure.section, []).append(figure(key, measure, scope))
    return list(sections.items())


def trend(measure, scope: Scope, *, months: int = 12) -> list[tuple[datetime.date, int]]:
    """The measure's rows a month, for the `months` months to the end of the period (zeros shown)."""
    last = scope.end.replace(day=1)
    first = last
    for _ in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    counts = {row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]: row["n"]
              for row in measure.rows(scope).filter(in_period(measure.date_field, first, scope.end))
              .annotate(month=TruncMonth(measure.date_field)).values("month").order_by("month").annotate(n=Count("pk"))}
    out, month = [], first
    while month <= last:
        out.append((month, counts.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out


def drill_rows(measure, scope: Scope):
    """The rows behind the figure: the same queryset it counts, in the period (or now)."""
    rows = measure.rows(scope)
    if measure.date_field:
        rows = rows.filter(in_period(measure.date_field, scope.start, scope.end))
    return rows.order_by("-pk")
