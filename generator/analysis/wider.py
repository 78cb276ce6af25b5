"""What a table of wider data covers, in words: the periods it spans (first to last) and the places its rows
are about (the whole area, each locality, or both), so a reader knows before downloading it."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import AREA_COLUMN, LOCALITY_COLUMN, Locality, Resource, locality_of
from ..domain.periods import PeriodError, parse_period


@dataclass(frozen=True)
class Coverage:
    """A wider table's periods and places."""

    table: Resource
    first: str | None          # the earliest period's name ("2015", "2024/25"), None without a period column
    last: str | None
    localities: int            # how many of the register's localities its rows are about
    of: int                    # how many localities the register has
    whole_area: bool           # some rows are about the whole area (a table naming no place is about it all)
    other_areas: bool          # some rows are about an area that is neither (England, a neighbour)
    locality_type: str         # what the localities are ("ward"), from the register; "locality" when mixed

    @property
    def periods(self) -> str:
        if self.first is None:
            return "Not stated"
        return self.first if self.first == self.last else f"{self.first} to {self.last}"

    @property
    def areas(self) -> str:
        """"The whole area; by ward (all 12)": the places in the order a reader zooms in."""
        parts = ["the whole area"] if self.whole_area else []
        if self.localities:
            share = f"all {self.of}" if self.localities == self.of else f"{self.localities} of {self.of}"
            parts.append(f"by {self.locality_type} ({share})")
        if self.other_areas:
            parts.append("other areas")
        words = "; ".join(parts) or "not stated"
        return words[:1].upper() + words[1:]


def coverage(table: Resource, localities: dict[str, Locality], area_code: str) -> Coverage:
    """What one wider table covers. A row names the whole area with a blank place, or with the council's own
    GSS code (`area_code`, DASHBOARD_AREA_CODE) in its area_code column."""
    first, last = _span(table.column("period"))
    about = [locality_of(table, row, localities) for row in table.cells]
    found = {lid for lid in about if lid}
    elsewhere = [place(table, row) for row, lid in zip(table.cells, about) if lid is None]
    whole = not table.places or any(code in ("", area_code) for code in elsewhere)
    types = {localities[lid].type for lid in found}
    return Coverage(table, first, last, len(found), len(localities), whole,
                    any(code not in ("", area_code) for code in elsewhere),
                    types.pop() if len(types) == 1 and "" not in types else "locality")


def place(table: Resource, row: list[str]) -> str:
    """What a row says of its place, as written: its area_code, else its locality ("" for none)."""
    names = [f.name for f in table.fields]
    for column in (AREA_COLUMN, LOCALITY_COLUMN):
        if column in names and row[names.index(column)].strip():
            return row[names.index(column)].strip()
    return ""


def _span(periods: list[str]) -> tuple[str | None, str | None]:
    """The first and last of a table's periods by their dates, named as readers say them; as written, in
    text order, when some are not in the period notation (a wider table may write its own)."""
    written = sorted({p.strip() for p in periods if p.strip()})
    if not written:
        return None, None
    try:
        parsed = sorted(parse_period(p) for p in written)
    except PeriodError:
        return written[0], written[-1]
    return parsed[0].name, parsed[-1].name
