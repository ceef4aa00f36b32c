"""PostgreSQL's plan for a queryset with sequential and bitmap scans priced out, so a test can check a
partial index's condition matches the query's own (the planner uses it only when it does)."""

from django.db import connection


def index_plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
