"""A measure's parts: its figures by ward, and by each breakdown (age band, sex, demand type).

Wards are areas: rows whose `area_code` is a locality's GSS code. Breakdowns are never geographic:
the council's own area split by one breakdown column, every other breakdown at its total. Each part
is a series of its own; its capability statistics are worked out where it has enough figures, and one
sentence says which part is largest, smallest and changing most.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..domain.figures import difference, with_unit
from ..domain.model import Locality, Measure, Observation
from ..domain.periods import Period
from .spc import Analysis

WARDS = "ward"


@dataclass(frozen=True)
class Part:
    key: str                            # the area code, or the breakdown's value
    label: str                          # the ward's name, or the value as written
    observations: list[Observation]
    analysis: Analysis

    def at(self, period: Period) -> Observation | None:
        return next((o for o in self.observations if o.period == period), None)


@dataclass(frozen=True)
class Breakdown:
    """One way the measure is split: by ward, or by one breakdown column."""

    id: str                             # "ward", or the breakdown column's name
    title: str                          # "ward", or the column's title in lower case ("age band")
    parts: list[Part]
    latest: Period | None               # the latest period every part has a figure for
    previous: Period | None             # the one before it that every part has a figure for
    # Each part's figure for `latest` (by its key), and the measure's own: what a map shows, known without
    # the parts' rows (which a rebuild leaves unread for a measure that did not change: context.kept_breakdowns).
    at_latest: dict[str, Decimal | None] = dataclasses.field(default_factory=dict)
    whole: Decimal | None = None

    def figure(self, part: Part, period: Period | None) -> Decimal | None:
        return _figure(part, period)

    def change(self, part: Part) -> Decimal | None:
        now, before = self.figure(part, self.latest), self.figure(part, self.previous)
        return now - before if now is not None and before is not None else None


def breakdowns(measure: Measure, localities: dict[str, Locality], analyse: Callable[[Measure], Analysis]
               ) -> list[Breakdown]:
    """By ward first (when the table has ward rows), then each breakdown column, in the declared order; each
    part analysed by `analyse` (capability.analyse_measure with the build's rules, or kept in its cache)."""
    wards = wards_by_code(localities)
    out = []
    by_ward = [(wards[s.area_code].gss_code, wards[s.area_code].name, s.observations) for s in measure.series
               if s.area_code in wards and all(v == "" for _, v in s.breakdown)]
    if by_ward:
        out.append(_breakdown(measure, WARDS, WARDS, sorted(by_ward, key=lambda p: p[1]), analyse))
    titles = {f.name: (f.title or f.name.replace("_", " ")).lower() for f in measure.fields}
    own = [({**{c: "" for c in measure.breakdowns}, **measure.headline_parts}, measure.observations)]
    own += [(dict(s.breakdown), s.observations) for s in measure.series if s.area_code in ("", measure.area)]
    labels = _labels(measure.breakdowns, [cells for cells, _ in own])
    for column in measure.breakdowns:
        if column in labels.values():
            continue                    # a name beside a code (a station's, beside its code) is not a split
        label = next((d for c, d in labels.items() if c == column), column)
        parts = [(cells[column], cells[label], observations) for cells, observations in own
                 if cells[column] and all(v == "" for c, v in cells.items() if c not in (column, label))]
        if parts:
            title = titles.get(column, column)
            out.append(_breakdown(measure, column, title.removesuffix(" code") if label != column else title,
                                  parts, analyse))
    return out


def wards_by_code(localities: dict[str, Locality]) -> dict[str, Locality]:
    """The localities a measure's rows can be split by, by GSS code (the last of a code, should two share one)."""
    return {loc.gss_code: loc for loc in localities.values() if loc.gss_code}


def _labels(columns: list[str], rows: list[dict[str, str]]) -> dict[str, str]:
    """column -> a later column that only names its values (one name for each value, and the other way
    round), such as station_name beside station_code."""
    out = {}
    for i, c in enumerate(columns):
        for d in columns[i + 1:]:
            pairs = {(r[c], r[d]) for r in rows if r[c] or r[d]}
            if pairs and all(a and b for a, b in pairs) and len({a for a, _ in pairs}) == len(pairs) == \
                    len({b for _, b in pairs}) and d not in out.values():
                out[c] = d
                break
    return out


def _figure(part: Part, period: Period | None) -> Decimal | None:
    o = part.at(period) if period else None
    return o.value if o is not None else None


def _breakdown(measure: Measure, bid: str, title: str, parts: list[tuple], analyse: Callable[[Measure], Analysis]
               ) -> Breakdown:
    # A part is not its table's rows: it has no rows_key (Measure.rows_key).
    made = [Part(key, label, observations,
                 analyse(dataclasses.replace(measure, observations=observations, annotations=[], rows_key=None)))
            for key, label, observations in parts]
    shared = sorted(set.intersection(*({o.period for o in p.observations if o.value is not None} for p in made)))
    latest = shared[-1] if shared else None
    own = next((o.value for o in measure.observations if o.period == latest), None) if latest else None
    return Breakdown(bid, title, made, latest, shared[-2] if len(shared) > 1 else None,
                     {p.key: _figure(p, latest) for p in made}, own)


def sentence(b: Breakdown, unit: str) -> str:
    """Which part is largest, which smallest, and which changed most since the period before."""
    if b.latest is None:
        return f"No period has a figure for every {b.title}, so they cannot be compared."
    ranked = sorted(b.parts, key=lambda p: b.figure(p, b.latest))
    low, high = ranked[0], ranked[-1]
    text = (f"In {b.latest.name}, {high.label} had the highest figure ({with_unit(b.figure(high, b.latest), unit)}) "
            f"and {low.label} the lowest ({with_unit(b.figure(low, b.latest), unit)}).")
    changes = [(abs(c), p, c) for p in b.parts if (c := b.change(p)) is not None]
    if changes and b.previous is not None:
        _, part, change = max(changes, key=lambda t: (t[0], t[1].label))
        if change:
            text += (f" {part.label} changed most since {b.previous.name}: "
                     f"{difference(change, unit)} {'higher' if change > 0 else 'lower'}.")
    return text
