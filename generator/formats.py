"""Cells as they go into downloads: safe spreadsheet text, RFC 4180 CSV, exact JSON values.

A text cell that begins with =, +, -, @, a tab or a carriage return is read as a formula
by spreadsheet programs (OWASP "CSV injection"). In CSV and XLSX downloads such a cell is
neutralised with a leading apostrophe; numbers are never touched, and JSON keeps the
exact text because no spreadsheet evaluates it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from .model import Field

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMERIC_TYPES = {"integer", "number", "year"}


def neutralise(text: str) -> str:
    """The text as a spreadsheet will show it, never run it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def is_text(f: Field) -> bool:
    """Fields a spreadsheet could mistake for a formula; numeric fields are left exactly as they are."""
    return f.type not in NUMERIC_TYPES


def safe_cells(fields: list[Field], cells: Iterable[list[str]]) -> Iterable[list[str]]:
    text = [is_text(f) for f in fields]
    for row in cells:
        yield [neutralise(c) if t and c else c for c, t in zip(row, text)]


def csv_text(fields: list[Field], cells: Iterable[list[str]]) -> str:
    """RFC 4180: UTF-8, comma, CRLF, quotes only where needed; a header row of field names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.name for f in fields])
    writer.writerows(safe_cells(fields, cells))
    return buffer.getvalue()


def json_value(value: object) -> object:
    """A typed cell as JSON: numbers stay numbers (ints stay ints), dates become ISO 8601 text."""
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
    return str(value)


def json_rows(fields: list[Field], values: Iterable[list[object]]) -> list[dict]:
    names = [f.name for f in fields]
    return [{n: json_value(v) for n, v in zip(names, row)} for row in values]
