"""Figures typed in by officers: `dashboard add` (one) and `dashboard import xlsx` (a workbook's), by the
same rules, all or nothing.

A figure is the next period of one series of a measure (its headline, or an area's or a breakdown's),
the period after that series' latest by the measure's frequency; a published figure changes only with
`revise` and a reason, which becomes the row's note (the revision's record: ingest/revisions.py). The
value must be a number of the table's type or one of its missing-value symbols.

The table is edited in place as text: every other line keeps its bytes, its quoting and its line
endings; a new row copies the series' latest row (its area name, breakdown cells and target) and goes
after it, so a file grouped by series stays grouped. Every changed file is written first into a copy of
its package, which frictionless checks whole (the schema's constraints too); only then are the files
moved into place. A refused entry changes no file.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .domain.figures import printed
from .domain.model import AREA_COLUMN, Measure, Site, is_headline, series_key
from .domain.periods import PeriodError
from .errors import ImportFailed
from .importers.staging import check_stage
from .problems import (INVALID_FIGURE, NOT_NEXT_PERIOD, REVISION_REASON, UNKNOWN_MEASURE, UNKNOWN_SERIES,
                       Problem)

PROVISIONAL = "provisional"
REVISED = "revised"
NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class Figure:
    """One figure as an officer gave it, and where: `source` is (file, row) for problems, or None for
    the command line (problems then name the measure's table)."""

    measure: str
    period: str
    value: str
    area_code: str = ""
    breakdown: tuple[tuple[str, str], ...] = ()
    note: str = ""
    status: str = ""                    # "" (final) or "provisional"
    revise: bool = False
    reason: str = ""
    source: tuple[str, int | None] | None = None
    fields: dict[str, str] = field(default_factory=dict)   # our name (period, value) -> the source's column


@dataclass(frozen=True)
class Entered:
    """What an entry did, in words for the person who typed it."""

    measure: Measure
    period: str                         # as readers say it
    series: str                         # "headline", or the area and parts
    value: str                          # as written, with its unit
    was: str | None                     # a revised figure's value before
    path: Path


@dataclass
class _Table:
    """A measure's CSV as lines of text, parsed once: records[i] = (cells, first line, end line)."""

    path: Path
    lines: list[str]
    header: list[str]
    records: list[tuple[list[str], int, int]]
    newline: str
    quoting: int

    @classmethod
    def read(cls, path: Path) -> _Table:
        return cls.parse(path, path.read_bytes().decode("utf-8"))     # as it is: \r\n stays

    @classmethod
    def parse(cls, path: Path, text: str) -> _Table:
        lines = text.splitlines(keepends=True)
        reader = csv.reader(lines)
        records, start = [], 0
        for row in reader:
            records.append((row, start, reader.line_num))
            start = reader.line_num
        header = [h.lstrip("\ufeff") for h in records[0][0]] if records else []
        first = lines[0].rstrip("\r\n").lstrip("\ufeff") if lines else ""
        quoted = bool(header) and first.startswith('"') and first.count('","') == len(header) - 1
        return cls(path, lines, header, records[1:], "\r\n" if "\r\n" in text else "\n",
                   csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)

    def cells(self, i: int) -> dict[str, str]:
        return dict(zip(self.header, self.records[i][0]))

    def line(self, cells: dict[str, str], ending: str) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, quoting=self.quoting, lineterminator=ending).writerow(
            [cells.get(h, "") for h in self.header])
        return buffer.getvalue()

    def replace(self, i: int, cells: dict[str, str]) -> None:
        row, start, end = self.records[i]
        ending = self.newline if self.lines[end - 1].endswith(("\n", "\r")) else ""
        self.lines[start:end] = [self.line(cells, ending)]
        self._reparse()

    def insert_after(self, i: int, cells: dict[str, str]) -> None:
        _, _, end = self.records[i]
        if not self.lines[end - 1].endswith(("\n", "\r")):       # the last line had no ending: it gets one,
            self.lines[end - 1] += self.newline                  # and the new last line goes without
            self.lines.insert(end, self.line(cells, ""))
        else:
            self.lines.insert(end, self.line(cells, self.newline))
        self._reparse()

    def _reparse(self) -> None:
        self.lines, self.records = (fresh := _Table.parse(self.path, self.text)).lines, fresh.records

    @property
    def text(self) -> str:
        return "".join(self.lines)


def enter(site: Site, figures: list[Figure]) -> list[Entered]:
    """Apply every figure, in order, or none: ImportFailed lists every problem, and then no file changed."""
    tables: dict[Path, _Table] = {}
    problems: list[Problem] = []
    done: list[Entered] = []
    blocked = set()           # series with a refused figure: a later one of theirs cannot be judged
    for figure in figures:
        series = (figure.measure, figure.area_code, figure.breakdown)
        if series in blocked:
            continue
        m = site.measures.get(figure.measure)
        if m is None:
            close = difflib.get_close_matches(figure.measure, list(site.measures), n=1)
            problems.append(UNKNOWN_MEASURE(*_where(figure, None, "measure"), f"No measure '{figure.measure}'"
                                            + (f": did you mean '{close[0]}'?" if close else ".")))
            continue
        table = tables.get(m.source_path) or tables.setdefault(m.source_path, _Table.read(m.source_path))
        try:
            done.append(_enter(site, m, table, figure))
        except _Refused as refused:
            problems.append(refused.problem)
            blocked.add(series)
    if problems:
        raise ImportFailed(problems)
    _write(site, tables)
    return done


class _Refused(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _where(figure: Figure, m: Measure | None, name: str) -> tuple[str, int | None, str]:
    """A problem's file, row and field: the figure's source (a workbook's sheet and row), else the table."""
    if figure.source:
        return figure.source[0], figure.source[1], figure.fields.get(name, name)
    return str(m.source_path) if m else "dashboard add", None, name


def _enter(site: Site, m: Measure, table: _Table, figure: Figure) -> Entered:
    def refuse(kind, name, message):
        raise _Refused(kind(*_where(figure, m, name), message))

    rows = _series_rows(m, table, figure, refuse)
    value = figure.value.strip()
    periods = [(m.period(table.cells(i)["period"]), i) for i in rows]
    last, last_row = max(periods, key=lambda p: (p[0].end, p[0].start))
    _check_value(site, m, value, refuse)
    for column, given in (("status", figure.status), ("note", figure.note)):
        if given and column not in table.header:
            refuse(INVALID_FIGURE, column, f"The table {table.path.name} has no {column} column for '{given}'.")
    label = _label(m, figure.period, refuse)
    if figure.revise:
        return _revise(m, table, figure, periods, value, label, refuse)
    expected = last.next(m.frequency)
    if figure.period.strip() != expected:
        have = next((i for p, i in periods if p.text == figure.period.strip()), None)
        published = f" already has a figure ({table.cells(have).get('value') or 'blank'}): to change it, use " \
                    "--revise with --reason" if have is not None else " is not the next period"
        refuse(NOT_NEXT_PERIOD, "period", f"{figure.period}{published}. The next period of this series is "
                                          f"{expected} ({m.period(expected).label}).")
    cells = table.cells(last_row) | {"period": expected, "value": value}
    for column, given in (("status", figure.status), ("note", figure.note)):
        if column in table.header:
            cells[column] = given
    table.insert_after(last_row, cells)
    return Entered(m, label, _series_label(figure), printed(value, m.unit), None, table.path)


def _revise(m, table, figure, periods, value, label, refuse) -> Entered:
    row = next((i for p, i in periods if p.text == figure.period.strip()), None)
    if row is None:
        refuse(NOT_NEXT_PERIOD, "period", f"There is no figure for {figure.period} in this series to revise.")
    if not figure.reason.strip():
        refuse(REVISION_REASON, "reason", "A revision needs its reason (--reason): readers are told why a "
                                          "published figure changed.")
    if "note" not in table.header:
        refuse(REVISION_REASON, "note", f"The table {table.path.name} has no note column to hold the reason: "
                                        "add one to its schema and CSV.")
    cells = table.cells(row)
    if _same(cells.get("value", ""), value):
        refuse(REVISION_REASON, "value", f"{figure.period} is already {cells.get('value')}: nothing to revise.")
    was = cells.get("value", "")
    cells = cells | {"value": value, "note": figure.reason.strip()}
    if "status" in table.header:
        cells["status"] = figure.status or REVISED
    table.replace(row, cells)
    return Entered(m, label, _series_label(figure), printed(value, m.unit), printed(was, m.unit), table.path)


def _same(a: str, b: str) -> bool:
    if NUMBER.fullmatch(a.strip()) and NUMBER.fullmatch(b.strip()):
        return float(a) == float(b)
    return a.strip() == b.strip()


def _series_rows(m: Measure, table: _Table, figure: Figure, refuse) -> list[int]:
    """The table's rows of the series the figure names (its headline when it names none)."""
    unknown = [c for c, _ in figure.breakdown if c not in m.breakdowns]
    if unknown:
        refuse(UNKNOWN_SERIES, unknown[0], f"{m.id} has no breakdown column '{unknown[0]}'"
                                           + (f" (it has {', '.join(m.breakdowns)})." if m.breakdowns else "."))
    if figure.area_code and AREA_COLUMN not in table.header:
        refuse(UNKNOWN_SERIES, "area_code", f"{m.id} has no area_code column: its figures are for one area.")
    if not figure.area_code and not figure.breakdown:
        rows = [i for i in range(len(table.records)) if table.records[i][0]
                and is_headline(series_key(table.cells(i), m.breakdowns, m.area), m.area, m.headline_parts)]
    else:
        given = dict(figure.breakdown)
        wanted = (figure.area_code or m.area, tuple((b, given.get(b, "")) for b in m.breakdowns))
        rows = [i for i in range(len(table.records)) if table.records[i][0]
                and series_key(table.cells(i), m.breakdowns, m.area) == wanted]
    if not rows:
        refuse(UNKNOWN_SERIES, "area_code" if figure.area_code else "breakdown",
               f"{m.id} has no rows for {_series_label(figure)} yet: add its first row to {table.path.name}.")
    return rows


def _series_label(figure: Figure) -> str:
    parts = ([figure.area_code] if figure.area_code else []) + [f"{c}={v}" for c, v in figure.breakdown]
    return ", ".join(parts) or "headline"


def _label(m: Measure, text: str, refuse) -> str:
    try:
        return m.period(text.strip()).label
    except PeriodError as exc:
        refuse(NOT_NEXT_PERIOD, "period", f"'{text}' is not a period the Dashboard reads ({exc}).")


def _check_value(site: Site, m: Measure, value: str, refuse) -> None:
    """A number of the value field's type, or one of the table's missing-value symbols."""
    symbols = [s for s in _missing_values(site, m) if s]
    kind = next((f.type for f in m.fields if f.name == "value"), "number")
    if value in symbols:
        return
    if NUMBER.fullmatch(value):
        if kind == "integer" and "." in value:
            refuse(INVALID_FIGURE, "value", f"'{value}' is not a whole number: {m.id} counts whole {m.unit}.")
        return
    hint = ("type it without thousands separators" if re.fullmatch(r"-?[\d,]+(\.\d+)?", value) else
            "type the number alone, without its unit" if re.match(r"[-£]?\d", value) else
            f"type a number, or {', '.join(symbols)} for a figure that is missing" if symbols else "type a number")
    refuse(INVALID_FIGURE, "value", f"'{value}' is not a number the table takes: {hint}.")


def _missing_values(site: Site, m: Measure) -> list[str]:
    descriptor = site.datasets[m.package].descriptor
    resource = next((r for r in descriptor.get("resources", []) if r.get("name") == m.id), {})
    schema = resource.get("schema", {})
    return schema.get("missingValues", [""]) if isinstance(schema, dict) else [""]


def _write(site: Site, tables: dict[Path, _Table]) -> None:
    """Each package with a changed table is copied, changed and checked by frictionless; only when every
    one passes are the changed files moved into place."""
    by_package: dict[Path, list[_Table]] = defaultdict(list)
    for table in tables.values():
        folder = next(d.directory for d in site.datasets.values() if table.path.is_relative_to(d.directory))
        by_package[folder].append(table)
    stages = {}
    try:
        for folder, changed in by_package.items():
            stage = folder.parent / f".{folder.name}-adding"
            shutil.rmtree(stage, ignore_errors=True)
            shutil.copytree(folder, stage, symlinks=True)
            stages[folder] = stage
            for table in changed:
                (stage / table.path.relative_to(folder)).write_text(table.text, encoding="utf-8", newline="")
            check_stage(stage, folder)
        for folder, changed in by_package.items():
            for table in changed:
                os.replace(stages[folder] / table.path.relative_to(folder), table.path)
    finally:
        for stage in stages.values():
            shutil.rmtree(stage, ignore_errors=True)
