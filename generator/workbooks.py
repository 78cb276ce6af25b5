"""Officers' workbooks: `dashboard template xlsx` writes one to fill in, `dashboard import xlsx` reads it
back by the rules of `dashboard add` (entry.py), all or nothing.

A sheet per measure, named from its title (Excel allows 31 characters, unique in the workbook); the
importer reads the measure's id from cell B1, never the sheet's name, so renaming a sheet is harmless.
Under a heading row the periods due are pre-filled as text, one row per series (the headline, then each
area's or breakdown's), so an officer types only values. Cells are read as what was typed, never through
their display format: a number is a number, and a number or a date stored as text is refused with a
hint. Excel turns a month typed as `2026-10` into the first of the month; for a monthly measure that day
is read back as its month.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .domain.model import AREA_COLUMN, AREA_NAME_COLUMN, Measure, Series, Site
from .domain.vocabulary import Frequency
from .entry import PROVISIONAL, Figure
from .errors import ConfigError, ImportFailed
from .problems import INVALID_FIGURE, UNKNOWN_MEASURE

ID_CELL = "B1"                  # the measure's id: what the importer reads
HEADING_ROW = 5
INSTRUCTIONS = "Instructions"
_NOT_IN_NAMES = re.compile(r"[\[\]:*?/\\]")
_NUMBER_TEXT = re.compile(r"\s*-?[\d,]+(\.\d+)?\s*")
_DATE_TEXT = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{2,4}\s*")


def sheet_names(titles: list[str]) -> list[str]:
    """Excel's sheet names for these titles: at most 31 characters, none of []:*?/\\, unique (case apart)."""
    out, seen = [], {INSTRUCTIONS.lower()}
    for title in titles:
        base = " ".join(_NOT_IN_NAMES.sub(" ", title).split()).strip("'") or "Measure"
        name, n = base[:31].rstrip(), 1
        while name.lower() in seen:
            n += 1
            suffix = f" ({n})"
            name = base[:31 - len(suffix)].rstrip() + suffix
        seen.add(name.lower())
        out.append(name)
    return out


def columns(m: Measure) -> list[str]:
    """A measure sheet's headings: the period, the series' key cells (and the area's name, for the reader:
    the importer goes by its code), the value, then status and note."""
    keyed = [AREA_COLUMN, AREA_NAME_COLUMN] if any(s.area_code for s in m.series) else []
    return ["period", *keyed, *m.breakdowns, "value", "status", "note"]


def due_periods(m: Measure, observations: list, today: date) -> list[str]:
    """The periods after a series' latest that have ended by `today`, or the next one if none has."""
    if not observations:
        return []
    out, following = [], observations[-1].period.next(m.frequency)
    while following and m.period(following).end < today:
        out.append(following)
        following = m.period(following).next(m.frequency)
    return out or ([following] if following else [])


def template(site: Site, measure_ids: list[str], today: date) -> Workbook:
    """A workbook for these measures (every strategic and operational one when none is named)."""
    unknown = [mid for mid in measure_ids if mid not in site.measures]
    if unknown:
        raise ImportFailed([UNKNOWN_MEASURE("dashboard template", None, "measure", f"No measure '{mid}'.")
                            for mid in unknown])
    measures = [site.measures[mid] for mid in measure_ids] or \
        [m for m in site.measures.values() if m.kind.value != "context"]
    if not measures:      # a council whose measures are all others' statistics: name the ones to type in
        raise ConfigError("There is no strategic or operational measure to fill in: name the measures the "
                          "workbook is for (dashboard template xlsx MEASURE ... --out FILE).")
    book = Workbook()
    _instructions(book.active, site, measures)
    for m, name in zip(measures, sheet_names([m.title for m in measures])):
        _measure_sheet(book.create_sheet(name), site, m, today)
    return book


def _instructions(sheet, site: Site, measures: list[Measure]) -> None:
    sheet.title = INSTRUCTIONS
    lines = [
        "How to fill in this workbook",
        "",
        "Each sheet is one measure. Type each figure in the value column, beside its period: a plain number "
        "(41 or 43.1), without thousands separators, units or a % sign.",
        "Where a figure is missing, type [x] (not available), [c] (confidential) or [z] (not applicable).",
        "Leave a value empty if you do not have the figure yet: that row is skipped.",
        "Status: type provisional if the figure may change. Note: anything readers should know about it.",
        "Do not change cell B1 of a sheet (the measure's id) or the period and area cells; you may rename "
        "sheets.",
        "Then: dashboard import xlsx THIS-FILE. Every figure goes in, or, if any is wrong, none does, and "
        "each problem names its sheet, row and column.",
        "",
        f"{len(measures)} measure(s).",
    ]
    for n, line in enumerate(lines, start=1):
        sheet.cell(n, 1, line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _measure_sheet(sheet, site: Site, m: Measure, today: date) -> None:
    for row, (label, value) in enumerate((("Measure", m.id), ("Title", m.title), ("Unit", m.unit),
                                          ("Frequency", m.frequency.words)), start=1):
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, value)
    heads = columns(m)
    for n, head in enumerate(heads, start=1):
        sheet.cell(HEADING_ROW, n, head).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(n)].width = 14 if head != "note" else 40
    row = HEADING_ROW + 1
    for series in [Series(m.area, tuple((b, m.headline_parts.get(b, "")) for b in m.breakdowns), m.observations),
                   *m.series]:
        for period in due_periods(m, series.observations, today):
            code = "" if series.area_code == m.area else series.area_code
            cells = {"period": period, AREA_COLUMN: code, AREA_NAME_COLUMN: m.area_names.get(code, ""),
                     **dict(series.breakdown)}
            for n, head in enumerate(heads, start=1):
                if cells.get(head):
                    cell = sheet.cell(row, n, cells[head])
                    cell.number_format = "@"        # text: Excel must not read 2026-10 as a date
            row += 1
    _validate_cells(sheet, m, heads, row - 1)
    sheet.freeze_panes = sheet.cell(HEADING_ROW + 1, 1)


def _validate_cells(sheet, m: Measure, heads: list[str], last: int) -> None:
    """Excel's own check as an officer types: a number or a missing-value symbol; a status from the list."""
    if last <= HEADING_ROW:
        return
    value = get_column_letter(heads.index("value") + 1)
    first = f"{value}{HEADING_ROW + 1}"
    whole = next((f.type == "integer" for f in m.fields if f.name == "value"), False)
    number = f"AND(ISNUMBER({first}),{first}=INT({first}))" if whole else f"ISNUMBER({first})"
    check = DataValidation(type="custom", formula1=f'OR({number},{first}="[x]",{first}="[c]",{first}="[z]")',
                           allow_blank=True, showErrorMessage=True, errorTitle="Not a figure",
                           error="Type a plain number" + (" (a whole number)" if whole else "")
                           + ", or [x], [c] or [z] for a missing figure.")
    check.add(f"{first}:{value}{last}")
    status = get_column_letter(heads.index("status") + 1)
    listed = DataValidation(type="list", formula1=f'"{PROVISIONAL}"', allow_blank=True)
    listed.add(f"{status}{HEADING_ROW + 1}:{status}{last}")
    sheet.add_data_validation(check)
    sheet.add_data_validation(listed)


def read_figures(path: Path, site: Site) -> list[Figure]:
    """Every filled-in row of every measure sheet, as Figures; ImportFailed lists every unreadable cell."""
    book = load_workbook(path, data_only=True)
    shown = path.name
    figures, problems = [], []
    for sheet in book.worksheets:
        if sheet.title == INSTRUCTIONS:
            continue
        mid = sheet[ID_CELL].value
        m = site.measures.get(str(mid).strip()) if mid else None
        if m is None:
            problems.append(UNKNOWN_MEASURE(shown, 1, f"{sheet.title}!B",
                                            f"Cell B1 of sheet '{sheet.title}' must hold a measure's id, "
                                            f"not {mid!r}."))
            continue
        heads = [str(c.value).strip() if c.value is not None else "" for c in sheet[HEADING_ROW]]
        for row in sheet.iter_rows(min_row=HEADING_ROW + 1):
            cells = {heads[i]: c for i, c in enumerate(row) if i < len(heads) and heads[i]}
            value = cells.get("value")
            if value is None or value.value is None or str(value.value).strip() == "":
                continue
            try:
                figures.append(_figure(m, cells, shown, sheet.title, value.row))
            except _Unreadable as bad:
                problems.append(bad.problem)
    if problems:
        raise ImportFailed(problems)
    return figures


class _Unreadable(Exception):
    def __init__(self, problem):
        self.problem = problem


def _figure(m: Measure, cells: dict, shown: str, sheet: str, row: int) -> Figure:
    letters = {head: f"{sheet}!{cell.column_letter}" for head, cell in cells.items()}

    def text(head: str) -> str:
        cell = cells.get(head)
        return "" if cell is None or cell.value is None else str(cell.value).strip()

    period = cells.get("period")
    when = period.value if period is not None else None
    if isinstance(when, datetime | date):
        day = when.date() if isinstance(when, datetime) else when
        if m.frequency is not Frequency.MONTHLY or day.day != 1:
            raise _Unreadable(INVALID_FIGURE(shown, row, letters["period"],
                                             f"Excel turned the period into a date ({day.isoformat()}): type it "
                                             "as text, as the template did (format the cell as Text first)."))
        when = f"{day:%Y-%m}"
    figure = Figure(m.id, str(when or "").strip(), _value(cells["value"].value, shown, row, letters["value"]),
                    text(AREA_COLUMN).upper(), tuple((b, text(b)) for b in m.breakdowns if text(b)),
                    text("note"), text("status").lower(), source=(shown, row), fields=letters)
    return figure


def _value(typed, shown: str, row: int, where: str) -> str:
    """A value cell as typed: a number as a number (never its display format), or a missing-value symbol."""
    if isinstance(typed, bool):
        raise _Unreadable(INVALID_FIGURE(shown, row, where, f"{typed} is not a figure: type a number."))
    if isinstance(typed, int):
        return str(typed)
    if isinstance(typed, float):
        return format(Decimal(repr(typed)).normalize(), "f")     # 43.1 stays 43.1; 41.0 is 41
    if isinstance(typed, datetime | date):
        raise _Unreadable(INVALID_FIGURE(shown, row, where, "A date in a value cell: type the figure as a "
                                                            "number."))
    words = str(typed).strip()
    if _NUMBER_TEXT.fullmatch(words):
        raise _Unreadable(INVALID_FIGURE(shown, row, where, f"'{words}' is a number stored as text: retype it as "
                                                            "a number (without thousands separators), or use "
                                                            "Excel's 'Convert to Number'."))
    if _DATE_TEXT.fullmatch(words):
        raise _Unreadable(INVALID_FIGURE(shown, row, where, f"'{words}' looks like a date stored as text, not a "
                                                            "figure."))
    return words
