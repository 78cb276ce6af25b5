"""metadata.json beside all.sqlite, so `datasette all.sqlite -m metadata.json` opens ready to explore.

Datasette's documented metadata format: a title, description, licence and source for the
whole instance, then per database (named after the file, `all`) and per table, with a
description of each column. Keys without a value are left out.
"""

from __future__ import annotations

from ..domain.model import Dataset, Measure
from ..urls import Urls
from .database import CATALOGUE_TABLE, Placed, Table


def _about(title: str, description: str, licence: dict, source: str, source_url: str) -> dict:
    about = {"title": title, "description": description.strip(),
             "license": licence.get("title") or licence.get("name", ""), "license_url": licence.get("path", ""),
             "source": source, "source_url": source_url}
    return {k: v for k, v in about.items() if v}


def _source(dataset: Dataset, measure: Measure | None, urls: Urls, council: str) -> tuple[str, str]:
    """A measure's producer and page; else the package's first source, or its publisher (the council's
    when it names none) and page."""
    if measure is not None:
        return measure.source, urls.absolute(urls.measure(measure.id))
    first = next(iter(dataset.descriptor.get("sources") or []), {})
    if isinstance(first, dict) and first.get("title"):
        return first["title"], first.get("path", "")
    return dataset.publisher or council, urls.absolute(urls.dataset(dataset.name))


def _resource_table(p: Placed, measures: dict[str, Measure], urls: Urls, council: str) -> dict:
    r, ds = p.resource, p.dataset
    measure = measures.get(r.name)
    measure = measure if measure is not None and measure.package == ds.name else None
    about = _about(r.title, r.description, ds.licence, *_source(ds, measure, urls, council))
    columns = {f.name: f.description or f.title for f in r.fields if f.description or f.title}
    return about | ({"columns": columns} if columns else {})


def _gathered_table(t: Table) -> dict:
    about = _about(t.title, t.description, t.licence, t.source, t.source_url)
    return about | {"columns": {c.name: c.description for c in t.columns}} | (
        {"label_column": t.label_column} if t.label_column else {})


def metadata(database: str, placed: list[Placed], gathered: list[Table], measures: dict[str, Measure],
             urls: Urls, council: str, licence: dict) -> dict:
    """Datasette's metadata for the database file named `database` (without its extension)."""
    home = urls.absolute(urls.catalogue())
    tables = {CATALOGUE_TABLE: _about("Tables", "Where each table of a data package came from: its package, "
                                      "resource, title, description and licence.", licence, council, home)}
    tables |= {t.name: _gathered_table(t) for t in gathered}
    tables |= {p.table: _resource_table(p, measures, urls, council) for p in placed}
    described = _about(f"{council} Dashboard: open data",
                       "Every table of the Dashboard's data packages, and every measure's figures, the measures "
                       "and spending gathered into long tables (observations, measures, spending).",
                       licence, council, home)
    return described | {"databases": {database: described | {"tables": tables}}}
