"""A large table (hundreds of thousands of payments) is held lean and written as it goes: its rows share
one index of field names and their texts' objects, the published table shares the tuples read, and its
CSV and JSON downloads are written a few rows at a time, byte for byte as if written whole."""

from __future__ import annotations

import json
import pickle

import pytest

from generator import cache
from generator.domain.model import Field
from generator.domain.periods import PeriodError, parse_period
from generator.ingest.read import read_package
from generator.publish.files import Streamed, json_text, write_json
from generator.publish.formats import csv_text, write_csv


def _package(tmp_path, csv: str):
    (tmp_path / "p").mkdir()
    (tmp_path / "p/t.csv").write_text(csv)
    (tmp_path / "p/datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "service", "type": "string"},
                                                            {"name": "amount", "type": "number"}]}}]}))
    return read_package(tmp_path / "p", 10**9)


def test_a_tables_rows_share_their_field_names_and_read_as_mappings(tmp_path):
    raw = _package(tmp_path, "service,amount\nParks,10.50\nParks,\nRoads\n")
    first, empty, short = raw.resources[0].rows
    assert (first.number, dict(first.cells), dict(first.values)) == (2, {"service": "Parks", "amount": "10.50"},
                                                                      {"service": "Parks", "amount": 10.5})
    assert empty.cells["amount"] == "" and empty.values["amount"] is None
    # A short row has no cell for a field it lacks, and no value (as frictionless typed it: none).
    assert dict(short.cells) == {"service": "Roads"} and short.cells.get("amount", "") == ""
    assert short.values.get("amount") is None and "amount" not in short.cells
    assert first._index is empty._index                       # one index for the table, not one per row
    assert first.cells["service"] is empty.cells["service"]   # a repeated text is one object
    again = pickle.loads(pickle.dumps(raw.resources[0].rows))  # as the cache keeps them
    assert [dict(r.cells) for r in again] == [dict(r.cells) for r in raw.resources[0].rows]
    assert again[0]._index is again[1]._index


def test_a_row_in_its_tables_order_is_published_as_the_tuples_it_was_read_into(tmp_path):
    row = _package(tmp_path, "service,amount\nParks,10.50\n").resources[0].rows[0]
    cells, values = row.in_order(("service", "amount"))
    assert cells is row._cells and values is row._values
    assert row.in_order(("amount", "service", "other")) == (("10.50", "Parks", ""), (10.5, "Parks", None))


def test_json_with_a_streamed_list_is_written_byte_for_byte_as_if_whole(tmp_path):
    rows = [{"n": n, "text": f"“{n}”\n"} for n in range(4500)]
    data = {"name": "p", "resources": [{"name": "a", "data": Streamed(iter(rows))}, {"name": "b",
                                       "data": Streamed(iter([]))}], "after": "\0streamed-9\0"}
    size = write_json(tmp_path, "a/p.json", data)
    whole = json_text({"name": "p", "resources": [{"name": "a", "data": rows}, {"name": "b", "data": []}],
                       "after": "\0streamed-9\0"}).encode()
    assert (tmp_path / "a/p.json").read_bytes() == whole and size == len(whole)
    with pytest.raises(TypeError):
        write_json(tmp_path, "b.json", {"a": object()})


def test_a_kept_streamed_list_is_copied_from_the_cache_byte_for_byte(tmp_path):
    """A package's JSON of many tables, one of them changed, encodes only that one: each table's rows as
    JSON are kept by all they are made from, and copied from there into the file, the same bytes."""
    rows = [{"n": n, "text": f"“{n}”"} for n in range(4500)]
    kept = tmp_path / "cache" / f"{'a' * 64}.json"

    def data(items, where=kept):
        return {"resources": [{"name": "a", "data": Streamed(items, where)}, {"name": "b", "data": Streamed([])}]}
    whole = json_text({"resources": [{"name": "a", "data": rows}, {"name": "b", "data": []}]}).encode()
    assert write_json(tmp_path, "first.json", data(iter(rows))) == len(whole)
    start = whole.index(b'"data":[') + len(b'"data":[')
    assert kept.read_bytes() == whole[start:whole.index(b"]}", start)]        # its items alone

    def never():
        pytest.fail("encoded again")
        yield
    assert write_json(tmp_path, "again.json", data(never())) == len(whole)
    assert (tmp_path / "first.json").read_bytes() == (tmp_path / "again.json").read_bytes() == whole
    other = tmp_path / "cache" / f"{'b' * 64}.json"                   # another key: encoded
    with pytest.raises(pytest.fail.Exception):
        write_json(tmp_path, "changed.json", data(never(), other))
    assert not other.exists() and not list(other.parent.glob(".*.tmp"))     # nothing half kept


def test_a_csv_written_as_its_rows_come_is_the_csv_written_whole(tmp_path):
    fields = [Field("name", "string", "", "", ""), Field("amount", "number", "", "", "")]
    cells = [["=SUM(A1)", "-5"], ["a, \"quoted\"\nline", "1.5"], ["", ""]]
    size = write_csv(tmp_path / "d/t.csv", fields, iter(cells))
    assert (tmp_path / "d/t.csv").read_bytes() == csv_text(fields, cells).encode() and size == len(csv_text(fields, cells).encode())


def test_a_long_lists_key_is_of_every_item():
    rows = [[n, f"row {n}"] for n in range(12_000)]
    assert cache.key_of_rows(rows) == cache.key_of_rows([list(r) for r in rows])
    changed = [list(r) for r in rows]
    changed[11_999][1] = "changed"
    assert cache.key_of_rows(changed) != cache.key_of_rows(rows)
    assert cache.key_of_rows(rows[:5000] + rows[5001:]) != cache.key_of_rows(rows)


def test_a_period_is_parsed_once_and_shared_but_a_bad_one_is_refused_every_time():
    assert parse_period("2024-05") is parse_period("2024-05")
    assert parse_period("2024/25").start != parse_period("2024/25", years="academic").start
    for _ in range(2):
        with pytest.raises(PeriodError):
            parse_period("2024-13")


def test_tables_validated_in_worker_processes_read_and_fail_as_in_one(tmp_path, monkeypatch):
    """A large amount of new data is validated in worker processes: the same rows, the same problems in
    the same order, and only tables that passed are kept."""
    from conftest import make_measure_package, make_registers
    from generator.ingest import read
    data, kept = tmp_path / "data", tmp_path / "cache"
    make_registers(data)
    make_measure_package(data, {f"m{n}": "period,value\n2024-01,5\n2024-02,7\n" for n in range(5)}
                         | {"bad": "period,value\n2024-01,five\n2024-02,7,8\n"})
    alone = read.read_sources(data, 100, workers=1)
    shared = []
    monkeypatch.setattr(read, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(read, "TASK_TABLES", 2)          # tasks of two tables: rows gathered across tasks
    monkeypatch.setattr(read, "_in_workers", lambda work, n, run=read._in_workers: shared.append(n) or run(work, n))
    together = read.read_sources(data, 100, kept, keep=True, workers=2)
    assert shared == [2]

    def flat(raws):
        return [(p.path, p.row, p.field, p.type) for raw in raws for p in raw.problems]

    def rows(raws):
        return [(rr.name, rr.schema, [(r.number, dict(r.cells), dict(r.values)) for r in rr.rows])
                for raw in raws for rr in raw.resources]
    assert flat(together) == flat(alone) and [t for *_, t in flat(alone)] == ["type-error", "extra-cell"]
    assert rows(together) == rows(alone)
    assert len(list((kept / "rows").glob("*.pickle"))) == 8            # 3 registers, 5 measures; not the bad one


def test_tables_are_shared_out_a_few_at_a_time_and_never_two_packages_in_a_task():
    """A worker holds a whole task's rows before sending them: a task is at most TASK_TABLES tables, and
    about a quarter of a worker's share of the bytes."""
    from pathlib import Path
    from generator.ingest.read import TASK_TABLES, RawPackage, RawResource, _tasks, _Work

    def works(raw, sizes):
        out = []
        for n, size in enumerate(sizes):
            w = _Work(raw, RawResource({}, n, None), None, None)
            w.__dict__["bytes"] = size                      # its files' size, as the cached property keeps it
            out.append(w)
        return out
    measures, spending = (RawPackage(Path(n), Path(n) / "datapackage.json", {}) for n in ("measures", "spending"))
    many = works(measures, [1_000] * (3 * TASK_TABLES + 5))
    big = works(spending, [3_000_000] * 8)
    tasks = _tasks(many + big, 2)
    assert all(len({id(w.raw) for w in t}) == 1 for t in tasks)
    assert sorted(len(t) for t in tasks if t[0].raw is measures) == [5, TASK_TABLES, TASK_TABLES, TASK_TABLES]
    share = sum(w.bytes for w in many + big) / (4 * 2)
    assert all(sum(w.bytes for w in t) < share + 3_000_000 for t in tasks if t[0].raw is spending)
    assert sorted(id(w) for t in tasks for w in t) == sorted(id(w) for w in many + big)


def test_a_worker_is_given_its_tables_and_those_their_foreign_keys_refer_to_only():
    """A frictionless Package of 2,000 tables takes seconds to make, and every task makes one."""
    from pathlib import Path
    from generator.ingest.read import RawPackage, RawResource, _bare

    def table(name, refers_to=None, schema=None):
        keys = [{"fields": "id", "reference": {"resource": refers_to, "fields": "id"}}] if refers_to is not None else []
        return {"name": name, "path": f"{name}.csv", "schema": schema or {"fields": [], "foreignKeys": keys}}
    tables = [table("a", "b"), table("b"), table("c"), table("d", ""), table("e", "nowhere"), table("f")]
    raw = RawPackage(Path("p"), Path("p/datapackage.json"), {"name": "p", "resources": tables},
                     resources=[RawResource(t, n, None) for n, t in enumerate(tables)])

    def given(indexes):
        bare = _bare(raw, indexes)
        assert "resources" not in bare.descriptor
        return [rr.name for rr in bare.resources]
    assert given([0]) == ["a", "b"] and given([2]) == ["c"] and given([3, 4]) == ["d", "e"]
    raw.resources[5] = RawResource(table("f", schema="f.schema.json"), 5, None)
    assert given([5]) == ["a", "b", "c", "d", "e", "f"]       # a schema in a file of its own: every table
