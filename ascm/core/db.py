"""Small SQL expressions several apps need, written once for PostgreSQL and SQLite."""

import datetime
import json

from django.db.models import FloatField, Func, IntegerField


class DaysBetween(Func):
    """end − start in whole days, for two dates (PostgreSQL subtracts dates; SQLite via julianday)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"({end} - {start})", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", [*end_params, *start_params]


class HoursBetween(Func):
    """end − start in hours (with fractions), for two date-times."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"((julianday({end}) - julianday({start})) * 24.0)", [*end_params, *start_params]


def _copy_text(value, field) -> str:
    """One value in PostgreSQL's COPY text format (None in a JSON column that may not be NULL is JSON's
    null, as Django stores it). Text, the commonest, is checked first."""
    if type(value) is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "null" if field.get_internal_type() == "JSONField" and not field.null else "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _copy_text(json.dumps(value), field)
    return _copy_text(str(value), field)


def copy_insert(model, objs: list) -> list:
    """bulk_create through PostgreSQL's COPY (several times faster for thousands of rows: no SQL
    compiled per value), giving each object its primary key from the table's sequence first. Values
    are the objects' attributes as they stand (defaults were set when each was made; auto_now fields
    are set here). Elsewhere it is bulk_create."""
    import io

    from django.db import connection
    from django.utils import timezone

    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs)
    meta = model._meta
    fields = meta.concrete_fields
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        out = io.StringIO()
        for obj in objs:
            for field in fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    setattr(obj, field.attname, now)
            out.write("\t".join(_copy_text(getattr(obj, f.attname), f) for f in fields) + "\n")
            obj._state.adding, obj._state.db = False, connection.alias
        out.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN", out)
    return objs


def select_related_only(queryset, relation: str, *fields: str):
    """`select_related(relation)` reading only the named fields of the related row (and its key).
    A row with 40 columns costs more to compile and read than the one or two a list shows."""
    related = queryset.model._meta.get_field(relation).related_model._meta
    keep = {related.pk.name, *fields}
    return queryset.select_related(relation).defer(
        *(f"{relation}__{field.name}" for field in related.concrete_fields if field.name not in keep))


class CompiledOnce:
    """A query whose only varying value is one id (a person's, a user's), compiled to SQL once per
    process and database; each call runs that SQL with the id and gives model instances as the
    queryset would (select_related and prefetch_related included). Compiling a queryset costs 1–2 ms
    of Python; running the SQL of one person's list costs a tenth of that.

    `build(id)` must depend on nothing but the id (no dates, no user's teams): it is checked when
    compiled that the id is the SQL's only parameter taken from it and that a second build gives the
    same SQL and parameters. Anything else is a plain queryset."""

    SENTINEL = -918_273_646

    def __init__(self, build):
        self.build = build
        self._compiled: dict = {}
        self._model = None

    def _compile(self, alias: str):
        queryset = self.build(self.SENTINEL).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        where = [i for i, value in enumerate(params) if value == self.SENTINEL]
        again = self.build(self.SENTINEL).using(alias).query.get_compiler(using=alias).as_sql()
        if len(where) != 1 or str(self.SENTINEL) in sql or again != (sql, params):
            raise ValueError(f"{self.build.__qualname__} must take the id exactly once and depend on nothing else")
        return queryset, compiler, sql, tuple(params), where[0]

    def __call__(self, id_, *, using: str | None = None) -> list:
        import copy

        from django.db import connections, router

        if self._model is None:
            self._model = self.build(self.SENTINEL).model
        alias = using or router.db_for_read(self._model)
        key = (alias, connections[alias].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(alias)
        queryset, compiler, sql, params, where = compiled
        params = list(params)
        params[where] = id_
        run = copy.copy(compiler)  # its columns and converters, set up when it was compiled
        run.connection = connections[alias]  # this thread's connection
        run.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        fresh = queryset._chain()
        fresh.query.get_compiler = lambda *args, **kwargs: run
        return list(fresh)
