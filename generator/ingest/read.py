"""Find and read data packages, safely, into raw sources.

Reading comes before trusting: ``read_sources`` returns raw descriptors and rows (refusing
unsafe paths before any file is opened), ``checks.check`` turns them into problems, and
``build.build_site`` makes the typed model from sources that passed.
"""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlparse

from frictionless import FrictionlessException, Package

from .. import cache, workers as worker_processes
from ..errors import BuildError
from ..domain.pickled import PickledList
from ..domain.vocabulary import Role, role_of
from ..problems import (FILE_TOO_LARGE, INVALID_JSON, MISSING_FILE, UNSAFE_NAME, UNSAFE_PATH, Problem,
                        frictionless_type)



class RawRow:
    """One row of a table as read: its physical line (the header's is 1), its raw text by field name
    (`cells`) and its values as frictionless typed them (`values`: None when missing or invalid).

    A table's rows share one index of its field names and hold their cells in tuples: a dict of cells
    and one of values for each row took two thirds of the memory of a large spending table."""

    __slots__ = ("number", "_index", "_cells", "_values")

    def __init__(self, number: int, index: dict[str, int], cells: tuple[str, ...], values: tuple):
        self.number, self._index, self._cells, self._values = number, index, cells, values

    @property
    def cells(self) -> Mapping[str, str]:
        return _ByName(self._index, self._cells)

    @property
    def values(self) -> Mapping[str, object]:
        return _ByName(self._index, self._values)

    def in_order(self, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
        """Its text and its values for these fields in this order ("" and None for a field it lacks): its own
        tuples when they already are, so a table as published shares them with the table as read."""
        if len(self._cells) == len(names) and tuple(self._index) == names:
            return self._cells, self._values
        cells, values = self.cells, self.values
        return tuple(cells.get(n, "") for n in names), tuple(values.get(n) for n in names)

    def __getstate__(self):
        return self.number, self._index, self._cells, self._values

    def __setstate__(self, state) -> None:
        self.number, self._index, self._cells, self._values = state


class _ByName(Mapping):
    """A row's cells by field name, read through the table's shared index (a short row has fewer)."""

    __slots__ = ("_index", "_items")

    def __init__(self, index: dict[str, int], items: tuple):
        self._index, self._items = index, items

    def __getitem__(self, name: str):
        at = self._index[name]
        if at >= len(self._items):
            raise KeyError(name)
        return self._items[at]

    def __iter__(self):
        return (name for name, at in self._index.items() if at < len(self._items))

    # Mapping's own get and `in` go through __getitem__ and a KeyError for each miss: these are asked
    # for every cell of every table.
    def get(self, name: str, default=None):
        at = self._index.get(name)
        return self._items[at] if at is not None and at < len(self._items) else default

    def items(self) -> list[tuple[str, object]]:
        return [(name, self._items[at]) for name, at in self._index.items() if at < len(self._items)]

    def __contains__(self, name) -> bool:
        at = self._index.get(name)
        return at is not None and at < len(self._items)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class RawResource:
    descriptor: dict
    index: int
    path: Path | None
    rows: Sequence[RawRow] = field(default_factory=list)     # a list, or the cache's rows left unread
    schema: dict | None = None   # the Table Schema frictionless read with: declared, from a file, or inferred
    # A hash of all its rows are read from (its descriptor, its package's own properties, every file its
    # validation reads, the reading code), when there is a cache and it validated cleanly: what is worked
    # out from the rows alone is kept under it (ingest/checks.py).
    content_key: str | None = None
    role: Role = field(init=False)   # decided here, once: nothing downstream probes the descriptor for it

    def __post_init__(self):
        self.role = role_of(self.name, self.descriptor)

    @property
    def name(self) -> str:
        """The declared name; else, as frictionless does, the file name without extension."""
        name = self.descriptor.get("name")
        if name:
            return str(name)
        paths = resource_paths(self.descriptor)
        if paths and isinstance(paths[0], str):
            return re.sub(r"[^a-z0-9._-]+", "-", Path(paths[0]).name.split(".")[0].lower()) or f"resource-{self.index + 1}"
        return f"resource-{self.index + 1}"


@dataclass
class RawPackage:
    directory: Path
    descriptor_path: Path
    descriptor: dict | None
    resources: list[RawResource] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    opened: bool = False      # frictionless accepted the descriptor and its rows were read


def discover(data_dir: Path) -> list[Path]:
    """Every data package folder under data_dir, sorted (one level deep)."""
    # Hidden folders are work in progress (an import being checked), never data.
    return sorted(p.parent for p in data_dir.glob("*/datapackage.json") if not p.parent.name.startswith("."))


def read_descriptor(path: Path) -> tuple[dict | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [INVALID_JSON(str(path), None, None,
                                   f"The file is not UTF-8 (byte {exc.start}); save it as UTF-8.")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [INVALID_JSON(str(path), exc.lineno, None, f"{exc.msg} at line {exc.lineno}, column {exc.colno}.")]
    if not isinstance(data, dict):
        return None, [INVALID_JSON(str(path), None, None, "A data package descriptor must be a JSON object.")]
    return data, []


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def unsafe_reason(relpath: object, root: Path) -> str | None:
    """Why a resource path may not be read, or None when it is a file inside the package. `root`: the package
    folder, resolved (by the caller, once for all its tables: a thousand of them resolved it a thousand times)."""
    if not isinstance(relpath, str) or not relpath:
        return "the path must be a non-empty string"
    if _SCHEME.match(relpath) or urlparse(relpath).netloc:
        return f"'{relpath}' is a URL; the build reads only files inside the package folder"
    if relpath.startswith("~"):
        return f"'{relpath}' refers to a home folder; use a path inside the package folder"
    if os.path.isabs(relpath) or relpath.startswith(("/", "\\")):
        return f"'{relpath}' is an absolute path; use a path relative to the package folder"
    if ".." in re.split(r"[\\/]", relpath):
        return f"'{relpath}' leaves the package folder (..)"
    real = (root / relpath).resolve()
    if real != root and root not in real.parents:
        return f"'{relpath}' is a link to a file outside the package folder"
    return None


_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*")


def unsafe_name(name: object, what: str) -> str | None:
    """Names become folders in the site (/data/<package>/, /measures/<id>/): one plain segment only."""
    if name is None:
        return None      # frictionless names an unnamed package or resource itself, safely
    if not isinstance(name, str) or not _SAFE_NAME.fullmatch(name):
        return (f"The {what} name {json.dumps(name)} cannot be part of a web address; use lower-case "
                "letters, digits and hyphens, such as 'homes-let'.")
    return None


TEXT_TABLES = (".csv", ".tsv", ".txt")   # files whose bytes we read ourselves (guards, revisions)


def csv_dialect(resource: dict) -> dict:
    """A resource's CSV dialect as one flat dict (Data Package v2 nests the options under "csv")."""
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    return {**dialect, **dialect["csv"]} if isinstance(dialect.get("csv"), dict) else dialect


def csv_delimiter(resource: dict, path: Path) -> str | None:
    """The cell separator of a text table; None for files that are not text tables (spreadsheets)."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_TABLES:
        return None
    return csv_dialect(resource).get("delimiter") or ("\t" if suffix == ".tsv" else ",")


def resource_paths(res: dict) -> list:
    path = res.get("path")
    return path if isinstance(path, list) else [path] if path is not None else []


def read_package(directory: Path, max_bytes: int, cache_dir: Path | None = None, keep: bool = False,
                 later: list[_Work] | None = None) -> RawPackage:
    descriptor_path = directory / "datapackage.json"
    descriptor, problems = read_descriptor(descriptor_path)
    raw = RawPackage(directory, descriptor_path, descriptor, problems=problems)
    if descriptor is None:
        return raw
    name_problem = unsafe_name(descriptor.get("name"), "package")
    if name_problem:
        raw.problems.append(UNSAFE_NAME(str(descriptor_path), None, "name", name_problem))
        return raw
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raw.problems.append(frictionless_type("package-error")(str(descriptor_path), None, None,
                                                               "The package needs a list of resources."))
        return raw
    safe: list[RawResource] = []
    root = directory.resolve()
    for index, res in enumerate(resources):
        if not isinstance(res, dict):
            raw.problems.append(frictionless_type("resource-error")(str(descriptor_path), None, None,
                                                                    f"Resource {index + 1} is not a JSON object."))
            continue
        rr = RawResource(res, index, None)
        name_problem = unsafe_name(res.get("name"), f"resource {index + 1}")
        if name_problem:
            raw.problems.append(UNSAFE_NAME(str(descriptor_path), None, "name", name_problem))
            continue
        paths = resource_paths(res)
        reasons = [r for r in (unsafe_reason(p, root) for p in paths) if r]
        if reasons:
            raw.problems.extend(UNSAFE_PATH(str(descriptor_path), None, None, f"Resource '{rr.name}': {r}.")
                                for r in reasons)
            continue
        if paths:
            rr.path = directory / paths[0]
            missing = [p for p in paths if not (directory / p).is_file()]
            if missing:
                raw.problems.append(MISSING_FILE(str(descriptor_path), None, None,
                                                 f"Resource '{rr.name}': file '{missing[0]}' does not exist."))
                continue
            size = sum((directory / p).stat().st_size for p in paths)
            if size > max_bytes:
                # Refused before reading: every row is held in memory, and the pages could not show it anyway.
                raw.problems.append(FILE_TOO_LARGE(str(rr.path), None, None,
                                                   f"The file is {size / 1e6:,.0f} MB; the most the build reads is "
                                                   f"{max_bytes / 1e6:,.0f} MB (DASHBOARD_MAX_FILE_MB). Split it, for "
                                                   "example one file per year, or raise the setting."))
                continue
        safe.append(rr)
    image = descriptor.get("image")
    if isinstance(image, str) and not _SCHEME.match(image) and (reason := unsafe_reason(image, root)):
        # Descriptive metadata may link anywhere (URLs are never fetched), but a local file must stay inside.
        raw.problems.append(UNSAFE_PATH(str(descriptor_path), None, "image", f"The package image: {reason}."))
    raw.resources = safe
    if not raw.problems:
        _read_rows(raw, cache_dir, keep, later)
    return raw


def _read_rows(raw: RawPackage, cache_dir: Path | None, keep: bool, later: list[_Work] | None = None) -> None:
    """Validate with frictionless and keep every row's raw and typed cells: from the cache for a resource
    that validated cleanly before with all the same inputs (validating and reading a table is most of the
    cost of a rebuild, and most tables have not changed); kept there when `keep` (a build: a command that
    only checks, or refuses, writes nothing). `later`: where to leave the tables to validate, for the
    caller to validate with every other package's (else they are validated now)."""
    entries = [r for r in raw.descriptor.get("resources", []) if isinstance(r, dict)]
    # by name once for the package: looked up for each of its resources, made anew for each a package of a
    # thousand tables made a million entries
    by_name = {r.get("name"): r for r in entries}
    kept = {rr.index: _kept_path(raw, rr, cache_dir, entries, by_name) for rr in raw.resources}
    for rr in raw.resources:
        rr.content_key = kept[rr.index].stem if kept[rr.index] else None
    if all(cache.hit(path, mark=keep) for path in kept.values()) and _from_cache(raw, kept):
        raw.opened = True
        return
    todo = [rr for rr in raw.resources
            if not ((path := kept[rr.index]) and cache.hit(path, mark=keep) and _from_cache(raw, {rr.index: path}))]
    # frictionless's Package of the tables to validate and those they refer to, not of every table: a package
    # of a thousand measures' tables took seconds to open to validate the one that changed.
    needed = _referenced(raw, [rr.index for rr in todo])
    descriptor = {**raw.descriptor, "resources": [rr.descriptor for rr in needed]}
    where = str(raw.descriptor_path)
    try:
        package = Package(descriptor, basepath=str(raw.directory))
    except FrictionlessException as exc:
        reasons = exc.reasons or [exc.error]
        raw.problems.extend(frictionless_type(e.type)(where, None, None, e.message) for e in reasons)
        return
    raw.opened = True
    opened = {rr.index: resource for rr, resource in zip(needed, package.resources)}
    work = [_Work(raw, rr, opened[rr.index], kept[rr.index] if keep else None) for rr in todo]
    if later is None:
        _validate(work, 1)
    else:
        later.extend(work)


@dataclass
class _Work:
    """A table to validate and read, and where to keep its rows if it passes (None: nowhere)."""
    raw: RawPackage
    rr: RawResource
    resource: object              # frictionless's Resource, for validating in this process
    keep_at: Path | None

    @functools.cached_property
    def bytes(self) -> int:
        return sum((self.raw.directory / p).stat().st_size for p in resource_paths(self.rr.descriptor))


# Below this many bytes of tables to validate, starting worker processes costs more than sharing the work
# saves (frictionless reads about a megabyte a second).
PARALLEL_BYTES = 4_000_000


def _validate(work: list[_Work], workers: int) -> None:
    """Validate and read each table: shared among `workers` processes (0: one per core) when there is
    enough to share, else here. Problems are added in the tables' order either way."""
    n = worker_processes.count(workers)
    found = _in_workers(work, n) if n > 1 and sum(w.bytes for w in work) >= PARALLEL_BYTES else {}
    for w in work:
        if found:
            problems, w.rr.schema, w.rr.rows = found[id(w)]
            w.raw.problems.extend(problems)
        else:
            before = len(w.raw.problems)
            _validate_and_read(w.raw, w.rr, w.resource)
            problems = w.raw.problems[before:]
        if w.keep_at and not problems:
            cache.keep(w.keep_at, _kept_rows(w.rr.schema, w.rr.rows))
        elif problems:
            w.rr.content_key = None     # what a table with problems was read as is kept nowhere: its rows, its checks


def _in_workers(work: list[_Work], workers: int) -> dict[int, tuple[list[Problem], dict | None, list[RawRow]]]:
    """Each table's problems, schema and rows (by id of its _Work), validated in worker processes."""
    with worker_processes.pool(workers) as pool:
        futures = [(task, pool.submit(_validated, _bare(task[0].raw, indexes), indexes))
                   for task in _tasks(work, workers) for indexes in [[w.rr.index for w in task]]]
        return {id(w): found for task, future in futures for w, found in zip(task, future.result())}


TASK_TABLES = 100


def _tasks(work: list[_Work], workers: int) -> list[list[_Work]]:
    """The tables shared out: tables of one package to a task, at most about a quarter of a worker's share
    of the bytes (so the workers finish together) and at most TASK_TABLES tables. A worker holds a task's
    rows, and pickles them, before it sends them: at 2,000 measures a quarter-share was 900 small tables,
    and each worker grew to 700 MB."""
    share = sum(w.bytes for w in work) / (4 * workers)
    tasks: list[list[_Work]] = []
    filled = 0
    for w in sorted(work, key=lambda w: (id(w.raw), -w.bytes)):
        if not tasks or tasks[-1][0].raw is not w.raw or filled >= share or len(tasks[-1]) >= TASK_TABLES:
            tasks.append([])
            filled = 0
        tasks[-1].append(w)
        filled += w.bytes
    return tasks


def _referenced(raw: RawPackage, indexes: list[int]) -> list[RawResource]:
    """These tables of the package and those their foreign keys refer to (every table, where a schema is a
    file of its own), in the package's order: all that validating these needs. A frictionless Package of
    2,000 tables takes seconds to make, so it is made of these alone."""
    by_name = {rr.name: rr.index for rr in raw.resources}
    chosen = set(indexes)
    wanted = set(chosen)
    for rr in raw.resources:
        schema = rr.descriptor.get("schema") if rr.index in chosen else None
        if isinstance(schema, str):
            return list(raw.resources)
        for fk in (schema or {}).get("foreignKeys") or []:
            other = ((fk.get("reference") or {}).get("resource") if isinstance(fk, dict) else None) or rr.name
            wanted.add(by_name.get(other, rr.index))
    return [rr for rr in raw.resources if rr.index in wanted]


def _bare(raw: RawPackage, indexes: list[int]) -> RawPackage:
    """What a worker needs to validate these tables of the package: its descriptor, the tables validating
    them needs (_referenced), and no rows."""
    own = {k: v for k, v in raw.descriptor.items() if k != "resources"}       # _validated lists the tables
    return RawPackage(raw.directory, raw.descriptor_path, own,
                      [RawResource(rr.descriptor, rr.index, rr.path) for rr in _referenced(raw, indexes)])


def _validated(raw: RawPackage, indexes: list[int]) -> list[tuple[list[Problem], dict | None, list[RawRow]]]:
    """In a worker: these tables of the package validated and read, in this order."""
    descriptor = {**raw.descriptor, "resources": [r.descriptor for r in raw.resources]}
    package = Package(descriptor, basepath=str(raw.directory))
    by_index = {rr.index: (rr, resource) for rr, resource in zip(raw.resources, package.resources)}
    out = []
    for index in indexes:
        rr, resource = by_index[index]
        before = len(raw.problems)
        _validate_and_read(raw, rr, resource)
        out.append((raw.problems[before:], rr.schema, rr.rows))
    return out


_CODE = cache.code(__file__, versions=(version("frictionless"),))


def _kept_path(raw: RawPackage, rr: RawResource, cache_dir: Path | None, entries: list[dict],
               by_name: dict[object, dict]) -> Path | None:
    """Where a resource's validated rows are kept: by a hash of its descriptor, the package's own properties,
    and the bytes of every file its validation reads (its data, a schema file, the tables its foreign keys
    refer to). `entries`: the package's resources as its descriptor gives them; `by_name`: the same by name."""
    if cache_dir is None:
        return None
    own = {k: v for k, v in raw.descriptor.items() if k != "resources"}
    files = list(resource_paths(rr.descriptor))
    schema = rr.descriptor.get("schema")
    if isinstance(schema, str):
        # Its foreign keys are in the file: every table of the package may be one it refers to.
        files += [schema] + [p for r in entries for p in resource_paths(r)]
    for fk in (schema.get("foreignKeys", []) if isinstance(schema, dict) else []):
        other = by_name.get((fk.get("reference") or {}).get("resource")) if isinstance(fk, dict) else None
        files += resource_paths(other) if other else []
    if isinstance(dialect := rr.descriptor.get("dialect"), str):
        files.append(dialect)
    digests = []
    for name in files:
        path = raw.directory / name
        if not path.is_file():
            return None
        digests.append((name, cache.file_digest(path)))
    # The descriptors as written too, in their order (cache.key sorts keys): what is published from the rows
    # is kept under this, and a package's JSON keeps the order its descriptor gives.
    written = json.dumps([own, rr.descriptor])
    return cache_dir / "rows" / f"{cache.key(_CODE, own, rr.descriptor, written, rr.index, digests)}.pickle"


def _from_cache(raw: RawPackage, kept: dict[int, Path]) -> bool:
    """Fill the resources' schema and rows from the cache; False (nothing filled) if any cannot be read. The
    rows are unpickled when first asked for: a build that finds a table's model kept too never needs them."""
    found = {}
    try:
        for index, path in kept.items():
            data = path.read_bytes()
            with io.BytesIO(data) as f:
                found[index] = pickle.load(f), PickledList.of_pickle(memoryview(data)[f.tell():])
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return False
    for rr in raw.resources:
        if rr.index in found:
            rr.schema, rr.rows = found[rr.index]
    return True


def _kept_rows(schema: dict | None, rows: list[RawRow]) -> bytes:
    """A table's schema and its rows as the cache keeps them: two pickles, the schema's first, so that the
    rows can be left unread (_from_cache)."""
    return pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def _validate_and_read(raw: RawPackage, rr: RawResource, resource) -> None:
    """frictionless's report on one resource, as problems, and its rows: kept as validation reads them
    (reading a table again cost as much as validating it), or, when validation found problems (and may
    have stopped early, at its limit of errors), read again whole, so that every problem is reported."""
    where = str(raw.descriptor_path)
    place = str(rr.path) if rr.path else where
    read = _RowReader()
    try:
        report = resource.validate(on_row=read.row if resource.tabular else None)
    except FrictionlessException as exc:
        raw.problems.append(frictionless_type(exc.error.type)(place, None, None, exc.error.message))
        return
    for task in report.tasks:
        for error in task.errors:
            # Heading problems are on line 1 (frictionless leaves their row empty).
            line = getattr(error, "row_number", None) or (1 if error.type.endswith("-label") else None)
            raw.problems.append(frictionless_type(error.type)(place, line,
                                                              getattr(error, "field_name", None) or None,
                                                              _message(error)))
    if not resource.tabular:
        return
    if report.valid:
        rr.schema, rr.rows = resource.schema.to_descriptor(), read.rows
        return
    # Rows are kept even when some cells are invalid, so that every problem
    # (ours and frictionless's) is reported in one run.
    again = _RowReader()
    try:
        with resource:
            rr.schema = resource.schema.to_descriptor()
            for row in resource.row_stream:
                again.row(row)
    except FrictionlessException:
        pass  # already in the report
    rr.rows = again.rows


class _RowReader:
    """A table's rows as RawRows, from frictionless's rows in order: the rows share their index of field
    names, and each text and date they repeat (see _shared)."""

    def __init__(self):
        self.rows: list[RawRow] = []
        self._dates: dict[date, date] = {}
        self._indexes: dict[tuple[str, ...], dict[str, int]] = {}

    def row(self, row) -> None:
        names = row.field_names
        key = tuple(names)
        index = self._indexes.get(key) or self._indexes.setdefault(key, {n: i for i, n in enumerate(names)})
        typed = row.to_dict()
        cells = tuple(sys.intern(cell_text(c)) for c in row.cells[:len(names)])
        self.rows.append(RawRow(row.row_number, index, cells, tuple(_shared(typed.get(n), self._dates) for n in names)))


def _shared(value, dates: dict[date, date]):
    """One object for each text and each date a table repeats (a spending file names the same services,
    suppliers and days on thousands of rows): the rows take far less memory, and their pickle in the
    cache keeps the sharing. Never for numbers: 600 and 600.00 are equal, but are written differently."""
    if type(value) is str:
        return sys.intern(value)
    if type(value) is date:
        return dates.setdefault(value, value)
    return value


def cell_text(cell) -> str:
    """A source cell as text: CSV cells already are; spreadsheet cells come typed."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell == datetime.combine(cell.date(), time()) else cell.isoformat()
    if isinstance(cell, (date, time)):
        return cell.isoformat()
    return str(cell)


def _message(error) -> str:
    """frictionless's note is the specific part; its message repeats positions we already print."""
    note = getattr(error, "note", "") or ""
    return f"{error.title}: {note}" if note else error.message


def read_sources(data_dir: Path, max_mb: int, cache_dir: Path | None = None, keep: bool = False,
                 workers: int = 0) -> list[RawPackage]:
    """Every package under data_dir, read; validated rows are read from `cache_dir`, and kept there when
    `keep`. The tables to validate are shared among `workers` processes (0: one per core) when there are
    enough of them."""
    work: list[_Work] = []
    raws = [read_package(d, max_mb * 1_000_000, cache_dir, keep, work) for d in discover(data_dir)]
    _validate(work, workers)
    return raws
