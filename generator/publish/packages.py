"""What is published besides pages: every table in every format, and the site-wide files.

For each package, under /data/<package>/: its CSVs (RFC 4180, UTF-8, formula-safe), a
`datapackage.json` that stays valid there, `<package>.json` (the same package with its
rows inline) and `<package>.xlsx`. For each measure, beside its page: CSV, JSON, XLSX,
the chart spec and SVG. For the whole site: all.zip, all.sqlite and SHA256SUMS.
"""

from __future__ import annotations

import copy
import shutil
from datetime import datetime
from pathlib import Path, PurePosixPath

from . import archive, database
from ..domain.published import path_in_package
from ..domain.disclosure import is_personal_field
from ..domain.model import Dataset, Measure, Resource
from .files import Download, write_json, write_text
from .formats import csv_text, json_rows
from .workbook import Sheet, write_workbook


def license_text(licenses: list[dict]) -> str:
    return "; ".join(f"{l.get('title') or l.get('name')}" + (f" ({l['path']})" if l.get("path") else "")
                     for l in licenses)


# --- packages -----------------------------------------------------------------------------

def published_path(resource: Resource) -> str | None:
    """Where a resource's file goes inside its published package (domain.published decides)."""
    return path_in_package(resource.relpath, resource.tabular)


def published_descriptor(dataset: Dataset, default_license: dict) -> dict:
    """The source descriptor, changed only where our files differ from the source files."""
    descriptor = copy.deepcopy(dataset.descriptor)
    descriptor.setdefault("licenses", [default_license])
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


def inline_package(descriptor: dict, dataset: Dataset) -> dict:
    """The package with each table's rows inline as JSON objects: still a valid data package."""
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
        entry["data"] = json_rows(resource.fields, resource.values, resource.cells)
    return inline


def workbook_notes(title: str, description: str, publisher: str, licenses: list[dict], url: str,
                   published: datetime, extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    notes = [("About", description.strip()), ("Publisher", publisher), ("Licence", license_text(licenses)),
             ("Web page", url), ("Published", published.date().isoformat()), *extra]
    return [(k, v) for k, v in notes if v]


def publish_package(out: Path, dataset: Dataset, default_license: dict, url: str, when: datetime) -> list[Download]:
    """Write /data/<name>/ and return its downloads, descriptor first."""
    folder = out / "data" / dataset.name
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = published_descriptor(dataset, default_license)
    files: list[Download] = []
    for resource in dataset.resources:
        rel = published_path(resource)
        if rel is None:
            continue      # validation made sure no two files, and none of the package's own, share a path
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if resource.tabular:
            dest.write_text(csv_text(resource.fields, resource.cells), encoding="utf-8", newline="")
            files.append(Download(f"{resource.title} (CSV)", rel, "CSV", dest.stat().st_size))
        else:
            shutil.copyfile(resource.path, dest)
            files.append(Download(resource.title, rel, PurePosixPath(rel).suffix.lstrip(".").upper() or "File",
                                  dest.stat().st_size))
    size = write_json(folder.parent, f"{dataset.name}/datapackage.json", descriptor)
    files.insert(0, Download("Data package descriptor (JSON)", "datapackage.json", "JSON", size))
    tables = [r for r in dataset.resources if r.tabular]
    if tables:
        size = write_json(folder.parent, f"{dataset.name}/{dataset.name}.json", inline_package(descriptor, dataset))
        files.insert(1, Download("Every table, with metadata (JSON)", f"{dataset.name}.json", "JSON", size))
        book = folder / f"{dataset.name}.xlsx"
        notes = workbook_notes(dataset.title, dataset.description, dataset.publisher,
                               descriptor["licenses"], url, when)
        write_workbook(book, dataset.title, notes,
                       [Sheet(r.name, r.title, r.fields, r.cells, r.values) for r in tables], when)
        files.insert(2, Download("Every table, with notes (Excel)", book.name, "XLSX", book.stat().st_size))
    return files


def publish_measure_workbook(out: Path, measure: Measure, resource: Resource, notes: list[tuple[str, str]],
                             when: datetime) -> int:
    path = out / "measures" / measure.id / f"{measure.id}.xlsx"
    write_workbook(path, measure.title, notes,
                   [Sheet(measure.id, measure.title, resource.fields, resource.cells, resource.values)], when)
    return path.stat().st_size


# --- the whole site ---------------------------------------------------------------------------

def publish_everything(out: Path, datasets: list[Dataset], default_license: dict, when: datetime) -> list[Download]:
    """/data/all.zip (every package folder, as published) and /data/all.sqlite."""
    data = out / "data"
    members = []
    for ds in datasets:
        folder = data / ds.name
        keep = {"datapackage.json"} | {published_path(r) for r in ds.resources if published_path(r)}
        members += [(f"{ds.name}/{rel}", folder / rel) for rel in sorted(keep)]
    archive.write_zip(data / "all.zip", members, when)
    database.write_database(data / "all.sqlite", datasets, default_license)
    return [Download("Every dataset as data packages (zip)", "all.zip", "ZIP", (data / "all.zip").stat().st_size),
            Download("Every table in one database (SQLite)", "all.sqlite", "SQLite",
                     (data / "all.sqlite").stat().st_size)]


DOWNLOAD_SUFFIXES = (".csv", ".json", ".xlsx", ".svg", ".zip", ".sqlite", ".jsonld", ".ics", ".xml")


def write_checksums(out: Path) -> int:
    """SHA256SUMS over every download: everything under /data/ and each measure's files."""
    files = [p for p in (out / "data").rglob("*") if p.is_file() and p.suffix in DOWNLOAD_SUFFIXES]
    files += [p for p in (out / "measures").glob("*/*") if p.is_file() and p.suffix in DOWNLOAD_SUFFIXES]
    files += [p for p in (out / "calendar").glob("*.ics")]
    text = archive.sha256sums(out, [p.relative_to(out).as_posix() for p in files])
    return write_text(out, "data/SHA256SUMS", text)
