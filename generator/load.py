"""Find and read data packages, safely, into raw sources; then into the model.

Reading is split in two so that validation sees everything before anything is trusted:
``read_sources`` returns raw descriptors and rows (refusing unsafe paths before any file
is opened), ``validate.check`` turns them into problems, and ``build_site`` makes the
typed model from sources that passed.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import markdown
from frictionless import FrictionlessException, Package

from .errors import Problem
from .model import (MISSING_SYMBOLS, Annotation, Commentary, Dataset, Field, Locality,
                    Measure, Observation, Purpose, Resource, Service, Site)
from .periods import parse_period
from .sanitize import clean_html
from .spending import KEPT_FOR_INDIVIDUALS, REDACTED, is_personal

REGISTERS = ("purposes", "services", "localities")


@dataclass
class RawRow:
    number: int               # physical line, header = 1
    cells: dict[str, str]     # raw text by field name
    values: dict[str, object]  # typed by frictionless (None when missing or invalid)


@dataclass
class RawResource:
    descriptor: dict
    index: int
    path: Path | None
    rows: list[RawRow] = field(default_factory=list)
    schema: dict | None = None   # the Table Schema frictionless read with: declared, from a file, or inferred

    @property
    def name(self) -> str:
        """The declared name; else, as frictionless does, the file name without extension."""
        name = self.descriptor.get("name")
        if name:
            return str(name)
        paths = _resource_paths(self.descriptor)
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
        return None, [Problem(str(path), None, None, "invalid-json",
                              f"The file is not UTF-8 (byte {exc.start}); save it as UTF-8.")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(str(path), exc.lineno, None, "invalid-json",
                              f"{exc.msg} at line {exc.lineno}, column {exc.colno}.")]
    if not isinstance(data, dict):
        return None, [Problem(str(path), None, None, "invalid-json", "A data package descriptor must be a JSON object.")]
    return data, []


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def unsafe_reason(relpath: object, package_dir: Path) -> str | None:
    """Why a resource path may not be read, or None when it is a file inside the package."""
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
    root = package_dir.resolve()
    real = (package_dir / relpath).resolve()
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


def _resource_paths(res: dict) -> list:
    path = res.get("path")
    return path if isinstance(path, list) else [path] if path is not None else []


MAX_FILE_MB = 100


def read_package(directory: Path, max_bytes: int = MAX_FILE_MB * 1_000_000) -> RawPackage:
    descriptor_path = directory / "datapackage.json"
    descriptor, problems = read_descriptor(descriptor_path)
    raw = RawPackage(directory, descriptor_path, descriptor, problems=problems)
    if descriptor is None:
        return raw
    name_problem = unsafe_name(descriptor.get("name"), "package")
    if name_problem:
        raw.problems.append(Problem(str(descriptor_path), None, "name", "unsafe-name", name_problem))
        return raw
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        raw.problems.append(Problem(str(descriptor_path), None, None, "package-error",
                                    "The package needs a list of resources."))
        return raw
    safe: list[RawResource] = []
    for index, res in enumerate(resources):
        if not isinstance(res, dict):
            raw.problems.append(Problem(str(descriptor_path), None, None, "resource-error",
                                        f"Resource {index + 1} is not a JSON object."))
            continue
        rr = RawResource(res, index, None)
        name_problem = unsafe_name(res.get("name"), f"resource {index + 1}")
        if name_problem:
            raw.problems.append(Problem(str(descriptor_path), None, "name", "unsafe-name", name_problem))
            continue
        paths = _resource_paths(res)
        reasons = [r for r in (unsafe_reason(p, directory) for p in paths) if r]
        if reasons:
            raw.problems.extend(Problem(str(descriptor_path), None, None, "unsafe-path",
                                        f"Resource '{rr.name}': {r}.") for r in reasons)
            continue
        if paths:
            rr.path = directory / paths[0]
            missing = [p for p in paths if not (directory / p).is_file()]
            if missing:
                raw.problems.append(Problem(str(descriptor_path), None, None, "missing-file",
                                            f"Resource '{rr.name}': file '{missing[0]}' does not exist."))
                continue
            size = sum((directory / p).stat().st_size for p in paths)
            if size > max_bytes:
                # Refused before reading: every row is held in memory, and the pages could not show it anyway.
                raw.problems.append(Problem(str(rr.path), None, None, "file-too-large",
                                            f"The file is {size / 1e6:,.0f} MB; the most the build reads is "
                                            f"{max_bytes / 1e6:,.0f} MB (DASHBOARD_MAX_FILE_MB). Split it, for "
                                            "example one file per year, or raise the setting."))
                continue
        safe.append(rr)
    image = descriptor.get("image")
    if isinstance(image, str) and not _SCHEME.match(image) and unsafe_reason(image, directory):
        # Descriptive metadata may link anywhere (URLs are never fetched), but a local file must stay inside.
        raw.problems.append(Problem(str(descriptor_path), None, "image", "unsafe-path",
                                    f"The package image: {unsafe_reason(image, directory)}."))
    raw.resources = safe
    if not raw.problems:
        _read_rows(raw)
    return raw


def _read_rows(raw: RawPackage) -> None:
    """Validate with frictionless and keep every row's raw and typed cells."""
    descriptor = dict(raw.descriptor)
    descriptor["resources"] = [r.descriptor for r in raw.resources]
    where = str(raw.descriptor_path)
    try:
        package = Package(descriptor, basepath=str(raw.directory))
    except FrictionlessException as exc:
        reasons = exc.reasons or [exc.error]
        raw.problems.extend(Problem(where, None, None, e.type, e.message) for e in reasons)
        return
    raw.opened = True
    for rr, resource in zip(raw.resources, package.resources):
        place = str(rr.path) if rr.path else where
        try:
            report = resource.validate()
        except FrictionlessException as exc:
            raw.problems.append(Problem(place, None, None, exc.error.type, exc.error.message))
            continue
        for task in report.tasks:
            for error in task.errors:
                # Heading problems are on line 1 (frictionless leaves their row empty).
                line = getattr(error, "row_number", None) or (1 if error.type.endswith("-label") else None)
                raw.problems.append(Problem(place, line,
                                            getattr(error, "field_name", None) or None,
                                            error.type, _message(error)))
        if resource.tabular:
            # Rows are kept even when some cells are invalid, so that every problem
            # (ours and frictionless's) is reported in one run.
            try:
                with resource:
                    rr.schema = resource.schema.to_descriptor()
                    for row in resource.row_stream:
                        rr.rows.append(RawRow(row.row_number,
                                              {n: cell_text(c) for n, c in zip(row.field_names, row.cells)},
                                              row.to_dict()))
            except FrictionlessException:
                pass  # already in the report


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


def read_sources(data_dir: Path, max_mb: int = MAX_FILE_MB) -> list[RawPackage]:
    return [read_package(d, max_mb * 1_000_000) for d in discover(data_dir)]


# --- model ------------------------------------------------------------------------------

def _fields(rr: RawResource) -> list[Field]:
    """The fields that are published: a field marked `"personal": true` never is, anywhere."""
    schema = rr.schema if rr.schema is not None else rr.descriptor.get("schema")
    out = []
    for f in (schema if isinstance(schema, dict) else {}).get("fields", []):
        if is_personal_field(f):
            continue
        out.append(Field(f.get("name", ""), f.get("type", "any"), f.get("title", ""),
                         f.get("description", ""), f.get("unit", "")))
    return out


def is_personal_field(f: dict) -> bool:
    return f.get("personal") is True


def _register_rows(sources: list[RawPackage], name: str) -> list[dict]:
    for pkg in sources:
        for rr in pkg.resources:
            if rr.descriptor.get("name") == name:
                published = {f.name for f in _fields(rr)}     # never a personal column
                return [{k: (v if v is not None else "") for k, v in row.values.items() if k in published}
                        for row in rr.rows]
    return []


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _suppressed(value: Decimal | None, threshold: int | None) -> bool:
    """Small counts (above zero, below the measure's threshold) could identify people."""
    return threshold is not None and value is not None and 0 < value < threshold


def published_rows(rr: RawResource, personal_rules: dict | None = None
                   ) -> tuple[list[str], list[list[str]], list[list[object]]]:
    """A resource's header, text cells and typed values as published.

    Small counts (above zero, below the measure's `suppress_below`) could identify people:
    they become [c] here, once, so pages, charts and every download agree.
    """
    names = [f.name for f in _fields(rr)]
    dash = rr.descriptor.get("dashboard")
    threshold = dash.get("suppress_below") if isinstance(dash, dict) else None
    cells, values = [], []
    for row in rr.rows:
        text = [row.cells.get(n, "") for n in names]
        typed = [row.values.get(n) for n in names]
        if "value" in names and _suppressed(_decimal(row.values.get("value")), threshold):
            i = names.index("value")
            text[i], typed[i] = "[c]", None
        if "finance" in rr.descriptor and is_personal(row.cells, personal_rules or {}):
            # A payment to a private individual: never their name, nor an id, purpose or other text
            # that could lead to them; the amount, date, service and category stay.
            for i, name in enumerate(names):
                if name not in KEPT_FOR_INDIVIDUALS and name != "individual":
                    replacement = REDACTED if name == "supplier_name" else ""
                    text[i], typed[i] = replacement, replacement or None
        cells.append(text)
        values.append(typed)
    return names, cells, values


def measure_from(pkg: RawPackage, rr: RawResource, published: Resource) -> Measure:
    """A measure from its raw rows and its table as published (suppressed counts already [c])."""
    d = rr.descriptor
    dash = d["dashboard"]
    names = [f.name for f in published.fields]
    observations = []
    for row, text_row, typed_row in zip(rr.rows, published.cells, published.values):
        text = text_row[names.index("value")].strip()
        observations.append(Observation(
            period=parse_period(row.cells["period"]),
            value=_decimal(typed_row[names.index("value")]),
            text=text,
            symbol=text if text in MISSING_SYMBOLS else None,
            status=(row.values.get("status") or None),
            target=_decimal(row.values.get("target")),
            note=(row.values.get("note") or None),
            row=row.number,
        ))
    observations.sort(key=lambda o: o.period)
    return Measure(
        id=d["name"], title=d.get("title") or d["name"], description=d.get("description", ""),
        package=pkg.descriptor.get("name", pkg.directory.name), source_path=rr.path, fields=_fields(rr),
        kind=dash["kind"], purposes=list(dash.get("purposes", [])), service=dash["service"],
        team=dash.get("team", ""), localities=list(dash.get("localities", [])), unit=dash["unit"],
        polarity=dash["polarity"], frequency=dash["frequency"], owner=dash["owner"], source=dash["source"],
        target=_decimal(dash.get("target")), suppress_below=dash.get("suppress_below"),
        headline=bool(dash.get("headline", False)), why=dash.get("why", ""), quality=dash.get("quality", ""),
        annotations=[Annotation(a["period"], a["label"], a.get("description", ""), bool(a.get("rebase", False)))
                     for a in dash.get("annotations", [])],
        observations=observations,
    )


def as_list(value) -> list[str]:
    """A Table Schema key given as one name or a list of names, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def dataset_from(pkg: RawPackage, default_license: dict, personal_rules: dict | None = None) -> Dataset:
    d = pkg.descriptor
    resources = []
    for rr in pkg.resources:
        rel = _resource_paths(rr.descriptor)
        schema = rr.schema or {}
        _, cells, values = published_rows(rr, personal_rules)
        resources.append(Resource(
            name=rr.name, title=rr.descriptor.get("title") or rr.name,
            description=rr.descriptor.get("description", ""), path=rr.path,
            relpath=rel[0] if rel else "", fields=_fields(rr), schema=rr.schema or {},
            bytes=rr.path.stat().st_size if rr.path else 0, cells=cells, values=values,
            primary_key=as_list(schema.get("primaryKey")),
            foreign_keys=[fk for fk in schema.get("foreignKeys", []) if isinstance(fk, dict)],
            required={f.get("name") for f in schema.get("fields", [])
                      if (f.get("constraints") or {}).get("required")}))
    publisher = next((c.get("title", "") for c in d.get("contributors", []) if c.get("role") == "publisher"), "")
    return Dataset(name=d.get("name", pkg.directory.name), title=d.get("title") or d.get("name", pkg.directory.name),
                   description=d.get("description", ""), directory=pkg.directory, descriptor=d,
                   resources=resources, licenses=d.get("licenses") or [default_license], publisher=publisher)


def _locality_facts(sources: list[RawPackage], localities: dict[str, Locality]):
    """Rows keyed by a `locality` field in any non-measure resource become facts about that place."""
    facts: dict[str, list] = {lid: [] for lid in localities}
    for pkg in sources:
        for rr in pkg.resources:
            if "dashboard" in rr.descriptor or rr.name in REGISTERS:
                continue
            fields = _fields(rr)
            names = [f.name for f in fields]
            if "locality" not in names:
                continue
            for row in rr.rows:
                lid = row.cells.get("locality")
                if lid not in facts:
                    continue
                period = row.cells.get("period", "") if "period" in names else ""
                facts[lid].extend((f, period, row.cells.get(f.name, ""))
                                  for f in fields if f.name not in ("locality", "period"))
    return facts


def build_site(sources: list[RawPackage], commentary: list[Commentary], default_license: dict,
               personal_rules: dict | None = None) -> Site:
    purposes = {r["id"]: Purpose(r["id"], r["title"], r.get("description", ""), r.get("portfolio_holder", ""),
                                 r.get("director", "")) for r in _register_rows(sources, "purposes")}
    services = {r["id"]: Service(r["id"], r["title"], r.get("description", ""), r.get("head_of_service", ""),
                                 r.get("purpose", ""))
                for r in _register_rows(sources, "services")}
    localities = {r["id"]: Locality(r["id"], r["name"], r.get("gss_code", ""), r.get("type", ""))
                  for r in _register_rows(sources, "localities")}
    datasets, measures = {}, {}
    for pkg in sources:
        ds = dataset_from(pkg, default_license, personal_rules)
        datasets[ds.name] = ds
        for rr in pkg.resources:
            if "dashboard" in rr.descriptor:
                measures[rr.name] = measure_from(pkg, rr, ds.resource(rr.name))
    for note in sorted(commentary, key=lambda c: (c.date, c.source), reverse=True):
        if note.measure_id in measures:
            measures[note.measure_id].commentary.append(note)
    return Site(purposes=purposes, services=dict(sorted(services.items())),
                localities=dict(sorted(localities.items(), key=lambda kv: kv[1].name)),
                measures=dict(sorted(measures.items(), key=lambda kv: kv[1].title.lower())),
                datasets=dict(sorted(datasets.items())),
                locality_facts=_locality_facts(sources, localities))


# --- commentary -------------------------------------------------------------------------

COMMENTARY_KEYS = ("measure", "author", "date")


def read_commentary(folder: Path) -> tuple[list[Commentary], list[Problem]]:
    """Officer commentary: Markdown files with Measure/Author/Role/Date/Period metadata."""
    notes, problems = [], []
    if not folder.is_dir():
        return notes, problems
    for path in sorted(folder.rglob("*.md")):
        md = markdown.Markdown(extensions=["meta"])
        try:
            html = md.convert(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(Problem(str(path), None, None, "invalid-commentary", "The file is not UTF-8."))
            continue
        meta = {k: " ".join(v).strip() for k, v in md.Meta.items()}
        missing = [k for k in COMMENTARY_KEYS if not meta.get(k)]
        if missing:
            problems.append(Problem(str(path), None, missing[0], "invalid-commentary",
                                    f"Add a '{missing[0].capitalize()}:' line to the header."))
            continue
        try:
            when = date.fromisoformat(meta["date"])
        except ValueError:
            problems.append(Problem(str(path), None, "date", "invalid-commentary",
                                    f"'{meta['date']}' is not a date; write YYYY-MM-DD."))
            continue
        notes.append(Commentary(meta["measure"], meta["author"], meta.get("role", ""), when,
                                meta.get("period") or None, clean_html(html), str(path)))
    return notes, problems
