"""Figures by ward, as a map, a place's page and a table show them: a measure's ward breakdown, or a
column of a ward profile.

A map is only ever drawn beside its table and its summary, so each WardFigures carries all three: every
ward's figure (a ward without one is a gap, said so), the period, and the words (highest, lowest,
spread). Ranks among wards are worked out here too, for each place's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..domain.figures import difference, format_number, with_unit
from ..domain.model import Fact, Locality, Measure
from ..domain.vocabulary import Polarity
from .breakdowns import WARDS, Breakdown
from .comparisons import ordinal, ranks


@dataclass(frozen=True)
class WardFigure:
    locality: Locality
    value: Decimal | None


@dataclass(frozen=True)
class WardFigures:
    id: str                              # names its image: the breakdown's id, or the profile column's name
    title: str                           # what is mapped, "Population"
    unit: str
    period: str                          # the period's label ("October 2026"; a profile's year as written)
    figures: list[WardFigure]            # every locality with a GSS code, in the register's order
    polarity: Polarity = Polarity.NEUTRAL
    whole: Decimal | None = None         # the whole area's figure for the same period (a measure's headline)
    dataset: str = ""                    # a ward table's package, which the page cites
    column: str = ""                     # and its column

    @property
    def known(self) -> list[WardFigure]:
        return [f for f in self.figures if f.value is not None]

    def label(self, value: Decimal) -> str:
        """A figure as the map writes it inside its ward: short, with % but no other unit."""
        return with_unit(value, "%") if self.unit == "%" else format_number(value)

    def summary(self) -> str:
        """Highest, lowest and the spread between them; and which wards have no figure."""
        known = sorted(self.known, key=lambda f: (f.value, f.locality.name))
        if not known:
            return f"No ward has a figure for {self.period}."
        low, high = known[0], known[-1]
        text = (f"In {self.period}, {high.locality.name} had the highest figure ({with_unit(high.value, self.unit)}) "
                f"and {low.locality.name} the lowest ({with_unit(low.value, self.unit)}): {self.spread()}")
        missing = [f.locality.name for f in self.figures if f.value is None]
        if missing:
            text += f" {_names(missing)} {'has' if len(missing) == 1 else 'have'} no figure."
        return text

    def spread(self) -> str:
        values = [f.value for f in self.known]
        low, high = min(values), max(values)
        text = f"a spread of {difference(high - low, self.unit)}"
        if low > 0 and high != low:
            text += f", the highest {format_number((high / low).quantize(Decimal('0.1')))} times the lowest"
        return text + "."

    def ranks(self) -> dict[str, int]:
        """Each ward's rank by locality id: 1st is best by polarity, or highest for a neutral figure."""
        return ranks({f.locality.id: f.value for f in self.figures}, self.polarity)

    def rank_words(self, locality_id: str) -> str:
        """"3rd of 12 (1st is best)", "joint 2nd highest of 12", "highest of 12", or "" without a figure."""
        all_ranks = self.ranks()
        rank = all_ranks.get(locality_id)
        if rank is None:
            return ""
        joint = "joint " if list(all_ranks.values()).count(rank) > 1 else ""
        if self.polarity == Polarity.NEUTRAL:
            return f"{joint}{'' if rank == 1 else ordinal(rank) + ' '}highest of {len(all_ranks)}"
        return f"{joint}{ordinal(rank)} of {len(all_ranks)} (1st is best)"

    def of(self, locality_id: str) -> Decimal | None:
        return next((f.value for f in self.figures if f.locality.id == locality_id), None)


def mapped(localities: dict[str, Locality]) -> list[Locality]:
    return [loc for loc in localities.values() if loc.gss_code]


def of_breakdown(measure: Measure, b: Breakdown, localities: dict[str, Locality]) -> WardFigures | None:
    """A measure's ward figures for the latest period every ward with figures has one for."""
    if b.id != WARDS or b.latest is None:
        return None
    return WardFigures(WARDS, measure.title, measure.unit, b.latest.label,
                       [WardFigure(loc, b.at_latest.get(loc.gss_code)) for loc in mapped(localities)],
                       measure.polarity, b.whole)


def of_profiles(facts: dict[str, list[Fact]], localities: dict[str, Locality]) -> list[WardFigures]:
    """One map per numeric column of the ward tables, each ward's latest figure (facts come in the data's
    order, so a later row of the same column is a later period); a column is named by its own name, or
    with its package's when two packages have a column of that name."""
    columns: dict[tuple[str, str], tuple] = {}
    for lid, ward_facts in facts.items():
        for fact in ward_facts:
            if fact.field.type in ("integer", "number"):
                field, values = columns.setdefault((fact.dataset, fact.field.name), (fact.field, {}))
                if (number := _number(fact.value)) is not None:
                    values[lid] = (fact.period, number)
    names = [name for _, name in columns]
    out = []
    for (dataset, name), (field, values) in columns.items():
        periods = sorted({p for p, _ in values.values()})
        out.append(WardFigures(name if names.count(name) == 1 else f"{dataset}-{name}",
                               field.title or name.replace("_", " ").capitalize(), field.unit,
                               " to ".join(dict.fromkeys([periods[0], periods[-1]])) if periods else "",
                               [WardFigure(loc, values[loc.id][1] if loc.id in values else None)
                                for loc in mapped(localities)], dataset=dataset, column=name))
    return out


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
