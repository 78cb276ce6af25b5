"""The database's gathered tables: many resources' rows in one long table each.

`observations` holds every row of every measure's table (every area, every breakdown part),
`measures` what each measure is, and `spending` every spending quarter in the canonical
columns. A row of `observations` is keyed by measure, period, area and breakdown; as key
columns cannot be NULL in a STRICT table, the measure's own area (its code, or a blank, which
means the same: domain.model.area_of) is area_code '' and the total of every breakdown is
breakdown ''.

The breakdown is one text, so a measure may have any number of breakdown columns: a
`column=value` pair for each breakdown that is not at its total, in the order of the
measure's `dashboard.breakdowns`, joined by ';' ('sex=Female;age=16-24'). A '%', ';' or '='
inside a name or value is percent-encoded (%25, %3B, %3D), so splitting on ';' and then on
the first '=' and percent-decoding each side gives the parts back (docs/open-data.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation

from ..domain.model import AREA_COLUMN, Dataset, Measure, Observation
from ..domain.spending import SPENDING_COLUMNS
from ..domain.vocabulary import Role
from ..urls import Urls
from .database import COLUMN_TYPES, Column, Piece, Table, sql_value

OBSERVATIONS, MEASURES, SPENDING = "observations", "measures", "spending"
_ESCAPES = {"%": "%25", ";": "%3B", "=": "%3D"}


def _escaped(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


def breakdown_text(parts: Iterable[tuple[str, str]]) -> str:
    """The breakdown parts of a row as one stable text: '' when every part is the total."""
    return ";".join(f"{_escaped(column)}={_escaped(value)}" for column, value in parts if value)


def _real(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


# --- observations ---------------------------------------------------------------------------

OBSERVATION_COLUMNS = [
    Column("measure", "TEXT", "The measure's id: a row of the measures table.", not_null=True),
    Column("period", "TEXT", "The period, as the measure's table writes it.", not_null=True),
    Column("area_code", "TEXT", "The GSS code of the area the row is about; '' for the measure's own area "
                                "(measures.area), written or left blank.", not_null=True),
    Column("breakdown", "TEXT", "The breakdown parts: column=value pairs in the order of measures.breakdowns, "
                                "joined by ';', a total left out ('' is the total of every breakdown).",
           not_null=True),
    Column("period_start", "TEXT", "The first day of the period (ISO 8601).", not_null=True),
    Column("period_end", "TEXT", "The last day of the period (ISO 8601).", not_null=True),
    Column("value", "REAL", "The figure; NULL only when it is missing, and then symbol says why."),
    Column("symbol", "TEXT", "Why the figure is missing: [x] not available, [c] confidential, [z] not applicable."),
    Column("status", "TEXT", "provisional or revised; NULL when final."),
    Column("target", "REAL", "The row's own target, when the table gives one."),
    Column("note", "TEXT", "A note on the figure; for a revised one, the reason."),
    Column("headline", "INTEGER", "1 when the row is in the measure's headline series (its chart and "
                                  "summary), else 0.", not_null=True),
]


def _observation(m: Measure, o: Observation, headline: bool) -> tuple:
    cells = dict(zip(m.key_columns, o.series))
    breakdown = breakdown_text((column, cells.get(column, "")) for column in m.breakdowns)
    area = cells.get(AREA_COLUMN, "")
    return (m.id, o.period.text, "" if area == m.area else area, breakdown, o.period.start.isoformat(),
            o.period.end.isoformat(), _real(o.value), o.symbol, o.status, _real(o.target), o.note, int(headline))


def observations(measures: list[Measure], licence: dict, source: str, source_url: str) -> Table:
    """Every row of every measure's table, a piece per measure (named by its id). Its rows are made as the
    database is written (a large site has hundreds of thousands), and only for a measure whose piece the
    cache lacks."""
    return Table(OBSERVATIONS, "Every figure of every measure",
                 "Each row of each measure's table, for every area and breakdown, in one long table.",
                 OBSERVATION_COLUMNS, ["measure", "period", "area_code", "breakdown"], (),
                 licence, source, source_url, foreign_keys=(("measure", MEASURES, "id"),),
                 pieces=tuple(Piece(m.id, lambda m=m: _observation_rows(m)) for m in measures))


def _observation_rows(m: Measure) -> Iterator[tuple]:
    headline = {id(o) for o in m.observations}
    for o in sorted(m.every_observation(), key=lambda o: o.row):
        yield _observation(m, o, id(o) in headline)


# --- measures -------------------------------------------------------------------------------

MEASURE_COLUMNS = [
    Column("id", "TEXT", "The measure's id (its resource's name).", not_null=True),
    Column("title", "TEXT", "Its title.", not_null=True),
    Column("description", "TEXT", "What it measures (Markdown)."),
    Column("unit", "TEXT", "The unit of its values."),
    Column("frequency", "TEXT", "How often a figure is published."),
    Column("polarity", "TEXT", "Whether higher or lower is better, or neither."),
    Column("kind", "TEXT", "strategic, operational or context."),
    Column("purposes", "TEXT", "The purposes it serves, as a JSON array of ids."),
    Column("service", "TEXT", "The service responsible, by id."),
    Column("owner", "TEXT", "Who is responsible for it."),
    Column("source", "TEXT", "Where its figures come from."),
    Column("area", "TEXT", "The GSS code of its own area (observations.area_code '' is this area)."),
    Column("breakdowns", "TEXT", "Its breakdown columns, in order, as a JSON array."),
    Column("licence", "TEXT", "The licence its figures are published under."),
    Column("url", "TEXT", "Its page on the Dashboard.", not_null=True),
    Column("package", "TEXT", "The data package it is published in.", not_null=True),
]


def _licence_name(licence: dict) -> str:
    return licence.get("title") or licence.get("name", "")


def measures_table(measures: list[Measure], datasets: dict[str, Dataset], urls: Urls, licence: dict,
                   source: str, source_url: str) -> Table:
    rows = [(m.id, m.title, m.description, m.unit, m.frequency.value, m.polarity.value, m.kind.value,
             json.dumps(m.purposes), m.service, m.owner, m.source, m.area, json.dumps(m.breakdowns),
             _licence_name(datasets[m.package].licence), urls.absolute(urls.measure(m.id)), m.package)
            for m in measures]
    return Table(MEASURES, "Measures", "What each measure is: its unit, frequency, owner, source and page.",
                 MEASURE_COLUMNS, ["id"], rows, licence, source, source_url, label_column="title")


# --- spending -------------------------------------------------------------------------------

SPENDING_TABLE_COLUMNS = [
    Column("package", "TEXT", "The data package the payment is published in.", not_null=True),
    Column("resource", "TEXT", "The resource (a quarter's file) it came from.", not_null=True),
    Column("resource_row", "INTEGER", "Its row in that resource (1 is the first after the header).",
           not_null=True),
    *(Column(c.name, COLUMN_TYPES.get(c.type, "TEXT"), c.description) for c in SPENDING_COLUMNS),
]


def _spending_cell(value: object, text: str, field_type: str):
    stored = sql_value(value, text, field_type)
    if field_type == "number" and isinstance(stored, str):
        # A hand-made package may type irrecoverable VAT as text: only a plain number fits the column.
        try:
            return float(Decimal(stored))
        except InvalidOperation:
            return None
    return stored


def spending(datasets: list[Dataset], licence: dict, source: str, source_url: str) -> Table:
    """Every payment in one table. Its rows are made as the database is written (there may be hundreds of
    thousands), and not at all when the database is copied from the cache."""
    return Table(SPENDING, "Spending over £500",
                 "Every payment of every spending quarter, in the Transparency Code's columns.",
                 SPENDING_TABLE_COLUMNS, ["package", "resource", "resource_row"], _spending_rows(datasets),
                 licence, source, source_url)


def _spending_rows(datasets: list[Dataset]) -> Iterator[tuple]:
    for ds in datasets:
        for r in (r for r in ds.resources if r.role is Role.SPENDING):
            names = [f.name for f in r.fields]
            for number, (values, cells) in enumerate(zip(r.values, r.cells), start=1):
                row = {n: (v, t) for n, v, t in zip(names, values, cells)}
                yield (ds.name, r.name, number,
                       *(_spending_cell(*row.get(c.name, (None, "")), c.type) for c in SPENDING_COLUMNS))
