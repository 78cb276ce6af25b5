"""Wider data: the figures that describe the area rather than the council's performance (population, age,
deprivation, a partner's crime figures), each a dataset of the catalogue, and the context measures. A
partner's data says who published it and under which licence; a purpose's page links to the wider data
that says it informs it (dashboard.purposes). What counts as wider data is the model's to say
(Resource.wider, Site.wider_datasets, Site.context_measures)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...analysis.wider import Coverage, coverage
from ...domain.model import Dataset, Purpose
from ...publish.files import Download
from ..context import BuildContext
from ..pages import Page


@dataclass(frozen=True)
class WiderEntry:
    """A package of wider data as its lists show it: who published it, what its tables cover, the purposes it
    informs and its downloads."""

    dataset: Dataset
    partner: bool                # published by another organisation than the council
    tables: list[Coverage]
    purposes: list[Purpose]
    files: list[Download]

    def to_twin(self, twin) -> dict:
        d = self.dataset
        return {"name": d.name, "title": d.title, "description": d.description,
                "url": twin.url(twin.urls.dataset(d.name)), "publisher": d.publisher or None,
                "partner": self.partner, "licenses": d.licenses, "purposes": [p.id for p in self.purposes],
                "tables": [{"name": c.table.name, "title": c.table.title, "rows": c.table.row_count,
                            "periods": c.periods, "areas": c.areas} for c in self.tables],
                "downloads": twin.encode(self.files)}


def entry(ctx: BuildContext, dataset: Dataset) -> WiderEntry:
    site, settings = ctx.site, ctx.settings
    return WiderEntry(dataset, dataset.partner(settings.council),
                      [coverage(t, site.localities, settings.area_code) for t in dataset.wider_tables],
                      [site.purposes[p] for p in dataset.purposes if p in site.purposes],
                      ctx.dataset_files.get(dataset.name, []))


def pages(ctx: BuildContext) -> Iterator[Page]:
    site = ctx.site
    yield Page(ctx.urls.wider_data(), "wider",
               {"datasets": [entry(ctx, d) for d in site.wider_datasets],
                "measures": ctx.rows(site.context_measures)},
               {"breadcrumbs": ctx.crumbs()})
