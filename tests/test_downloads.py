"""Downloads in every format: formula-safe CSV and XLSX, exact JSON, SQLite and zip (checksums and the
database's gathered tables: test_open_data.py).

Unit tests publish tiny packages made in tmp_path; the site tests read back every format
of the example site and compare it with the source, value for value.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import zipfile
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from frictionless import Package

from conftest import EPOCH, FIXTURES, ROOT, make_project, make_registers, published_measures, run_dashboard, settings_for
from generator.ingest import build, read
from generator.publish import archive, database, formats, workbook
from generator.publish import packages as publish
from generator.domain.model import Field
from generator.domain.published import MAX_CELL_TEXT
from generator.ingest.pipeline import load
from generator.urls import Urls
from generator.domain.disclosure import KEPT_FOR_INDIVIDUALS, REDACTED

site_group = pytest.mark.xdist_group("site")
WHEN = datetime.fromtimestamp(int(EPOCH), tz=timezone.utc)
LICENSE = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0"}
URLS = Urls("https://example.org", "{slug}/", "theme")
HOSTILE = ["=SUM(A1:A9)", "+44 1527 64252", "-2+3", "@cmd", "\tlead tab", "\rlead return"]


def _package(root: Path, name: str, files: dict[str, str], resources: list[dict]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for rel, text in files.items():
        (folder / rel).write_text(text, encoding="utf-8", newline="")
    (folder / "datapackage.json").write_text(json.dumps({"name": name, "resources": resources}))
    return folder


def _dataset(folder: Path):
    raw = read.read_package(folder, 100_000_000)
    assert raw.problems == [], raw.problems
    return build.dataset_from(raw, LICENSE)


def _remarks_package(tmp_path: Path) -> Path:
    """A table with hostile text in a string field and negative numbers in a number field."""
    rows = "".join(f'{i},"{text}",-{i}.5\r\n' for i, text in enumerate(HOSTILE, start=1))
    return _package(tmp_path, "remarks", {"remarks.csv": "id,note,change\r\n" + rows}, [{
        "name": "remarks", "path": "remarks.csv", "schema": {"fields": [
            {"name": "id", "type": "integer"}, {"name": "note", "type": "string"},
            {"name": "change", "type": "number"}], "primaryKey": ["id"]}}])


# --- formula injection ------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_is_neutralised(text):
    assert formats.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["", "plain words", "2024-03", "'quoted", "a=b", " =not first", "[x]"])
def test_ordinary_text_is_left_alone(text):
    assert formats.neutralise(text) == text


def test_csv_neutralises_text_cells_but_never_numbers(tmp_path):
    dataset = _dataset(_remarks_package(tmp_path))
    publish.publish_package(tmp_path / "out", dataset, URLS, WHEN)
    with open(tmp_path / "out/data/remarks/remarks.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "note", "change"]
    assert [r[1] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[2] for r in rows[1:]] == [f"-{i}.5" for i in range(1, len(HOSTILE) + 1)]


def test_a_large_workbook_made_in_a_worker_is_the_one_published_and_hashed_once(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor
    dataset = _dataset(_remarks_package(tmp_path))
    publish.publish_package(tmp_path / "alone", dataset, URLS, WHEN)
    monkeypatch.setattr(publish, "LARGE_WORKBOOK", 1)
    hashed = []
    key_of = workbook.workbook_key
    monkeypatch.setattr(workbook, "workbook_key", lambda *a, **k: hashed.append(a[0]) or key_of(*a, **k))
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(1) as pool:
        started = publish.start_large_workbooks(pool, [dataset], URLS, WHEN, cache)
        assert list(started) == ["remarks"] and started["remarks"].making is not None
        publish.publish_package(tmp_path / "out", dataset, URLS, WHEN, cache, started["remarks"])
    assert len(hashed) == 1                               # its key worked out once, not again to publish it
    book = "data/remarks/remarks.xlsx"
    assert (tmp_path / "out" / book).read_bytes() == (tmp_path / "alone" / book).read_bytes()
    assert [p.name for p in (cache / "xlsx").iterdir() if p.name.endswith(".rows")] == []   # its rows' spool gone
    with ThreadPoolExecutor(1) as pool:                   # kept: nothing to make the next time
        assert publish.start_large_workbooks(pool, [dataset], URLS, WHEN, cache)["remarks"].making is None


def test_a_measures_workbook_made_in_a_worker_is_the_one_published(tmp_path):
    """Each measure's workbook the cache lacks is made by a worker (a cold build's thousand of them cost its own
    process 80 s): the same bytes as made in place, and nothing to make once kept."""
    from concurrent.futures import ThreadPoolExecutor
    from conftest import make_measure_package
    data = tmp_path / "data"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n",
                                "visits": "period,value\n2024-01,50\n2024-02,51\n"})
    site = load(settings_for(data)).site
    homes = site.measures["homes"]
    dataset = site.datasets[homes.package]
    alone = publish.publish_measure(tmp_path / "alone", homes, dataset, URLS, 0, WHEN)
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(1) as pool:
        started = publish.start_measure_workbooks(pool, list(site.measures.values()), site.datasets, URLS, WHEN, cache)
        assert sorted(started) == ["homes", "visits"] and all(s.making for s in started.values())
        made = publish.publish_measure(tmp_path / "out", homes, dataset, URLS, 0, WHEN, cache, started["homes"])
    book = "measures/homes/homes.xlsx"
    assert (tmp_path / "out" / book).read_bytes() == (tmp_path / "alone" / book).read_bytes() and made == alone
    with ThreadPoolExecutor(1) as pool:                   # kept: listed by its key, with nothing to make
        again = publish.start_measure_workbooks(pool, [homes], site.datasets, URLS, WHEN, cache)
        assert list(again) == ["homes"] and again["homes"].making is None and again["homes"].key == started["homes"].key


def test_a_workbook_from_spooled_rows_is_the_same_bytes_across_chunks_and_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "SPOOL_CHUNK", 5)
    fields = [Field("n", "integer", "", "", ""), Field("word", "string", "", "", "")]
    long = workbook.Sheet("long", "Twelve rows", fields, [[str(i), f"w{i}"] for i in range(12)],
                          [[i, f"w{i}"] for i in range(12)])
    short = workbook.Sheet("short", "Two rows", fields, [["1", "a"], ["2", "b"]], [[1, "a"], [2, "b"]])
    notes = [("About", "Rows read back from a spool.")]
    # max_rows 5: each sheet part holds 4 rows, so parts and chunks fall at different rows.
    workbook.write_workbook(tmp_path / "direct.xlsx", "Book", notes, [long, short], WHEN, max_rows=5)
    spooled = workbook.spool_sheets([long, short], tmp_path / "rows")
    assert [list(s.rows(0, 99)) for s in spooled] == [list(s.rows(0, 99)) for s in (long, short)]
    assert list(spooled[0].rows(3, 9)) == list(long.rows(3, 9))
    workbook.keep_workbook(tmp_path / "cache", "k", "Book", notes, spooled, WHEN, max_rows=5)
    assert (tmp_path / "cache/xlsx/k.xlsx").read_bytes() == (tmp_path / "direct.xlsx").read_bytes()


def test_a_sheet_the_cache_keeps_is_sent_to_the_worker_without_its_rows(tmp_path, monkeypatch):
    """A thousand measures' package book, one table changed, spooled every table's rows: only the changed one's
    are, the book has the bytes of one written whole, and a kept sheet gone meanwhile lets the caller make it."""
    from concurrent.futures import Future
    monkeypatch.setattr(workbook, "SPOOL_CHUNK", 3)
    fields = [Field("n", "integer", "", "", ""), Field("word", "string", "", "", "")]

    def sheet(name: str, count: int, word: str) -> workbook.Sheet:
        return workbook.Sheet(name, name.title(), fields, [[str(i), f"{word}{i}"] for i in range(count)],
                              [[i, f"{word}{i}"] for i in range(count)], rows_key=f"{name}-{word}")
    long, short, changed = sheet("long", 9, "w"), sheet("short", 2, "a"), sheet("short", 2, "b")
    notes, cache_dir = [("About", "Kept sheets.")], tmp_path / "cache"
    workbook.write_workbook(tmp_path / "before.xlsx", "Book", notes, [long, short], WHEN, max_rows=5,
                            cache_dir=cache_dir)                             # keeps every sheet's parts
    spooled = workbook.spool_sheets([long, changed], tmp_path / "rows", cache_dir, max_rows=5)
    assert spooled[0].offset is None and spooled[1].offset == 0
    workbook.spool_sheets([changed], tmp_path / "alone")
    assert (tmp_path / "rows").read_bytes() == (tmp_path / "alone").read_bytes()     # the changed rows only
    workbook.keep_workbook(cache_dir, "k", "Book", notes, spooled, WHEN, max_rows=5)
    workbook.write_workbook(tmp_path / "whole.xlsx", "Book", notes, [long, changed], WHEN, max_rows=5)
    assert (cache_dir / "xlsx/k.xlsx").read_bytes() == (tmp_path / "whole.xlsx").read_bytes()
    for kept in (cache_dir / "xlsx/sheets").iterdir():      # pruned by another build sharing the cache
        kept.unlink()
    with pytest.raises(workbook.KeptSheetGone):
        workbook.keep_workbook(cache_dir, "k2", "Book", notes, spooled, WHEN, max_rows=5)
    gone = Future()
    gone.set_exception(workbook.KeptSheetGone("gone"))
    assert publish.StartedWorkbook("k2", gone).made() is None       # so the book is made from its rows


def test_a_tables_sheet_is_kept_and_shared_by_every_workbook_that_holds_it(tmp_path, monkeypatch):
    """A table's sheet is kept as its XML, by its rows: a package's book of many tables, one changed, writes
    only that one, and a measure's own book takes its sheet from its package's (or the package's from the
    measures', whichever was made first); the same bytes as a book written whole. Its cells' styles are
    numbered alike in every book: a date styled as a date-time, or a style the book lacks, would not be."""
    fields = [Field("n", "integer", "", "", ""), Field("word", "string", "", "", "")]
    dated = [Field("day", "date", "", "", ""), Field("n", "integer", "", "", "")]
    timed = [Field("at", "datetime", "", "", ""), Field("n", "integer", "", "", "")]

    def sheet(name, rows, key, kind=fields):
        typed = [[(date(2024, 1, 1 + i) if kind is dated else datetime(2024, 1, 1, i) if kind is timed else i),
                  i if kind is not fields else f"w{i}"] for i in range(rows)]
        return workbook.Sheet(name, f"{name} rows", kind, [[str(v) for v in row] for row in typed], typed, key)
    tables = [sheet("one", 3, "k1"), sheet("two", 12, "k2"), sheet("three", 1, "k3"),
              sheet("times", 2, "k4", timed), sheet("days", 2, "k5", dated)]
    notes = [("About", "Five tables.")]

    def book(name, title, notes, sheets, cache=None):
        workbook.write_workbook(tmp_path / name, title, notes, sheets, WHEN, max_rows=5, cache_dir=cache)
        return (tmp_path / name).read_bytes()

    def whole(title, notes, sheets):
        return book("whole.xlsx", title, notes, sheets)
    own = [("About", "One table, as its measure's page offers it.")]
    for order, cache in (("package first", tmp_path / "a"), ("measures first", tmp_path / "b")):
        if order == "measures first":
            assert book("own.xlsx", "Days", own, [tables[4]], cache) == whole("Days", own, [tables[4]])
        assert book("kept.xlsx", "Package", notes, tables, cache) == whole("Package", notes, tables), order
        assert book("own.xlsx", "Days", own, [tables[4]], cache) == whole("Days", own, [tables[4]]), order
    assert len(list((tmp_path / "a/xlsx/sheets").iterdir())) == 7             # "two" in three parts
    other = [("About", "Five tables, described anew.")]                      # every sheet found
    assert book("found.xlsx", "Package", other, tables, tmp_path / "a") == whole("Package", other, tables)

    written = []
    table_sheet = workbook._table_sheet
    monkeypatch.setattr(workbook, "_table_sheet", lambda ws, styles, s, *a: written.append(s.name) or
                        table_sheet(ws, styles, s, *a))
    changed = [tables[0], sheet("two", 11, "k2 changed"), *tables[2:]]
    assert book("changed.xlsx", "Package", notes, changed, tmp_path / "a") == whole("Package", notes, changed)
    assert written[:3] == ["two"] * 3 and written[3:] == [t.name for t in changed for _ in range(3 if t.name == "two" else 1)]
    written.clear()
    assert book("own.xlsx", "Three", own, [tables[2]], tmp_path / "a") == whole("Three", own, [tables[2]])
    assert written == ["three"]                                             # the second: made whole to compare


def test_xlsx_neutralises_text_cells_and_keeps_numbers_as_numbers(tmp_path):
    dataset = _dataset(_remarks_package(tmp_path))
    publish.publish_package(tmp_path / "out", dataset, URLS, WHEN)
    book = openpyxl.load_workbook(tmp_path / "out/data/remarks/remarks.xlsx")
    assert book.sheetnames == ["Notes", "remarks"]
    sheet = book["remarks"]
    rows = list(sheet.iter_rows(min_row=2))
    # OOXML escapes a carriage return as _x000D_; Excel reads it back as the character, openpyxl does not.
    assert [r[1].value.replace("_x000D_", "\r") for r in rows] == ["'" + t for t in HOSTILE]
    assert all(r[1].data_type == "s" for r in rows)          # text, never a formula
    assert [r[2].value for r in rows] == [-(i + 0.5) for i in range(1, len(HOSTILE) + 1)]
    assert all(r[2].data_type == "n" for r in rows)


def test_json_keeps_the_exact_text(tmp_path):
    dataset = _dataset(_remarks_package(tmp_path))
    publish.publish_package(tmp_path / "out", dataset, URLS, WHEN)
    inline = json.loads((tmp_path / "out/data/remarks/remarks.json").read_text(encoding="utf-8"))
    data = inline["resources"][0]["data"]
    assert [row["note"] for row in data] == HOSTILE
    assert data[0] == {"id": 1, "note": HOSTILE[0], "change": -1.5}


def test_published_package_and_its_inline_twin_are_valid(tmp_path):
    dataset = _dataset(_remarks_package(tmp_path))
    publish.publish_package(tmp_path / "out", dataset, URLS, WHEN)
    folder = tmp_path / "out/data/remarks"
    for name in ("datapackage.json", "remarks.json"):
        report = Package(str(folder / name)).validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_an_unchanged_table_is_published_from_the_cache_and_a_changed_one_written_again(tmp_path, monkeypatch):
    """A rebuild copies an unchanged table's CSV, its workbook's key and its package's JSON from what it
    published before (kept under the table's rows_key); a changed table is written again, the same bytes as
    without a cache."""
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}
    folder = _package(tmp_path / "data", "counts", {"a.csv": "id,n\r\n1,2\r\n", "b.csv": "id,n\r\n1,3\r\n"},
                      [{"name": n, "path": f"{n}.csv", "schema": schema} for n in ("a", "b")])
    kept, written, inlined = tmp_path / "cache", [], []
    csv, inline = publish.write_csv, publish.inline_package
    monkeypatch.setattr(publish, "write_csv", lambda path, *a: written.append(path.name) or csv(path, *a))
    monkeypatch.setattr(publish, "inline_package", lambda *a: inlined.append(1) or inline(*a))

    def published(name: str, cache_dir: Path | None = kept, rules: dict | None = None) -> dict[str, bytes]:
        dataset = build.dataset_from(read.read_package(folder, 100_000_000, cache_dir, keep=True), LICENSE, rules)
        publish.publish_package(tmp_path / name, dataset, URLS, WHEN, cache_dir)
        return {p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                for p in (tmp_path / name).rglob("*") if p.is_file()}

    first = published("one")
    assert sorted(written) == ["a.csv", "b.csv"] and len(inlined) == 1
    written.clear()
    assert published("two") == first and written == [] and len(inlined) == 1       # all from the cache
    (folder / "b.csv").write_text("id,n\r\n1,4\r\n")
    changed = published("three")
    assert written == ["b.csv"] and len(inlined) == 2
    assert changed == published("fresh", None) != first
    written.clear()
    published("redacted", rules={"fields": ["n"]})           # the rules that redact rows are an input too
    assert sorted(written) == ["a.csv", "b.csv"]
    descriptor = json.loads((folder / "datapackage.json").read_text())
    (folder / "datapackage.json").write_text(json.dumps({"resources": descriptor["resources"], "name": "counts"}))
    assert published("reordered") == published("reordered-fresh", None)      # the JSON in the descriptor's order


# --- workbooks --------------------------------------------------------------------------------

def _sheet(rows: int) -> workbook.Sheet:
    fields = [Field("period", "string", "", "", ""), Field("value", "integer", "", "", "")]
    return workbook.Sheet("counts", "Counts", fields, [[f"r{i}", str(i)] for i in range(rows)],
                          [[f"r{i}", i] for i in range(rows)])


def test_a_table_longer_than_a_sheet_continues_on_further_sheets(tmp_path):
    path = tmp_path / "long.xlsx"
    workbook.write_workbook(path, "Long", [("About", "A long table")], [_sheet(10)], WHEN, max_rows=4)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Notes", "counts (1)", "counts (2)", "counts (3)", "counts (4)"]
    read = [row for name in book.sheetnames[1:] for row in book[name].iter_rows(min_row=2, values_only=True)]
    assert read == [(f"r{i}", i) for i in range(10)]
    assert all(book[name]["A1"].value == "period" for name in book.sheetnames[1:])   # header on every part


def test_sheet_names_fit_excel_rules():
    names = workbook.sheet_names(["a" * 40, "a" * 40, "what?[x]", "Notes"], [1, 1, 1, 1])
    flat = [n for group in names for n in group]
    assert all(len(n) <= 31 for n in flat)
    assert len({n.lower() for n in flat}) == len(flat)
    assert flat[2] == "what--x-"
    assert flat[3].lower() != "notes"


def test_workbook_is_reproducible_and_stamped_with_source_date_epoch(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        workbook.write_workbook(path, "Counts", [("About", "x")], [_sheet(3)], WHEN)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 25, 0, 0, 0)}
    assert openpyxl.load_workbook(a).properties.created == datetime(2026, 11, 25)


def test_text_too_long_for_a_spreadsheet_cell_is_refused_by_validation(tmp_path):
    """Excel holds 32,767 characters in a cell: validation refuses more, before anything is written."""
    long = "x" * (MAX_CELL_TEXT + 1)
    data = tmp_path / "data"
    fits, formula = "x" * MAX_CELL_TEXT, "=" + "x" * (MAX_CELL_TEXT - 1)   # the formula gains an apostrophe
    _package(data, "notes", {"notes.csv": f"id,note\r\n1,ok\r\n2,{long}\r\n3,{fits}\r\n4,{formula}\r\n"},
             [{"name": "notes", "path": "notes.csv", "description": long}])
    loaded = load(settings_for(data))
    assert [[os.path.relpath(p.path, data), p.row, p.field, p.type] for p in loaded.report.errors] == [
        ["notes/datapackage.json", None, "resources[0].description", "text-too-long"],
        ["notes/notes.csv", 3, "note", "text-too-long"], ["notes/notes.csv", 5, "note", "text-too-long"]]
    assert loaded.site is None


# --- SQLite -----------------------------------------------------------------------------------

def test_database_applies_the_table_schema(tmp_path):
    folder = _package(tmp_path, "places", {
        "wards.csv": "id,name\r\nabbey,Abbey\r\n",
        "counts.csv": "ward,year,count,share,checked\r\nabbey,2024,5,0.25,true\r\nabbey,2025,,0.5,false\r\n"}, [
        {"name": "wards", "path": "wards.csv", "schema": {
            "fields": [{"name": "id", "type": "string", "constraints": {"required": True}},
                       {"name": "name", "type": "string"}], "primaryKey": ["id"]}},
        {"name": "counts", "path": "counts.csv", "schema": {
            "fields": [{"name": "ward", "type": "string"}, {"name": "year", "type": "year"},
                       {"name": "count", "type": "integer"}, {"name": "share", "type": "number"},
                       {"name": "checked", "type": "boolean"}],
            "primaryKey": ["ward", "year"],
            "foreignKeys": [{"fields": ["ward"], "reference": {"resource": "wards", "fields": ["id"]}}]}}])
    path = tmp_path / "all.sqlite"
    database.write_database(path, [_dataset(folder)])
    db = sqlite3.connect(path)
    create = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    assert create["wards"].endswith("STRICT") and '"id" TEXT NOT NULL' in create["wards"]
    assert 'PRIMARY KEY ("ward", "year")' in create["counts"]
    assert 'FOREIGN KEY ("ward") REFERENCES "wards" ("id")' in create["counts"]
    assert db.execute("SELECT * FROM counts ORDER BY year").fetchall() == [
        ("abbey", 2024, 5, 0.25, 1), ("abbey", 2025, None, 0.5, 0)]
    assert db.execute('SELECT "table", package, resource FROM _tables ORDER BY 1').fetchall() == [
        ("counts", "places", "counts"), ("wards", "places", "wards")]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_database_kept_in_parts_writes_only_the_table_that_changed_and_the_same_bytes(tmp_path):
    one = _package(tmp_path, "one", {"t.csv": "a\r\n1\r\n"},
                   [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}}])
    made = []

    def gathered(rows):
        def each():
            made.append(rows)
            yield from rows
        return database.Table("every", "Every row", "", [database.Column("id", "TEXT", "", True)], ["id"],
                              each(), LICENSE, "Council", "https://example.org/data/")
    kept = tmp_path / "kept"
    database.write_database(tmp_path / "first.sqlite", [_dataset(one)], [gathered([("x",)])], kept,
                            {"every": "x", "t": "one"})
    assert made == [[("x",)]]
    # The same inputs: the gathered table's part is kept, so its rows are never made again.
    database.write_database(tmp_path / "again.sqlite", [_dataset(one)], [gathered([("y",)])], kept,
                            {"every": "x", "t": "one"})
    assert made == [[("x",)]]
    assert (tmp_path / "again.sqlite").read_bytes() == (tmp_path / "first.sqlite").read_bytes()
    # What it was made from changed: written again, and the same bytes as a database written from nothing.
    database.write_database(tmp_path / "changed.sqlite", [_dataset(one)], [gathered([("y",)])], kept,
                            {"every": "y", "t": "one"})
    database.write_database(tmp_path / "fresh.sqlite", [_dataset(one)], [gathered([("y",)])])
    assert made == [[("x",)], [("y",)], [("y",)]]
    assert (tmp_path / "changed.sqlite").read_bytes() == (tmp_path / "fresh.sqlite").read_bytes()
    assert sqlite3.connect(tmp_path / "changed.sqlite").execute("SELECT * FROM every").fetchall() == [("y",)]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".parts-")] == []


def test_a_gathered_table_in_pieces_writes_only_the_piece_that_changed_and_the_same_bytes(tmp_path):
    """observations has a piece per measure: a rebuild that changed one measure writes only its rows again."""
    made = []

    def gathered(rows: dict[str, list]):
        def piece(name):
            def each():
                made.append(name)
                yield from rows[name]
            return database.Piece(name, each)
        return database.Table("every", "Every row", "", [database.Column("id", "TEXT", "", True)], ["id"], (),
                              LICENSE, "Council", "https://example.org/data/",
                              pieces=tuple(piece(name) for name in rows))

    kept, first = tmp_path / "kept", {"a": [("a1",), ("a2",)], "b": [("b1",)], "c": []}
    keys = {database.piece_name("every", name): f"{name}-1" for name in first}
    database.write_database(tmp_path / "first.sqlite", [], [gathered(first)], kept, keys)
    assert made == ["a", "b", "c"]
    changed = {**first, "b": [("b2",), ("b3",)]}
    database.write_database(tmp_path / "again.sqlite", [], [gathered(changed)], kept,
                            {**keys, database.piece_name("every", "b"): "b-2"})
    database.write_database(tmp_path / "fresh.sqlite", [], [gathered(changed)])
    assert made == ["a", "b", "c", "b", "a", "b", "c"]            # only b again; all three afresh
    assert (tmp_path / "again.sqlite").read_bytes() == (tmp_path / "fresh.sqlite").read_bytes()
    rows = sqlite3.connect(tmp_path / "again.sqlite").execute("SELECT id FROM every").fetchall()
    assert rows == [("a1",), ("a2",), ("b2",), ("b3",)]                     # the pieces' rows, in order
    # Two pieces made from the same files (two measures whose tables are the same bytes) are two parts.
    same = {"a": [("a1",)], "b": [("b1",)]}
    database.write_database(tmp_path / "same.sqlite", [], [gathered(same)], tmp_path / "kept-same",
                            {database.piece_name("every", name): "one key" for name in same})
    assert sqlite3.connect(tmp_path / "same.sqlite").execute("SELECT id FROM every").fetchall() == [("a1",), ("b1",)]


def test_a_part_a_killed_build_left_half_written_is_written_again(tmp_path):
    part = database._Part("t", 'CREATE TABLE "t" ("a" INTEGER) STRICT', None, lambda: [(1,)])
    target = tmp_path / "part.sqlite"
    database._write_part(target, part)        # a build killed here leaves this file, with its table, behind
    database._write_part(target, part)        # the next build under the same process number
    assert sqlite3.connect(target).execute("SELECT * FROM t").fetchall() == [(1,)]


def test_a_cache_file_that_fails_to_be_written_leaves_nothing_behind(tmp_path):
    from generator import cache

    def half(tmp):
        tmp.write_text("half")
        raise OSError("No space left on device")
    with pytest.raises(OSError):
        cache.written(tmp_path / "kept.bin", half)
    assert list(tmp_path.iterdir()) == []


def test_database_prefixes_names_that_two_packages_share(tmp_path):
    table = {"name": "summary", "path": "summary.csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}}
    one = _package(tmp_path, "one", {"summary.csv": "a\r\n1\r\n"}, [table])
    two = _package(tmp_path, "two", {"summary.csv": "a\r\n2\r\n"}, [table])
    placed = database.write_database(tmp_path / "all.sqlite", [_dataset(one), _dataset(two)])
    assert [p.table for p in placed] == ["one__summary", "two__summary"]


# --- zip and checksums ------------------------------------------------------------------------

def test_zip_is_sorted_stamped_and_reproducible(tmp_path):
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    files = [("pkg/b.txt", tmp_path / "b.txt"), ("pkg/a.txt", tmp_path / "a.txt")]
    archive.write_zip(tmp_path / "one.zip", files, WHEN)
    archive.write_zip(tmp_path / "two.zip", list(reversed(files)), WHEN)
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        assert z.namelist() == ["pkg/a.txt", "pkg/b.txt"]
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 25, 0, 0, 0)}


def test_a_zip_of_kept_entries_is_zipfiles_own_byte_for_byte_and_deflates_only_what_changed(tmp_path, monkeypatch):
    """all.zip is made of each file's entry deflated once and kept (a rebuild after one changed table deflates
    that one): the same bytes zipfile writes from the files, every entry read back whole, its CRC checked."""
    import os
    import random
    data = tmp_path / "files"
    data.mkdir()
    rows = "".join(f"2026-{m:02d},{random.Random(m).random():.6f}\n" for m in range(1, 13)) * 4000
    (data / "long.csv").write_text("period,value\n" + rows)
    (data / "noise.bin").write_bytes(random.Random(1).randbytes(3 << 20))    # over a 1 MB chunk, and incompressible
    (data / "empty.txt").write_bytes(b"")
    (data / "short.json").write_text('{"a": 1}')
    files = [(f"pkg/{p.name}", p) for p in data.iterdir()]
    archive.write_zip(tmp_path / "plain.zip", files, WHEN)
    kept = tmp_path / "kept"
    archive.write_zip(tmp_path / "kept.zip", files, WHEN, kept)
    assert (tmp_path / "kept.zip").read_bytes() == (tmp_path / "plain.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "kept.zip") as z:
        assert z.testzip() is None and z.read("pkg/long.csv") == (data / "long.csv").read_bytes()

    (data / "short.json").write_text('{"a": 2}')
    deflated = []
    was = archive.deflate
    monkeypatch.setattr(archive, "deflate", lambda source, target: deflated.append(source.name) or was(source, target))
    archive.write_zip(tmp_path / "again.zip", files, WHEN, kept)
    archive.write_zip(tmp_path / "plain-again.zip", files, WHEN)
    assert deflated == [str(data / "short.json")] and len(os.listdir(kept)) == 5
    assert (tmp_path / "again.zip").read_bytes() == (tmp_path / "plain-again.zip").read_bytes()


def test_a_restamped_zip_copies_its_deflated_entries_and_is_the_same_bytes_as_one_deflated_again(tmp_path,
                                                                                                   monkeypatch):
    """A workbook is restamped (its entries' times set to the build's) and its new sheets kept from it: each
    deflated entry copied as it is stored, never inflated and deflated again, yet the same bytes as zipfile
    writes deflating them afresh. A stored entry is deflated; an entry with an extra field in its local header
    (its own, or a zip64 one the central directory lacks) is found past it. And so for a book as xlsxwriter
    writes it, in memory or on disk."""
    import io
    import random
    long = "".join(f"<row r='{n}'><c><v>{random.Random(n).random():.6f}</v></c></row>" for n in range(60000)).encode()
    noise = random.Random(1).randbytes(3 << 20)          # over a 1 MB piece, and incompressible
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", long)
        z.writestr(zipfile.ZipInfo("xl/media/noise.bin"), noise, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("stored.xml"), b"<a/>", compress_type=zipfile.ZIP_STORED)
        padded = zipfile.ZipInfo("padded.xml")
        padded.compress_type, padded.extra = zipfile.ZIP_DEFLATED, b"\xfe\xca\x04\x00pads"
        z.writestr(padded, b"<b/>" * 100)
        # A zip64 extra field in its local header alone: the central directory's is shorter.
        wide = zipfile.ZipInfo("zip64.xml")
        wide.compress_type = zipfile.ZIP_DEFLATED
        with z.open(wide, "w", force_zip64=True) as entry:
            entry.write(b"<c/>" * 100)
    inflated = []
    opened = zipfile.ZipFile.open

    def opening(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            inflated.append(getattr(name, "filename", name))
        return opened(self, name, mode, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipFile, "open", opening)
    target = io.BytesIO()
    archive.restamp_zip(io.BytesIO(source.getvalue()), target, WHEN)
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as z:
        archive.keep_deflated(z, "xl/worksheets/sheet1.xml", tmp_path / "sheet.deflated")
    assert inflated == ["stored.xml"]
    monkeypatch.undo()

    afresh = io.BytesIO()
    with zipfile.ZipFile(afresh, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("xl/worksheets/sheet1.xml", long), ("xl/media/noise.bin", noise),
                           ("stored.xml", b"<a/>"), ("padded.xml", b"<b/>" * 100), ("zip64.xml", b"<c/>" * 100)):
            info = archive._entry(name, WHEN)
            z.writestr(info, data)
    assert target.getvalue() == afresh.getvalue()
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None and z.read("xl/worksheets/sheet1.xml") == long
    sheet = tmp_path / "sheet.deflated"
    with open(tmp_path / "one.zip", "wb") as out, zipfile.ZipFile(out, "w") as z:
        archive.add_deflated(z, archive._entry("sheet1.xml", WHEN), sheet, None)
    with zipfile.ZipFile(tmp_path / "one.zip") as z:
        assert z.read("sheet1.xml") == long

    import xlsxwriter
    for in_memory in (True, False):
        book_file = io.BytesIO() if in_memory else tmp_path / "book.xlsx"
        book = xlsxwriter.Workbook(book_file, {"constant_memory": True, "in_memory": in_memory})
        sheet = book.add_worksheet("Figures")
        for row in range(2000):
            sheet.write_row(row, 0, [f"2026-{row % 12 + 1:02d}", row * 1.5, "note"])
        book.close()
        restamped, afresh = io.BytesIO(), io.BytesIO()
        archive.restamp_zip(book_file, restamped, WHEN)
        with zipfile.ZipFile(book_file) as source, zipfile.ZipFile(afresh, "w", zipfile.ZIP_DEFLATED) as z:
            for info in source.infolist():
                z.writestr(archive._entry(info.filename, WHEN), source.read(info))
        assert restamped.getvalue() == afresh.getvalue()


def test_zip_cannot_record_times_before_1980(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    archive.write_zip(tmp_path / "old.zip", [("a.txt", tmp_path / "a.txt")], datetime(1970, 1, 1))
    with zipfile.ZipFile(tmp_path / "old.zip") as z:
        assert z.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


# --- the example site, every format read back -------------------------------------------------

def _source_tables():
    """(package, resource, field types, rows of typed values) for every table in data/, per frictionless."""
    for descriptor in sorted((ROOT / "data").glob("*/datapackage.json")):
        package = Package(str(descriptor))
        for resource in package.resources:
            if not resource.tabular:
                continue     # a map's shapes, a licence's text: published as they are, with no rows to compare
            thresholds = (resource.custom.get("dashboard") or {}).get("suppress_below")
            types = [f.type for f in resource.schema.fields]
            rows = []
            with resource:
                for row in resource.row_stream:
                    values = [row[f.name] for f in resource.schema.fields]
                    names = [f.name for f in resource.schema.fields]
                    if thresholds and "value" in row and row["value"] is not None and 0 < row["value"] < thresholds:
                        values[names.index("value")] = None
                    if resource.custom.get("finance") and row.get("individual") is True:
                        # The other deliberate change: nothing that could name a private individual.
                        values = [REDACTED if n == "supplier_name" else v if n in KEPT_FOR_INDIVIDUALS | {"individual"}
                                  else None for n, v in zip(names, values)]
                    rows.append(values)
            yield package.name, resource.name, [f.name for f in resource.schema.fields], types, rows


def _same(expected, got, field_type) -> bool:
    if expected is None:
        return got is None
    if field_type == "number":
        return got is not None and float(got) == float(expected)
    if field_type in ("integer", "year"):
        return got == int(expected)
    if field_type == "date":
        return str(got)[:10] == expected.isoformat()
    return got == expected


def _unformula(text):
    return text[1:] if isinstance(text, str) and text.startswith("'") and formats.neutralise(text[1:]) != text[1:] else text


@site_group
def test_csv_json_xlsx_and_sqlite_agree_with_the_source_value_for_value(site):
    db = sqlite3.connect(site / "data/all.sqlite")
    tables = dict(db.execute('SELECT package || "/" || resource, "table" FROM _tables').fetchall())
    checked = 0
    for pkg, name, fields, types, expected in _source_tables():
        folder = site / "data" / pkg
        # CSV, typed back by the published descriptor
        published = Package(str(folder / "datapackage.json")).get_resource(name)
        with published:
            csv_rows = [[r[f] for f in fields] for r in published.row_stream]
        # JSON: the inline package
        inline = json.loads((folder / f"{pkg}.json").read_text(encoding="utf-8"))
        json_rows = next(r["data"] for r in inline["resources"] if r["name"] == name)
        json_rows = [[row[f] for f in fields] for row in json_rows]
        # XLSX: the sheet named after the table
        book = openpyxl.load_workbook(folder / f"{pkg}.xlsx", read_only=True)
        sheet = next(s for s in book.worksheets if s.title == name[:31])
        xlsx_rows = [[None if isinstance(c, str) and c in ("[x]", "[c]", "[z]") else _unformula(c) for c in row]
                     for row in sheet.iter_rows(min_row=2, values_only=True)]
        # SQLite
        sql_rows = db.execute(f'SELECT * FROM "{tables[f"{pkg}/{name}"]}"').fetchall()
        for label, got in (("csv", csv_rows), ("json", json_rows), ("xlsx", xlsx_rows), ("sqlite", sql_rows)):
            assert len(got) == len(expected), (pkg, name, label)
            for e_row, g_row in zip(expected, got):
                for e, g, t in zip(e_row, g_row, types):
                    assert _same(e, g, t), (pkg, name, label, e_row, g_row)
        checked += 1
    assert checked >= 44   # 39 measures, 3 registers, 2 demographic tables


@site_group
def test_every_published_package_is_valid_including_its_json_twin(site):
    for folder in sorted(p for p in (site / "data").iterdir() if p.is_dir()):
        # A package with no table (boundaries) has no JSON of its tables' rows.
        tables = any(r.tabular for r in Package(str(folder / "datapackage.json")).resources)
        for name in ["datapackage.json"] + ([f"{folder.name}.json"] if tables else []):
            report = Package(str(folder / name)).validate()
            assert report.valid, (folder.name, name, report.flatten(["rowNumber", "fieldName", "type"]))


@site_group
def test_every_measure_has_an_xlsx_with_notes(site):
    measures = published_measures(site)
    assert len(measures) == 34
    book = openpyxl.load_workbook(site / "measures/recycling-rate/recycling-rate.xlsx")
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True) if row[0]}
    assert notes["Licence"].startswith("Open Government Licence v3.0")
    assert notes["Web page"].endswith("/measures/recycling-rate/")
    assert book.sheetnames == ["Notes", "recycling-rate"]
    for mid in measures:
        assert (site / "measures" / mid / f"{mid}.xlsx").is_file()


@site_group
def test_all_zip_holds_every_package_as_published(site):
    with zipfile.ZipFile(site / "data/all.zip") as z:
        names = z.namelist()
        assert names == sorted(names)
        for folder in (p for p in (site / "data").iterdir() if p.is_dir()):
            assert z.read(f"{folder.name}/datapackage.json") == (folder / "datapackage.json").read_bytes()
        # Stamped with the day the data last changed (its last commit), not the day of the build
        latest = max(d["updated"] for d in json.loads((site / "data/index.json").read_text())["datasets"])
        assert {i.date_time for i in z.infolist()} == {(*map(int, latest.split("-")), 0, 0, 0)}


# --- a third-party package dropped into data/ ---------------------------------------------------

def test_a_plain_frictionless_package_is_published_with_every_download(tmp_path):
    project = make_project(tmp_path)
    make_registers(project / "data")
    shutil.copytree(FIXTURES / "house-prices-uk", project / "data/house-prices-uk")
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = project / "output/data/house-prices-uk"
    for name in ("datapackage.json", "house-prices-uk.json", "house-prices-uk.xlsx", "data/data.csv", "index.html"):
        assert (folder / name).is_file(), name
    assert Package(str(folder / "datapackage.json")).validate().valid
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "House Prices in the UK since 1952" in page and "Public Domain Dedication" in page
    catalogue = (project / "output/data/index.html").read_text(encoding="utf-8")
    assert 'href="house-prices-uk/"' in catalogue or "house-prices-uk/" in catalogue
    source = (FIXTURES / "house-prices-uk/data/data.csv").read_text().splitlines()
    published = (folder / "data/data.csv").read_text().splitlines()
    assert len(published) == len(source)
    db = sqlite3.connect(project / "output/data/all.sqlite")
    assert db.execute('SELECT count(*) FROM "data"').fetchone()[0] == len(source) - 1
    # 288 rows: a preview of 10 on the dataset page, then pages of 100 rows
    tables = folder / "tables/data"
    assert sorted(p.relative_to(tables).as_posix() for p in tables.rglob("index.html")) == [
        "2/index.html", "3/index.html", "index.html"]
    last = (tables / "3/index.html").read_text(encoding="utf-8")
    assert "Rows 201 to 288 of 288 (page 3 of 3)" in last and 'rel="prev"' in last and 'rel="next"' not in last
    twin = json.loads((tables / "3/index.json").read_text())
    assert twin["first_row"] == 201 and len(twin["rows"]) == 88


def test_an_invalid_third_party_package_stops_the_build_and_keeps_the_old_site(tmp_path):
    project = make_project(tmp_path)
    make_registers(project / "data")
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    shutil.copytree(FIXTURES / "house-prices-uk", project / "data/house-prices-uk")
    csv_path = project / "data/house-prices-uk/data/data.csv"
    lines = csv_path.read_text().splitlines()
    lines[5] = lines[5].split(",", 1)[0] + ",lots" + "," + lines[5].split(",", 2)[2]
    csv_path.write_text("\n".join(lines) + "\n")
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 1
    assert "data/house-prices-uk/data/data.csv:6:Price (All): [type-error]" in result.stdout
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == before


# --- awkward but valid inputs -------------------------------------------------------------------

def test_numeric_field_text_that_is_not_a_plain_number_is_neutralised_too(tmp_path):
    """With bareNumber false frictionless reads '=5' as 5; the CSV keeps the text, so it must be made safe."""
    folder = _package(tmp_path, "odd", {"odd.csv": "id,amount\r\n1,=5\r\n2,-7.5\r\n3,@SUM(9)\r\n"}, [{
        "name": "odd", "path": "odd.csv", "schema": {"fields": [
            {"name": "id", "type": "integer"}, {"name": "amount", "type": "number", "bareNumber": False}]}}])
    publish.publish_package(tmp_path / "out", _dataset(folder), URLS, WHEN)
    text = (tmp_path / "out/data/odd/odd.csv").read_bytes().decode("utf-8")
    assert text == "id,amount\r\n1,'=5\r\n2,-7.5\r\n3,'@SUM(9)\r\n"


def test_header_names_are_neutralised_and_schemaless_csv_is_republished_safely(tmp_path):
    folder = _package(tmp_path, "raw", {"raw.csv": '"=HYPERLINK(""http://e"")",note\r\n1,=1+1\r\n'},
                      [{"name": "raw", "path": "raw.csv"}])
    publish.publish_package(tmp_path / "out", _dataset(folder), URLS, WHEN)
    out = tmp_path / "out/data/raw"
    assert (out / "raw.csv").read_bytes().decode("utf-8") == '"\'=HYPERLINK(""http://e"")",note\r\n1,\'=1+1\r\n'
    descriptor = json.loads((out / "datapackage.json").read_text())
    assert [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]] == ['=HYPERLINK("http://e")', "note"]


def test_values_json_cannot_type_keep_their_source_text():
    class YearMonth(tuple):
        pass
    assert formats.json_value(YearMonth((2024, 3)), "2024-03") == "2024-03"
    assert formats.json_value(Decimal("NaN"), "NaN") is None


def test_inline_json_package_with_a_date_format_stays_valid(tmp_path):
    folder = _package(tmp_path, "dated", {"dated.csv": "day,open\r\n01/03/2024,yes\r\n"}, [{
        "name": "dated", "path": "dated.csv", "schema": {"fields": [
            {"name": "day", "type": "date", "format": "%d/%m/%Y"},
            {"name": "open", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"]}]}}])
    publish.publish_package(tmp_path / "out", _dataset(folder), URLS, WHEN)
    inline = tmp_path / "out/data/dated/dated.json"
    assert json.loads(inline.read_text())["resources"][0]["data"] == [{"day": "2024-03-01", "open": True}]
    report = Package(str(inline)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])


def test_a_spreadsheet_source_is_republished_as_valid_csv(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.append(["day", "count"])
    book.active.append([datetime(2024, 3, 1), 5])
    book.save(folder / "counts.xlsx")
    (folder / "datapackage.json").write_text(json.dumps({"name": "book", "resources": [{
        "name": "counts", "path": "counts.xlsx", "format": "xlsx", "schema": {"fields": [
            {"name": "day", "type": "date"}, {"name": "count", "type": "integer"}]}}]}))
    publish.publish_package(tmp_path / "out", _dataset(folder), URLS, WHEN)
    out = tmp_path / "out/data/book"
    assert (out / "counts.csv").read_bytes() == b"day,count\r\n2024-03-01,5\r\n"
    assert Package(str(out / "datapackage.json")).validate().valid


@pytest.mark.parametrize("files, resources, message", [
    ({"a.csv": "a\r\n1\r\n", "a.tsv": "a\n2\n"},
     [{"name": "a", "path": "a.csv"}, {"name": "b", "path": "a.tsv", "format": "tsv", "dialect": {"delimiter": "\t"}}],
     "Resources 'a' and 'b' would both be published as 'a.csv'"),
    ({"twins.json": '{"a": 1}'}, [{"name": "j", "path": "twins.json"}],
     "Resource 'j' has the path 'twins.json', which the published package uses for itself"),
])
def test_files_the_package_cannot_publish_at_their_address_are_refused_by_validation(tmp_path, files, resources,
                                                                                       message):
    data = tmp_path / "data"
    _package(data, "twins", files, resources)
    loaded = load(settings_for(data))
    assert [(p.type, p.message.startswith(message)) for p in loaded.report.errors] == [("published-path-clash", True)]


def test_excel_gets_text_for_values_it_cannot_hold_exactly(tmp_path):
    fields = [Field("day", "date", "", "", ""), Field("x", "number", "", "", "")]
    sheet = workbook.Sheet("odd", "Odd", fields, [["1850-01-01", "NaN"], ["2024-03-01", "1.5"]],
                           [[date(1850, 1, 1), Decimal("NaN")], [date(2024, 3, 1), Decimal("1.5")]])
    workbook.write_workbook(tmp_path / "odd.xlsx", "Odd", [], [sheet], WHEN)
    rows = list(openpyxl.load_workbook(tmp_path / "odd.xlsx")["odd"].iter_rows(min_row=2, values_only=True))
    assert rows == [("1850-01-01", "NaN"), (datetime(2024, 3, 1), 1.5)]


def test_a_table_named_like_the_catalogue_table_gets_its_package_prefix(tmp_path):
    folder = _package(tmp_path, "meta", {"t.csv": "a\r\n1\r\n"},
                      [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}}])
    dataset = _dataset(folder)
    dataset.resources[0].name = "_TABLES"   # refused by validation (unsafe-name); the database copes anyway
    placed = database.write_database(tmp_path / "all.sqlite", [dataset])
    assert [p.table for p in placed] == ["meta___TABLES"]


def test_a_table_named_like_a_gathered_table_gets_its_package_prefix(tmp_path):
    folder = _package(tmp_path, "meta", {"t.csv": "a\r\n1\r\n"},
                      [{"name": "observations", "path": "t.csv", "schema": {"fields": [{"name": "a", "type": "integer"}]}}])
    gathered = database.Table("observations", "Every figure", "", [database.Column("id", "TEXT", "", True)], ["id"],
                              [("x",)], LICENSE, "Council", "https://example.org/data/")
    placed = database.write_database(tmp_path / "all.sqlite", [_dataset(folder)], [gathered])
    assert [p.table for p in placed] == ["meta__observations"]
    db = sqlite3.connect(tmp_path / "all.sqlite")
    assert db.execute("SELECT * FROM observations").fetchall() == [("x",)]
    assert db.execute("SELECT * FROM meta__observations").fetchall() == [(1,)]


def test_a_schema_in_its_own_file_is_read_and_published_in_full(tmp_path):
    folder = _package(tmp_path, "split", {"t.csv": "a\r\n1\r\n",
                                          "schema.json": json.dumps({"fields": [{"name": "a", "type": "integer"}]})},
                      [{"name": "t", "path": "t.csv", "schema": "schema.json"}])
    publish.publish_package(tmp_path / "out", _dataset(folder), URLS, WHEN)
    descriptor = json.loads((tmp_path / "out/data/split/datapackage.json").read_text())
    assert descriptor["resources"][0]["schema"]["fields"] == [{"name": "a", "type": "integer"}]


def test_a_personal_field_is_never_published(tmp_path):
    folder = _package(tmp_path, "cases", {"cases.csv": "ward,count,caseworker\r\nabbey,5,Jo Bloggs\r\n"}, [{
        "name": "cases", "path": "cases.csv", "schema": {"fields": [
            {"name": "ward", "type": "string"}, {"name": "count", "type": "integer"},
            {"name": "caseworker", "type": "string", "personal": True}]}}])
    dataset = _dataset(folder)
    publish.publish_package(tmp_path / "out", dataset, URLS, WHEN)
    database.write_database(tmp_path / "out/all.sqlite", [dataset])
    out = tmp_path / "out/data/cases"
    assert (out / "cases.csv").read_bytes() == b"ward,count\r\nabbey,5\r\n"
    for path in (out / "datapackage.json", out / "cases.json"):
        assert "caseworker" not in path.read_text() and "Jo Bloggs" not in path.read_text()
    with zipfile.ZipFile(out / "cases.xlsx") as z:
        assert not any(b"Jo Bloggs" in z.read(n) for n in z.namelist())
    assert b"Jo Bloggs" not in (tmp_path / "out/all.sqlite").read_bytes()
    assert Package(str(out / "datapackage.json")).validate().valid


def test_a_workbooks_keys_follow_every_fact_of_its_fields(tmp_path):
    """A sheet kept by its fields' facts is kept afresh when any of them changes (its title or unit, say): each
    of Field's facts is in the key, the book's and its sheets'."""
    import dataclasses
    base = Field("count", "integer", "Count", "How many", "people")

    def keys(field: Field) -> tuple[str, Path | None]:
        sheet = workbook.Sheet("t", "T", [field], [["1"]], [[1]], rows_key="rows")
        return (workbook.workbook_key("Book", [], [sheet], datetime(2026, 1, 1)),
                workbook._kept_sheet(tmp_path, sheet, 0, 10))
    seen = {keys(base)}
    for f in dataclasses.fields(Field):
        seen.add(keys(dataclasses.replace(base, **{f.name: getattr(base, f.name) + "x"})))
    assert len({book for book, _ in seen}) == len({sheet for _, sheet in seen}) == 1 + len(dataclasses.fields(Field))
