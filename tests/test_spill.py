"""A build keeps its long tables' rows on disk (ingest/spill.py): read back, they answer as the lists did,
nothing is left in the cache folder, and the site is byte for byte the one built from memory."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import example_settings
from generator.ingest import spill


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(spill, "SPILL_ROWS", 10)
    monkeypatch.setattr(spill, "CHUNK", 7)
    monkeypatch.setattr(spill, "HEAD", 2)


@pytest.mark.parametrize("length", [10, 14, 15, 40])
def test_spilled_rows_answer_as_the_list_did(tmp_path, small_chunks, length):
    rows = [(n, f"text {n}", None if n % 3 else n / 2) for n in range(length)]
    kept = spill.Spill(tmp_path).rows(rows)
    assert isinstance(kept, spill.Rows)
    assert len(kept) == length and list(kept) == rows and list(zip(kept, kept)) == list(zip(rows, rows))
    assert [kept[i] for i in range(-length, length)] == [rows[i] for i in range(-length, length)]
    for bad in (length, -length - 1):
        with pytest.raises(IndexError):
            kept[bad]
    ends = [None, 0, 1, 6, 7, 8, 13, 14, length - 1, length, length + 5, -1, -8]
    for start in ends:
        for stop in ends:
            for step in (None, 1, 3, -1):
                assert kept[start:stop:step] == rows[start:stop:step], (start, stop, step)
    assert pickle.loads(pickle.dumps(kept)) == rows        # sent to a worker as the list it stands for
    assert list(tmp_path.iterdir()) == []                 # the file has no name: nothing is left behind


def test_reading_keeps_a_few_chunks_of_a_spill(tmp_path, small_chunks, monkeypatch):
    """A chunk kept by each table held a long table's worth of rows for each (the model reads them all)."""
    kept = spill.Spill(tmp_path)
    first, second = kept.rows([(n,) for n in range(20)]), kept.rows([(n, "b") for n in range(30)])
    assert list(first) == [(n,) for n in range(20)] and list(second)[3] == (3, "b")
    assert kept._kept == {}                                                       # iterating keeps nothing
    assert first[3:5] == [(3,), (4,)] and first[8] == (8,)
    assert second[15] == (15, "b") and second[22:29] == [(n, "b") for n in range(22, 29)]
    assert [rows[0] for rows in kept._kept.values()] == [(7,), (14, "b"), (21, "b"), (28, "b")]    # the last four
    monkeypatch.setattr(spill, "CHUNK", 5)              # rows already written keep their own chunks
    assert first[6:9] == [(6,), (7,), (8,)] and list(second)[-1] == (29, "b")
    kept.close()
    with pytest.raises(ValueError):                     # closed with the model: a late read fails loudly
        list(first)


def test_pages_of_a_table_read_each_chunk_of_its_values_and_its_text_once(tmp_path, small_chunks, monkeypatch):
    """A table's page reads a window of its typed values, then of its text: with one chunk kept, each page
    read both chunks again (a long table's pages made twenty times the reading)."""
    kept = spill.Spill(tmp_path)
    values, cells = kept.rows(list(range(30))), kept.rows([str(n) for n in range(30)])
    reads = []
    read = spill.Spill.read
    monkeypatch.setattr(spill.Spill, "read", lambda self, *span: reads.append(span) or read(self, *span))
    for first in range(0, 30, 3):
        assert values[first:first + 3] == list(range(first, first + 3))
        assert cells[first:first + 3] == [str(n) for n in range(first, first + 3)]
    assert len(reads) == len(set(reads)) == 2 * 5          # 30 rows, chunks of 7: five chunks each


def test_a_long_tables_first_rows_are_read_without_reading_a_chunk(tmp_path, small_chunks, monkeypatch):
    """A package's page shows the first few rows of each of its tables: a chunk read for each took a thousand
    measures' package half a second."""
    monkeypatch.setattr(spill, "HEAD", 5)
    kept = spill.Spill(tmp_path).rows([(n, "b") for n in range(30)])
    monkeypatch.setattr(spill.Spill, "read", lambda *a: pytest.fail("a chunk read"))
    assert kept[:5] == [(n, "b") for n in range(5)] and kept[1:3] == [(1, "b"), (2, "b")] and kept[4] == (4, "b")
    assert kept[-30] == (0, "b") and kept[:0] == []
    with pytest.raises(pytest.fail.Exception):
        kept[:6]


def test_a_short_table_stays_in_memory(tmp_path, small_chunks):
    rows = [("a",)] * 9
    assert spill.Spill(tmp_path).rows(rows) is rows


def test_a_build_lets_the_rows_as_read_go_once_each_table_is_modelled(tmp_path, small_chunks):
    """With a spill (a build), the model is the same, and the sources' rows are let go as it is made: the
    model fills their memory rather than adding to it."""
    from conftest import make_measure_package, make_registers
    from generator.ingest.build import build_site
    from generator.ingest.read import read_sources
    data = tmp_path / "data"
    make_registers(data)
    make_measure_package(data, {"long": "period,value\n" + "".join(f"{y}-{m:02},{m}\n" for y in range(2020, 2024)
                                                                  for m in range(1, 13)),
                                "short": "period,value\n2024-01,5\n"})
    licence = {"name": "OGL-UK-3.0"}
    kept = build_site(read_sources(data, 50), [], licence)
    sources = read_sources(data, 50)
    spilled = build_site(sources, [], licence, spill=spill.Spill(tmp_path / "cache"))
    assert all(rr.rows == [] for raw in sources for rr in raw.resources)
    assert isinstance(spilled.datasets["measures"].resource("long").cells, spill.Rows)
    for mid in ("long", "short"):
        assert spilled.measures[mid].observations == kept.measures[mid].observations
    assert [list(r.cells) for r in spilled.datasets["measures"].resources] == \
           [list(r.cells) for r in kept.datasets["measures"].resources]


def test_a_kept_model_holds_its_long_tables_as_the_spill_does(tmp_path, small_chunks, monkeypatch):
    """A table's model kept in the cache holds a long table's rows in the spill's chunks (spill.Packed): the
    next build copies them into its spill as bytes, never pickling a row again, and the model is the same
    with a spill, without one, and made afresh."""
    from conftest import make_measure_package, make_registers
    from generator.ingest.build import build_site
    from generator.ingest.read import read_sources
    data, cache_dir = tmp_path / "data", tmp_path / "cache"
    make_registers(data)
    make_measure_package(data, {"long": "period,value\n" + "".join(f"{y}-{m:02},{m}\n" for y in range(2020, 2024)
                                                                  for m in range(1, 13)),
                                "short": "period,value\n2024-01,5\n"})
    licence = {"name": "OGL-UK-3.0"}

    def tables(site):
        return [(r.name, list(r.cells), list(r.values)) for r in site.datasets["measures"].resources]
    def read():
        return read_sources(data, 50, cache_dir, keep=True)
    fresh = build_site(read(), [], licence)
    first = build_site(read(), [], licence, spill=spill.Spill(tmp_path / "s1"), cache_dir=cache_dir)
    [model] = [pickle.loads(p.read_bytes()) for p in (cache_dir / "models").iterdir()
               if pickle.loads(p.read_bytes())[0].name == "long"]
    assert isinstance(model[0].cells, spill.Packed) and isinstance(model[0].values, spill.Packed)
    assert len(model[0].cells.chunks) == 7                   # 48 rows in chunks of 7
    sources, dumped, dumps = read(), [], pickle.dumps
    with monkeypatch.context() as watched:
        watched.setattr(pickle, "dumps", lambda o, *a, **k: dumped.append(type(o)) or dumps(o, *a, **k))
        again = build_site(sources, [], licence, spill=spill.Spill(tmp_path / "s2"), cache_dir=cache_dir)
    assert dumped == []                                        # nothing pickled: the chunks copied as they were
    assert isinstance(again.datasets["measures"].resource("long").cells, spill.Rows)
    unspilled = build_site(read(), [], licence, cache_dir=cache_dir)
    assert isinstance(unspilled.datasets["measures"].resource("long").cells, list)
    assert tables(first) == tables(again) == tables(unspilled) == tables(fresh)
    assert again.measures["long"].observations == fresh.measures["long"].observations


def test_a_site_built_with_every_table_spilled_is_the_site_built_from_memory(site, tmp_path, monkeypatch):
    """Every table of the example spilled, in chunks of 7 rows, so every download, page and table of the
    database reads its rows back across chunks: the same bytes as the example built as usual."""
    from generator import cli
    monkeypatch.setattr(spill, "SPILL_ROWS", 1)
    monkeypatch.setattr(spill, "CHUNK", 7)
    spilled = []
    rows = spill.Spill.rows
    monkeypatch.setattr(spill.Spill, "rows", lambda self, r: spilled.append(len(r)) or rows(self, r))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "output"
    assert cli.main(["build", "--settings", str(example_settings(tmp_path)), "--output", str(out)]) == 0
    assert sum(n >= 7 for n in spilled) > 50          # tables long enough to span chunks
    mine = {p.relative_to(out): p for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(site): p for p in site.rglob("*") if p.is_file()}
    assert sorted(mine) == sorted(theirs)
    assert [str(name) for name, p in sorted(mine.items()) if p.read_bytes() != theirs[name].read_bytes()] == []
    assert not any(Path(tmp_path / "cache").rglob(".rows-*"))
