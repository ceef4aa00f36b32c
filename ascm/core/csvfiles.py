"""Reading the CSV files administrators import (people, providers) and writing their reports."""

import csv
import io


class FileRefused(Exception):
    """The whole file is refused before any row is imported (wrong encoding, missing columns)."""


def csv_cell_safe(value):
    """A value a spreadsheet would run as a formula (=, +, -, @, or a tab or return first) is written
    with a leading apostrophe, so the report opens as text (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_decode(data: bytes) -> str:
    """The file as text, or FileRefused saying what to do: UTF-8 (with or without a BOM), no NULs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused(
            f"The file is not UTF-8 text (the first problem is on line {line}). "
            "Save it from the legacy system or spreadsheet as ‘CSV UTF-8’ and import it again."
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileRefused(f"The file has a NUL character on line {line}, so it is not a CSV text file. "
                          "Save it from the legacy system or spreadsheet as ‘CSV UTF-8’ and import it again.")
    return text


def csv_rows(data: bytes, *, required: list[str], optional: list[str]) -> csv.DictReader:
    """A reader over the file's rows with lower-case, trimmed column names; FileRefused when a required
    column is missing (naming it), before any row is read."""
    reader = csv.DictReader(io.StringIO(csv_decode(data)))
    columns = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in columns]
    if missing:
        raise FileRefused(f"The file is missing the column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}. "
                          f"The first line must name the columns: {', '.join(required + optional)}.")
    reader.fieldnames = columns
    return reader


def csv_report(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[csv_cell_safe(cell) for cell in row] for row in rows])
    return out.getvalue()
