"""Small SQL expressions several apps need, written once for PostgreSQL and SQLite."""

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
