"""Everything wrong with the data, as Problems: frictionless's report, the dashboard
profile (JSON Schema), and the cross-checks no schema can express."""

from __future__ import annotations

import difflib
from datetime import date
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources as importlib_resources
from importlib.metadata import version
from pathlib import Path

from jsonschema import Draft202012Validator

from . import guards
from .. import cache
from ..domain.geography import BoundaryError, read_boundaries
from ..domain.model import (AREA_COLUMN, AREA_NAME_COLUMN, DAY, LOCALITY_COLUMN, MEASURE_COLUMNS, Commentary, Site, as_list,
                            is_headline, series_key)
from ..domain.published import MAX_CELL_TEXT, neutralise, path_in_package
from ..domain.signoffs import COLUMNS as SIGNOFF_COLUMNS, REGISTER as SIGNOFFS
from ..domain.periods import PeriodError, frequency_mismatch, parse_period, step_mismatch
from ..domain.timeliness import due
from ..domain.vocabulary import AnnotationKind, Frequency, Kind, Polarity, Role, Years
from ..problems import (ANNOTATION_PERIOD, BENCHMARK_NOT_IN_TABLE, BOUNDARY_FILE, UNMAPPED_LOCALITY, DASHBOARD_PROPERTY, DUPLICATE_MEASURE,
                        DUPLICATE_PERIOD, DUPLICATE_REGISTER_ENTRY, EMPTY_MEASURE, FINANCE_SCHEMA, INVALID_COMMENTARY,
                        MEASURE_SCHEMA, MISSING_COMMENTARY, MISSING_REASON, MISSING_REGISTER, NO_HEADLINE, OVERDUE,
                        PERIOD_FORMAT, PERIOD_FREQUENCY, PERSONAL_FIELD, PUBLISHED_PATH_CLASH, REGISTER_SCHEMA,
                        TEXT_TOO_LONG, UNEXPLAINED_REVISION, UNKNOWN_COLUMN, UNKNOWN_COMPARATOR, UNKNOWN_LOCALITY,
                        UNKNOWN_PURPOSE, UNKNOWN_SERVICE, Problem)
from ..urls import Urls
from .read import RawPackage, RawResource, resource_paths


def _profile(name: str) -> dict:
    return json.loads(importlib_resources.files("generator").joinpath(f"profile/{name}.schema.json").read_text())


@lru_cache(maxsize=1)
def profile_validator() -> Draft202012Validator:
    """The JSON Schema of a measure's `dashboard` property, its enumerations taken from the vocabulary."""
    schema = _profile("dashboard-measure")
    for key, codes in (("kind", Kind), ("polarity", Polarity), ("frequency", Frequency), ("years", Years)):
        schema["properties"][key]["enum"] = [c.value for c in codes]
    kind = schema["properties"]["annotations"]["items"]["properties"]["kind"]
    kind["enum"] = [c.value for c in AnnotationKind]
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def package_validator() -> Draft202012Validator:
    """The JSON Schema of a package's `dashboard` property (its update frequency, the purposes it informs)."""
    schema = _profile("dashboard-package")
    schema["properties"]["frequency"]["enum"] = [c.value for c in Frequency]
    return Draft202012Validator(schema)


def check(sources: list[RawPackage], commentary: list[Commentary], urls: Urls,
          cache_dir: Path | None = None) -> list[Problem]:
    """Every problem with the sources beyond frictionless's. What a table's rows alone decide is kept in
    `cache_dir` (a build's) under the table's content_key: a rebuild checks again only the tables that changed."""
    problems: list[Problem] = []
    for pkg in sources:
        problems.extend(pkg.problems)
    registers = _registers(sources, problems)
    # What a measure's checks read besides its table, hashed once (a sign-off added is not one of them).
    declared = {k: registers.get(k, set()) for k in MEASURE_REGISTERS}
    declared_key = cache.key(sorted((k, sorted(keys)) for k, keys in declared.items()))
    seen: dict[str, str] = {}
    measure_ids, formerly = set(), {}
    for pkg in sources:
        if not pkg.opened:
            continue  # its descriptor problems are reported; checking further would only repeat them
        for rr in pkg.resources:
            if rr.role is not Role.MEASURE:
                continue
            where = str(pkg.descriptor_path)
            if rr.name in seen:
                problems.append(DUPLICATE_MEASURE(where, None, None,
                                                  f"Measure id '{rr.name}' is also used in {seen[rr.name]}; "
                                                  "give one of them another name."))
                continue
            seen[rr.name] = where
            measure_ids.add(rr.name)
            for old in rr.descriptor["dashboard"].get("formerly", []) if isinstance(rr.descriptor["dashboard"], dict) else []:
                formerly.setdefault(old, (rr.name, where))
            problems.extend(_kept(cache_dir, rr, ("measure", str(pkg.descriptor_path), declared_key),
                                  lambda: _check_measure(pkg, rr, declared)))
    problems.extend(DUPLICATE_MEASURE(where, None, "dashboard.formerly", f"Measure '{new}' was formerly '{old}', "
                                      "which is a measure's id now: its old address cannot send readers on.")
                    for old, (new, where) in formerly.items() if old in measure_ids)
    problems.extend(_check_commentary(commentary, measure_ids))
    problems.extend(_check_personal_fields(sources))
    problems.extend(p for pkg in sources if pkg.opened for rr in pkg.resources
                    for p in _kept(cache_dir, rr, ("guards",), lambda: guards.check(rr)))
    problems.extend(p for pkg in sources if pkg.opened
                    for p in _check_publishable(pkg, urls, cache_dir) + _check_package_property(pkg, registers))
    for pkg in sources:
        for rr in pkg.resources:
            if rr.name == "services":
                problems.extend(_check_service_purposes(rr, registers))
            if "finance" in rr.descriptor and pkg.opened:     # the property itself is checked here
                problems.extend(_check_finance(pkg, rr, registers))
            if rr.role is Role.BOUNDARIES and pkg.opened:
                problems.extend(_check_boundaries(pkg, rr, sources))
    if measure_ids and not registers.get("purposes"):
        problems.append(MISSING_REGISTER(str(sources[0].directory.parent) if sources else ".", None, None,
                                         "Measures need a purposes register: a resource named "
                                         "'purposes' with columns id and title."))
    problems.extend(_warnings(sources, commentary, measure_ids))
    return problems


def _check_package_property(pkg: RawPackage, registers: dict[str, set[str]]) -> list[Problem]:
    """A package may say how often it is updated and which purposes it informs:
    {"dashboard": {"frequency": "annual", "purposes": ["somewhere-to-live"]}}."""
    dash = pkg.descriptor.get("dashboard")
    if dash is None:
        return []
    where, name = str(pkg.descriptor_path), pkg.descriptor.get("name") or pkg.directory.name
    errors = sorted(package_validator().iter_errors(dash), key=lambda e: list(e.path))
    if errors:
        return [DASHBOARD_PROPERTY(where, None, _pointer(e), f"Package '{name}': {_schema_message(e)}") for e in errors]
    declared = registers.get("purposes", set())
    return [UNKNOWN_PURPOSE(where, None, "dashboard.purposes", f"Package '{name}' names purpose '{ref}', which the "
                            "purposes register does not declare." + _closest(ref, declared))
            for ref in dash.get("purposes", []) if ref not in declared]


def _pointer(error) -> str:
    """Where in the `dashboard` property a schema error is: dashboard.annotations[0].period."""
    return "dashboard" + "".join(f".{p}" if isinstance(p, str) else f"[{p}]" for p in error.path)


def _check_publishable(pkg: RawPackage, urls: Urls, cache_dir: Path | None = None) -> list[Problem]:
    """What could not be published as it is: two files at one address, a file named like one the
    package's folder holds itself, a text longer than a spreadsheet cell holds."""
    where = str(pkg.descriptor_path)
    own = urls.package_own_files(pkg.descriptor.get("name") or pkg.directory.name)
    problems, taken = [], {}
    for rr in pkg.resources:
        paths = resource_paths(rr.descriptor)
        rel = path_in_package(paths[0], rr.schema is not None) if paths and isinstance(paths[0], str) else None
        if rel in own:
            problems.append(PUBLISHED_PATH_CLASH(where, None, None, f"Resource '{rr.name}' has the path '{rel}', "
                                                 "which the published package uses for itself; rename the file."))
        elif rel in taken:
            problems.append(PUBLISHED_PATH_CLASH(where, None, None, f"Resources '{taken[rel]}' and '{rr.name}' would "
                                                 f"both be published as '{rel}' (tables are published as CSV); "
                                                 "rename one of the files."))
        if rel is not None:
            taken.setdefault(rel, rr.name)
        problems += _kept(cache_dir, rr, ("long-cells",), lambda rr=rr: _long_cells(rr))
    problems += [TEXT_TOO_LONG(where, None, pointer, _too_long(text)) for pointer, text in _texts(pkg.descriptor)
                 if len(text) > MAX_CELL_TEXT]
    return problems


def _long_cells(rr: RawResource) -> list[Problem]:
    """Measured as a spreadsheet gets it: text that could run as a formula gains an apostrophe. (neutralise
    adds one character at most: only a text that long can be too long.)"""
    return [TEXT_TOO_LONG(str(rr.path), row.number, name, _too_long(neutralise(text)))
            for row in rr.rows for name, text in row.cells.items()
            if len(text) >= MAX_CELL_TEXT and len(neutralise(text)) > MAX_CELL_TEXT]


# What checks a table besides its rows: every module a check passes through (periods, the model, problems),
# the JSON Schemas it checks properties against, and jsonschema's version.
_CODE = cache.key(cache.every_module(versions=(version("jsonschema"),)),
                  [cache.file_digest(p) for p in sorted(Path(__file__).parents[1].glob("profile/*.json"))])


def _kept(cache_dir: Path | None, rr: RawResource, inputs: tuple, check: Callable[[], list[Problem]]
          ) -> list[Problem]:
    """`check()` of one table, kept in the cache under its content_key (the hash of all its rows are read
    from), where its problems are written, and `inputs` (what else the check reads)."""
    if cache_dir is None or rr.content_key is None:
        return check()
    key = cache.key(_CODE, rr.content_key, str(rr.path), inputs)
    return cache.kept_object(cache_dir / "checks" / f"{key}.pickle", check)


def _too_long(text: str) -> str:
    return (f"The text has {len(text):,} characters; Excel holds at most {MAX_CELL_TEXT:,} in a cell, and every "
            "table is also published as Excel. Shorten it, or move long text to a linked document.")


def _texts(value, pointer: str = "") -> list[tuple[str, str]]:
    """Every text in a descriptor, with where it is (resources[2].description)."""
    if isinstance(value, str):
        return [(pointer, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(v, f"{pointer}.{k}" if pointer else str(k))]
    if isinstance(value, list):
        return [t for i, v in enumerate(value) for t in _texts(v, f"{pointer}[{i}]")]
    return []


def revision_warnings(site: Site) -> list[Problem]:
    """A published figure changed with no reason: the Code of Practice asks for one (Q3.4). When one
    commit changed most of a measure's figures at once, the file most likely became another measure
    (a fork, or an id used before): that is said once, pointing to `dashboard.history_from`."""
    out = []
    for m in site.measures.values():
        unexplained = [r for r in m.revisions if not r.reason]
        if not unexplained:         # (a kept measure's rows are then left unread)
            continue
        rows = {(o.period.text, *o.series): o.row for o in m.every_observation()}
        takeovers = _takeovers(m.revisions, len(rows))
        for commit, count in takeovers.items():
            r = next(r for r in m.revisions if r.commit == commit)
            out.append(UNEXPLAINED_REVISION(str(m.source_path), None, "value", (
                f"{count} published figures changed at once ({_when(r)}): if this measure took over a file or an "
                "id used before, its history before then is not its own; set dashboard.history_from to the date "
                "(YYYY-MM-DD) or commit it started from. Otherwise write the reason in each row's note.")))
        for r in unexplained:
            if r.commit in takeovers:
                continue
            series = f" ({r.series_label})" if r.series_label else ""
            out.append(UNEXPLAINED_REVISION(str(m.source_path), rows.get((r.period, *r.series)), "value",
                                            f"The figure for {r.period}{series} changed from {r.old} to "
                                            f"{r.new or 'nothing (row removed)'} ({_when(r)}) with no reason: write "
                                            "it in this row's note and set status to revised."))
    return out


TAKEOVER_SHARE = 0.5     # one commit revising more than half the figures is a different measure, not a revision
TAKEOVER_LEAST = 5


def _takeovers(revisions: list, rows: int) -> dict[str | None, int]:
    """Commits that revised most of a measure's figures with no reason, and how many."""
    counts: dict[str | None, int] = {}
    for r in revisions:
        if not r.reason:
            counts[r.commit] = counts.get(r.commit, 0) + 1
    return {c: n for c, n in counts.items() if n >= TAKEOVER_LEAST and n > TAKEOVER_SHARE * max(rows, 1)}


def _when(r) -> str:
    return "not yet committed" if r.commit is None else f"commit {r.commit[:7]}, {r.when.isoformat()}"


def overdue_warnings(site: Site, today: date, lag_days: int) -> list[Problem]:
    """A figure past its due date (a delay the council recorded holds this off until its expected date)."""
    out = []
    for m in site.measures.values():
        timing = due(m, today, lag_days)
        if not timing.overdue:
            continue
        following = m.next_period
        what = f"The figure for {following.name}" if following else "The next figure"
        delay = (f" The delay recorded ({timing.delay_reason}) expected it by "
                 f"{timing.delay_expected.isoformat()}." if timing.delay_reason else "")
        out.append(OVERDUE(str(m.source_path), None, None,
                           f"{what} was due by {timing.date.isoformat()} ({timing.overdue_days} day{'' if timing.overdue_days == 1 else 's'} ago).{delay} "
                           "Add it; or, if the timing is wrong, give the measure its own dashboard.release "
                           "(lag_days, or the producer's next release date); or record a known delay as "
                           "dashboard.release.delay with its reason and expected date."))
    return out


REGISTER_COLUMNS = {"purposes": ("id", "title"), "services": ("id", "title"), "localities": ("id", "name"),
                    "comparators": ("id", "title"), "comparator_members": ("comparator", "area_code"),
                    SIGNOFFS: SIGNOFF_COLUMNS}
# What makes a row of a register unique, where it is not its id.
REGISTER_KEYS = {"comparator_members": ("comparator", "area_code"), SIGNOFFS: ("measure", "period", "date", "by")}


def _registers(sources: list[RawPackage], problems: list[Problem]) -> dict[str, set[str]]:
    """Each register's keys (its ids; a comparator member's group and area), each declared once."""
    found: dict[str, set[str]] = {}
    for pkg in sources:
        for rr in pkg.resources:
            if rr.role is not Role.REGISTER:
                continue
            needed = REGISTER_COLUMNS[rr.name]
            names = {f.get("name") for f in (rr.schema or {}).get("fields", []) if isinstance(f, dict)}
            if not set(needed) <= names:
                problems.append(REGISTER_SCHEMA(str(pkg.descriptor_path), None, rr.name, f"The {rr.name} register "
                                                "needs the columns " + " and ".join(needed) + "."))
                continue
            keys = found.setdefault(rr.name, set())
            key_names = REGISTER_KEYS.get(rr.name, ("id",))
            for row in rr.rows:
                key = "/".join(row.cells.get(k, "") for k in key_names)
                if key in keys:
                    problems.append(DUPLICATE_REGISTER_ENTRY(str(rr.path), row.number, key_names[-1],
                                                             f"'{key}' is declared twice in the {rr.name} register."))
                keys.add(key)
    for pkg in sources:
        for rr in pkg.resources:
            if rr.role is Role.REGISTER and rr.name == "comparator_members" and "comparator_members" in found:
                declared = found.get("comparators", set())
                problems.extend(UNKNOWN_COMPARATOR(str(rr.path), row.number, "comparator",
                                                   f"No comparator group is called '{row.cells['comparator']}'."
                                                   + _closest(row.cells["comparator"], declared))
                                for row in rr.rows if row.cells.get("comparator") not in declared)
    return found


def _check_boundaries(pkg: RawPackage, rr: RawResource, sources: list[RawPackage]) -> list[Problem]:
    """A boundary file must be drawable and attributed; a locality it has no shape for is a gap on every map."""
    declared = rr.descriptor.get("boundaries")
    declared = declared if isinstance(declared, dict) else {}
    try:
        shapes = read_boundaries(rr.path, declared, pkg.descriptor.get("name", "")).shapes
    except BoundaryError as exc:
        return [BOUNDARY_FILE(str(rr.path), None, None, str(exc))]
    problems = []
    if not str(declared.get("attribution") or "").strip():
        problems.append(BOUNDARY_FILE(str(pkg.descriptor_path), None, "boundaries.attribution",
                                      f"Resource '{rr.name}': give the attribution its licence requires, which "
                                      "every map shows (for Ordnance Survey data: \"Contains OS data © Crown "
                                      "copyright and database right\" and the year)."))
    for reg in (r for p in sources for r in p.resources if r.role is Role.REGISTER and r.name == "localities"):
        problems.extend(UNMAPPED_LOCALITY(str(reg.path), row.number, "gss_code",
                                          f"'{row.cells['gss_code']}' ({row.cells.get('name', '')}) has no shape in "
                                          f"{rr.path.name}; maps will show a gap there.")
                        for row in reg.rows if row.cells.get("gss_code") and row.cells["gss_code"] not in shapes)
    return problems


SHOWN_FIELDS = {"period", "value", "target", "status", "note"}   # a measure's page and chart show these


def _check_personal_fields(sources: list[RawPackage]) -> list[Problem]:
    """A personal field is never published, so nothing may be built from it: not a measure's figures,
    not a register column the pages show, not a key, not the period of a locality fact."""
    problems = []
    for pkg in sources:
        for rr in pkg.resources:
            schema = rr.schema if isinstance(rr.schema, dict) else rr.descriptor.get("schema")
            fields = schema.get("fields", []) if isinstance(schema, dict) else []
            personal = {f.get("name") for f in fields if isinstance(f, dict) and f.get("personal") is True}
            if not personal:
                continue
            names = {f.get("name") for f in fields if isinstance(f, dict)}
            shown = set(SHOWN_FIELDS) if rr.role is Role.MEASURE else set()
            if rr.role is Role.REGISTER:
                shown |= names                       # every register column appears on some page
            if names & {LOCALITY_COLUMN, AREA_COLUMN}:      # a fact about a place: its place and period
                shown |= (names & {LOCALITY_COLUMN, AREA_COLUMN}) | {"period"}
            shown |= _key_fields(schema)
            for name in sorted(personal & shown):
                problems.append(PERSONAL_FIELD(str(pkg.descriptor_path), None, name,
                                               f"Resource '{rr.name}': '{name}' is marked personal, so it is never "
                                               "published, but the site would show it or key the table by it. "
                                               "Remove the mark, or keep the field out of the published data."))
    return problems


def _key_fields(schema: dict) -> set[str]:
    keys = set(as_list(schema.get("primaryKey")))
    for fk in schema.get("foreignKeys") or []:
        if isinstance(fk, dict):
            keys |= set(as_list(fk.get("fields")))
            keys |= set(as_list((fk.get("reference") or {}).get("fields")))
    return keys


def _check_service_purposes(rr: RawResource, registers: dict[str, set[str]]) -> list[Problem]:
    purposes = registers.get("purposes", set())
    return [UNKNOWN_PURPOSE(str(rr.path), row.number, "purpose",
                            f"No purpose is called '{row.cells['purpose']}'."
                            + _closest(row.cells["purpose"], purposes))
            for row in rr.rows if row.cells.get("purpose") and row.cells["purpose"] not in purposes]


FINANCE_FIELDS = {Role.SPENDING: {"transaction_date": "date", "amount": "number"},
                  Role.CARD: {"transaction_date": "date", "amount": "number"},
                  Role.BUDGET: {"year": "string", "service": "string", "budget": "number"}}


def _check_finance(pkg: RawPackage, rr: RawResource, registers: dict[str, set[str]]) -> list[Problem]:
    """Finance resources hold the canonical columns (spending.py) the finance pages add up."""
    kind = rr.role
    where = str(pkg.descriptor_path)
    if kind not in FINANCE_FIELDS:
        return [FINANCE_SCHEMA(where, None, "finance", f"Resource '{rr.name}': finance must be one of "
                               f"{', '.join(FINANCE_FIELDS)}, not {rr.descriptor['finance']!r}.")]
    types = {f.get("name"): f.get("type", "string") for f in (rr.schema or {}).get("fields", [])}
    problems = [FINANCE_SCHEMA(where, None, name,
                               f"Resource '{rr.name}' ({kind}) needs a field '{name}' of type {wanted}.")
                for name, wanted in FINANCE_FIELDS[kind].items() if types.get(name) != wanted]
    if "individual" in types and types["individual"] != "boolean":
        # As text, "false" would read as true somewhere and a name would be published somewhere else.
        problems.append(FINANCE_SCHEMA(where, None, "individual",
                                       f"Resource '{rr.name}': the field 'individual' must be of type boolean."))
    if kind is Role.BUDGET and not problems:
        services = registers.get("services", set())
        for row in rr.rows:
            if row.cells.get("service") not in services:
                problems.append(UNKNOWN_SERVICE(str(rr.path), row.number, "service",
                                                f"No service is called '{row.cells.get('service')}'."
                                                + _closest(row.cells.get("service", ""), services)))
            try:
                if parse_period(row.cells.get("year", "")).kind != "financial-year":
                    raise PeriodError("not a financial year")
            except PeriodError:
                problems.append(PERIOD_FORMAT(str(rr.path), row.number, "year",
                                              f"'{row.cells.get('year')}' is not a financial year; write 2025/26."))
    return problems


# The registers a measure's checks read (and the key they are kept under names).
MEASURE_REGISTERS = ("purposes", "localities", "comparators", "services")


def _check_measure(pkg: RawPackage, rr: RawResource, registers: dict[str, set[str]]) -> list[Problem]:
    """A measure's property, columns and rows, against MEASURE_REGISTERS (all it is given)."""
    where = str(pkg.descriptor_path)
    dash = rr.descriptor["dashboard"]
    problems = []
    errors = sorted(profile_validator().iter_errors(dash), key=lambda e: list(e.path))
    for error in errors:
        problems.append(DASHBOARD_PROPERTY(where, None, _pointer(error), f"Measure '{rr.name}': {_schema_message(error)}"))
    if errors:
        return problems
    for key, (kind, noun) in {"purposes": (UNKNOWN_PURPOSE, "purpose"),
                              "localities": (UNKNOWN_LOCALITY, "locality"),
                              "comparators": (UNKNOWN_COMPARATOR, "comparator group")}.items():
        declared = registers.get(key, set())
        for ref in dash.get(key, []):
            if ref not in declared:
                problems.append(kind(where, None, f"dashboard.{key}",
                                     f"Measure '{rr.name}' names {noun} '{ref}', which the {key} "
                                     "register does not declare." + _closest(ref, declared)))
    if "service" in dash and dash["service"] not in registers.get("services", set()):
        problems.append(UNKNOWN_SERVICE(where, None, "dashboard.service",
                                        f"Measure '{rr.name}' names service '{dash['service']}', which the services "
                                        "register does not declare."
                                        + _closest(dash["service"], registers.get("services", set()))))
    names = {f.get("name"): f for f in (rr.descriptor.get("schema") or {}).get("fields", [])}
    if "period" not in names or "value" not in names or names["value"].get("type") not in ("number", "integer"):
        problems.append(MEASURE_SCHEMA(where, None, None,
                                       f"Measure '{rr.name}' needs a 'period' field and a numeric 'value' field."))
        return problems
    problems.extend(_check_days(where, rr.name, dash))
    problems.extend(_check_columns(where, rr, dash))
    if not any(p.type in (MEASURE_SCHEMA.code, UNKNOWN_COLUMN.code) for p in problems):   # rows would only echo it
        problems.extend(_check_rows(rr, dash))
        areas = {row.cells.get(AREA_COLUMN, "") for row in rr.rows}
        problems.extend(BENCHMARK_NOT_IN_TABLE(where, None, "dashboard.benchmarks", f"Measure '{rr.name}' names "
                                               f"benchmark area {code}, which has no rows in its table.")
                        for code in dash.get("benchmarks", []) if code not in areas)
    return problems




def _check_columns(where: str, rr: RawResource, dash: dict) -> list[Problem]:
    """A measure's table holds the columns the Dashboard knows: any other is refused, so a typo or a
    forgotten breakdown never passes silently. Its key covers the period, area and breakdowns."""
    names = [f.get("name") for f in (rr.descriptor.get("schema") or {}).get("fields", [])]
    breakdowns = list(dash.get("breakdowns", []))
    allowed = set(MEASURE_COLUMNS) | set(breakdowns) | ({AREA_COLUMN, AREA_NAME_COLUMN} if "area" in dash else set())
    problems = []
    for name in names:
        if name in (AREA_COLUMN, AREA_NAME_COLUMN) and "area" not in dash:
            problems.append(UNKNOWN_COLUMN(where, None, name, f"Measure '{rr.name}' has an '{name}' column "
                                           "but no dashboard.area: give the GSS code of the measure's own area."))
        elif name not in allowed:
            problems.append(UNKNOWN_COLUMN(where, None, name, f"Measure '{rr.name}' has a column '{name}' that is "
                                           "not one of " + ", ".join(MEASURE_COLUMNS) + ": if it splits a figure "
                                           "into parts, list it in dashboard.breakdowns; otherwise remove it."
                                           + _closest(name, allowed)))
    for name in dash.get("headline_series", {}):
        if name not in breakdowns:
            problems.append(MEASURE_SCHEMA(where, None, "dashboard.headline_series", f"Measure '{rr.name}': the "
                                           f"headline series names '{name}', which is not one of its breakdowns."))
    for name in breakdowns:
        if name not in names:
            problems.append(MEASURE_SCHEMA(where, None, "dashboard.breakdowns", f"Measure '{rr.name}' lists "
                                           f"breakdown '{name}', which is not a column of its table."))
    key = ["period"] + ([AREA_COLUMN] if AREA_COLUMN in names else []) + [b for b in breakdowns if b in names]
    declared = as_list((rr.descriptor.get("schema") or {}).get("primaryKey"))
    if declared and sorted(declared) != sorted(key):
        problems.append(MEASURE_SCHEMA(where, None, "schema.primaryKey", f"Measure '{rr.name}': the primary key "
                                       f"must be {json.dumps(key)}, one row per period, area and breakdown part."))
    return problems


def _check_days(where: str, name: str, dash: dict) -> list[Problem]:
    """Dates the JSON Schema can only shape-check must be real days."""
    release = dash.get("release", {})
    days = [("dashboard.release.next", release.get("next")),
            ("dashboard.release.delay.expected", release.get("delay", {}).get("expected"))]
    assessed = dash.get("assessment", {})
    days += [(f"dashboard.assessment.{k}", assessed.get(k)) for k in ("date", "review_by")]
    if DAY.fullmatch(dash.get("history_from", "")):
        days.append(("dashboard.history_from", dash["history_from"]))
    problems = []
    for pointer, text in days:
        try:
            if text is not None:
                date.fromisoformat(text)
        except ValueError:
            problems.append(DASHBOARD_PROPERTY(where, None, pointer,
                                               f"Measure '{name}': '{text}' is not a real day; write YYYY-MM-DD."))
    return problems


def _closest(word: str, options: set[str]) -> str:
    match = difflib.get_close_matches(word, sorted(options), n=1)
    return f" Did you mean '{match[0]}'?" if match else ""


def _schema_message(error) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown property")
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "minItems" and list(error.path) == ["purposes"]:
        return "a strategic measure needs at least one purpose"
    return error.message


def _check_rows(rr: RawResource, dash: dict) -> list[Problem]:
    path = str(rr.path)
    frequency, years = dash["frequency"], dash.get("years", Years.FINANCIAL)
    breakdowns = list(dash.get("breakdowns", []))
    problems, seen, periods, headline, rows = [], {}, set(), False, {}
    for row in rr.rows:
        series = series_key(row.cells, breakdowns, dash.get("area", ""))
        headline = headline or is_headline(series, dash.get("area", ""), dash.get("headline_series"))
        text = row.cells.get("period", "")
        try:
            period = parse_period(text, years=years)
        except PeriodError as exc:
            problems.append(PERIOD_FORMAT(path, row.number, "period", str(exc)))
            continue
        mismatch = frequency_mismatch(period, frequency, years)
        if mismatch:
            problems.append(PERIOD_FREQUENCY(path, row.number, "period", mismatch))
        else:
            rows.setdefault(series, []).append((period, row.number))
        key = (period.start, period.end)
        first = seen.setdefault(series, {})
        if key in first:
            problems.append(DUPLICATE_PERIOD(path, row.number, "period",
                                             f"'{text}' is already given on line {first[key]}"
                                             + (f" for {_series_words(series)}" if not is_headline(
                                                 series, dash.get("area", ""), dash.get("headline_series")) else "")
                                             + "; keep one row per period."))
        first.setdefault(key, row.number)
        periods.add(text)
        if "value" in row.cells and row.cells["value"].strip() == "":
            problems.append(MISSING_REASON(path, row.number, "value",
                                           "The value is blank: write [x] (not available), [c] (confidential) "
                                           "or [z] (not applicable)."))
    for series, in_step in rows.items():
        problems.extend(_check_steps(path, in_step, frequency, seen[series]))
    if rr.rows and not headline:
        area = dash.get("area")
        problems.append(NO_HEADLINE(path, None, None, "No row is the measure's headline series: "
                                    + (f"area_code {area} (or blank)" if area else "a blank area_code")
                                    + (" with " + ", ".join(breakdowns) + " blank (the total)" if breakdowns else "")
                                    + ". Add its rows; the chart and summary show that series."))
    elif rr.rows and not any(row.values.get("value") is not None for row in rr.rows):
        problems.append(EMPTY_MEASURE(path, None, None, "No row has a value."))
    elif not rr.rows:
        problems.append(EMPTY_MEASURE(path, None, None, "The table has no rows."))
    for i, note in enumerate(dash.get("annotations", [])):
        if note["period"] not in periods:
            problems.append(ANNOTATION_PERIOD(path, None, f"dashboard.annotations[{i}].period",
                                              f"Annotation '{note['label']}' is for '{note['period']}', "
                                              "which is not a period in the table."))
    return problems


def _series_words(series: tuple) -> str:
    area, parts = series
    return ", ".join(([f"area {area}"] if area else []) + [f"{name} '{value}'" for name, value in parts if value]
                     or ["the total"])


def _check_steps(path: str, rows: list, frequency: str, first_rows: dict) -> list[Problem]:
    """Runs of months and durations overlap, so their order is not told by their kind: each must end
    a whole number of steps of the frequency after the one before, and be as long."""
    ordered = sorted((p, n) for p, n in rows if first_rows[(p.start, p.end)] == n)  # duplicates are told apart
    problems, before = [], None
    for after, number in ordered:
        mismatch = step_mismatch(before, after, frequency) if before else None
        if mismatch:   # one period out of step is one problem: the next is compared with the last in step
            problems.append(PERIOD_FREQUENCY(path, number, "period", mismatch))
        else:
            before = after
    return problems


def _check_commentary(commentary: list[Commentary], measure_ids: set[str]) -> list[Problem]:
    return [INVALID_COMMENTARY(c.source, None, "measure",
                               f"No measure is called '{c.measure_id}'." + _closest(c.measure_id, measure_ids))
            for c in commentary if c.measure_id not in measure_ids]


def _warnings(sources, commentary, measure_ids) -> list[Problem]:
    commented = {c.measure_id for c in commentary}
    out = []
    for pkg in sources:
        for rr in pkg.resources:
            dash = rr.descriptor.get("dashboard")
            if rr.role is Role.MEASURE and isinstance(dash, dict) and dash.get("kind") == Kind.STRATEGIC \
                    and rr.name not in commented:
                out.append(MISSING_COMMENTARY(str(pkg.descriptor_path), None, None,
                                              f"Strategic measure '{rr.name}' has no commentary from its owner."))
    return out

