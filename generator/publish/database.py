"""The whole site's data as one SQLite database, its Table Schemas applied.

Each table is a STRICT table typed from its Table Schema, with its primary key, required
fields (NOT NULL) and foreign keys declared, ready for Datasette or any SQL tool. A table
is named after its resource; when two packages have a resource of the same name (or one is
named like a table of ours), it is prefixed with its package ('<package>__<resource>'). The
`_tables` table says where each table came from, with its title, description and licence.
Beside them are the gathered tables (publish/gathered.py), each a `Table` written as given.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .. import cache
from ..domain.model import Dataset, Resource, as_list

COLUMN_TYPES = {"integer": "INTEGER", "year": "INTEGER", "boolean": "INTEGER", "number": "REAL"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str                 # the SQLite type: TEXT, REAL or INTEGER
    description: str
    not_null: bool = False


@dataclass(frozen=True)
class Piece:
    """Some of a gathered table's rows, written and kept as a part of their own (one measure's observations):
    a rebuild that changed one measure writes only its piece again."""

    name: str                                   # which piece of its table (a measure's id)
    rows: Callable[[], Iterable[tuple]]         # called only when the piece is written


@dataclass(frozen=True)
class Table:
    """A table made of many resources' rows, with what Datasette's metadata says about it. Its rows are
    `rows`, or its pieces' in order."""

    name: str
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    rows: Iterable[tuple]     # written once: it may be a generator
    licence: dict             # {"name", "title", "path"}, as a package's licences
    source: str
    source_url: str
    foreign_keys: tuple[tuple[str, str, str], ...] = ()   # (column, table, its column)
    label_column: str = ""    # the column Datasette shows for a row another table refers to
    pieces: tuple[Piece, ...] = ()


def piece_name(table: str, piece: str) -> str:
    """How `write_database`'s made_from names a piece of a gathered table."""
    return f"{table}/{piece}"


@dataclass(frozen=True)
class Placed:
    table: str
    dataset: Dataset
    resource: Resource


CATALOGUE_TABLE = "_tables"


def table_names(datasets: list[Dataset], reserved: list[str] = ()) -> list[Placed]:
    """Each table is named after its resource, unless another package (or a table of ours) has the name."""
    counts: dict[str, int] = {name.lower(): 1 for name in (CATALOGUE_TABLE, *reserved)}
    for ds in datasets:
        for r in (r for r in ds.resources if r.tabular and r.fields):
            counts[r.name.lower()] = counts.get(r.name.lower(), 0) + 1
    return [Placed(r.name if counts[r.name.lower()] == 1 else f"{ds.name}__{r.name}", ds, r)
            for ds in datasets for r in ds.resources if r.tabular and r.fields]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column_type(field_type: str) -> str:
    return COLUMN_TYPES.get(field_type, "TEXT")


def sql_value(value: object, text: str, field_type: str):
    """A typed cell as SQLite stores it in a column of the field's type; missing is NULL."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and field_type in ("integer", "year"):
        return value
    if isinstance(value, (Decimal, int, float)) and field_type == "number":
        return float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    return text


def _create(placed: Placed, by_resource: dict[tuple[str, str], str]) -> str:
    r = placed.resource
    columns = [f"{_quote(f.name)} {_column_type(f.type)}" + (" NOT NULL" if f.name in r.required else "")
               for f in r.fields]
    if r.primary_key:
        columns.append(f"PRIMARY KEY ({', '.join(_quote(k) for k in r.primary_key)})")
    for fk in r.foreign_keys:
        ref = fk.get("reference") or {}
        target = by_resource.get((placed.dataset.name, ref.get("resource") or r.name))
        own, theirs = as_list(fk.get("fields")), as_list(ref.get("fields"))
        if target and own and len(own) == len(theirs):
            columns.append(f"FOREIGN KEY ({', '.join(map(_quote, own))}) "
                           f"REFERENCES {_quote(target)} ({', '.join(map(_quote, theirs))})")
    return f"CREATE TABLE {_quote(placed.table)} (\n  " + ",\n  ".join(columns) + "\n) STRICT"


def _create_table(table: Table) -> str:
    columns = [f"{_quote(c.name)} {c.type}" + (" NOT NULL" if c.not_null else "") for c in table.columns]
    columns.append(f"PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    columns += [f"FOREIGN KEY ({_quote(own)}) REFERENCES {_quote(target)} ({_quote(theirs)})"
                for own, target, theirs in table.foreign_keys]
    return f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(columns) + "\n) STRICT"


def write_database(path: Path, datasets: list[Dataset], gathered: list[Table] = (), kept: Path | None = None,
                   made_from: Mapping[str, str] = {}, apart: Executor | None = None) -> list[Placed]:
    """Write a fresh database at `path` (replacing any): the gathered tables first (others refer to them),
    then a table per resource; returns where each resource went.

    Each table is written alone to a database of its own (a part), then copied in whole. A part is kept in
    `kept` when the caller says what its rows were made from (`made_from`, by table name, or piece_name for a
    gathered table's piece): a rebuild that changed one table writes only that part again, and the database
    has the same bytes either way. The parts are put together in `apart` (a process) when given: a thousand
    tables' parts take thousands of small SQLite calls, and in a thread each waited for the build's main
    thread to let go of Python (8 s of a rebuild, against 2 s alone)."""
    path.unlink(missing_ok=True)
    placed = table_names(datasets, [t.name for t in gathered])
    by_resource = {(p.dataset.name, p.resource.name): p.table for p in placed}
    parts = []
    for t in gathered:
        create = _create_table(t)
        parts += ([_Part(t.name, create, None, piece.rows, piece_name(t.name, piece.name)) for piece in t.pieces]
                  or [_Part(t.name, create, None, lambda t=t: t.rows)])
    parts += [_Part(p.table, _create(p, by_resource), _catalogue_row(p), lambda r=p.resource: _resource_rows(r))
              for p in placed]
    with tempfile.TemporaryDirectory(prefix=".parts-", dir=path.parent) as scratch:
        plan = [_Placing(part.table, part.create, part.catalogue,
                         str(_part_file(part, kept, made_from.get(part.made_as or part.table), Path(scratch, f"{n}.sqlite"))))
                for n, part in enumerate(parts)]
        if apart is None:
            put_together(path, plan)
        else:
            apart.submit(put_together, path, plan).result()
    return placed


class _Placing(NamedTuple):
    """A part as put_together copies it in: its table's statement, the table's row in the catalogue (None: a
    gathered table), and the part's file."""

    table: str
    create: str
    catalogue: tuple | None
    source: str


def put_together(path: Path, plan: list[_Placing]) -> None:
    """The database at `path` from its parts, in order: each table created as its first part comes."""
    db = sqlite3.connect(path.resolve(), isolation_level=None, uri=True)      # ATTACH needs no transaction open
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")     # see _write_part
        db.execute(f"CREATE TABLE {CATALOGUE_TABLE} (\n  \"table\" TEXT PRIMARY KEY,\n  package TEXT NOT NULL,\n"
                   "  resource TEXT NOT NULL,\n  title TEXT,\n  description TEXT,\n  license TEXT\n) STRICT")
        created = set()
        for part in plan:
            if part.table not in created:
                db.execute(part.create)
                created.add(part.table)
            if part.catalogue:
                db.execute(f"INSERT INTO {CATALOGUE_TABLE} VALUES (?, ?, ?, ?, ?, ?)", part.catalogue)
            # Read-only: a part pruned meanwhile (by a build sharing the cache) fails the build, where ATTACH
            # would make an empty one in the cache in its place.
            db.execute("ATTACH DATABASE ? AS part", (Path(part.source).resolve().as_uri() + "?mode=ro",))
            db.execute(f"INSERT INTO main.{_quote(part.table)} SELECT * FROM part.{_quote(part.table)}")
            db.execute("DETACH DATABASE part")
    finally:
        db.close()


@dataclass(frozen=True)
class _Part:
    table: str
    create: str
    catalogue: tuple | None                 # its row in the catalogue table (a resource's, not a gathered one's)
    rows: Callable[[], Iterable[tuple]]     # called only when the part is written
    made_as: str | None = None              # a piece's name in made_from (else the table's)


# What writes a part besides its rows and its statement: a change to either is a new part.
_PART_CODE = cache.code(__file__, versions=(sqlite3.sqlite_version,))


def _part_file(part: _Part, kept: Path | None, made_from: str | None, scratch: Path) -> Path:
    """The part's file: kept from an earlier build, else written (and kept when it can be; else at `scratch`)."""
    if kept is None or made_from is None:
        _write_part(scratch, part)
        return scratch
    # Named by its table (in its statement) and its piece: two measures with the same files make two parts.
    target = kept / f"{cache.key(_PART_CODE, part.create, part.made_as, made_from)}.sqlite"
    if not cache.hit(target):
        cache.written(target, lambda tmp: _write_part(tmp, part))
    return target


def _write_part(target: Path, part: _Part) -> None:
    target.unlink(missing_ok=True)      # a killed build's half part, left under this process's number
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        # Not flushed to the disk at each commit: a build writes thousands of parts, each a file of its own
        # renamed into place when whole, and waited for the disk at each (1.7 ms a part here, against 0.4-0.9).
        db.execute("PRAGMA synchronous = OFF")
        db.execute(part.create)
        rows = iter(part.rows())
        first = next(rows, None)
        if first is not None:
            marks = ", ".join("?" for _ in first)
            db.executemany(f"INSERT INTO {_quote(part.table)} VALUES ({marks})", itertools.chain([first], rows))
        db.commit()
    finally:
        db.close()


def _catalogue_row(p: Placed) -> tuple:
    lic = p.dataset.licence
    return (p.table, p.dataset.name, p.resource.name, p.resource.title, p.resource.description,
            lic.get("title") or lic.get("name", ""))


def _resource_rows(r: Resource) -> Iterator[list]:
    types = [f.type for f in r.fields]
    return ([sql_value(v, t, ft) for v, t, ft in zip(values, cells, types)] for values, cells in zip(r.values, r.cells))
