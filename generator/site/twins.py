"""Every page's JSON twin: the same content as data, at index.json beside index.html.

A measure's twin is its own `<id>.json` download (written in pages.py); a dataset's is
its `datapackage.json`. Everything here is plain data with absolute URLs, so a script can
follow links from `/index.json` to every figure on the site.
"""

from __future__ import annotations

from ..analysis.releases import Release
from ..analysis.updates import Update
from ..domain.model import Dataset, Locality, Measure, Purpose, Service
from ..publish.files import Download
from ..publish.formats import json_value


def measure_row(row: dict, public: str) -> dict:
    m: Measure = row["measure"]
    s, a = row["summary"], row["analysis"]
    return {"id": m.id, "title": m.title, "url": f"{public}/measures/{m.id}/",
            "json": f"{public}/measures/{m.id}/{m.id}.json", "kind": m.kind, "purposes": m.purposes,
            "service": m.service, "localities": m.localities, "unit": m.unit, "frequency": m.frequency,
            "latest": None if s.latest is None else {"period": s.latest.period.text,
                                                     "value": json_value(s.latest.value)},
            "variation": a.variation, "assurance": a.assurance,
            "next_update_due": s.next_due.isoformat() if s.next_due else None, "overdue": s.overdue}


def purpose_json(p: Purpose, public: str, count: int | None = None) -> dict:
    out = {"id": p.id, "title": p.title, "description": p.description, "portfolio_holder": p.portfolio_holder,
           "director": p.director, "url": f"{public}/purposes/{p.id}/", "feed": f"{public}/feeds/{p.id}.atom.xml"}
    return out if count is None else {**out, "measures": count}


def service_json(s: Service, public: str, count: int | None = None) -> dict:
    out = {"id": s.id, "title": s.title, "description": s.description, "head_of_service": s.head_of_service,
           "url": f"{public}/services/{s.id}/"}
    return out if count is None else {**out, "measures": count}


def locality_json(x: Locality, public: str, count: int | None = None) -> dict:
    out = {"id": x.id, "name": x.name, "gss_code": x.gss_code, "type": x.type, "url": f"{public}/localities/{x.id}/"}
    return out if count is None else {**out, "measures": count}


def update_json(u: Update, public: str) -> dict:
    return {"kind": u.kind, "date": u.when.isoformat(), "title": u.title, "text": u.text, "url": f"{public}/{u.path}"}


def download_json(d: Download, base: str) -> dict:
    return {"label": d.label, "url": f"{base}{d.href}", "format": d.format, "bytes": d.bytes}


def dataset_json(d: Dataset, files: list[Download], public: str, frequency: str) -> dict:
    base = f"{public}/data/{d.name}/"
    return {"name": d.name, "title": d.title, "description": d.description, "url": base,
            "licenses": d.licenses, "publisher": d.publisher, "frequency": frequency,
            "updated": d.updated.isoformat() if d.updated else None,
            "tables": [{"name": r.name, "title": r.title, "rows": r.row_count,
                        "fields": [{"name": f.name, "type": f.type, "description": f.description, "unit": f.unit}
                                   for f in r.fields]} for r in d.resources],
            "downloads": [download_json(f, base) for f in files]}


def releases_json(releases: list[Release], public: str) -> dict:
    return {"releases": [release_json(r, public) for r in releases],
            "ics": f"{public}/calendar/calendar.ics"}


def release_json(r: Release, public_url: str) -> dict:
    return {"measure": r.measure.id, "title": r.measure.title, "url": f"{public_url}/measures/{r.measure.id}/",
            "frequency": r.measure.frequency, "latest_period": r.measure.last_period.text,
            "next_period": r.period, "due": r.due.isoformat() if r.due else None,
            "overdue": r.overdue, "days_overdue": r.overdue_days}
