"""What is published besides pages: every table in every format, and the site-wide files.

For each package, under /data/<package>/: its CSVs (RFC 4180, UTF-8, formula-safe), a
`datapackage.json` that stays valid there, `<package>.json` (the same package with its
rows inline) and `<package>.xlsx`. For each measure, beside its page: CSV, JSON, XLSX and
the chart spec (the site draws the chart's images). For the whole site: all.zip, all.sqlite with
Datasette's metadata.json, and a SHA256SUMS in each folder of downloads.
"""

from __future__ import annotations

import copy
import os
import posixpath
import json
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import date, datetime, time
from functools import partial
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from . import archive, database, datasette, gathered
from .. import cache
from ..domain.disclosure import is_personal_field
from ..domain.figures import with_unit
from ..domain.model import Dataset, Measure, Resource
from ..domain.published import path_in_package
from ..domain.vocabulary import Role
from ..urls import Urls
from .carried import Carried
from .files import Download, Streamed, copy_file, files_under, fresh, write_json, write_text
from .formats import json_rows, write_csv
from . import workbook
from .workbook import Sheet, write_workbook


def license_text(licenses: list[dict]) -> str:
    return "; ".join(f"{l.get('title') or l.get('name')}" + (f" ({l['path']})" if l.get("path") else "")
                     for l in licenses)


# --- packages -----------------------------------------------------------------------------

def published_path(resource: Resource) -> str | None:
    """Where a resource's file goes inside its published package (domain.published decides)."""
    return path_in_package(resource.relpath, resource.tabular)


def published_descriptor(dataset: Dataset) -> dict:
    """The source descriptor, changed only where our files differ from the source files (and with the
    licence the dataset is published under: its own, else the council's default)."""
    descriptor = copy.deepcopy(dataset.descriptor)
    descriptor["licenses"] = dataset.licenses
    entries = descriptor.get("resources", [])
    for entry, resource in zip(entries, dataset.resources):
        entry.setdefault("name", resource.name)
        if resource.tabular and not isinstance(entry.get("schema"), dict):
            entry["schema"] = resource.schema     # inferred, or read from a file: now stated in full
        if isinstance(entry.get("schema"), dict):
            # Personal fields are not in the published CSV, so not in its schema either.
            entry["schema"]["fields"] = [f for f in entry["schema"].get("fields", []) if not is_personal_field(f)]
        if resource.tabular and resource.relpath:
            entry["path"] = published_path(resource)
            # We write standard UTF-8 CSV: the source's size, hash and dialect described another file.
            for stale in ("hash", "bytes", "dialect", "compression"):
                entry.pop(stale, None)
            entry.update({"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"})
    return descriptor


SOURCE_NOTATION = ("format", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber")


def inline_package(descriptor: dict, dataset: Dataset, cache_dir: Path | None = None) -> dict:
    """The package with each table's rows inline as JSON objects: still a valid data package. Each table's
    rows as JSON are kept in the cache by its rows_key (with a cache)."""
    inline = copy.deepcopy(descriptor)
    for entry, resource in zip(inline.get("resources", []), dataset.resources):
        if not resource.tabular:
            continue
        for key in ("path", "format", "mediatype", "encoding"):
            entry.pop(key, None)
        # Values are JSON-typed now (ISO dates, true/false, plain numbers): the source's notation goes.
        for f in entry["schema"].get("fields", []):
            for key in SOURCE_NOTATION:
                f.pop(key, None)
        entry["data"] = Streamed(json_rows(resource.fields, resource.values, resource.cells),
                                 _kept_json_rows(cache_dir, resource))
    return inline


def _kept_json_rows(cache_dir: Path | None, resource: Resource) -> Path | None:
    """Where a table's rows as JSON (inline_package's) are kept: by its rows_key (None: they are not)."""
    if cache_dir is None or resource.rows_key is None:
        return None
    return cache_dir / "published" / f"{cache.key('published', 'json rows', resource.rows_key)}.json"


def workbook_notes(title: str, description: str, publisher: str, licenses: list[dict], url: str,
                   updated: date | None, when: datetime, extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    dated = ("Last updated", updated.isoformat()) if updated else ("Published", when.date().isoformat())
    notes = [("About", description.strip()), ("Publisher", publisher), ("Licence", license_text(licenses)),
             ("Web page", url), dated, *extra]
    return [(k, v) for k, v in notes if v]


def file_stamp(updated: date | None, when: datetime) -> datetime:
    """The time a download is stamped with: the day its figures last changed (from git), else the build's
    moment. Dated by its contents, an unchanged table is the same file on any day, and is kept in the cache."""
    return datetime.combine(updated, time(), tzinfo=when.tzinfo) if updated else when


def publish_package(out: Path, dataset: Dataset, urls: Urls, when: datetime, cache_dir: Path | None = None,
                    started: StartedWorkbook | None = None) -> list[Download]:
    """Write /data/<name>/ and return its downloads in the order its page lists them: package_files, with
    its workbook (package_workbook_file) among them."""
    return with_workbook(package_files(out, dataset, urls, cache_dir),
                         package_workbook_file(out, dataset, urls, when, cache_dir, started))


def package_files(out: Path, dataset: Dataset, urls: Urls, cache_dir: Path | None = None,
                  carried: Carried | None = None) -> list[Download]:
    """Write /data/<name>/ but its workbook: its descriptor, then for a package of tables all of them as one
    JSON file, then each table's or file's own. A table's files made as the last build made them are carried
    over from its site (`carried`)."""
    descriptor = published_descriptor(dataset)
    files: list[Download] = []
    for resource in dataset.resources:
        rel = published_path(resource)
        if rel is None:
            continue      # validation made sure no two files, and none of the package's own, share a path
        path = urls.dataset_file(dataset.name, rel)
        if resource.tabular:
            size = table_csv(out, path, resource, cache_dir, carried)
            files.append(Download(f"{resource.title} (CSV)", path, "CSV", size))
        else:
            size = copy_file(out, path, resource.path)
            files.append(Download(resource.title, path, PurePosixPath(rel).suffix.lstrip(".").upper() or "File", size))
    path = urls.dataset_file(dataset.name, "datapackage.json")
    files.insert(0, Download("Data package descriptor (JSON)", path, "JSON", write_json(out, path, descriptor)))
    if any(r.tabular for r in dataset.resources):
        path = urls.dataset_file(dataset.name, f"{dataset.name}.json")
        # Made from the descriptor as text, in its order (which the file keeps; cache.key would sort it).
        made_from = [json.dumps(descriptor)] + [r.rows_key for r in dataset.resources if r.tabular]
        kept = _kept_path(cache_dir, made_from, "json")
        size = _carried_or(carried, path, kept, lambda: _kept_copy(kept, out / path, lambda target: write_json(
            target.parent, target.name, inline_package(descriptor, dataset, cache_dir))))
        for resource in dataset.resources:      # each table's part, used or not, is kept for the next change
            cache.hit(_kept_json_rows(cache_dir, resource) if resource.tabular else None)
        files.insert(1, Download("Every table, with metadata (JSON)", path, "JSON", size))
    return files


def package_workbook_file(out: Path, dataset: Dataset, urls: Urls, when: datetime, cache_dir: Path | None = None,
                          started: StartedWorkbook | None = None, carried: Carried | None = None) -> Download | None:
    """Write a package of tables' workbook, a sheet per table (None: it has no tables); from the cache when
    `started` (start_large_workbooks) made it there, once the worker making it has; carried over from the
    last build's site (`carried`) when made from the same."""
    if not any(r.tabular for r in dataset.resources):
        return None
    path = urls.dataset_file(dataset.name, f"{dataset.name}.xlsx")
    size = _workbook_file(out, path, package_workbook(dataset, urls, when), cache_dir, started, carried)
    return Download("Every table, with notes (Excel)", path, "XLSX", size)


def with_workbook(files: list[Download], book: Download | None) -> list[Download]:
    """A package's downloads (package_files) with its workbook third, after its descriptor and its JSON."""
    return files if book is None else [*files[:2], book, *files[2:]]


def table_csv(out: Path, path: str, resource: Resource, cache_dir: Path | None, carried: Carried | None = None) -> int:
    """Write a table's CSV at `path` (its package's, or a measure's beside its page: the same bytes) and
    return its size: copied from the cache when its rows have not changed (or carried over from the last
    build's site, `carried`)."""
    kept = _kept_path(cache_dir, [resource.rows_key], "csv")
    return _carried_or(carried, path, kept, lambda: _kept_copy(
        kept, out / path, lambda target: write_csv(target, resource.fields, resource.cells)))


def _kept_path(cache_dir: Path | None, made_from: list, suffix: str) -> Path | None:
    """Where a file made from tables' rows (`made_from`: their rows_keys, and anything else it reads) is kept
    in the cache. None without a cache, or with a table of unknown rows (None): it is made afresh."""
    if cache_dir is None or None in made_from:      # a rows_key holds every module of the generator
        return None
    return cache_dir / "published" / f"{cache.key('published', suffix, made_from)}.{suffix}"


def _kept_copy(kept: Path | None, target: Path, make: Callable[[Path], object]) -> int:
    """`make(target)`, or a copy of what it made before (`kept`: _kept_path's), and the file's size. Never
    written through a file there (files.fresh)."""
    cache.copied(kept, fresh(target), make)
    return target.stat().st_size


def _carried_or(carried: Carried | None, path: str, kept: Path | None, write: Callable[[], int]) -> int:
    """The size of the file at `path` in the site: carried over from the last build's (`carried`) when that was
    made as the cache keeps it now (`kept`, whose name is a hash of all it is made from), else `write()`n.
    What `write` reads from the cache (`kept`) is marked used either way."""
    if carried is None or kept is None:
        return write()
    return carried.file(path, kept.name, write, lambda: cache.hit(kept))


def package_workbook(dataset: Dataset, urls: Urls, when: datetime) -> tuple[str, list, list[Sheet], datetime]:
    """A package's workbook (its title, notes, a sheet per table and its stamp): write_workbook's arguments."""
    notes = workbook_notes(dataset.title, dataset.description, dataset.publisher, dataset.licenses,
                           urls.absolute(urls.dataset(dataset.name)), dataset.updated, when)
    return (dataset.title, notes, [Sheet(r.name, r.title, r.fields, r.cells, r.values, r.rows_key)
                                   for r in dataset.resources if r.tabular], file_stamp(dataset.updated, when))


# A workbook of more cells than this is written in a worker process while the build goes on: below it,
# starting a process costs more than it saves.
LARGE_WORKBOOK = 50_000


class StartedWorkbook(NamedTuple):
    """A workbook sent to a worker: its key in the cache (hashing half a million rows takes seconds: once),
    and the worker making it there (None: the cache has it)."""

    key: str
    making: Future | None

    def made(self) -> str | None:
        """Its key, once the worker making it has made it into the cache (a worker's error raised here); None
        when a sheet sent without its rows went from the cache meanwhile: the caller makes the book itself."""
        if self.making:
            try:
                self.making.result()
            except workbook.KeptSheetGone:
                return None
        return self.key


def start_large_workbooks(pool: Executor, datasets: list[Dataset], urls: Urls, when: datetime,
                          cache_dir: Path) -> dict[str, StartedWorkbook]:
    """Send each large package workbook the cache lacks to `pool`, to be made into the cache, where
    package_workbook_file then finds it (given what this returns for its package, by name)."""
    started = {}
    for dataset in datasets:
        if not any(r.tabular for r in dataset.resources):
            continue
        title, notes, sheets, stamp = package_workbook(dataset, urls, when)
        if sum(len(s.cells) * len(s.fields) for s in sheets) < LARGE_WORKBOOK:
            continue
        key = workbook.workbook_key(title, notes, sheets, stamp)
        making = None
        if not workbook.is_kept(cache_dir, key):
            # The rows go to the worker through a file, read back a chunk at a time, not as one object.
            spool = workbook.spool_path(cache_dir, key)
            making = pool.submit(workbook.keep_workbook, cache_dir, key, title, notes,
                                 workbook.spool_sheets(sheets, spool, cache_dir), stamp)
            making.add_done_callback(lambda _, spool=spool: spool.unlink(missing_ok=True))
        started[dataset.name] = StartedWorkbook(key, making)
    return started


def start_measure_workbooks(pool: Executor, measures: list[Measure], datasets: dict[str, Dataset], urls: Urls,
                            when: datetime, cache_dir: Path) -> dict[str, StartedWorkbook]:
    """Send each measure's workbook the cache lacks to `pool`, to be made into the cache, where publish_measure
    then finds it (given what this returns for its measure, by id, with each kept one's key): a thousand small
    workbooks took a cold build 80 s in its own process, which the workers share with drawing the charts."""
    started = {}
    for m in measures:
        dataset = datasets[m.package]
        book = measure_workbook(m, dataset.resource(m.id), dataset, urls, when)
        key = workbook.workbook_key(*book)
        # One the cache has is listed too, by its key: publish_measure then need not hash its rows again.
        making = None if workbook.is_kept(cache_dir, key) else pool.submit(workbook.keep_workbook, cache_dir, key, *book)
        started[m.id] = StartedWorkbook(key, making)
    return started


def publish_measure(out: Path, measure: Measure, dataset: Dataset, urls: Urls, spec_size: int,
                    when: datetime, cache_dir: Path | None = None, started: StartedWorkbook | None = None,
                    carried: Carried | None = None) -> list[Download]:
    """A measure's files beside its page: its table as CSV and Excel (from the cache when `started`
    (start_measure_workbooks) made it there); and its chart's spec listed, written (`spec_size` bytes) as
    the chart was made. (Its JSON is the page's twin, written with the page; its chart's images are written
    with every other chart.)"""
    resource = dataset.resource(measure.id)
    csv_path, xlsx_path, spec_path = (urls.measure_file(measure.id, ext) for ext in ("csv", "xlsx", "vl.json"))
    csv_size = table_csv(out, csv_path, resource, cache_dir, carried)
    xlsx_size = _workbook_file(out, xlsx_path, measure_workbook(measure, resource, dataset, urls, when), cache_dir,
                               started, carried)
    return [Download("Data (CSV)", csv_path, "CSV", csv_size),
            Download("Data with notes (Excel)", xlsx_path, "XLSX", xlsx_size),
            Download("Chart specification (Vega-Lite JSON)", spec_path, "JSON", spec_size)]


def _workbook_file(out: Path, path: str, book: tuple[str, list, list[Sheet], datetime], cache_dir: Path | None,
                   started: StartedWorkbook | None, carried: Carried | None) -> int:
    """Write the workbook `book` (write_workbook's arguments) at `path`, or carry it over from the last build's
    site (`carried`) when it was made from the same; its size. From the cache when `started` made it there."""
    key = started.made() if started else None
    if carried is None or cache_dir is None:
        return write_workbook(out / path, *book, cache_dir=cache_dir, key=key)
    key = key or workbook.workbook_key(*book)
    return carried.file(path, key, lambda: write_workbook(out / path, *book, cache_dir=cache_dir, key=key),
                        lambda: workbook.mark_used(cache_dir, key, book[2]))


def measure_workbook(measure: Measure, resource: Resource, dataset: Dataset, urls: Urls,
                     when: datetime) -> tuple[str, list, list[Sheet], datetime]:
    """A measure's workbook (its title, notes, its table's sheet and its stamp): write_workbook's arguments.
    `resource`: its table, which the caller has found in `dataset` already."""
    notes = workbook_notes(
        measure.title, measure.description, dataset.publisher, dataset.licenses,
        urls.absolute(urls.measure(measure.id)), measure.updated, when,
        [("Unit", measure.unit), ("Frequency", measure.frequency.words), ("Polarity", measure.polarity.words),
         ("Owner", measure.owner), ("Source", measure.source),
         ("Target", with_unit(measure.target, measure.unit) if measure.target is not None else "")])
    return (measure.title, notes, [Sheet(measure.id, measure.title, resource.fields, resource.cells, resource.values,
                                         resource.rows_key)], file_stamp(measure.updated, when))


# --- the whole site ---------------------------------------------------------------------------

def publish_everything(out: Path, datasets: list[Dataset], measures: list[Measure], urls: Urls, when: datetime,
                       council: str, licence: dict, cache_dir: Path | None = None,
                       apart: Executor | None = None, digest: Callable[[str], str] | None = None) -> list[Download]:
    """/data/all.zip (every package folder, as published), /data/all.sqlite (every table, and the gathered
    ones) and /data/metadata.json (Datasette's, for the database). The zip and the database are made from
    the package files just written (and the measures' own table): kept in the cache by their digests, a
    rebuild that changed no package copies them rather than making them again. The zip is written, and the
    database put together from its parts, in `apart` (a process) when given: both are thousands of small
    steps, and in a thread beside the build's own each waited for it to let go of Python. `digest`: a file's
    SHA-256 by its path in the site, as write_checksums takes it (carried.py knows those of the files it
    carried over: a thousand packages' files need not be read again to say they are the same)."""
    at = _digest_in(out, digest)
    members, published = [], []
    for ds in datasets:
        keep = {"datapackage.json"} | {published_path(r) for r in ds.resources if published_path(r)}
        for rel in sorted(keep):
            site_path = urls.dataset_file(ds.name, rel)
            members.append((f"{ds.name}/{rel}", out / site_path))
            published.append((f"{ds.name}/{rel}", at(site_path)))
    zip_path, sqlite_path, meta_path = (urls.data_file(n) for n in ("all.zip", "all.sqlite", "metadata.json"))
    home = urls.absolute(urls.catalogue())
    spending_licences = [ds.licence for ds in datasets if any(r.role is Role.SPENDING for r in ds.resources)]
    tables = [gathered.measures_table(measures, {ds.name: ds for ds in datasets}, urls, licence, council, home),
              gathered.observations(measures, licence, council, home),
              gathered.spending(datasets, (spending_licences or [licence])[0], council, home)]
    published.sort()
    stamp = file_stamp(max((ds.updated for ds in datasets if ds.updated), default=None), when)
    kept = cache_dir / "everything" if cache_dir else None
    zip_key = cache.key(_EVERYTHING_CODE, published, stamp)
    # The zip is written beside the database's parts (in `apart`, else a thread: zlib and SQLite let Python go
    # on meanwhile).
    with ThreadPoolExecutor(1) as beside:
        zipped = (apart or beside).submit(cache.copied, kept / f"{zip_key}.zip" if kept else None, out / zip_path,
                                          partial(archive.write_zip, files=members, when=stamp,
                                                  kept=kept / "zipped" if kept else None, digests=dict(published)))
        placed = database.write_database(out / sqlite_path, datasets, tables, kept / "tables" if kept else None,
                                         _made_from(datasets, tables, dict(published)), apart)
        zipped.result()
    for _, sha in published if kept else ():    # each entry kept for the next zip, whether this one was made or not
        cache.hit(archive.kept_entry(kept / "zipped", sha))
    meta_size = write_json(out, meta_path, datasette.metadata(PurePosixPath(sqlite_path).stem, placed, tables,
                                                              {m.id: m for m in measures}, urls, council, licence))
    return [Download("Every dataset as data packages (zip)", zip_path, "ZIP", (out / zip_path).stat().st_size),
            Download("Every table in one database (SQLite)", sqlite_path, "SQLite", (out / sqlite_path).stat().st_size),
            Download("The database's metadata, for Datasette (JSON)", meta_path, "JSON", meta_size)]


def _made_from(datasets: list[Dataset], tables: list[database.Table], digests: dict[str, str]) -> dict[str, str]:
    """What each table of the database is made from, by table name: a resource's table from its published CSV
    and its package's descriptor (which types it), the gathered tables from the packages they gather (the
    measures' table from its rows, made already; a measure's observations from its own table's files, as
    its table's); and every module of the generator, which reads, models and gathers the rows on their way.
    A part of the database is kept under this."""
    def package(ds: Dataset) -> list[tuple[str, str]]:
        return sorted((name, d) for name, d in digests.items() if name.startswith(f"{ds.name}/"))
    spending = [package(ds) for ds in datasets if any(r.role is Role.SPENDING for r in ds.resources)]
    measures, observations, payments = tables
    made_from = {measures.name: cache.key(_ROWS_CODE, measures.rows),
                 payments.name: cache.key(_ROWS_CODE, spending)}
    pieces = {piece.name for piece in observations.pieces}
    for placed in database.table_names(datasets, [t.name for t in tables]):
        ds, rel = placed.dataset.name, published_path(placed.resource)
        files = [digests.get(f"{ds}/datapackage.json"), digests.get(f"{ds}/{rel}")]
        if all(files):      # else (a table without a file of its own) made afresh each time
            made_from[placed.table] = cache.key(_ROWS_CODE, files)
            if placed.resource.name in pieces and placed.resource.role is Role.MEASURE:
                # The same files: the database names a piece's part by its table and piece besides.
                made_from[database.piece_name(observations.name, placed.resource.name)] = made_from[placed.table]
    return made_from


# What writes the zip and the database besides their inputs: a change to any of these is a new key.
_EVERYTHING_CODE = cache.code(archive.__file__, database.__file__, gathered.__file__, __file__,
                              versions=(sqlite3.sqlite_version,))
# What makes a table's rows from the files published: reading (frictionless), the model, gathering. Every
# module of the generator (this layer imports no reading), and frictionless's version.
_ROWS_CODE = cache.every_module(versions=(sqlite3.sqlite_version, version("frictionless")))


def write_checksums(out: Path, urls: Urls, measure_ids: list[str], digest: Callable[[str], str] | None = None) -> None:
    """A SHA256SUMS in each folder of downloads, over every file under it but the pages (and the charts drawn
    for a phone, which are part of them), with paths relative to the folder: `sha256sum -c SHA256SUMS` checks
    a copy of that folder alone, wherever it was saved. `digest`: a file's SHA-256 by its path in the site
    (carried.py knows some)."""
    for folder in urls.checksummed(measure_ids):
        write_folder_checksums(out, urls, folder, digest)


def write_folder_checksums(out: Path, urls: Urls, folder: str, digest: Callable[[str], str] | None = None) -> None:
    """One folder's SHA256SUMS (a report's, say, once its PDF is made), as write_checksums makes them."""
    skipped = (urls.html(urls.home()), urls.checksums(urls.home()))     # index.html, SHA256SUMS
    files = [rel for rel in files_under(os.path.join(out, folder))
             if (name := posixpath.basename(rel)) not in skipped and not urls.is_narrow_chart(name)]
    at = _digest_in(out, digest)
    write_text(out, urls.checksums(folder), archive.sha256sums(files, lambda rel: at(posixpath.join(folder, rel))))


def _digest_in(out: Path, digest: Callable[[str], str] | None) -> Callable[[str], str]:
    """A file's SHA-256 by its path in the site at `out`: `digest` when given (carried.py's), else read."""
    return digest or (lambda path: cache.file_digest(out / path))
