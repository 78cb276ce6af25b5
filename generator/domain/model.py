"""Typed dataclasses at the boundary between loading and rendering.

Everything the pages show is built from these; nothing downstream reads a
descriptor or a CSV again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .geography import Boundaries
from .reports import Report
from .slotted import by_fields
from .periods import Period, parse_period
from .vocabulary import AnnotationKind, Frequency, Kind, Polarity, Role, Years



@dataclass(frozen=True)
class Purpose:
    id: str
    title: str
    description: str
    portfolio_holder: str
    director: str


@dataclass(frozen=True)
class Service:
    id: str
    title: str
    description: str
    head_of_service: str
    purpose: str = ""         # the purpose it mainly serves (its cost counts there)


@dataclass(frozen=True)
class Locality:
    id: str
    name: str
    gss_code: str
    type: str


@dataclass(frozen=True)
class Area:
    code: str                 # GSS code
    name: str


@dataclass(frozen=True)
class Comparator:
    """A group of areas a council compares itself with (CIPFA nearest neighbours, say), declared once in
    the comparators register; its members in comparator_members. The council itself need not be listed."""

    id: str
    title: str
    source: str               # where the group comes from (Markdown)
    description: str
    members: tuple[Area, ...]


@by_fields
@dataclass(frozen=True, slots=True)
class Observation:
    """One row of a measure: a value for a period, or the reason it is missing. (Slotted: thousands of
    measures have a million rows between them, and a dict each added a sixth to their memory.)"""

    period: Period
    value: Decimal | None
    text: str                 # the value exactly as written in the source CSV
    symbol: str | None        # [x], [c] or [z] when the value is missing
    status: str | None        # provisional | revised | None (final)
    target: Decimal | None
    note: str | None
    row: int                  # physical line in the source file
    series: tuple[str, ...] = ()   # its area_code and breakdown cells as written: with the period, its key

    @property
    def number(self) -> float | None:
        return float(self.value) if self.value is not None else None


@dataclass(frozen=True)
class Series:
    """A measure's rows for one area and one part of each breakdown, other than its headline series.

    Downloads keep every row; charts, summaries and capability statistics use the headline series.
    """

    area_code: str                            # "" where the row gives no area: the measure's own
    breakdown: tuple[tuple[str, str], ...]    # (column, value) per breakdown column; "" is the total
    observations: list[Observation]

    @property
    def label(self) -> str:
        parts = [value for _, value in self.breakdown if value]
        return ", ".join(([self.area_code] if self.area_code else []) + parts)


AREA_COLUMN = "area_code"
AREA_NAME_COLUMN = "area_name"      # the producer's name for the area, beside its code; not part of the key
LOCALITY_COLUMN = "locality"        # a wider table's column of locality ids (the localities register's)
# The columns that say which place a row of a wider table is about: a locality's id, or a GSS code (a ward's
# or the whole area's); a table with neither is about the whole area.
PLACE_COLUMNS = (LOCALITY_COLUMN, AREA_COLUMN, AREA_NAME_COLUMN)
MEASURE_COLUMNS = ("period", "value", "status", "target", "note")   # every measure table may have these
RESERVED_COLUMNS = MEASURE_COLUMNS + (AREA_COLUMN, AREA_NAME_COLUMN)  # no breakdown may be called one of these


SeriesKey = tuple[str, tuple[tuple[str, str], ...]]


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")     # a day as the data writes one; anything else in history_from is a commit


def history_day(text: str) -> date | None:
    """dashboard.history_from as a day when it is written as one (a commit gives None)."""
    try:
        return date.fromisoformat(text) if DAY.fullmatch(text) else None
    except ValueError:
        return None


def key_columns(columns: list[str], breakdowns: list[str]) -> tuple[str, ...]:
    """A measure table's key after the period: area_code (when it has one), then the breakdowns."""
    return ((AREA_COLUMN,) if AREA_COLUMN in columns else ()) + tuple(breakdowns)


def area_of(cells: dict[str, str], area: str) -> str:
    """The area a row is about: its area_code, or, where that is blank (or the table has none), the
    measure's own area. Decided here only, so keys, duplicates, the headline and revisions agree."""
    return cells.get(AREA_COLUMN, "").strip() or area


def series_key(cells: dict[str, str], breakdowns: list[str], area: str) -> SeriesKey:
    """Which series a row belongs to: its area and its part of each breakdown (blank is the total)."""
    return (area_of(cells, area), tuple((b, cells.get(b, "").strip()) for b in breakdowns))


def row_key(cells: dict[str, str], key_columns: tuple[str, ...], area: str) -> tuple[str, ...]:
    """A row's key after its period (Measure.key_columns), with its area as area_of reads it."""
    return tuple(area_of(cells, area) if c == AREA_COLUMN else cells.get(c, "").strip() for c in key_columns)


def is_headline(key: SeriesKey, area: str, headline_parts: dict[str, str] | None = None) -> bool:
    """The measure's own area with every breakdown at its total, or at the part `dashboard.headline_series`
    names where the table has no total (one monitoring station)."""
    code, parts = key
    chosen = headline_parts or {}
    return code == area and all(value == chosen.get(column, "") for column, value in parts)


@dataclass(frozen=True)
class ReleaseTiming:
    """When a measure's next figure comes: its own lag or the producer's announced date, and any delay."""

    lag_days: int | None = None       # None: the council's DASHBOARD_PUBLICATION_LAG_DAYS
    next: date | None = None          # the producer's announced date of the next release
    delay_reason: str = ""
    delay_expected: date | None = None


@dataclass(frozen=True)
class Annotation:
    period: str
    label: str
    description: str
    rebase: bool
    kind: AnnotationKind = AnnotationKind.SERVICE


@dataclass(frozen=True)
class Commentary:
    measure_id: str
    author: str
    role: str
    date: date
    period: str | None
    html: str                 # sanitized
    source: str

    @property
    def anchor(self) -> str:
        """A fragment id that stays the same while the file keeps its name."""
        return "commentary-" + Path(self.source).stem


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    unit: str

    @property
    def numeric(self) -> bool:
        """A number, not text: right-aligned in a table, never neutralised for a spreadsheet. Decided here only."""
        return self.type in NUMERIC_TYPES


NUMERIC_TYPES = frozenset({"integer", "number", "year"})


@dataclass
class Measure:
    id: str
    title: str
    description: str          # Markdown, from the resource
    package: str
    source_path: Path         # the source CSV
    fields: list[Field]
    kind: Kind
    purposes: list[str]
    service: str
    team: str
    localities: list[str]
    unit: str
    polarity: Polarity
    frequency: Frequency
    owner: str
    source: str
    target: Decimal | None
    suppress_below: int | None
    headline: bool
    why: str
    quality: str
    annotations: list[Annotation]
    observations: list[Observation]
    commentary: list[Commentary] = field(default_factory=list)
    area: str = ""                # GSS code of the area the headline series is about (dashboard.area)
    breakdowns: list[str] = field(default_factory=list)   # columns that split a figure (never places)
    headline_parts: dict[str, str] = field(default_factory=dict)   # the headline's breakdown cells, if not blank
    series: list[Series] = field(default_factory=list)    # every other area's and part's rows
    release: ReleaseTiming = field(default_factory=ReleaseTiming)
    area_names: dict[str, str] = field(default_factory=dict)   # area code -> name, from the area_name column
    formerly: list[str] = field(default_factory=list)      # ids it was published under before: old addresses
    comparators: list[str] = field(default_factory=list)   # ids of the groups it is ranked in
    benchmarks: list[str] = field(default_factory=list)    # area codes drawn as reference lines, never ranked
    history_from: str = ""        # a date or commit: its history (revisions, last updated) starts there
    updated: date | None = None   # when its figures last changed (git), if known
    revisions: list = field(default_factory=list)   # revisions.Revision, oldest first
    years: Years = Years.FINANCIAL   # what its `2024/25` means: April to March, or September to August
    signoffs: list = field(default_factory=list)    # domain.signoffs.SignOff that still hold, oldest first
    assessment: Any = None        # domain.quality.Assessment: its data against the council's quality tests
    published: dict[str, date] = field(default_factory=dict)   # headline period -> first published (git)
    # Its table's Resource.rows_key: its observations, series and the other fields read from its table are
    # made from that alone, so a hash of it stands in for them (None: not known, as without a cache). Not
    # what the measure is, so not compared.
    rows_key: str | None = field(default=None, compare=False)
    # Its headline's periods (as Period.text), oldest first: made from its observations, and kept beside them
    # where the cache keeps those apart (ingest/build.py), so that a rebuild reads the rows of none but the
    # measures whose pages it makes. Not what the measure is, so not compared.
    periods: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self):
        # The vocabulary's members, however the codes arrived: they carry their words.
        self.kind, self.polarity, self.frequency = Kind(self.kind), Polarity(self.polarity), Frequency(self.frequency)
        self.years = Years(self.years)
        self.periods = tuple(o.period.text for o in self.observations)

    def period(self, text: str) -> Period:
        """A period of this measure (an annotation's, a revision's), read with the measure's years."""
        return parse_period(text, years=self.years)

    @property
    def next_period(self) -> Period | None:
        """The period of the next figure: a step of the frequency after the latest (a rolling
        12 months to June, quarterly, is followed by the 12 months to September)."""
        following = self.last_period.next(self.frequency)
        return self.period(following) if following else None

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The table's key after the period: area_code (when it has one), then the breakdowns."""
        return key_columns([f.name for f in self.fields], self.breakdowns)

    @property
    def headline_key(self) -> tuple[str, ...]:
        """The key after the period (key_columns) of every row of its headline series."""
        return row_key({AREA_COLUMN: self.area, **self.headline_parts}, self.key_columns, self.area)

    def every_observation(self) -> list[Observation]:
        """The headline series and every other series: each row of the table once."""
        return self.observations + [o for s in self.series for o in s.observations]

    @property
    def revised(self) -> list[Observation]:
        return [o for o in self.observations if o.status == "revised"]

    @property
    def with_values(self) -> list[Observation]:
        return [o for o in self.observations if o.value is not None]

    @property
    def latest(self) -> Observation | None:
        values = self.with_values
        return values[-1] if values else None

    @property
    def first_period(self) -> Period:
        return self.period(self.periods[0])

    @property
    def last_period(self) -> Period:
        return self.period(self.periods[-1])

    def target_for(self, obs: Observation) -> Decimal | None:
        return obs.target if obs.target is not None else self.target

    @property
    def has_target(self) -> bool:
        return self.target is not None or any(o.target is not None for o in self.observations)


@dataclass
class Resource:
    """A table as it is published: suppressed counts are already [c] in both views of a row."""

    name: str
    title: str
    description: str
    path: Path | None         # source file
    relpath: str              # path inside the package
    fields: list[Field]
    bytes: int
    # Rows in field order (a build keeps a long table's on disk: any sequence, read in order or by slice).
    cells: Sequence[Sequence[str]] = field(default_factory=list)       # text exactly as in the source
    values: Sequence[Sequence[object]] = field(default_factory=list)   # typed by the Table Schema (None: missing)
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)
    required: set[str] = field(default_factory=set)
    schema: dict = field(default_factory=dict)               # the Table Schema as read (for republishing)
    tabular: bool = True      # read as a table (published as CSV), even if every field is personal
    role: Role = Role.DATASET
    delimiter: str | None = None   # the source's cell separator, for text tables read again from git
    # A hash of all its published rows are made from (None: no cache, or the table had problems): what is
    # made from the rows alone (its CSV, a workbook's sheet) is kept in the cache under it.
    rows_key: str | None = None

    @property
    def row_count(self) -> int:
        return len(self.cells)

    @property
    def wider(self) -> bool:
        """A table of wider data (demographics, context statistics, a partner's figures): a table that is
        neither a measure, a register nor finance. Decided here only: the wider data page, the facts on a
        locality's page and the area's population all read it."""
        return self.role is Role.DATASET and self.tabular

    @property
    def places(self) -> list[str]:
        """Its columns that say which place a row is about (locality, area_code): none for a table about
        the whole area."""
        names = {f.name for f in self.fields}
        return [c for c in (LOCALITY_COLUMN, AREA_COLUMN) if c in names]

    def column(self, name: str) -> list[str]:
        """A column's cells as written, in row order ([] when the table has no such column)."""
        names = [f.name for f in self.fields]
        if name not in names:
            return []
        i = names.index(name)
        return [row[i] for row in self.cells]


@dataclass
class Dataset:
    """A data package, published whole in the catalogue."""

    name: str
    title: str
    description: str
    directory: Path
    descriptor: dict
    resources: list[Resource]
    licenses: list[dict]
    publisher: str
    frequency: Frequency | None = None   # how often the package says it is updated, if it says
    updated: date | None = None   # when any of its files last changed (git), if known
    added: date | None = None     # when it was first published (git), if known
    purposes: list[str] = field(default_factory=list)   # the purposes its figures inform (dashboard.purposes)

    def resource(self, name: str) -> Resource | None:
        """Its table called `name`: looked up by name (a package of a thousand measures' tables, asked for
        each of them, was a scan of the whole list each time)."""
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, Resource]:
        found: dict[str, Resource] = {}
        for r in self.resources:
            found.setdefault(r.name, r)     # the first of a name, as a scan found it
        return found

    @property
    def wider_tables(self) -> list[Resource]:
        """Its tables of wider data (Resource.wider)."""
        return [r for r in self.resources if r.wider]

    @property
    def wider(self) -> bool:
        """Wider data: a package with at least one table that is neither a measure, a register nor finance."""
        return bool(self.wider_tables)

    def partner(self, council: str) -> bool:
        """Published by another organisation (the police, the NHS, a housing association): its publisher is
        named, and is not the council (DASHBOARD_COUNCIL, read without regard to case or spacing)."""
        return bool(self.publisher.strip()) and _plain_name(self.publisher) != _plain_name(council)

    @property
    def licence(self) -> dict:
        """The licence it is published under: the first it names (or the council's default, given at load).
        Pages list them all; the measure twin, DCAT and SQLite name this one."""
        return self.licenses[0]


def _plain_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class Fact(NamedTuple):
    """One figure about a locality from a wider table with a `locality` column (a ward profile, say) or an
    `area_code` column holding the locality's GSS code."""

    field: Field
    period: str
    value: str                # as written in the source
    dataset: str = ""         # the package it comes from (the pages cite it, with its publisher)


@dataclass(frozen=True)
class Population:
    """The area's latest population: a wider table with `period` and `population` columns and no column
    of places (Resource.places; decided once, at load; documented in docs/data-model.md)."""

    period: str
    people: int
    dataset: str


@dataclass
class Site:
    purposes: dict[str, Purpose]
    services: dict[str, Service]
    localities: dict[str, Locality]
    measures: dict[str, Measure]
    datasets: dict[str, Dataset]
    locality_facts: dict[str, list[Fact]]   # locality id -> facts about it, in the order of the data
    population: Population | None = None    # the area's latest population, for cost per resident
    comparators: dict[str, Comparator] = field(default_factory=dict)
    boundaries: Boundaries | None = None    # the localities' shapes, for maps
    reports: list[Report] = field(default_factory=list)   # reports to councillors, oldest first
    signoffs: list = field(default_factory=list)   # domain.signoffs.SignOff: the register's rows, as written

    def measures_for_purpose(self, purpose_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if purpose_id in m.purposes]

    def measures_for_service(self, service_id: str) -> list[Measure]:
        return [m for m in self.measures.values() if m.service == service_id]

    @property
    def wider_datasets(self) -> list[Dataset]:
        """The packages of wider data (Dataset.wider), in the catalogue's order."""
        return [d for d in self.datasets.values() if d.wider]

    @property
    def context_measures(self) -> list[Measure]:
        """Statistics the council watches but does not produce: wider data too, listed apart from performance."""
        return [m for m in self.measures.values() if m.kind is Kind.CONTEXT]

    @property
    def has_wider_data(self) -> bool:
        return bool(self.wider_datasets or self.context_measures)

    def wider_for_purpose(self, purpose_id: str) -> list[Dataset]:
        """The packages of wider data that say they inform a purpose (dashboard.purposes)."""
        return [d for d in self.wider_datasets if purpose_id in d.purposes]

    def measure_of(self, dataset: str, resource: str) -> Measure | None:
        """The measure a package's resource is, if it is one."""
        m = self.measures.get(resource)
        return m if m is not None and m.package == dataset else None

    def frequencies(self, dataset: Dataset) -> list[Frequency]:
        """How often a dataset is updated: as its package states, else as its measures are (in the
        vocabulary's order)."""
        if dataset.frequency is not None:
            return [dataset.frequency]
        return sorted({m.frequency for m in self.measures.values() if m.package == dataset.name},
                      key=list(Frequency).index)

    def measures_for_locality(self, locality_id: str) -> list[Measure]:
        """Measures about the place, and measures with rows for it (its GSS code as an area)."""
        code = self.localities[locality_id].gss_code if locality_id in self.localities else ""
        return [m for m in self.measures.values()
                if locality_id in m.localities or (code and any(s.area_code == code for s in m.series))]


def locality_of(table: Resource, row: list[str], localities: dict[str, Locality]) -> str | None:
    """The locality a row of a wider table is about: its `locality` cell when that is a locality's id, else
    its `area_code` cell when that is a locality's GSS code; None for the whole area (or another area)."""
    names = [f.name for f in table.fields]
    cells = {c: row[names.index(c)].strip() for c in table.places}
    if cells.get(LOCALITY_COLUMN) in localities:
        return cells[LOCALITY_COLUMN]
    code = cells.get(AREA_COLUMN)
    return next((x.id for x in localities.values() if code and x.gss_code == code), None)


def as_list(value) -> list[str]:
    """A Table Schema key given as one name or a list of names, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
