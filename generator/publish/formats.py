"""Cells as they go into downloads: safe spreadsheet text, RFC 4180 CSV, exact JSON values.

A text cell that begins with =, +, -, @, a tab or a carriage return is read as a formula
by spreadsheet programs (OWASP "CSV injection"). In CSV and XLSX downloads such a cell is
neutralised with a leading apostrophe; numbers are never touched, and JSON keeps the
exact text because no spreadsheet evaluates it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from ..domain.model import Field
from ..domain.published import neutralise
from ..domain.vocabulary import MISSING_SYMBOLS

def is_text(f: Field) -> bool:
    """Fields a spreadsheet could mistake for a formula; numeric fields are left exactly as they are."""
    return not f.numeric


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(text: str, numeric: bool) -> str:
    """A plain number in a numeric field stays exactly as written (-5 is a number, not a formula);
    anything else that a spreadsheet would run is neutralised, whatever the field's type."""
    if numeric and (_PLAIN_NUMBER.fullmatch(text.strip()) or text in MISSING_SYMBOLS):
        return text
    return neutralise(text)


def safe_cells(fields: list[Field], cells: Iterable[list[str]]) -> Iterable[list[str]]:
    numeric = [not is_text(f) for f in fields]
    for row in cells:
        yield [safe_cell(c, n) if c else c for c, n in zip(row, numeric)]


def csv_text(fields: list[Field], cells: Iterable[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    _write_csv(buffer, fields, cells)
    return buffer.getvalue()


def write_csv(path: Path, fields: list[Field], cells: Iterable[list[str]]) -> int:
    """Write the table at `path` as its rows come (a large one is never held whole as text); its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        _write_csv(f, fields, cells)
    return path.stat().st_size


def _write_csv(stream, fields: list[Field], cells: Iterable[list[str]]) -> None:
    """RFC 4180: UTF-8, comma, CRLF, quotes only where needed; a header row of field names."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([neutralise(f.name) for f in fields])
    writer.writerows(safe_cells(fields, cells))


def json_value(value: object, text: str | None = None) -> object:
    """A typed cell as JSON: numbers stay numbers (ints stay ints), dates become ISO 8601 text;
    anything else (durations, year-months, points) is the source's own text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if value == value.to_integral_value() and "E" not in str(value) and "." not in str(value):
            return int(value)
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return value
    return text if text is not None else str(value)


def json_rows(fields: list[Field], values: Iterable[list[object]], cells: Iterable[list[str]]) -> Iterator[dict]:
    """Each row as a JSON object, one at a time (a large table's are written as they come: files.Streamed)."""
    names = [f.name for f in fields]
    return ({n: json_value(v, t) for n, v, t in zip(names, row, texts)} for row, texts in zip(values, cells))
