"""Exports of the dashboard's tables: small ones straight to the browser, a drill-down list of more
than ExportFile.EXPORT_ROWS rows by a Celery task that leaves a download link."""

import csv
import io

from django.db import transaction
from django.utils import timezone

from ascm.core.csvfiles import csv_cell_safe

from .models import ExportFile
from .selectors import drill_rows, scope_for


def table_bytes(header: list[str], rows, file_format: str) -> bytes:
    """A table as CSV (formula-safe cells) or XLSX (openpyxl, write-only so memory stays flat)."""
    if file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Figures")
        sheet.append(header)
        for row in rows:
            sheet.append([cell if isinstance(cell, (int, float)) else str(cell) for cell in row])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell_safe(str(cell)) for cell in row])
    return out.getvalue().encode("utf-8")


def drill_table(measure, rows):
    header = [c.header for c in measure.columns]
    return header, ([c.value(row) for c in measure.columns] for row in rows.iterator(chunk_size=2000))


def export_start(*, user, key: str, scope_value: str, scope, file_format: str) -> ExportFile:
    from .tasks import export_make_task

    made = ExportFile.objects.create(measure=key, scope=scope_value, period_start=scope.start, period_end=scope.end,
                                     file_format=file_format, made_by=user)
    transaction.on_commit(lambda: export_make_task.delay(made.pk))
    return made


def export_make(export_id: int) -> int:
    """Write the export; safe to run twice (once made, nothing more)."""
    from django.core.files.base import ContentFile

    from .extensions import performance_measures

    made = ExportFile.objects.filter(pk=export_id, status=ExportFile.Status.MAKING).select_related("made_by").first()
    if made is None:
        return 0
    measure = dict(performance_measures.items())[made.measure]
    scope = scope_for(made.made_by, made.scope, made.period_start, made.period_end)
    rows = drill_rows(measure, scope)
    header, body = drill_table(measure, rows)
    count = rows.count()
    made.file.save(f"{made.measure}-{made.period_start}-{made.period_end}-{made.pk}.{made.file_format}",
                   ContentFile(table_bytes(header, body, made.file_format)), save=False)
    made.status, made.rows, made.finished_at = ExportFile.Status.DONE, count, timezone.now()
    made.save(update_fields=["file", "status", "rows", "finished_at"])
    return count
