"""`dashboard import spending`: messy council spending exports into the canonical package.

Finance systems export CSV that drifts from quarter to quarter: renamed, misspelt and
padded headings, Windows-1252 bytes, preamble lines, footer totals, "£" signs, brackets
for credits. Each file is read deliberately (see money.py), mapped onto the Transparency
Code columns through the alias table in spending.py (extended by a setting), and written
as one resource of `data/spending/`. The importer says what it did; what it cannot read
stops the whole import, and then nothing under the target folder changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path


from ..domain.disclosure import REDACTED, is_personal, redaction
from ..domain.periods import day_label, financial_quarter_of
from ..domain.spending import SPENDING_COLUMNS, table_schema
from ..errors import ConfigError, ImportFailed
from ..problems import (AMBIGUOUS_DATES, AMOUNT_FORMAT, CSV_FORMAT, DATE_FORMAT, DUPLICATE_HEADING,
                        HEADER_NOT_FOUND, MISSING_AMOUNT, MISSING_COLUMN, MISSING_DATE, NO_PAYMENTS, SAME_QUARTER,
                        TOTAL_MISMATCH, UNKNOWN_ENCODING, Problem, frictionless_type)
from ..publish.files import json_text
from .staging import staged
from .money import ValueProblem, date_order, numeric_parts, parse_amount, parse_date

HEADER_SEARCH_LINES = 20     # preamble lines a header may sit below


@dataclass
class Imported:
    """One file read: its rows in canonical columns, and what the importer did to get them."""

    source: Path
    encoding: str
    header_line: int
    mapping: list[tuple[str, str]]            # (heading as written, column)
    extra: list[tuple[str, str]]              # (heading as written, kept as column)
    date_order: str
    date_order_evidence: str
    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (line, why)
    footer_totals: list[tuple[int, Decimal]] = field(default_factory=list)
    redacted: int = 0
    total: Decimal = Decimal(0)

    @property
    def first(self) -> date:
        return min(date.fromisoformat(r["transaction_date"]) for r in self.rows)

    @property
    def last(self) -> date:
        return max(date.fromisoformat(r["transaction_date"]) for r in self.rows)


def normalise(heading: str) -> str:
    """'Supplier Name ', 'supplier_name' and 'SUPPLIER-NAME' all read as 'supplier name'."""
    return re.sub(r"[\s_\-]+", " ", heading.replace("\ufeff", "")).strip().strip(":").strip().lower()


def aliases(extra: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Normalised heading -> canonical column, from spending.py and the DASHBOARD_SPENDING_ALIASES setting."""
    table = {normalise(a): c.name for c in SPENDING_COLUMNS for a in (c.name, *c.aliases)}
    for column, headings in (extra or {}).items():
        if column not in STANDARD:
            raise ConfigError(f"DASHBOARD_SPENDING_ALIASES maps headings to '{column}', which is not a spending "
                              f"column; the columns are: {', '.join(sorted(STANDARD))}. Unknown headings are kept "
                              "as extra columns anyway.")
        table.update({normalise(h): column for h in headings})
    return table


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else Windows-1252 (Excel on
    Windows). A file that is UTF-8 in places and not in others is refused: decoding it either way
    would change names."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = body.decode("cp1252")   # raises on the five bytes cp1252 leaves undefined
    if re.search("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]", text):
        raise UnicodeDecodeError("utf-8", body, 0, 1, "mixes UTF-8 and Windows-1252")
    return text, "Windows-1252"


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(heading)).strip("_") or "column"


STANDARD = {c.name for c in SPENDING_COLUMNS}


def _rows(text: str) -> tuple[list[list[str]], list[int]]:
    """Rows, and the physical line each starts on (a quoted cell may span lines); strict, so that an
    unclosed quote is an error rather than rows swallowed into one cell."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, starts, line = [], [], 1
    try:
        for row in reader:
            rows.append(row)
            starts.append(line)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise csv.Error(str(exc), line) from None
    return rows, starts


def read_export(path: Path, table: dict[str, str], order: str | None = None,
                personal: dict[str, list[str]] | None = None) -> Imported:
    """Read one export, or raise ImportFailed naming every line it cannot read."""
    where = str(path)
    try:
        text, encoding = decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        raise ImportFailed([UNKNOWN_ENCODING(where, None, None, f"Byte {exc.start} is neither UTF-8 nor "
                                                                "Windows-1252; save the file as UTF-8 CSV.")])
    try:
        lines, starts = _rows(text)
    except csv.Error as exc:
        raise ImportFailed([CSV_FORMAT(where, exc.args[1] if len(exc.args) > 1 else None, None,
                                       f"The file is not well-formed CSV ({exc.args[0]}): a quote is probably "
                                       "not closed. Nothing was imported, so no payment is lost.")]) from None
    candidates = [(sum(1 for c in row if table.get(normalise(c))), i) for i, row in enumerate(lines[:HEADER_SEARCH_LINES])
                  if {"amount", "transaction_date"} <= {table.get(normalise(c)) for c in row}]
    if not candidates:
        raise ImportFailed([HEADER_NOT_FOUND(where, None, None,
                                             "No heading row with a date and an amount column in the first "
                                             f"{HEADER_SEARCH_LINES} lines; the known headings are in "
                                             "docs/finance.md.")])
    header_at = max(candidates, key=lambda c: (c[0], -c[1]))[1]     # the row most headings are known in
    header = lines[header_at]
    problems, mapping, extra, columns = [], [], [], []
    for position, heading in enumerate(header, start=1):
        name = table.get(normalise(heading))
        if name is None:
            data_below = any(len(r) >= position and r[position - 1].strip() for r in lines[header_at + 1:])
            if not heading.strip() and not data_below:
                columns.append(None)      # a trailing comma: nothing to keep
                continue
            name = _slug(heading) if heading.strip() else f"column_{position}"
            while name in columns or name in STANDARD:
                name += "_2"              # never a second column of a standard name
            extra.append((heading, name))
        else:
            mapping.append((heading, name))
            if name in columns:
                problems.append(DUPLICATE_HEADING(where, starts[header_at], heading,
                                                  f"Two columns would both be '{name}'; rename one, or extend "
                                                  "DASHBOARD_SPENDING_ALIASES."))
        columns.append(name)
    missing = [c.name for c in SPENDING_COLUMNS if c.required and c.name not in columns]
    problems += [MISSING_COLUMN(where, starts[header_at], None,
                                f"No column for '{m}'; add one, or map its heading in DASHBOARD_SPENDING_ALIASES.")
                 for m in missing]
    if problems:
        raise ImportFailed(problems)
    body = lines[header_at + 1:]
    date_col = columns.index("transaction_date")
    found, conflict = date_order(row[date_col] for row in body if len(row) > date_col)
    if conflict and not order:
        raise ImportFailed([AMBIGUOUS_DATES(where, None, header[date_col],
                                            f"The dates disagree about their order: {conflict}.")])
    if not (order or found) and any(numeric_parts(row[date_col]) for row in body if len(row) > date_col):
        raise ImportFailed([AMBIGUOUS_DATES(where, None, header[date_col],
                                            "No date in the file shows whether it is day/month or month/day; say which "
                                            "with --dates dmy (the UK order) or --dates mdy.")])
    chosen = order or found or "dmy"
    evidence = "as asked" if order else "proved by the dates" if found else "no numeric dates"
    result = Imported(path, encoding, starts[header_at], mapping, extra, chosen, evidence)
    for offset, row in enumerate(body):
        _read_row(result, row, starts[header_at + 1 + offset], header, columns, problems, personal or {})
    problems += [TOTAL_MISMATCH(where, line, header[columns.index("amount")],
                                f"The file's own total, £{total:,}, is not the sum of its payments, "
                                f"£{result.total:,}: a payment is missing or was read wrongly.")
                 for line, total in result.footer_totals if total != result.total]
    if problems:
        raise ImportFailed(problems)
    if not result.rows:
        raise ImportFailed([NO_PAYMENTS(where, None, None, "The file has a heading row but no payments.")])
    return result


def _read_row(result: Imported, row: list[str], line: int, header: list[str], columns: list[str | None],
              problems: list[Problem], personal: dict[str, list[str]]) -> None:
    where = str(result.source)
    if not any(c.strip() for c in row):
        result.skipped.append((line, "blank line"))
        return
    if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
        problems.append(frictionless_type("extra-cell")(where, line, None, f"The row has {len(row)} cells but "
                                                                           f"there are {len(header)} headings."))
        return
    cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(columns) if name}
    when, amount = cells.get("transaction_date", ""), cells.get("amount", "")
    if not when and not amount:
        result.skipped.append((line, "no date and no amount: " + ",".join(row)))
        return
    label_cells = [c for name, c in zip(columns, row) if name != "amount" and c.strip()]
    if len(label_cells) == 1 and re.search(r"\btotal\b", label_cells[0], re.IGNORECASE) and \
            not (when and _is_date(when, result.date_order)):
        # A total line: the word "total" (in any column, the date's included) and an amount, nothing else.
        try:
            result.footer_totals.append((line, parse_amount(amount)))
            result.skipped.append((line, "a total line: " + ",".join(c for c in row if c.strip())))
        except ValueProblem as exc:
            problems.append(AMOUNT_FORMAT(where, line, header[columns.index("amount")], str(exc)))
        return
    for column, text, kind, word in (("transaction_date", when, MISSING_DATE, "date"),
                                     ("amount", amount, MISSING_AMOUNT, "amount")):
        if not text:
            problems.append(kind(where, line, header[columns.index(column)],
                                 f"This payment has no {word}; every row needs a date and an amount."))
            return
    try:
        cells["transaction_date"] = parse_date(when, result.date_order).isoformat()
    except ValueProblem as exc:
        problems.append(DATE_FORMAT(where, line, header[columns.index("transaction_date")], str(exc)))
        return
    try:
        value = parse_amount(amount)
        _check_not_split(row, columns, amount)
    except ValueProblem as exc:
        problems.append(AMOUNT_FORMAT(where, line, header[columns.index("amount")], str(exc)))
        return
    cells["amount"] = str(value)
    if "irrecoverable_vat" in cells and cells["irrecoverable_vat"]:
        try:
            cells["irrecoverable_vat"] = str(parse_amount(cells["irrecoverable_vat"]))
        except ValueProblem as exc:
            problems.append(AMOUNT_FORMAT(where, line, header[columns.index("irrecoverable_vat")], str(exc)))
            return
    if is_personal(cells, personal):
        # Nothing that could name the person: their name, id, the free-text purpose, any extra column.
        cells.update(redaction([*cells, "supplier_name", "individual"]))
        result.redacted += 1
    else:
        cells["individual"] = "false"
    result.rows.append(cells)
    result.total += value


def _is_date(text: str, order: str) -> bool:
    try:
        parse_date(text, order)
        return True
    except ValueProblem:
        return False


def _check_not_split(row: list[str], columns: list[str | None], amount: str) -> None:
    """An unquoted "£1,250.00" arrives as two cells, "£1" and "250.00": refuse rather than read £1."""
    at = columns.index("amount")
    following = row[at + 1].strip() if at + 1 < len(row) else ""
    if re.fullmatch(r"\(?-?£?\d{1,3}", amount) and re.fullmatch(r"\d{3}(\.\d+)?\)?", following):
        raise ValueProblem(f"'{amount}' is followed by '{following}': a thousands separator split the amount "
                           "into two cells. Quote amounts with commas (\"£1,250.00\") when saving the CSV")


# --- the package -----------------------------------------------------------------------------

def resource_name(imported: Imported, kind: str) -> tuple[str, str]:
    """(name, title): a financial quarter when the payments fall in one, else the span of dates."""
    first, last = imported.first, imported.last
    label = "Spending over £500" if kind == "spending" else "Purchase card transactions"
    quarter = financial_quarter_of(first)
    if quarter == financial_quarter_of(last):
        # 2024/25-Q1 as a name that can be a folder of a web address: spending-2024-25-q1
        return f"{kind}-{quarter.text.replace('/', '-').lower()}", f"{label}, {quarter.months}"
    return (f"{kind}-{first.isoformat()}-to-{last.isoformat()}",
            f"{label}, {day_label(first)} to {day_label(last)}")


def _csv(imported: Imported) -> str:
    names = [c.name for c in SPENDING_COLUMNS] + [name for _, name in imported.extra]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([row.get(n, "") for n in names] for row in imported.rows)
    return buffer.getvalue()


def write_package(folder: Path, imports: list[Imported], kind: str,
                  replace: bool = False) -> list[tuple[Imported, str, bool]]:
    """Add one resource per import (replacing one only when asked), in a copy of the folder that is
    swapped in only when it is a valid package; on any failure the copy is removed."""
    descriptor_path = folder / "datapackage.json"
    if descriptor_path.is_file():
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    else:
        descriptor = {"name": re.sub(r"[^a-z0-9-]+", "-", folder.name.lower()).strip("-") or "spending",
                      "title": "Spending over £500", "resources": []}
    named = [(imported, *resource_name(imported, kind)) for imported in imports]
    _refuse_overwrites(folder, named, descriptor, replace)
    done = []
    with staged(folder) as stage:
        for imported, name, title in named:
            (stage / f"{name}.csv").write_text(_csv(imported), encoding="utf-8", newline="")
            resource = {"name": name, "path": f"{name}.csv", "title": title, "format": "csv",
                        "mediatype": "text/csv", "encoding": "utf-8", "finance": kind,
                        "description": f"Imported from {imported.source.name}.",
                        "schema": table_schema(SPENDING_COLUMNS, [n for _, n in imported.extra])}
            existing = [i for i, r in enumerate(descriptor["resources"]) if r.get("name") == name]
            if existing:
                descriptor["resources"][existing[0]] = resource
            else:
                descriptor["resources"].append(resource)
            done.append((imported, name, bool(existing)))
        descriptor["resources"].sort(key=lambda r: r.get("name", ""))
        (stage / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")
    return done


def _refuse_overwrites(folder: Path, named: list, descriptor: dict, replace: bool) -> None:
    """Two files of one quarter in one run, or a quarter imported before, would lose payments silently."""
    seen: dict[str, Path] = {}
    problems = []
    existing = {r.get("name") for r in descriptor.get("resources", [])}
    for imported, name, _ in named:
        if name in seen:
            problems.append(SAME_QUARTER(str(imported.source), None, None,
                                         f"Both {seen[name].name} and {imported.source.name} hold payments for "
                                         f"'{name}'; join them into one file for the quarter, then import that."))
        seen[name] = imported.source
        if name in existing and not replace:
            problems.append(SAME_QUARTER(str(imported.source), None, None, f"{folder} already holds '{name}'. To "
                                                                          "replace it with this file, add --replace."))
    if problems:
        raise ImportFailed(problems)


def describe(imported: Imported, name: str, replaced: bool) -> list[str]:
    """What the importer did with one file, in plain words."""
    lines = [f"{imported.source}: read as {imported.encoding}; headings on line {imported.header_line}"
             + (f" ({imported.header_line - 1} line(s) above them skipped)" if imported.header_line > 1 else "") + "."]
    lines.append("  columns: " + "; ".join(f"'{h}' -> {c}" for h, c in imported.mapping) + ".")
    if imported.extra:
        lines.append("  kept as extra columns (not in the alias table): "
                     + "; ".join(f"'{h}' -> {c}" for h, c in imported.extra) + ".")
    order = {"dmy": "day/month/year", "mdy": "month/day/year"}[imported.date_order]
    lines.append(f"  dates read as {order} ({imported.date_order_evidence}).")
    for line, why in imported.skipped:
        lines.append(f"  skipped line {line}: {why}")
    for line, total in imported.footer_totals:
        lines.append(f"  the file's own total on line {line}, £{total:,}, equals the sum of its payments.")
    blank = sum(1 for r in imported.rows if not r.get("supplier_name"))
    if blank:
        lines.append(f"  {blank} payment(s) have no supplier name (adjustments, for example); they are kept.")
    if imported.redacted:
        lines.append(f"  {imported.redacted} payment(s) to individuals: names and ids replaced by '{REDACTED}'.")
    lines.append(f"  {len(imported.rows):,} payments, total £{imported.total:,}, "
                 f"{imported.first.isoformat()} to {imported.last.isoformat()} -> resource '{name}'"
                 + (" (replaced)" if replaced else " (new)") + ".")
    return lines
