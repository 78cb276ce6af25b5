"""`dashboard import statistics`: published statistics, exactly, into one measure of a package.

Councils, data labs, ONS and Open SDG platforms publish tidy ("long") CSVs: one row per area ×
period × breakdown × value. Column roles are found by heading (the alias table below, extended by
DASHBOARD_STATISTICS_ALIASES); every other column is a breakdown, a blank cell its total. The
council's own area with every breakdown blank is the headline series; every other row (other
areas, breakdown parts) is kept beside it, so nothing the producer published is dropped. Producers'
period notations and missing-value markers are mapped onto the Dashboard's, and anything that cannot
be read exactly stops the whole import: then nothing under the target folder changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import nh3

from ..domain.figures import revises
from ..domain.model import AREA_COLUMN, AREA_NAME_COLUMN, RESERVED_COLUMNS, key_columns, row_key
from ..domain.periods import PeriodError, month_number, parse_period
from ..domain.vocabulary import Frequency, Kind
from ..errors import ConfigError, ImportFailed
from ..problems import (AREA_NOT_IN_FILE, CSV_FORMAT, DUPLICATE_FIGURE, IMPORT_CLASH, INVALID_JSON, MISSING_DETAIL, MIXED_NOTATIONS, NO_TOTAL_ROWS,
                        NO_VALUE_COLUMN, NOT_A_NUMBER, PERIOD_UNREADABLE, SEVERAL_MEASURES, UNKNOWN_ENCODING,
                        YEARS_NEEDED, Problem)
from ..publish.files import json_text
from .staging import staged

# Column roles, by heading (compared ignoring case, spaces, hyphens and underscores). Open SDG's
# own headings (Year, Value, Units, Series, GeoCode, ...) are among them.
ROLES: dict[str, tuple[str, ...]] = {
    "area_code": ("area_code", "area code", "geocode", "geography code", "geography_code", "ons code", "gss code",
                  "la code", "lad code", "area id"),
    "area_name": ("area_name", "area name", "geography", "geography name", "la name", "local authority"),
    "period": ("period", "year", "date", "time period", "time_period", "time", "reporting period"),
    "value": ("value", "obs_value", "obs value", "observation", "observation value", "count"),
    "indicator": ("indicator", "series", "indicator name", "variable"),
    "measure": ("measure", "measure type", "measure_type", "statistic"),
    "unit": ("unit", "units", "unit measure", "unit of measure", "unit_measure"),
    "unit_multiplier": ("unit multiplier", "unit_mult"),
    "observation_status": ("observation status", "obs status", "obs_status"),
}
AREA_NAME_BESIDE_CODE = ("country", "region")     # Open SDG names the area so beside a GeoCode

# Producers' missing-value markers and the GSS symbol each becomes (docs/statistics.md).
MARKERS = {"NA": "[x]", "N/A": "[x]", "..": "[x]", ":": "[x]", "x": "[x]", "[x]": "[x]",
           "-": "[z]", "z": "[z]", "[z]": "[z]", "c": "[c]", "[c]": "[c]"}
SPANS = {"annual mean": "P12M", "annual average": "P12M"}     # words that say a date ends 12 months


def normalise(heading: str) -> str:
    return re.sub(r"[\s_\-]+", " ", heading.replace("\ufeff", "")).strip().lower()


def role_table(extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Normalised heading -> role, from ROLES and the DASHBOARD_STATISTICS_ALIASES setting."""
    table = {normalise(h): role for role, headings in ROLES.items() for h in headings}
    for role, headings in (extra or {}).items():
        if role not in ROLES:
            raise ConfigError(f"DASHBOARD_STATISTICS_ALIASES maps headings to '{role}', which is not a column role; "
                              f"the roles are: {', '.join(ROLES)}. Other columns are breakdowns anyway.")
        table.update({normalise(h): role for h in headings})
    return table


@dataclass(frozen=True)
class Choices:
    """What the officer told the importer (the command's flags), and the council's settings."""

    area_code: str = ""
    measure_id: str = ""
    indicator: str = ""
    measure_type: str = ""
    headline: tuple[tuple[str, str], ...] = ()      # (column heading, value)
    years: str = ""                                  # "", "financial" or "academic"
    span: str = ""                                   # an ISO 8601 duration a date period ends (P12M)
    title: str = ""
    unit: str = ""
    frequency: str = ""
    polarity: str = ""
    purposes: tuple[str, ...] = ()
    comparators: tuple[str, ...] = ()
    benchmarks: tuple[str, ...] = ()
    kind: str = ""                                   # "": a new measure is context, an old one keeps its kind
    service: str = ""
    owner: str = ""
    source: str = ""
    lag_days: int | None = None
    next_release: str = ""
    delay_reason: str = ""
    delay_until: str = ""
    about: Path | None = None


@dataclass
class Row:
    line: int
    period: str            # in the Dashboard's notation
    area_code: str
    area_name: str
    parts: tuple[str, ...]  # one per breakdown column
    value: str              # a number as written, or a GSS symbol
    status: str = ""
    note: str = ""


@dataclass
class Statistic:
    """One measure read from one file: its rows and everything the measure needs to say about itself."""

    source: Path
    mapping: list[tuple[str, str]]                 # (heading as written, role or breakdown column)
    breakdowns: list[str]
    rows: list[Row]
    measure_id: str
    title: str
    unit: str
    frequency: str
    years: str
    area: str                                      # the own area's code ("" when the file has no area column)
    has_area: bool
    headline_parts: dict[str, str]
    description: str = ""
    source_text: str = ""
    skipped_other: int = 0                          # rows of other indicators or measure types in the file
    headline_rows: int = 0
    notes: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------

def read_statistics(path: Path, choices: Choices, roles: dict[str, str]) -> Statistic:
    """Read one file into one measure, or raise ImportFailed naming file, line and column."""
    header, body = read_table(path)
    meta = _csvw(path)
    columns = _columns(path, header, roles, meta)
    role_at = {role: i for i, (_, role) in enumerate(columns) if role in ROLES}
    if "value" not in role_at:
        raise ImportFailed([NO_VALUE_COLUMN(str(path), 1, None, "No column holds the values; the headings are "
                                            + ", ".join(f"'{h}'" for h in header)
                                            + ". Name it 'value', or add its heading to DASHBOARD_STATISTICS_ALIASES"
                                            " as {\"value\": [\"...\"]}.")])
    if "period" not in role_at:
        raise ImportFailed([MISSING_DETAIL(str(path), 1, None, "No column holds the periods; name it 'period', or "
                                           "add its heading to DASHBOARD_STATISTICS_ALIASES.")])
    breakdown_at = [(i, name) for i, (_, name) in enumerate(columns) if name not in ROLES]
    chosen, others = _choose(path, body, role_at, choices)
    problems: list[Problem] = []
    title = choices.title or _only(chosen, role_at.get("indicator")) or meta.get("title", "")
    measure_type = _only(chosen, role_at.get("measure"))
    span = choices.span or _span(measure_type, title)
    rows, notations = [], {}
    for line, cells in chosen:
        row = _row(path, line, cells, role_at, breakdown_at, choices, span, problems, notations)
        if row is not None:
            rows.append(row)
    if len(notations) > 1:
        (a, la), (b, lb) = list(notations.items())[:2]
        problems.append(MIXED_NOTATIONS(str(path), lb, header[role_at["period"]],
                                        f"Periods are written as {a} (line {la}) and as {b} (line {lb}) in one "
                                        "measure. Import each notation as its own measure (--indicator, "
                                        "--measure-type), or correct the file."))
    if problems:
        raise ImportFailed(problems[:50])
    has_area = "area_code" in role_at
    area = choices.area_code
    if has_area and not area:
        raise ImportFailed([MISSING_DETAIL(str(path), None, header[role_at["area_code"]],
                                           "The file covers several areas: say which is the council's with "
                                           "--area-code GSS, or set DASHBOARD_AREA_CODE in the settings.")])
    if has_area and not any(r.area_code == area for r in rows):
        codes = sorted({r.area_code for r in rows})
        raise ImportFailed([AREA_NOT_IN_FILE(str(path), None, header[role_at["area_code"]],
                                             f"No row is for area {area}; the file's areas are "
                                             + ", ".join(codes[:12]) + (" ..." if len(codes) > 12 else "") + ".")])
    names = [name for _, name in breakdown_at]
    headline_parts = _headline(path, rows, names, header, breakdown_at, area, choices)
    _refuse_duplicates(path, rows, header[role_at["period"]], area)
    own = [r for r in rows if r.area_code in ("", area)
           and all(v == headline_parts.get(n, "") for n, v in zip(names, r.parts))]
    frequency = choices.frequency or _frequency(own, choices.years)
    unit = choices.unit or _unit(chosen, role_at, measure_type)
    missing = [(flag, what) for flag, what, have in (("--title", "title", title), ("--unit", "unit", unit),
                                                     ("--frequency", "frequency", frequency))
               if not have]
    description, source_text = _about(choices.about) if choices.about else (meta.get("description", ""), "")
    source_text = choices.source or source_text or meta.get("publisher", "")
    if not source_text:
        missing.append(("--source", "producer (source)"))
    if missing:
        raise ImportFailed([MISSING_DETAIL(str(path), None, None, f"The {what} is not in the file or its metadata "
                                           f"exactly: give it with {flag}.") for flag, what in missing])
    title = title.strip().rstrip(".")
    return Statistic(path, [(h, r) for h, (_, r) in zip(header, columns)], names, rows,
                     choices.measure_id or _slug(title), title, unit, frequency, choices.years, area, has_area,
                     headline_parts, description, source_text, len(others), len(own))


def read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([UNKNOWN_ENCODING(str(path), data[:exc.start].count(b"\n") + 1, None,
                                             "The file is not UTF-8: save it as UTF-8 CSV.")]) from None
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ImportFailed([CSV_FORMAT(str(path), None, None, f"The CSV is broken ({exc}); nothing was read.")]) \
            from None
    table = [row for row in table if any(c.strip() for c in row)]
    if not table:
        raise ImportFailed([NO_VALUE_COLUMN(str(path), None, None, "The file is empty.")])
    # csv.reader counts physical lines; a quoted cell may span lines, so count from the text itself.
    lines = _line_numbers(text)
    return [h.strip() for h in table[0]], list(zip(lines[1:], table[1:]))


def _line_numbers(text: str) -> list[int]:
    """The physical line each non-blank record starts on (the header is line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    numbers, start = [], 1
    for row in reader:
        if any(c.strip() for c in row):
            numbers.append(start)
        start = reader.line_num + 1
    return numbers


def _csvw(path: Path) -> dict:
    """Title, description and publisher from the file's CSVW metadata (data.csv-metadata.json, or
    csv-metadata.json beside it), and each column's name by its heading."""
    for candidate in (path.with_name(path.name + "-metadata.json"), path.with_name("csv-metadata.json")):
        if candidate.is_file():
            try:
                doc = json.loads(candidate.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                raise ImportFailed([MISSING_DETAIL(str(candidate), None, None,
                                                   "The CSVW metadata is not valid JSON.")]) from None
            if not isinstance(doc, dict):
                raise ImportFailed([MISSING_DETAIL(str(candidate), None, None, "The CSVW metadata is not a JSON "
                                                   "object; see the CSV on the Web metadata vocabulary.")])
            tables = [t for t in _listed(doc.get("tables", [doc])) if isinstance(t, dict)]
            table = next((t for t in tables if str(t.get("url", path.name)).endswith(path.name)), doc)
            schema = table.get("tableSchema") or doc.get("tableSchema")
            # A schema given by reference (a URL) is not fetched: the importer reads nothing from elsewhere.
            columns = schema.get("columns", []) if isinstance(schema, dict) else []
            names = {}
            for c in (c for c in _listed(columns) if isinstance(c, dict)):
                titles = c.get("titles", [])
                for t in [titles] if isinstance(titles, str) else titles:
                    if c.get("name"):
                        names[normalise(t)] = c["name"]
            publisher = table.get("dc:publisher") or doc.get("dc:publisher") or doc.get("publisher") or ""
            if isinstance(publisher, dict):
                publisher = publisher.get("schema:name") or publisher.get("name") or ""
            return {"title": _text(table.get("dc:title") or doc.get("dc:title") or doc.get("title")),
                    "description": _text(table.get("dc:description") or doc.get("dc:description")),
                    "publisher": _text(publisher), "names": names}
    return {}


def _listed(value) -> list:
    """A CSVW property that may be one object or a list of them, as a list."""
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("@value", "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _columns(path: Path, header: list[str], roles: dict[str, str], meta: dict) -> list[tuple[str, str]]:
    """(heading, role) for a role column, (heading, breakdown column name) for the rest."""
    found: list[tuple[str, str]] = []
    taken: dict[str, str] = {}
    named = meta.get("names", {})
    has_code = any(roles.get(normalise(h)) == "area_code" for h in header)
    for heading in header:
        key = normalise(heading)
        role = roles.get(key) or roles.get(normalise(named.get(key, "")))
        if role is None and has_code and key in AREA_NAME_BESIDE_CODE and "area_name" not in taken:
            role = "area_name"
        if role is not None and role not in taken:
            taken[role] = heading
            found.append((heading, role))
            continue
        column = re.sub(r"[^a-z0-9]+", "_", key).strip("_")
        column = column if re.match(r"^[a-z]", column) else f"part_{column}"
        used = {c for _, c in found} | set(RESERVED_COLUMNS) | set(ROLES)
        base, n = column, 1
        while column in used:            # two headings that read alike (Sex, sex) stay two columns
            n += 1
            column = f"{base}_{n}"
        found.append((heading, column))
    return found


def cell(cells: list[str], i: int | None) -> str:
    """A row's cell at column i, trimmed; "" where the column is absent or the row is short."""
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _choose(path, body, role_at, choices: Choices):
    """The rows of the one indicator and measure type to import; refused when several remain."""
    ind, mt = role_at.get("indicator"), role_at.get("measure")
    wanted, others = [], []
    for line, cells in body:
        if (choices.indicator and cell(cells, ind).lower() != choices.indicator.lower()) or \
                (choices.measure_type and cell(cells, mt).lower() != choices.measure_type.lower()):
            others.append(line)
        else:
            wanted.append((line, cells))
    groups = sorted({(cell(c, ind), cell(c, mt)) for _, c in wanted})
    if not wanted:
        available = sorted({(cell(c, ind), cell(c, mt)) for _, c in body})
        raise ImportFailed([SEVERAL_MEASURES(str(path), None, None, "No row matches --indicator/--measure-type; "
                                             "the file holds: " + _groups(available) + ".")])
    if len(groups) > 1:
        raise ImportFailed([SEVERAL_MEASURES(str(path), None, None, "The file holds " + _groups(groups) + ". Pick "
                                             "one with --indicator TEXT and, where an indicator has several, "
                                             "--measure-type TEXT.")])
    return wanted, others


def _groups(groups) -> str:
    return "; ".join(f"'{i or '(no indicator)'}'" + (f" ({m})" if m else "") for i, m in groups)


def _only(rows, i: int | None) -> str:
    """The column's one value across the rows, or "" when it has none or several."""
    values = {cell(c, i) for _, c in rows} if i is not None else set()
    return values.pop() if len(values) == 1 else ""


def _span(measure_type: str, title: str) -> str:
    words = f"{measure_type} {title}".lower()
    return next((span for phrase, span in SPANS.items() if phrase in words), "")


def _row(path, line, cells, role_at, breakdown_at, choices, span, problems, notations) -> Row | None:
    raw_period = cell(cells, role_at["period"])
    try:
        period, notation = read_period(raw_period, choices.years, span)
    except PeriodError as exc:
        problem = YEARS_NEEDED if exc.hint == "years" else PERIOD_UNREADABLE
        problems.append(problem(str(path), line, "period" if "period" in role_at else None, str(exc)))
        return None
    notations.setdefault(notation, line)
    raw = cell(cells, role_at["value"])
    value = read_value(raw)
    if value is None:
        problems.append(NOT_A_NUMBER(str(path), line, "value", f"'{raw}' is not a number"
                                     + (" (a blank value needs a marker such as NA or [x])" if not raw else "")
                                     + "; the markers read are " + ", ".join(MARKERS) + "."))
        return None
    status, note = _status(cell(cells, role_at.get("observation_status")))
    return Row(line, period, cell(cells, role_at.get("area_code")), cell(cells, role_at.get("area_name")),
               tuple(cell(cells, i) for i, _ in breakdown_at), value, status, note)


def _status(text: str) -> tuple[str, str]:
    """Open SDG's observation status: provisional figures are marked so; any other but normal is a note."""
    lowered = text.lower()
    if not text or lowered in ("a", "normal", "normal value"):
        return "", ""
    return ("provisional", "") if "provisional" in lowered else ("", text)


_MONTH_YEAR = r"([A-Za-z]{3,9})\.?\s+(\d{4})"


def read_period(text: str, years: str = "", span: str = "") -> tuple[str, str]:
    """A producer's period in the Dashboard's notation, and the name of the notation it was written in.
    Raises PeriodError (hint "years" when only --years can tell)."""
    t = text.strip()
    if m := re.fullmatch(_MONTH_YEAR, t):
        return f"{m.group(2)}-{_month(t, m.group(1)):02d}", "month and year (April 2021)"
    if m := re.fullmatch(_MONTH_YEAR + r"\s*(?:-|–|to)\s*" + _MONTH_YEAR, t):
        first = f"{m.group(2)}-{_month(t, m.group(1)):02d}"
        last = f"{m.group(4)}-{_month(t, m.group(3)):02d}"
        return _checked(f"{first}/{last}", t), "a run of months (Jan 2021-Dec 2021)"
    if re.fullmatch(r"\d{4}/\d{2}", t):
        if years not in ("financial", "academic"):
            raise PeriodError(t, f"'{t}' could be a financial year (April to March) or an academic year "
                              "(September to August): say which with --years financial or --years academic.",
                              "years")
        return _checked(t, t, years), f"{years} years (YYYY/YY)"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) and span:
        return _checked(f"{span}/{t}", t), f"{span} ending on a date"
    try:
        period = parse_period(t)
    except PeriodError:
        raise PeriodError(t, f"'{t}' is not a period the importer can read (docs/statistics.md lists the "
                          "notations).") from None
    return period.text, period.kind.replace("-", " ")


def _month(text: str, name: str) -> int:
    month = month_number(name)
    if month is None:
        raise PeriodError(text, f"'{text}': '{name}' is not a month.")
    return month


def _checked(notation: str, original: str, years: str = "") -> str:
    """The notation, once the Dashboard's own grammar accepts it (a run of months must be real)."""
    try:
        parse_period(notation, years=years or "financial")
    except PeriodError as exc:
        raise PeriodError(original, f"'{original}' reads as {notation}, which is not a period: {exc}") from None
    return notation


_NUMBER = re.compile(r"[-+]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?([eE][-+]?\d+)?")


def read_value(text: str) -> str | None:
    """A number exactly as written (thousands commas removed), or the GSS symbol for a producer's
    missing-value marker; None for anything else."""
    t = text.strip()
    if t in MARKERS:
        return MARKERS[t]
    if t.lower() in ("na", "n/a"):
        return "[x]"
    if _NUMBER.fullmatch(t):
        plain = t.replace(",", "")
        try:
            if Decimal(plain).is_finite():
                return plain
        except InvalidOperation:
            return None
    return None


def _headline(path, rows, names, header, breakdown_at, area, choices: Choices) -> dict[str, str]:
    """Which breakdown parts are the headline: blank (the total) unless --headline picks rows, whose
    other breakdown cells (a station's name beside its code) then come along."""
    own = [r for r in rows if r.area_code in ("", area)]
    if not choices.headline:
        if names and not any(all(v == "" for v in r.parts) for r in own):
            raise ImportFailed([NO_TOTAL_ROWS(str(path), None, None, "No row is the total: every row of "
                                              + (f"area {area}" if area else "the file")
                                              + " has a value in " + ", ".join(h for _, h in _headings(header, breakdown_at))
                                              + ". Say which rows are the headline series with --headline "
                                              "COLUMN=VALUE (for example --headline "
                                              f"{_headings(header, breakdown_at)[0][1]}=...).")])
        return {}
    by_heading = {normalise(h): n for n, h in _headings(header, breakdown_at)}
    picked = {}
    for heading, value in choices.headline:
        column = by_heading.get(normalise(heading)) or (heading if heading in names else None)
        if column is None:
            raise ImportFailed([MISSING_DETAIL(str(path), None, heading, f"--headline names '{heading}', which is "
                                               "not a breakdown column; they are: "
                                               + ", ".join(h for _, h in _headings(header, breakdown_at)) + ".")])
        picked[column] = value
    chosen = [r for r in own if all(dict(zip(names, r.parts)).get(c) == v for c, v in picked.items())]
    if not chosen:
        raise ImportFailed([NO_TOTAL_ROWS(str(path), None, None, "No row matches --headline "
                                          + " ".join(f"{c}={v}" for c, v in choices.headline) + ".")])
    for n in names:
        if n not in picked:
            values = {dict(zip(names, r.parts))[n] for r in chosen}
            if len(values) == 1:
                picked[n] = values.pop()
    return {n: v for n, v in picked.items() if v}


def _headings(header, breakdown_at) -> list[tuple[str, str]]:
    return [(name, header[i]) for i, name in breakdown_at]


def _refuse_duplicates(path: Path, rows: list[Row], period_heading: str, area: str) -> None:
    """One figure per period, area and breakdown part; a blank area code is the council's own area."""
    seen: dict[tuple, int] = {}
    problems = []
    for r in rows:
        key = (r.period, r.area_code or area, r.parts)
        if key in seen:
            problems.append(DUPLICATE_FIGURE(str(path), r.line, period_heading,
                                          f"Line {seen[key]} has a figure for the same period, area and breakdown "
                                          "parts (a blank area code is the council's own area); keep one."))
        seen.setdefault(key, r.line)
    if problems:
        raise ImportFailed(problems[:50])


def _frequency(rows: list[Row], years: str) -> str:
    """How often a new figure comes, where the periods say so exactly: the step between their ends."""
    ends = sorted({parse_period(r.period, years=years or "financial").end for r in rows}) if rows else []
    if len(ends) < 2:
        return ""
    steps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(ends, ends[1:])}
    least = min(steps)
    if least == 0 or any(s % least for s in steps):
        return ""
    return {1: Frequency.MONTHLY, 2: Frequency.BI_MONTHLY, 3: Frequency.QUARTERLY, 12: Frequency.ANNUAL}.get(least, "")


PERCENT = re.compile(r"^\s*(percentage|percent|%|rate \(%\))\s*$", re.I)


def _unit(rows, role_at, measure_type: str) -> str:
    """A Percentage measure type makes the unit % (its unit column names the population counted), as does
    a unit column that says Percentage (the Open SDG way)."""
    unit = _only(rows, role_at.get("unit"))
    if PERCENT.match(measure_type) or PERCENT.match(unit):
        return "%"
    return unit.lower() if unit and unit[0].isupper() and not unit[1:2].isupper() else unit


def _about(path: Path) -> tuple[str, str]:
    """A metadata Markdown file as the definition: http(s) links kept (without target), every other
    tag reduced to its text; its "Source:" line becomes the source, its heading is dropped, and so is a
    note that links open in a new window (they no longer do)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([UNKNOWN_ENCODING(str(path), path.read_bytes()[:exc.start].count(b"\n") + 1, None,
                                             "The --about file is not UTF-8: save it as UTF-8.")]) from None
    clean = nh3.clean(text, tags={"a"}, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                      link_rel=None, strip_comments=True)
    lines, source = [], ""
    for line in clean.splitlines():
        if re.match(r"^\s*#{1,6}\s", line) and not lines:
            continue                                  # the title, which the page shows already
        if re.search(r"open(s)? in a new (window|tab)", line, re.I):
            continue                                  # untrue once targets are dropped
        if m := re.match(r"^\s*Source:\s*(.+?)\s*$", line):
            source = _markdown_links(m.group(1)).rstrip(".")
            continue
        lines.append(line.rstrip())
    body = _markdown_links("\n".join(lines)).strip()
    return re.sub(r"\n{3,}", "\n\n", body), source


def _markdown_links(text: str) -> str:
    """<a href="https://x">text</a> as a Markdown link; a link with no text is dropped."""
    def link(m: re.Match) -> str:
        label = re.sub(r"\s+", " ", m.group(2)).strip()
        return f"[{label}]({m.group(1)})" if label else ""
    text = re.sub(r'<a href="([^"]+)"[^>]*>(.*?)</a>', link, text, flags=re.S)
    return text.replace("&amp;", "&")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "statistic"


# --- writing ------------------------------------------------------------------------------------

def write_measures(folder: Path, stats: list[Statistic], choices: Choices,
                   today: date) -> list[tuple[str, int, int]]:
    """Add each measure to the package in `folder` (replacing its table in place when it is there), all in
    one copy swapped in only when frictionless finds it valid. (resource name, rows, revised) for each."""
    descriptor = read_descriptor(folder)
    planned, done = [], []
    for stat in stats:
        existing = next((r for r in descriptor["resources"] if r.get("name") == stat.measure_id), None)
        old = _old_rows(folder, stat, existing) if existing is not None else {}
        header, rows, revised = _table_rows(stat, old, today)
        resource = _resource(stat, choices, header, existing)
        descriptor["resources"] = [resource if r is existing else r for r in descriptor["resources"]]
        if existing is None:
            descriptor["resources"].append(resource)
        planned.append((resource["path"], header, rows))
        done.append((resource["name"], len(rows), revised))
    with staged(folder) as stage:
        for path, header, rows in planned:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
            (stage / path).write_text(buffer.getvalue(), encoding="utf-8", newline="")
        (stage / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")
    return done


def read_descriptor(folder: Path) -> dict:
    """The package's descriptor, or a new one; one that cannot be read is a problem, not a traceback."""
    path = folder / "datapackage.json"
    if not path.is_file():
        return {"name": _slug(folder.name), "title": folder.name.replace("-", " ").capitalize(), "resources": []}
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed([INVALID_JSON(str(path), None, None, f"{folder} holds a datapackage.json that is not "
                                         f"valid JSON ({exc}); fix it, or import into another folder.")]) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources", []), list):
        raise ImportFailed([INVALID_JSON(str(path), None, None, "The datapackage.json is not a data package (an "
                                         "object with a list of resources).")])
    descriptor.setdefault("resources", [])
    return descriptor


def _columns_out(stat: Statistic) -> list[str]:
    return (["period"] + ([AREA_COLUMN, AREA_NAME_COLUMN] if stat.has_area else []) + stat.breakdowns
            + ["value", "status", "note"])


def _old_rows(folder: Path, stat: Statistic, existing: dict) -> dict[tuple, dict[str, str]]:
    """The table as it stands, by key, to keep rows the new file lacks and to see what changed. Only a
    measure with the same key columns can be imported over: anything else would lose rows."""
    where = str(folder / "datapackage.json")
    if "dashboard" not in existing:
        raise ImportFailed([IMPORT_CLASH(where, None, None, f"'{stat.measure_id}' is a table of the package but "
                                         "not a measure; give the measure another --id.")])
    names = [f.get("name") for f in (existing.get("schema") or {}).get("fields", []) if isinstance(f, dict)]
    before = key_columns(names, list(existing["dashboard"].get("breakdowns", [])))
    now = key_columns(_columns_out(stat), stat.breakdowns)
    if before != now:
        raise ImportFailed([IMPORT_CLASH(where, None, None, f"Measure '{stat.measure_id}' is keyed by "
                                         f"{', '.join(('period',) + before)}, but the file gives "
                                         f"{', '.join(('period',) + now)}: its rows would not line up. Import it "
                                         "as a new measure (--id), or change the table first.")])
    path = folder / str(existing.get("path", ""))
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return {(r.get("period", ""), *row_key(r, now, stat.area)): r for r in rows}


def _table_rows(stat: Statistic, old: dict, today: date) -> tuple[list[str], list[list[str]], int]:
    """Every source row, in the file's order, then rows of the table the file no longer holds (history
    is never dropped). A figure that changed is a revision whose note names the file."""
    header = _columns_out(stat)
    out, revised, seen = [], 0, set()
    for r in stat.rows:
        area = r.area_code or stat.area
        key = (r.period, *((area,) if stat.has_area else ()), *r.parts)
        seen.add(key)
        status, note = r.status, r.note
        before = old.get(key)
        if before is not None and revises(before.get("value", ""), r.value):
            status, note = "revised", (f"Revised by the producer: re-imported from {stat.source.name} on "
                                       f"{today.isoformat()} (was {before.get('value', '')}).")
            revised += 1
        elif before is not None and not status and not note:
            status, note = before.get("status", ""), before.get("note", "")
        out.append([r.period] + ([area, r.area_name] if stat.has_area else []) + list(r.parts)
                   + [r.value, status, note])
    for key, row in old.items():
        if key not in seen:
            out.append([row.get(c, "") for c in header])
    return header, out, revised


def _resource(stat: Statistic, choices: Choices, header: list[str], existing: dict | None) -> dict:
    fields = [{"name": name, "type": "number" if name == "value" else "string"} for name in header]
    for f in fields:
        if f["name"] == "status":
            f["constraints"] = {"enum": ["provisional", "revised"]}
    key = ["period"] + ([AREA_COLUMN] if stat.has_area else []) + stat.breakdowns
    dash = dict((existing or {}).get("dashboard", {}))      # what an officer added by hand stays
    dash["kind"] = choices.kind or dash.get("kind", Kind.CONTEXT)
    dash.update({"unit": stat.unit, "frequency": stat.frequency, "source": stat.source_text})
    dash.setdefault("purposes", [])
    optional = {"purposes": list(choices.purposes), "polarity": choices.polarity, "service": choices.service,
                "owner": choices.owner, "years": stat.years if stat.years == "academic" else "",
                "area": stat.area, "breakdowns": stat.breakdowns, "headline_series": stat.headline_parts,
                "comparators": list(choices.comparators), "benchmarks": list(choices.benchmarks)}
    dash.update({k: v for k, v in optional.items() if v})
    for name in ("breakdowns", "headline_series"):
        if not optional[name]:
            dash.pop(name, None)
    release = dict(dash.get("release", {}))
    if choices.lag_days is not None:
        release = {k: v for k, v in release.items() if k != "next"} | {"lag_days": choices.lag_days}
    if choices.next_release:
        release = {k: v for k, v in release.items() if k != "lag_days"} | {"next": choices.next_release}
    if choices.delay_reason:
        release["delay"] = {"reason": choices.delay_reason, "expected": choices.delay_until}
    if release:
        dash["release"] = release
    return {"name": stat.measure_id, "path": f"{stat.measure_id}.csv", "title": stat.title,
            "description": stat.description or (existing or {}).get("description", ""),
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "sources": [{"title": stat.source.name}],
            "schema": {"fields": fields, "missingValues": ["", "[x]", "[c]", "[z]"], "primaryKey": key},
            "dashboard": dash}


def describe(stat: Statistic, name: str, rows: int, revised: int) -> list[str]:
    """What the importer did, in plain words."""
    lines = [f"{stat.source}: columns " + "; ".join(f"'{h}' -> {r}" for h, r in stat.mapping) + "."]
    if stat.skipped_other:
        lines.append(f"  {stat.skipped_other:,} row(s) of other indicators or measure types left for their own "
                     "imports.")
    periods = sorted({parse_period(r.period, years=stat.years or "financial") for r in stat.rows
                      if r.area_code in ("", stat.area)})
    lines.append(f"  '{stat.title}': {len(stat.rows):,} row(s), {stat.headline_rows} in the headline series"
                 + (f" (area {stat.area})" if stat.area else "") + f"; {stat.frequency}, unit {stat.unit!r}"
                 + (f", {periods[0].label} to {periods[-1].label}" if periods else "") + ".")
    if revised:
        lines.append(f"  {revised} figure(s) changed since the last import: marked revised, the reason naming "
                     "this file.")
    lines.append(f"  -> measure '{name}' ({rows:,} row(s) in its table).")
    return lines
