"""Inputs frictionless reads too kindly: each would publish a number or a text that is not what
the council meant, so each is a problem naming the file, row and field.

- "(1,234)" in a number field with `bareNumber: false` reads as +1234: an accounting negative lost.
- A date field with `format: "any"` reads "01/02/2024" as 2 January (month first), silently.
- A file that is not UTF-8 and declares no encoding is decoded by guesswork.
- A heading with stray spaces (" value") still matches its field, hiding a real mistake.
"""

from __future__ import annotations

import csv
import re

from ..problems import ACCOUNTING_NEGATIVE, AMBIGUOUS_DATE, ENCODING_NOT_DECLARED, LABEL_WHITESPACE, Problem
from .read import TEXT_TABLES, RawResource, csv_delimiter, csv_dialect

_BRACKETED = re.compile(r"\(\s*[£$€]?\s*[\d.,\s]+\)")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")


def check(rr: RawResource) -> list[Problem]:
    if rr.path is None:
        return []
    try:
        return _encoding(rr) + _labels(rr) + _cells(rr)
    except (LookupError, TypeError, ValueError, csv.Error, OSError):
        return []   # a dialect or encoding frictionless already reported on: nothing more to add


def _encoding(rr: RawResource) -> list[Problem]:
    if rr.descriptor.get("encoding") or rr.path.suffix.lower() not in TEXT_TABLES:
        return []
    data = rr.path.read_bytes()
    try:
        data.decode("utf-8")
        return []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [ENCODING_NOT_DECLARED(str(rr.path), line, None,
                                      f"Byte {exc.start} is not UTF-8 and the resource declares no encoding, so "
                                      "the text would be guessed. Save the file as UTF-8, or declare its encoding "
                                      "(\"encoding\": \"windows-1252\").")]


def _labels(rr: RawResource) -> list[Problem]:
    """Read the heading row as written (frictionless trims it before we see it)."""
    delimiter = csv_delimiter(rr.descriptor, rr.path)
    if delimiter is None:
        return []
    dialect = csv_dialect(rr.descriptor)
    if dialect.get("header") is False or dialect.get("skipInitialSpace") or dialect.get("headerRows"):
        return []                                       # no heading row, or one read differently
    with open(rr.path, encoding=rr.descriptor.get("encoding") or "utf-8", errors="replace", newline="") as fh:
        labels = next(csv.reader(fh, delimiter=delimiter, quotechar=dialect.get("quoteChar") or '"'), [])
    return [LABEL_WHITESPACE(str(rr.path), 1, label.strip(),
                             f"The heading '{label}' has spaces around it; write '{label.strip()}'.")
            for label in labels if label != label.strip() and label.strip()]


def _cells(rr: RawResource) -> list[Problem]:
    fields = (rr.schema or {}).get("fields", [])
    numeric = [f["name"] for f in fields if f.get("type") in ("number", "integer")]
    any_dates = [f["name"] for f in fields if f.get("type") in ("date", "datetime") and f.get("format") == "any"]
    problems = []
    for row in rr.rows:
        for name in numeric:
            text = row.cells.get(name, "").strip()
            if _BRACKETED.fullmatch(text):
                problems.append(ACCOUNTING_NEGATIVE(str(rr.path), row.number, name,
                                                    f"'{text}' is an accounting negative, which would be read as a "
                                                    f"positive number; write -{text.strip('()').strip()}."))
        for name in any_dates:
            match = _NUMERIC_DATE.fullmatch(row.cells.get(name, "").strip())
            if match and int(match[1]) <= 12 and int(match[2]) <= 12 and match[1] != match[2]:
                problems.append(AMBIGUOUS_DATE(str(rr.path), row.number, name,
                                               f"'{match[0]}' could be day/month or month/day; write it as "
                                               "YYYY-MM-DD, or give the field a format such as %d/%m/%Y."))
    return problems
