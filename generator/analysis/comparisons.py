"""How the council compares with councils like it: its rank in each comparator group, and the group's
median and range over time.

A rank counts the council itself among the group's members, ties share a rank ("joint 3rd"), and it is
only given for a period every member has a figure for: the latest such period, said plainly when it is
not the measure's latest. "Better" comes from the measure's polarity; a neutral measure is ordered by
value and never called better or worse. Benchmarks (England, the region) are reference lines, never
ranked.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal

from ..domain.model import Area, Comparator, Measure, Observation
from ..domain.periods import Period
from ..domain.vocabulary import Polarity


@dataclass(frozen=True)
class MemberFigure:
    area: Area
    observation: Observation | None    # its figure for the period ranked (or the latest, unranked)
    rank: int | None
    own: bool                           # the council itself


@dataclass(frozen=True)
class BandPoint:
    """The group at one period: its median, lowest and highest figure, and how many members had one."""

    period: Period
    median: float
    low: float
    high: float
    members: int


@dataclass(frozen=True)
class Standing:
    group: Comparator
    own: Area
    latest: Period                      # the measure's latest period
    period: Period | None               # the period ranked: the latest every member has a figure for
    size: int                           # members, counting the council
    reporting: int                      # members with a figure for the latest period
    rank: int | None
    tied: bool
    quartile: int | None                # 1 is the best quarter (or the highest values, for a neutral measure)
    by_value: bool                      # a neutral measure: ordered by value, never better or worse
    figures: list[MemberFigure]         # every member, best (or highest) first; no figure last
    band: list[BandPoint]

    @property
    def current(self) -> bool:
        """The rank is for the measure's latest period."""
        return self.period is not None and self.period == self.latest


def figures_by_area(measure: Measure) -> dict[str, dict[Period, Observation]]:
    """Every area's total figures (no breakdown part), by period; the council's own is its headline."""
    out: dict[str, dict[Period, Observation]] = {measure.area: {o.period: o for o in measure.observations}}
    for series in measure.series:
        if series.area_code and all(value == "" for _, value in series.breakdown):
            out.setdefault(series.area_code, {}).update({o.period: o for o in series.observations})
    return out


def standing(measure: Measure, group: Comparator) -> Standing:
    """The council's position in one group."""
    own = Area(measure.area, measure.area_names.get(measure.area, measure.area))
    members = [own] + [a for a in group.members if a.code != measure.area]
    by_area = figures_by_area(measure)
    periods = sorted({o.period for o in measure.observations}, reverse=True)
    latest = measure.last_period
    ranked = next((p for p in periods if all(_value(by_area, a.code, p) is not None for a in members)), None)
    at = ranked or latest
    values = {a.code: _value(by_area, a.code, at) for a in members}
    by_value = measure.polarity == Polarity.NEUTRAL
    by_rank = ranks(values, measure.polarity) if ranked else {}
    rank = by_rank.get(own.code)
    figures = sorted((MemberFigure(a, by_area.get(a.code, {}).get(at), by_rank.get(a.code), a.code == own.code)
                      for a in members), key=lambda f: _order(f, values[f.area.code]))
    reporting = sum(1 for a in members if _value(by_area, a.code, latest) is not None)
    tied = rank is not None and list(by_rank.values()).count(rank) > 1
    quartile = None if rank is None else 1 + (rank - 1) * 4 // len(members)
    return Standing(group, own, latest, ranked, len(members), reporting, rank, tied, quartile, by_value, figures,
                    _band(by_area, members, sorted(periods)))


def benchmarks(measure: Measure) -> list[tuple[str, list[Observation]]]:
    """Each benchmark area's name and figures (its total series, by period), for reference lines and the page."""
    if not measure.benchmarks:      # most measures: their rows are not even gathered by area
        return []
    by_area = figures_by_area(measure)
    return [(measure.area_names.get(code, code), [by_area[code][p] for p in sorted(by_area.get(code, {}))])
            for code in measure.benchmarks]


def _order(f: MemberFigure, value: Decimal | None) -> tuple:
    """Ranked first by rank; unranked, highest first; no figure last; then by name."""
    return (value is None, f.rank if f.rank is not None else -(value or 0), f.area.name)


def _value(by_area: dict, code: str, period: Period) -> Decimal | None:
    o = by_area.get(code, {}).get(period)
    return o.value if o is not None else None


def ranks(values: dict[str, Decimal | None], polarity: Polarity) -> dict[str, int]:
    """Standard competition ranking ("1224"): one more than the number of members ahead. Ahead is better
    by polarity, or higher for a neutral measure."""
    lower_first = polarity == Polarity.LOWER_IS_BETTER
    known = {code: v for code, v in values.items() if v is not None}
    return {code: 1 + sum(1 for other in known.values() if (other < v if lower_first else other > v))
            for code, v in known.items()}


def _band(by_area: dict, members: list[Area], periods: list[Period]) -> list[BandPoint]:
    out = []
    for p in periods:
        values = [float(v) for a in members if (v := _value(by_area, a.code, p)) is not None]
        if len(values) >= 2:
            out.append(BandPoint(p, statistics.median(values), min(values), max(values), len(values)))
    return out


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


QUARTER_WORDS = {1: "best", 2: "second-best", 3: "second-worst", 4: "worst"}
VALUE_QUARTER_WORDS = {1: "highest", 2: "second-highest", 3: "second-lowest", 4: "lowest"}


def sentence(s: Standing) -> str:
    """The rank in words: which, of how many, for which period, in which quarter; or why there is none."""
    if s.period is None:
        return (f"{s.reporting} of the {s.size} areas in this group have a figure for {s.latest.name}, and there "
                "is no period they all have figures for, so no rank is given.")
    joint = "joint " if s.tied else ""
    if s.by_value:
        text = (f"{s.own.name} has the {joint}{ordinal(s.rank)} highest figure of {s.size} for {s.period.name}, in "
                f"the {VALUE_QUARTER_WORDS[s.quartile]} quarter (neither higher nor lower is better in itself).")
    else:
        text = (f"{s.own.name} is {joint}{ordinal(s.rank)} of {s.size} for {s.period.name} (1st is best), in the "
                f"{QUARTER_WORDS[s.quartile]} quarter.")
    if not s.current:
        text += (f" Only {s.reporting} of the {s.size} have a figure for {s.latest.name}, so this is for "
                 f"{s.period.name}, the latest period they all have figures for.")
    return text
