"""Places: the localities (wards) on a map with their profiles, and a page for each that gathers everything
known about it: where it is, its facts, and every measure's figure for it beside the whole area's, with
where it ranks among the wards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...analysis.wards import WardFigures, mapped
from ...domain.model import Dataset, Locality, Measure
from ...publish.formats import json_value
from ..context import BuildContext, Chart
from ..pages import Counted, Page


@dataclass(frozen=True)
class Source:
    """Where a ward table comes from, as a page cites it: its dataset, publisher and whether a partner's."""

    dataset: Dataset
    partner: bool

    def to_twin(self, twin) -> dict:
        d = self.dataset
        return {"dataset": d.name, "title": d.title, "url": twin.url(twin.urls.dataset(d.name)),
                "publisher": d.publisher or None, "partner": self.partner, "licenses": d.licenses}


@dataclass(frozen=True)
class WardMap:
    """Figures by ward with their map (None: the project has no boundaries), summary, table and source."""

    figures: WardFigures
    map: Chart | None
    source: Source | None

    def to_twin(self, twin) -> dict:
        f = self.figures
        return {"id": f.id, "title": f.title, "unit": f.unit, "period": f.period, "summary": f.summary(),
                "source": twin.encode(self.source),
                "map": twin.url(self.map.wide.path) if self.map else None,
                "figures": [{"locality": w.locality.id, "gss_code": w.locality.gss_code,
                             "value": json_value(w.value)} for w in f.figures]}


@dataclass(frozen=True)
class WardStanding:
    """One measure for one ward: its figure, the whole area's for the same period, and its rank."""

    measure: Measure
    figures: WardFigures
    value: object              # Decimal | None
    rank: str                  # "3rd of 12 (1st is best)", or "" without a figure

    def to_twin(self, twin) -> dict:
        m = self.measure
        return {"measure": m.id, "title": m.title, "url": twin.url(twin.urls.measure(m.id)), "unit": m.unit,
                "period": self.figures.period, "value": json_value(self.value),
                "whole_area": json_value(self.figures.whole), "rank": self.rank or None}


def pages(ctx: BuildContext) -> Iterator[Page]:
    site, urls = ctx.site, ctx.urls
    register = ctx.register("localities")
    yield Page(urls.localities(), "localities",
               {"localities": [Counted(x, len(site.measures_for_locality(x.id))) for x in site.localities.values()],
                # what the register says of itself: which boundaries they follow, say (data, not the theme's)
                "description": register.description if register else "",
                "map": ctx.maps.get(("localities", "wards")),
                "numbers": {loc.id: n for n, loc in enumerate(mapped(site.localities), start=1)},
                "profiles": [WardMap(f, ctx.maps.get(("profile", f.id)), source(ctx, f.dataset)) for f in ctx.profiles]},
               {"breadcrumbs": ctx.crumbs()})
    for locality in site.localities.values():
        yield Page(urls.locality(locality.id), "locality", place(ctx, locality),
                   {"breadcrumbs": ctx.crumbs(("Localities", urls.localities()))})


def source(ctx: BuildContext, dataset: str) -> Source | None:
    found = ctx.site.datasets.get(dataset)
    return Source(found, found.partner(ctx.settings.council)) if found else None


def place(ctx: BuildContext, locality: Locality) -> dict:
    """Everything known about one place."""
    site = ctx.site
    return {"locality": locality, "map": ctx.maps.get(("locality", locality.id)),
            "facts": site.locality_facts.get(locality.id, []),
            # a fact's rank among the wards for the latest period, by "<dataset>/<column>/<period>"; and each
            # fact's source, by dataset
            "fact_ranks": {f"{f.dataset}/{f.column}/{f.period}": f.rank_words(locality.id) for f in ctx.profiles},
            "sources": {name: source(ctx, name) for name in
                        dict.fromkeys(f.dataset for f in site.locality_facts.get(locality.id, []))},
            "by_ward": [WardStanding(site.measures[m_id], f, f.of(locality.id), f.rank_words(locality.id))
                        for m_id, f in ctx.by_ward.items() if any(w.locality.id == locality.id for w in f.figures)],
            "measures": ctx.rows(site.measures_for_locality(locality.id))}
