"""Every page's JSON twin, derived from the data the page shows (Page.data), never built beside it.

`Twin.encode` turns the page's data into plain JSON with absolute URLs, so that a script can follow
links from `/index.json` to every figure on the site. Model objects are encoded here (they know no
URLs); a view's own dataclass encodes itself with a `to_twin(twin)` method. A value of a type with no
encoding is a bug, not something to guess at: it raises TypeError.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from functools import singledispatchmethod

from pelican.contents import Page as ContentPage

from ..analysis.releases import Release
from ..domain.model import Fact, Locality, Measure, Purpose, Service, Site
from ..domain.quality import QualityTest
from ..domain.reports import ReportType
from ..domain.spending import Payment
from ..analysis.finance import Group
from ..publish.files import Download, json_text
from ..publish.formats import json_value
from ..urls import Urls
from .pages import Counted, Link, MeasureRow


class Twin:
    def __init__(self, urls: Urls, site: Site):
        self.urls, self.site = urls, site

    def url(self, path: str) -> str:
        return self.urls.absolute(path)

    def text(self, data) -> str:
        """The twin as written (publish/files.json_text)."""
        return json_text(self.encode(data))

    @singledispatchmethod
    def encode(self, value):
        if hasattr(value, "to_twin"):
            return value.to_twin(self)
        raise TypeError(f"No JSON twin for a {type(value).__name__}: give it an encoding in site/twins.py")

    @encode.register(type(None))
    @encode.register(bool)
    @encode.register(int)
    @encode.register(float)
    def _plain(self, value):
        return value

    @encode.register
    def _text(self, value: str):
        return str(value) if isinstance(value, Enum) else value

    @encode.register
    def _decimal(self, value: Decimal):
        return str(value)         # money and totals keep every digit as text

    @encode.register
    def _date(self, value: date):
        return value.isoformat()

    @encode.register
    def _mapping(self, value: dict):
        return {str(k): self.encode(v) for k, v in value.items()}

    @encode.register(list)
    @encode.register(tuple)
    def _sequence(self, value):
        return [self.encode(v) for v in value]

    @encode.register
    def _link(self, value: Link):
        return self.url(value.path)

    @encode.register
    def _download(self, d: Download):
        return {"label": d.label, "url": self.url(d.path), "format": d.format, "bytes": d.bytes}

    # --- the register and the measures in lists -----------------------------------------

    @encode.register
    def _purpose(self, p: Purpose):
        return {"id": p.id, "title": p.title, "description": p.description, "portfolio_holder": p.portfolio_holder,
                "director": p.director, "url": self.url(self.urls.purpose(p.id)),
                "feed": self.url(self.urls.feed(p.id))}

    @encode.register
    def _service(self, s: Service):
        return {"id": s.id, "title": s.title, "description": s.description, "head_of_service": s.head_of_service,
                "url": self.url(self.urls.service(s.id))}

    @encode.register
    def _locality(self, x: Locality):
        return {"id": x.id, "name": x.name, "gss_code": x.gss_code, "type": x.type,
                "url": self.url(self.urls.locality(x.id))}

    @encode.register
    def _counted(self, c: Counted):
        return {**self.encode(c.item), "measures": c.count}

    @encode.register
    def _report_type(self, t: ReportType):
        return {"id": t.id, "title": t.title, "meeting": t.meeting, "frequency": t.frequency.value,
                "standard": list(t.standard), "every_strategic": t.every_strategic,
                "url": self.url(self.urls.reports(t.id))}

    @encode.register
    def _quality_test(self, t: QualityTest):
        return {"id": t.id, "name": t.name, "asks": t.asks}

    @encode.register
    def _fact(self, f: Fact):
        return {"field": f.field.name, "title": f.field.title, "unit": f.field.unit, "period": f.period,
                "value": f.value, "dataset": f.dataset or None}

    @encode.register
    def _measure_row(self, row: MeasureRow):
        m, s, a = row.measure, row.summary, row.verdicts
        return {"id": m.id, "title": m.title, "url": self.url(self.urls.measure(m.id)),
                "json": self.url(self.urls.measure_file(m.id, "json")), "kind": m.kind, "purposes": m.purposes,
                "service": m.service, "localities": m.localities, "unit": m.unit, "frequency": m.frequency,
                "latest": None if s.latest is None else {"period": s.latest.period.text,
                                                         "value": json_value(s.latest.value)},
                "variation": a.variation, "assurance": a.assurance,
                "next_update_due": s.next_due.isoformat() if s.next_due else None, "overdue": s.overdue,
                "delay": delay_twin(s.timing)}

    @encode.register
    def _measure(self, m: Measure):
        """A measure as one dataset of the catalogue: where it is and its downloads."""
        return {"id": m.id, "title": m.title, "url": self.url(self.urls.measure(m.id)), "frequency": m.frequency,
                "updated": m.updated.isoformat() if m.updated else None,
                "downloads": {ext: self.url(self.urls.measure_file(m.id, ext)) for ext in ("csv", "xlsx", "json")}}

    @encode.register
    def _release(self, r: Release):
        m = r.measure
        return {"measure": m.id, "title": m.title, "url": self.url(self.urls.measure(m.id)),
                "frequency": m.frequency, "latest_period": m.last_period.text, "next_period": r.period,
                "due": r.due.isoformat() if r.due else None, "overdue": r.overdue, "days_overdue": r.overdue_days,
                "delay": delay_twin(r.timing)}

    # --- finance ------------------------------------------------------------------------

    @encode.register
    def _group(self, g: Group):
        out = {"key": g.key, "label": g.label, "payments": g.count, "total": str(g.total)}
        if g.slug:
            out["url"] = self.url(self.urls.supplier(g.slug))
        return out

    @encode.register
    def _payment(self, p: Payment):
        service = self.site.services.get(p.service)
        return {"date": p.date.isoformat(), "service": service.title if service else p.service,
                "category": p.category, "supplier": p.supplier_name, "amount": str(p.amount),
                "transaction": p.transaction, "capital_or_revenue": p.capital_or_revenue, "source": p.resource,
                "line": p.row}

    # --- pages written from content/ ----------------------------------------------------

    @encode.register
    def _content_page(self, page: ContentPage):
        return {"title": page.title, "url": self.url(page.url), "html": page.content}



def delay_twin(timing) -> dict | None:
    """A known delay as the twins give it: its reason and when the figure is now expected."""
    if not timing.delay_reason:
        return None
    return {"reason": timing.delay_reason, "expected": timing.delay_expected.isoformat(), "active": timing.delayed}
