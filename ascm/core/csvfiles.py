"""Reading the CSV files administrators import (people, providers) and writing their reports."""

import codecs
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
    csv_check(io.BytesIO(data))
    return data.decode("utf-8-sig")


def _not_utf8(line: int) -> FileRefused:
    return FileRefused(f"The file is not UTF-8 text (the first problem is on line {line}). "
                       "Save it from the legacy system or spreadsheet as ‘CSV UTF-8’ and import it again.")


def csv_check(handle) -> None:
    """Read the whole file once, a megabyte at a time, so a file that is not UTF-8 text is refused
    before any row is imported (naming the line) without holding the file in memory; then rewind."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as error:
            raise _not_utf8(line + chunk[:max(error.start, 0)].count(b"\n")) from None
        if "\x00" in text:
            line += text[: text.index("\x00")].count("\n")
            raise FileRefused(f"The file has a NUL character on line {line}, so it is not a CSV text file. "
                              "Save it from the legacy system or spreadsheet as ‘CSV UTF-8’ and import it again.")
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _not_utf8(line) from None
    handle.seek(0)


def csv_rows(source, *, required: list[str], optional: list[str]) -> csv.DictReader:
    """A reader over the file's rows (bytes, or a binary file read as the rows are), with lower-case,
    trimmed column names; FileRefused when it is not UTF-8 text or a required column is missing
    (naming it), before any row is read."""
    handle = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    csv_check(handle)
    reader = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""))
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
