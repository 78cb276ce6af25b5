"""The typed model (domain/model.py) from raw sources that passed every check."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal
from pathlib import Path

from .. import cache
from ..domain.geography import Boundaries, BoundaryError, read_boundaries
from ..domain.disclosure import is_personal, is_personal_field, redaction, suppressed
from ..domain.model import (AREA_COLUMN, history_day, AREA_NAME_COLUMN, PLACE_COLUMNS, Annotation, Area, Commentary, Comparator,
                            Dataset, Fact, Field, Locality, Measure, Observation, Population, Purpose, ReleaseTiming,
                            Resource, Series, Service, Site, as_list, is_headline, key_columns, locality_of, row_key,
                            series_key)
from ..domain.periods import parse_period
from ..domain.vocabulary import (CONFIDENTIAL, FINANCE_ROLES, MISSING_SYMBOLS, AnnotationKind, Frequency, Kind,
                                  Polarity, Role, Years)
from ..domain.quality import assessment_of
from ..domain.signoffs import REGISTER as SIGNOFFS, SignOff
from ..domain.pickled import PickledList
from .read import RawPackage, RawResource, csv_delimiter, resource_paths
from .spill import Spill, packed, unpacked


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


def _register_rows(sources: list[RawPackage], name: str) -> list[dict]:
    for pkg in sources:
        for rr in pkg.resources:
            if rr.role is Role.REGISTER and rr.name == name:
                published = {f.name for f in _fields(rr)}     # never a personal column
                return [{k: (v if v is not None else "") for k, v in row.values.items() if k in published}
                        for row in rr.rows]
    return []


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def published_rows(rr: RawResource, personal_rules: dict | None = None
                   ) -> tuple[list[str], list[list[str]], list[list[object]]]:
    """A resource's header, text cells and typed values as published.

    Small counts (above zero, below the measure's `suppress_below`) could identify people:
    they become [c] here, once, so pages, charts and every download agree.
    """
    names = [f.name for f in _fields(rr)]
    threshold = rr.descriptor["dashboard"].get("suppress_below") if rr.role is Role.MEASURE else None
    redacted = redaction(names)
    cells, values = [], []
    for row in rr.rows:
        text, typed = row.in_order(tuple(names))
        hidden = {}
        if "value" in names and suppressed(_decimal(row.values.get("value")), threshold):
            hidden["value"] = CONFIDENTIAL
        if rr.role in FINANCE_ROLES and is_personal(row.cells, personal_rules or {}):
            hidden.update(redacted)
        if hidden:
            text = tuple(hidden.get(n, t) for n, t in zip(names, text))
            typed = tuple(_hidden_value(hidden[n]) if n in hidden else v for n, v in zip(names, typed))
        cells.append(text)
        values.append(typed)
    return names, cells, values


def rows_key(rr: RawResource, personal_rules: dict | None) -> str | None:
    """A hash of all a table's published rows are made from: the rows as read (its content_key), the rules
    that redact and suppress them, and every module of the generator (the model and what publishes it)."""
    if rr.content_key is None:
        return None
    return cache.key(cache.every_module(), "published rows", rr.content_key, personal_rules or {})


def _hidden_value(text: str):
    """The typed value of a cell published as `text` in place of what it held: [c], a redaction's words, ..."""
    return None if text in ("", CONFIDENTIAL) else True if text == "true" else text


def measure_from(pkg: RawPackage, rr: RawResource, published: Resource) -> Measure:
    """A measure from its raw rows and its table as published (suppressed counts already [c])."""
    d = rr.descriptor
    dash = d["dashboard"]
    names = [f.name for f in published.fields]
    breakdowns = list(dash.get("breakdowns", []))
    area = dash.get("area", "")
    years = Years(dash.get("years", Years.FINANCIAL))
    keyed = key_columns(names, breakdowns)
    rows: dict[tuple, list[Observation]] = {}
    keys: dict[tuple, tuple] = {}       # one tuple for each row key: a series repeats its own on every row
    at = names.index("value")
    for row, text_row, typed_row in zip(rr.rows, published.cells, published.values):
        text = text_row[at].strip()
        cells, values = row.cells, row.values
        rows.setdefault(series_key(cells, breakdowns, area), []).append(Observation(
            period=parse_period(cells["period"], years=years),
            value=_decimal(typed_row[at]),
            text=text,
            symbol=text if text in MISSING_SYMBOLS else None,
            status=(values.get("status") or None),
            target=_decimal(values.get("target")),
            note=(values.get("note") or None),
            row=row.number,
            series=keys.setdefault(key := row_key(cells, keyed, area), key),
        ))
    for observations in rows.values():
        observations.sort(key=lambda o: o.period)
    chosen = dash.get("headline_series", {})
    headline = [o for key, obs in rows.items() if is_headline(key, area, chosen) for o in obs]
    release = dash.get("release", {})
    delay = release.get("delay", {})
    return Measure(
        id=d["name"], title=d.get("title") or d["name"], description=d.get("description", ""),
        package=pkg.descriptor.get("name", pkg.directory.name), source_path=rr.path, fields=_fields(rr),
        kind=Kind(dash["kind"]), purposes=list(dash.get("purposes", [])), service=dash.get("service", ""),
        team=dash.get("team", ""), localities=list(dash.get("localities", [])), unit=dash["unit"],
        polarity=Polarity(dash.get("polarity", Polarity.NEUTRAL)), frequency=Frequency(dash["frequency"]),
        owner=dash.get("owner", ""), source=dash["source"],
        target=_decimal(dash.get("target")), suppress_below=dash.get("suppress_below"),
        headline=bool(dash.get("headline", False)), why=dash.get("why", ""), quality=dash.get("quality", ""),
        annotations=[Annotation(a["period"], a["label"], a.get("description", ""), bool(a.get("rebase", False)),
                                AnnotationKind(a.get("kind", AnnotationKind.SERVICE)))
                     for a in dash.get("annotations", [])],
        observations=sorted(headline, key=lambda o: o.period), years=years,
        area=area, breakdowns=breakdowns, headline_parts=dict(chosen),
        series=[Series(key[0], key[1], obs) for key, obs in sorted(rows.items()) if not is_headline(key, area, chosen)],
        release=ReleaseTiming(release.get("lag_days"), _day(release.get("next")), delay.get("reason", ""),
                              _day(delay.get("expected"))),
        history_from=str(dash.get("history_from", "")), assessment=assessment_of(dash.get("assessment")),
        formerly=list(dash.get("formerly", [])),
        comparators=list(dash.get("comparators", [])), benchmarks=list(dash.get("benchmarks", [])),
        area_names={code: name for row in rr.rows
                    if (code := row.cells.get(AREA_COLUMN, "").strip()) and (name := row.cells.get(AREA_NAME_COLUMN, ""))},
        rows_key=published.rows_key,
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def dataset_from(pkg: RawPackage, default_license: dict, personal_rules: dict | None = None) -> Dataset:
    return _dataset(pkg, [_table(rr, personal_rules, rows_key(rr, personal_rules)) for rr in pkg.resources],
                    default_license)


def _table(rr: RawResource, personal_rules: dict | None, key: str | None) -> Resource:
    """A resource as it is published (`key`: its rows_key)."""
    rel = resource_paths(rr.descriptor)
    schema = rr.schema or {}
    _, cells, values = published_rows(rr, personal_rules)
    return Resource(
        name=rr.name, title=rr.descriptor.get("title") or rr.name,
        description=rr.descriptor.get("description", ""), path=rr.path,
        relpath=rel[0] if rel else "", fields=_fields(rr), schema=rr.schema or {},
        bytes=rr.path.stat().st_size if rr.path else 0, cells=cells, values=values,
        tabular=rr.schema is not None, role=rr.role,
        delimiter=csv_delimiter(rr.descriptor, rr.path) if rr.path else None,
        primary_key=as_list(schema.get("primaryKey")),
        foreign_keys=[fk for fk in schema.get("foreignKeys", []) if isinstance(fk, dict)],
        required={f.get("name") for f in schema.get("fields", [])
                  if (f.get("constraints") or {}).get("required")},
        rows_key=key)


def _modelled(pkg: RawPackage, rr: RawResource, personal_rules: dict | None,
              cache_dir: Path | None) -> tuple[Resource, Measure | None]:
    """A resource as published and, for a measure's table, its measure (before its commentary and history):
    kept in the cache (`cache_dir`: a build's) under the table's rows_key and where it is, so that an
    unchanged table's rows as read are never even unpickled (read.py leaves them until asked for). A long
    table's rows are kept as a spill file holds them (spill.Packed), to be copied there as bytes."""
    key = rows_key(rr, personal_rules)
    kept = cache_dir / "models" / f"{cache.key(key, str(rr.path), str(pkg.directory))}.pickle" \
        if cache_dir and key else None
    if (data := cache.found(kept)) is not None:
        return pickle.loads(data)
    table = _table(rr, personal_rules, key)
    made = table, measure_from(pkg, rr, table) if rr.role is Role.MEASURE else None
    if kept:        # a long table's rows kept as a spill file holds them (spill.Packed)
        table.cells, table.values = packed(table.cells), packed(table.values)
        cache.keep(kept, pickle.dumps((table, _rows_apart(made[1])), protocol=pickle.HIGHEST_PROTOCOL))
    return made


def _rows_apart(measure: Measure | None) -> Measure | None:
    """The measure as the cache keeps it: the observations of its headline and of each series a pickle of their
    own, read only when first asked for. A rebuild unpickles every measure kept, yet reads the rows of the few
    that changed (and of any whose pages it must make): a thousand measures' 450,000 observations took 1.5 s
    to unpickle."""
    if measure is None:
        return None
    return dataclasses.replace(measure, observations=PickledList(measure.observations),
                               series=[dataclasses.replace(s, observations=PickledList(s.observations))
                                       for s in measure.series])


def _dataset(pkg: RawPackage, resources: list[Resource], default_license: dict) -> Dataset:
    d = pkg.descriptor
    publisher = next((c.get("title", "") for c in d.get("contributors", []) if c.get("role") == "publisher"), "")
    dash = d.get("dashboard") or {}
    return Dataset(name=d.get("name", pkg.directory.name), title=d.get("title") or d.get("name", pkg.directory.name),
                   description=d.get("description", ""), directory=pkg.directory, descriptor=d,
                   resources=resources, licenses=d.get("licenses") or [default_license], publisher=publisher,
                   frequency=Frequency(dash["frequency"]) if dash.get("frequency") else None,
                   purposes=list(dash.get("purposes", [])))


def _locality_facts(datasets: dict[str, Dataset], localities: dict[str, Locality]) -> dict[str, list[Fact]]:
    """Rows of wider tables about a locality (its id in a `locality` column, or its GSS code in `area_code`)
    become facts about that place: every other column but the period and the area's name."""
    facts: dict[str, list[Fact]] = {lid: [] for lid in localities}
    for dataset in datasets.values():
        for table in dataset.wider_tables:
            if not table.places:
                continue
            names = [f.name for f in table.fields]
            shown = [(i, f) for i, f in enumerate(table.fields) if f.name not in PLACE_COLUMNS + ("period",)]
            for row in table.cells:
                lid = locality_of(table, row, localities)
                if lid is None:
                    continue
                period = row[names.index("period")] if "period" in names else ""
                facts[lid].extend(Fact(f, period, row[i], dataset.name) for i, f in shown)
    return facts


def build_site(sources: list[RawPackage], commentary: list[Commentary], default_license: dict,
               personal_rules: dict | None = None, spill: Spill | None = None, cache_dir: Path | None = None) -> Site:
    """The model. With `spill` (a build), long tables are kept on disk, and each table's rows as read are
    let go once it is built: the sources are not to be read again. With `cache_dir` (a build's), each table's
    model is kept there, and read from there while the table is unchanged."""
    purposes = {r["id"]: Purpose(r["id"], r["title"], r.get("description", ""), r.get("portfolio_holder", ""),
                                 r.get("director", "")) for r in _register_rows(sources, "purposes")}
    services = {r["id"]: Service(r["id"], r["title"], r.get("description", ""), r.get("head_of_service", ""),
                                 r.get("purpose", ""))
                for r in _register_rows(sources, "services")}
    localities = {r["id"]: Locality(r["id"], r["name"], r.get("gss_code", ""), r.get("type", ""))
                  for r in _register_rows(sources, "localities")}
    members: dict[str, list[Area]] = {}
    for r in _register_rows(sources, "comparator_members"):
        members.setdefault(r["comparator"], []).append(Area(r["area_code"], r.get("area_name", "")))
    comparators = {r["id"]: Comparator(r["id"], r["title"], r.get("source", ""), r.get("description", ""),
                                       tuple(members.get(r["id"], [])))
                   for r in _register_rows(sources, "comparators")}
    signoffs = _signoffs(sources)
    datasets, measures = {}, {}
    for pkg in sources:
        modelled = [_modelled(pkg, rr, personal_rules, cache_dir) for rr in pkg.resources]
        ds = _dataset(pkg, [published for published, _ in modelled], default_license)
        datasets[ds.name] = ds
        for rr, (published, measure) in zip(pkg.resources, modelled):        # one published table for each
            if measure:
                measures[rr.name] = measure
            if spill:
                # Modelled: a long table's rows wait on disk, and the rows as read go, so the model made
                # next fills their memory rather than adding to it.
                published.cells, published.values = spill.rows(published.cells), spill.rows(published.values)
                rr.rows = []
            else:
                published.cells, published.values = unpacked(published.cells), unpacked(published.values)
    for note in sorted(commentary, key=lambda c: (c.date, c.source), reverse=True):
        if note.measure_id in measures:
            measures[note.measure_id].commentary.append(note)
    return Site(purposes=purposes, services=dict(sorted(services.items())),
                localities=dict(sorted(localities.items(), key=lambda kv: kv[1].name)),
                measures=dict(sorted(measures.items(), key=lambda kv: kv[1].title.lower())),
                datasets=dict(sorted(datasets.items())),
                locality_facts=_locality_facts(datasets, localities), population=_population(datasets),
                comparators=comparators, boundaries=_boundaries(sources, localities), signoffs=signoffs)


def _signoffs(sources: list[RawPackage]) -> list[SignOff]:
    """The signoffs register's rows (checked against the data by ingest/signoffs.py)."""
    for pkg in sources:
        for rr in pkg.resources:
            if rr.role is Role.REGISTER and rr.name == SIGNOFFS:
                return [SignOff(r.cells["measure"], r.cells["period"], r.cells["by"], r.cells["role"],
                                history_day(r.cells["date"].strip()), r.cells["figure_sha256"],
                                r.cells["commentary_sha256"], str(rr.path), r.number) for r in rr.rows]
    return []


def _boundaries(sources: list[RawPackage], localities: dict[str, Locality]) -> Boundaries | None:
    """The localities' shapes from the first boundary file that has any (the checks have read it already):
    a file for a wider area (every ward in a county) is drawn only where the register's localities are."""
    codes = {loc.gss_code for loc in localities.values() if loc.gss_code}
    for pkg in sources:
        for rr in pkg.resources:
            if rr.role is Role.BOUNDARIES:
                try:
                    found = read_boundaries(rr.path, rr.descriptor.get("boundaries") or {},
                                             pkg.descriptor.get("name", pkg.directory.name))
                except BoundaryError:
                    continue
                if codes & set(found.shapes):
                    return dataclasses.replace(found, shapes={c: s for c, s in found.shapes.items() if c in codes})
    return None


def _population(datasets: dict[str, Dataset]) -> Population | None:
    """The area's latest population: a wider table with `period` and a numeric `population` column and no
    column of places (a ward profile has one). Decided here, once; any other table is just a dataset."""
    for dataset in datasets.values():
        for r in dataset.wider_tables:
            types = {f.name: f.type for f in r.fields}
            if types.get("population") not in ("integer", "number") or "period" not in types or r.places:
                continue
            names = [f.name for f in r.fields]
            counted = [v for v in r.values if isinstance(v[names.index("population")], (int, Decimal))
                       and v[names.index("population")] > 0]
            if counted:
                latest = max(counted, key=lambda v: str(v[names.index("period")]))
                return Population(str(latest[names.index("period")]), int(latest[names.index("population")]),
                                  dataset.name)
    return None
