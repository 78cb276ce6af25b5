"""Excel downloads (.xlsx): a Notes sheet first, then one sheet per table.

Laid out as the Government Analysis Function advises for spreadsheets: a cover sheet
saying what the data is, who publishes it, its licence and what the symbols mean; one
table per sheet starting in cell A1 with a single header row; numbers stored as numbers;
no merged cells or colour-only meaning. A table longer than a sheet allows continues on
further sheets. Timestamps come from the build's "now", so the same inputs give the same
bytes.
"""

from __future__ import annotations

import io
import math
import operator
import os
import pickle
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from ..domain.model import Field
from ..domain.vocabulary import MISSING_SYMBOLS
from ..domain.published import MAX_CELL_TEXT
from .. import cache
from . import archive
from .archive import keep_deflated, restamp_zip
from .files import fresh
from .formats import is_text, neutralise, safe_cell

# A field's facts as a key holds them, in its dataclass's order (dataclasses.astuple copies each value deeply:
# a rebuild's keys for a thousand sheets' fields spent half a second in it).
_field_facts = operator.attrgetter(*(f.name for f in fields(Field)))

# What makes a book besides what it holds: this module, the one that zips it (and keeps its sheets deflated),
# and the versions of xlsxwriter and zlib.
_CODE = cache.code(__file__, archive.__file__, versions=(xlsxwriter.__version__, zlib.ZLIB_RUNTIME_VERSION))
MAX_ROWS = 1_048_576          # rows in an Excel sheet, the header included
IN_MEMORY_CELLS = 100_000     # the most cells of a book packed in memory (_workbook)
SHEET_NAME_LIMIT = 31


@dataclass
class Sheet:
    """One table: its name, title, fields and rows (text as published, values typed)."""

    name: str
    title: str
    fields: list[Field]
    cells: Sequence[list[str]]
    values: Sequence[list[object]]
    rows_key: str | None = None     # its table's (model.Resource): hashed in place of every row when known

    @property
    def count(self) -> int:
        return len(self.cells)

    def rows(self, start: int, stop: int) -> Iterator[tuple[list[str], list[object]]]:
        """Its rows from `start` up to `stop`, each as (text, values)."""
        return zip(self.cells[start:stop], self.values[start:stop])


@dataclass
class SpooledSheet:
    """A Sheet whose rows wait in a file (spool_sheets), read back a few thousand at a time: a worker writing
    a workbook of half a million rows holds none of them whole (sent as one object, they cost it 900 MB)."""

    name: str
    title: str
    fields: list[Field]
    count: int
    path: Path
    offset: int | None  # where its first chunk starts in the file (None: not spooled, every part of it kept)
    rows_key: str | None = None

    def rows(self, start: int, stop: int) -> Iterator[tuple[list[str], list[object]]]:
        if self.offset is None:
            raise KeptSheetGone(f"The sheet of {self.name} was sent without its rows, the cache keeping it, and "
                                "went from the cache meanwhile (pruned by another build sharing it).")
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            at = 0
            while at < min(stop, self.count):
                chunk = pickle.load(f)
                for row in chunk[max(0, start - at):max(0, min(stop, self.count) - at)]:
                    yield row
                at += len(chunk)


SPOOL_CHUNK = 5000


class KeptSheetGone(Exception):
    """A sheet sent to a worker without its rows was not in the cache after all: the caller makes the book."""


def spool_sheets(sheets: list[Sheet], path: Path, cache_dir: Path | None = None,
                 max_rows: int = MAX_ROWS) -> list[SpooledSheet]:
    """Write the sheets' rows to `path`, in chunks, and return sheets that read them from there. A sheet the
    cache (`cache_dir`) keeps every part of is not spooled: the book puts in its XML as kept (a thousand
    measures' package book, one table changed, spooled every table's rows in half a second)."""
    spooled = []
    with open(path, "wb") as f:
        for s in sheets:
            kept = all(cache.hit(_kept_sheet(cache_dir, s, start, stop)) for _, start, stop in _parts([s], max_rows))
            spooled.append(SpooledSheet(s.name, s.title, s.fields, s.count, path, None if kept else f.tell(),
                                        s.rows_key))
            for at in range(0, 0 if kept else s.count, SPOOL_CHUNK):
                pickle.dump(list(s.rows(at, at + SPOOL_CHUNK)), f, protocol=pickle.HIGHEST_PROTOCOL)
    return spooled


def sheet_names(names: list[str], parts: list[int]) -> list[list[str]]:
    """Excel sheet names (31 characters, no []:*?/\\), unique, with ' (2)' for continuations."""
    used: set[str] = {"notes"}
    out = []
    for name, count in zip(names, parts):
        base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'") or "Table"
        group = []
        for part in range(count):
            suffix = f" ({part + 1})" if count > 1 else ""
            candidate, n = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, 2
            while candidate.lower() in used:
                tag = f"~{n}{suffix}"
                candidate, n = base[: SHEET_NAME_LIMIT - len(tag)] + tag, n + 1
            used.add(candidate.lower())
            group.append(candidate)
        out.append(group)
    return out


def workbook_key(title: str, notes: list[tuple[str, str]], sheets: list[Sheet], when: datetime,
                 max_rows: int = MAX_ROWS) -> str:
    """The hash a workbook is kept under in the cache: of all it holds, this module and xlsxwriter's version."""
    return cache.key(_CODE, title, notes, [(s.name, s.title, [_field_facts(f) for f in s.fields],
                                            s.rows_key or [cache.key_of_rows(s.cells), cache.key_of_rows(s.values)])
                                           for s in sheets], when, max_rows)


def write_workbook(path: Path, title: str, notes: list[tuple[str, str]], sheets: list[Sheet],
                   when: datetime, max_rows: int = MAX_ROWS, cache_dir: Path | None = None,
                   key: str | None = None) -> int:
    """Write `path` and return its size. Kept in the cache by a hash of all it holds (`key`, when the
    caller has worked it out already): writing a workbook costs far more than hashing its cells, and a
    rebuild finds most tables unchanged."""
    kept = _kept(cache_dir, key or workbook_key(title, notes, sheets, when, max_rows)) if cache_dir else None
    data = cache.kept(kept, lambda: _workbook(path.parent, title, notes, sheets, when, max_rows, cache_dir))
    if cache_dir:       # each table's sheet, kept for the next change to one of them
        _sheets_used(cache_dir, sheets, max_rows)
    fresh(path).write_bytes(data)
    return len(data)


def mark_used(cache_dir: Path, key: str, sheets: list[Sheet], max_rows: int = MAX_ROWS) -> None:
    """Mark what write_workbook would read from the cache used (cache.prune keeps it), for a book not written:
    the book kept under `key` and each of its tables' sheets."""
    cache.hit(_kept(cache_dir, key))
    _sheets_used(cache_dir, sheets, max_rows)


def _sheets_used(cache_dir: Path, sheets: Sequence[Sheet | SpooledSheet], max_rows: int) -> None:
    for sheet, start, stop in _parts(sheets, max_rows):
        cache.hit(_kept_sheet(cache_dir, sheet, start, stop))


def keep_workbook(cache_dir: Path, key: str, title: str, notes: list[tuple[str, str]],
                  sheets: list[Sheet] | list[SpooledSheet], when: datetime, max_rows: int = MAX_ROWS) -> None:
    """Make a workbook into the cache, where write_workbook will find it: run in a worker process, so that
    it is written while the build goes on. A large one (every measure's table in one book) reads its rows
    from their spool (spool_sheets)."""
    cache.kept(_kept(cache_dir, key), lambda: _workbook(cache_dir, title, notes, sheets, when, max_rows, cache_dir))


def spool_path(cache_dir: Path, key: str) -> Path:
    """Where a workbook's rows wait for the worker making it (beside the workbooks kept; the caller removes
    it once the worker is done, or will never start)."""
    folder = cache_dir / "xlsx"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f".{key}.{os.getpid()}.rows"


def is_kept(cache_dir: Path, key: str) -> bool:
    return cache.hit(_kept(cache_dir, key))


def _kept(cache_dir: Path, key: str) -> Path:
    return cache_dir / "xlsx" / f"{key}.xlsx"


def _kept_sheet(cache_dir: Path | None, sheet: Sheet | SpooledSheet, start: int, stop: int) -> Path | None:
    """Where a table's sheet (its rows from `start` to `stop`) is kept, its XML deflated as a workbook's zip
    holds it (archive.keep_deflated): by its rows_key and fields (None: it is not). With inline strings
    (constant_memory), a sheet's XML holds all it shows and nothing of the book around it, so a measure's book
    and its package's share it, and a package's book of a thousand tables, one of them changed, writes that
    one."""
    if cache_dir is None or sheet.rows_key is None:
        return None
    facts = [_field_facts(f) for f in sheet.fields]
    return cache_dir / "xlsx" / "sheets" / f"{cache.key(_CODE, 'sheet', facts, sheet.rows_key, start, stop)}.deflated"


def _parts(sheets: Sequence[Sheet | SpooledSheet], max_rows: int) -> Iterator[tuple[Sheet | SpooledSheet, int, int]]:
    """Each sheet's parts as (sheet, start, stop): a table longer than a sheet holds continues on more."""
    per_sheet = max_rows - 1
    for sheet in sheets:
        for part in range(_part_count(sheet, max_rows)):
            yield sheet, part * per_sheet, (part + 1) * per_sheet


def _part_count(sheet: Sheet | SpooledSheet, max_rows: int) -> int:
    return max(1, -(-sheet.count // (max_rows - 1)))


def _workbook(scratch: Path, title: str, notes: list[tuple[str, str]], sheets: list[Sheet], when: datetime,
              max_rows: int, cache_dir: Path | None = None) -> bytes:
    """The workbook's bytes (written in a temporary folder, then restamped: the same inputs, the same bytes).
    A table's sheet kept in the cache (_kept_sheet) is put in as kept, and one that is not is kept."""
    scratch.mkdir(parents=True, exist_ok=True)
    parts = list(_parts(sheets, max_rows))
    names = sheet_names([s.name for s in sheets], [_part_count(s, max_rows) for s in sheets])
    # A small book (a measure's) is packed in memory: xlsxwriter would write each of its dozen parts to a file
    # and remove it, a third of the time the book takes. A large one's stay on disk: a sheet's XML can be
    # hundreds of megabytes.
    small = sum((min(stop, sheet.count) - start) * len(sheet.fields) for sheet, start, stop in parts) <= IN_MEMORY_CELLS
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        raw, stamped = (io.BytesIO(), io.BytesIO()) if small else (Path(tmp) / "book.xlsx", Path(tmp) / "stamped.xlsx")
        book = xlsxwriter.Workbook(raw, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
        book.set_properties({"title": title, "created": when.replace(tzinfo=None)})
        styles = _styles(book)
        _notes_sheet(book, styles, title, notes, sheets, names)
        found: dict[str, Path] = {}         # a sheet's XML in the book, by its name there: as kept
        made: dict[str, Path] = {}          # where to keep a sheet made now
        for number, ((sheet, start, stop), name) in enumerate(zip(parts, (n for g in names for n in g)), start=2):
            ws, member = book.add_worksheet(name), f"xl/worksheets/sheet{number}.xml"   # the Notes are sheet1
            kept = _kept_sheet(cache_dir, sheet, start, stop)
            if cache.copy_kept(kept, Path(tmp) / f"sheet{number}.deflated"):    # a copy: the cache may be pruned meanwhile
                found[member] = Path(tmp) / f"sheet{number}.deflated"
                continue
            _table_sheet(ws, styles, sheet, start, stop)
            if kept is not None:
                made[member] = kept
        # xlsxwriter's own option for packing in memory, given at the start, would turn off the inline strings
        # (constant_memory) that let a kept sheet stand in any book; it is read only as the book is packed.
        book.in_memory = small
        book.close()
        with zipfile.ZipFile(raw) as written:
            for member, kept in made.items():
                cache.written(kept, lambda tmp, member=member: keep_deflated(written, member, tmp))
        restamp_zip(raw, stamped, when, found)
        return stamped.getvalue() if small else stamped.read_bytes()


def _styles(book) -> dict:
    """The book's cell styles, each numbered now in this order. xlsxwriter numbers a style when a cell first
    uses it, so a sheet's XML (which names its cells' styles by number) would otherwise depend on the sheets
    before it, and a kept sheet could not be put in another book."""
    styles = {"title": book.add_format({"bold": True, "font_size": 14}),
              "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
              "bold": book.add_format({"bold": True}),
              "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
              "date": book.add_format({"num_format": "yyyy-mm-dd"}),
              "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
    for style in styles.values():
        style._get_xf_index()
    return styles


def _notes_sheet(book, styles, title, notes, sheets, names) -> None:
    ws = book.add_worksheet("Notes")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 90)
    ws.write_string(0, 0, title, styles["title"])
    row = 2
    for label, text in notes:
        ws.write_string(row, 0, label, styles["bold"])
        ws.write_string(row, 1, _fit(text, "Notes", row + 1), styles["wrap"])
        row += 1
    row += 1
    ws.write_string(row, 0, "Symbols", styles["bold"])
    for symbol, meaning in MISSING_SYMBOLS.items():
        ws.write_string(row, 1, f"{symbol} {meaning}", styles["wrap"])
        row += 1
    ws.write_string(row, 1, "A text cell that would start with =, +, -, @, a tab or a carriage return starts "
                            "with an apostrophe here, so that no spreadsheet runs it as a formula.", styles["wrap"])
    row += 2
    ws.write_string(row, 0, "Sheet", styles["header"])
    ws.write_string(row, 1, "Contents", styles["header"])
    for sheet, group in zip(sheets, names):
        for part, name in enumerate(group):
            row += 1
            ws.write_string(row, 0, name)
            more = f" (part {part + 1} of {len(group)})" if len(group) > 1 else ""
            ws.write_string(row, 1, _fit(sheet.title + more, "Notes", row + 1), styles["wrap"])


def _table_sheet(ws, styles, sheet: Sheet, start: int, stop: int) -> None:
    text_fields = [is_text(f) for f in sheet.fields]
    for col, f in enumerate(sheet.fields):
        ws.write_string(0, col, neutralise(f.name), styles["header"])
        ws.set_column(col, col, min(60, max(10, len(f.name) + 2)))
    ws.freeze_panes(1, 0)
    for r, (cells, values) in enumerate(sheet.rows(start, stop), start=1):
        for col, (text, value, is_str) in enumerate(zip(cells, values, text_fields)):
            if text != "":
                _cell(ws, styles, r, col, text, value, is_str, sheet.name, start + r + 1)


EXCEL_EPOCH = date(1900, 3, 1)   # Excel's serial dates are wrong before this (its 1900 leap-year bug)


def _cell(ws, styles, row, col, text, value, is_str, where, line) -> None:
    """A number as a number, a date as a date, anything else as its (neutralised) source text (not empty).

    Written with xlsxwriter's undecorated methods (its own `write` calls them too): the public ones only
    add reading 'A1' notation, which took 40 % of the time a cell took to write, and a large site writes
    millions of cells."""
    if isinstance(value, bool):
        ws._write_boolean(row, col, value)
    elif isinstance(value, (int, Decimal, float)) and math.isfinite(value):
        ws._write_number(row, col, float(value))
    elif isinstance(value, datetime) and value.tzinfo is None and value.date() >= EXCEL_EPOCH:
        ws._write_datetime(row, col, value, styles["datetime"])
    elif isinstance(value, date) and not isinstance(value, datetime) and value >= EXCEL_EPOCH:
        ws._write_datetime(row, col, datetime(value.year, value.month, value.day), styles["date"])
    else:
        # Text, a missing-value symbol, or a value Excel cannot hold exactly (an early date, a time
        # zone, NaN): the source's own words, never runnable.
        ws._write_string(row, col, _fit(safe_cell(text, not is_str), where, line))


def _fit(text: str, where: str, line: int) -> str:
    """Validation refuses text longer than a cell holds (text-too-long): reaching this is a bug."""
    if len(text) > MAX_CELL_TEXT:
        raise AssertionError(f"{where}: row {line}: {len(text):,} characters passed validation")
    return text
