"""The open data catalogue: every package with its downloads, a page per dataset, and long tables a
page at a time so every row can be read without downloading anything."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ... import cache
from ...domain.model import Dataset, Resource
from ...publish.files import Download
from ...publish.formats import json_rows
from ..context import BuildContext
from ..pages import Link, Page


@dataclass(frozen=True)
class DatasetEntry:
    """A dataset as the catalogue lists it: the package, its downloads and how often it is updated."""

    dataset: Dataset
    files: list[Download]
    frequency: str
    partner: bool = False       # published by another organisation than the council (Dataset.partner)

    def to_twin(self, twin) -> dict:
        d = self.dataset
        return {"name": d.name, "title": d.title, "description": d.description,
                "url": twin.url(twin.urls.dataset(d.name)), "licenses": d.licenses, "publisher": d.publisher,
                "partner": self.partner,
                "frequency": self.frequency, "updated": d.updated.isoformat() if d.updated else None,
                "tables": [{"name": r.name, "title": r.title, "rows": r.row_count,
                            "fields": [{"name": f.name, "type": f.type, "description": f.description, "unit": f.unit}
                                       for f in r.fields]} for r in d.resources],
                "downloads": twin.encode(self.files)}


class TableOf(NamedTuple):
    """The dataset a table page is of: all a table page reads of it (so the page's inputs name it whole)."""

    name: str
    title: str


@dataclass(frozen=True)
class TablePage:
    """Rows `first` to `last` of a long table, one page of `page_urls`."""

    dataset: TableOf
    resource: Resource
    rows: Sequence[Sequence[str]]   # as written in the source (a _Window: read when the page is written)
    first: int
    last: int
    number: int
    page_urls: list[str]
    truncated: int | None           # the row the pages stop at, when the table is longer still

    def to_twin(self, twin) -> dict:
        r = self.resource
        return {"dataset": twin.url(twin.urls.dataset(self.dataset.name)), "table": r.name, "first_row": self.first,
                "rows": list(json_rows(r.fields, r.values[self.first - 1:self.last], self.rows)),
                "pages": [twin.url(twin.urls.twin(p)) for p in self.page_urls]}


def frequency(ctx: BuildContext, dataset: Dataset) -> str:
    """How often a dataset is updated, in words."""
    found = ctx.site.frequencies(dataset)
    if len(found) == 1:
        return found[0].words.capitalize()
    if found:
        return "Varies by table: " + ", ".join(f.words for f in found)
    return "Not stated"


def entries(ctx: BuildContext) -> list[DatasetEntry]:
    return [DatasetEntry(d, ctx.dataset_files[d.name], frequency(ctx, d), d.partner(ctx.settings.council))
            for d in ctx.site.datasets.values()]


def table_pages(ctx: BuildContext, dataset: Dataset, resource: Resource) -> Iterator[Page]:
    size, most = ctx.settings.table_page_rows, ctx.settings.table_pages_max
    shown = min(resource.row_count, size * most)
    paths = [ctx.urls.table(dataset.name, resource.name, n + 1) for n in range(-(-shown // size))]
    of = TableOf(dataset.name, dataset.title)
    trail = ctx.crumbs(("Open data", ctx.urls.catalogue()), (of.title, ctx.urls.dataset(of.name)))
    # All a page reads besides the site-wide context (the settings and URL map among it): the table (its rows,
    # its descriptor and its package's, by rows_key; and its file), and the dataset's name and title.
    inputs = cache.key("table", resource.rows_key, str(resource.path), of) if resource.rows_key else None
    for n, path in enumerate(paths):
        first, last = n * size + 1, min((n + 1) * size, resource.row_count)
        yield Page(path, "table", TablePage(of, resource, _Window(resource.cells, first - 1, last), first, last,
                                            n + 1, paths, shown if shown < resource.row_count else None),
                   {"breadcrumbs": trail}, inputs=inputs)


class _Window(Sequence):
    """Rows `start` to `stop` of a table, read each time they are asked for: every page is made before the
    first is written, and a slice made then would bring a long table's pages of rows back from disk."""

    def __init__(self, rows: Sequence, start: int, stop: int):
        self._rows, self._start, self._stop = rows, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, index):
        return self._rows[self._start:self._stop][index]

    def __iter__(self):
        return iter(self._rows[self._start:self._stop])


def _section_inputs(resource: Resource, preview_rows: int, measures: dict[str, str],
                    tables: dict[str, str]) -> str | None:
    """All a table's section of its package's page reads (partials/dataset_table.html, kept by site/sections.py):
    its rows_key (its descriptor, its package's and its files' bytes), its file, the rows shown and its links;
    None when it has no rows_key (then it is rendered)."""
    if not resource.rows_key:
        return None
    return cache.key("dataset section", resource.rows_key, resource.relpath, preview_rows,
                     measures.get(resource.name), tables.get(resource.name))


def pages(ctx: BuildContext) -> Iterator[Page]:
    urls, site = ctx.urls, ctx.site
    listed = entries(ctx)
    # Made as it is rendered, after the measures' pages: it lists the whole site's downloads, written meanwhile.
    yield Page(urls.catalogue(), "catalogue", None, make=lambda: ({
        "datasets": listed, "everything": ctx.everything.result(), "measures": list(site.measures.values()),
        "dcat": Link(urls.data_file("catalog.jsonld")), "checksums": Link(urls.checksums(urls.catalogue()))},
        {"breadcrumbs": ctx.crumbs()}))
    for entry in listed:
        dataset = entry.dataset
        measures = {r.name: urls.measure(r.name) for r in dataset.resources if site.measure_of(dataset.name, r.name)}
        # The tables with pages of their own: longer than their section shows, and not a measure's (whose page
        # shows every figure).
        tables = {r.name: urls.table(dataset.name, r.name) for r in dataset.resources
                  if r.row_count > ctx.settings.preview_rows and r.name not in measures}
        yield Page(urls.dataset(dataset.name), "dataset", entry,
                   {"preview_rows": ctx.settings.preview_rows, "as_measures": measures, "tables": tables,
                    "sections": {r.name: _section_inputs(r, ctx.settings.preview_rows, measures, tables)
                                 for r in dataset.resources},
                    "breadcrumbs": ctx.crumbs(("Open data", urls.catalogue()))})
        for resource in dataset.resources:
            if resource.name in tables:
                yield from table_pages(ctx, dataset, resource)
