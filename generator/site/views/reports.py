"""Reports to councillors: a list by year (and one per report type, so it narrows without JavaScript),
and a page for each report drawn only from its snapshot: cover, contents, narrative, then one section per
measure (the focus first, then the type's standard measures, then, for a type that covers them all,
every other strategic measure by purpose). The one thing that can change on a report's page is a note
that a figure it printed has since been revised, with a link to the live measure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ...analysis.capability import ASSURANCE_LABELS, VARIATION_LABELS
from ...domain.model import Measure, Purpose
from ...domain.periods import Period, parse_period
from ...domain.reports import Report
from ...domain.vocabulary import Kind, Years
from ..context import BuildContext, Chart
from ..pages import Page

FOCUS, STANDARD = "Focus", "Standard measures"


@dataclass(frozen=True)
class Revised:
    """A figure the report printed that has been revised since."""

    period: str                # its label
    then: str                  # as the report printed it
    now: str                   # as the data has it today


@dataclass(frozen=True)
class Section:
    """One measure in a report, as it stood on the report's date."""

    id: str
    group: str                 # FOCUS, STANDARD, or a purpose's title
    snap: dict                 # the measure's snapshot (analysis/snapshot.py)
    latest: dict | None        # its latest figure then
    latest_period: str         # that figure's period, as readers say it
    chart: Chart | None
    live: bool                 # the measure is still published: the section links to it
    revised: list[Revised]

    @property
    def variation(self) -> str:
        return VARIATION_LABELS.get(self.snap["verdicts"]["variation"] or "", "")

    @property
    def assurance(self) -> str:
        return ASSURANCE_LABELS.get(self.snap["verdicts"]["assurance"] or "", "")

    def to_twin(self, twin) -> dict:
        s = self.snap
        return {"measure": self.id, "title": s["title"], "group": self.group, "unit": s["unit"],
                "url": twin.url(twin.urls.measure(self.id)) if self.live else None,
                "printed": {"period": self.latest["period"], "value": self.latest.get("value"),
                            "symbol": self.latest.get("symbol")} if self.latest else None,
                "sentences": s["sentences"], "verdicts": s["verdicts"], "data": s["observations"],
                "chart": twin.url(self.chart.wide.path) if self.chart else None,
                "revised_since": [{"period": r.period, "printed": r.then, "now": r.now} for r in self.revised]}


@dataclass(frozen=True)
class ReportView:
    report: Report
    groups: list[tuple[str, list[Section]]]     # the sections under their headings, in the report's order

    def to_twin(self, twin) -> dict:
        r = self.report
        return {"slug": r.slug, "type": r.type.id, "type_title": r.type.title, "title": r.title,
                "as_at": r.as_at.isoformat(), "meeting": r.meeting, "author": r.author or None,
                "focus": list(r.focus), "narrative_html": r.html,
                "url": twin.url(twin.urls.report(r.slug)), "pdf": twin.url(twin.urls.report_pdf(r.slug)),
                "measures": [s.to_twin(twin) for _, sections in self.groups for s in sections]}


def grouped(sections: list[Section]) -> list[tuple[str, list[Section]]]:
    out: dict[str, list[Section]] = {}
    for s in sections:
        out.setdefault(s.group, []).append(s)
    return list(out.items())


@dataclass(frozen=True)
class Listed:
    """A report in the list."""

    report: Report

    def to_twin(self, twin) -> dict:
        r = self.report
        return {"slug": r.slug, "title": r.title, "type": r.type.id, "as_at": r.as_at.isoformat(),
                "meeting": r.meeting, "url": twin.url(twin.urls.report(r.slug))}


def shown(report: Report, purposes: dict[str, Purpose]) -> list[tuple[str, str]]:
    """(group, measure id) in the report's order: its focus, its type's standard measures, then (a type that
    covers every strategic measure) the other strategic measures under their first purpose, in the
    purposes' order."""
    measures = report.snapshot["measures"]
    out = [(FOCUS, m) for m in report.focus]
    out += [(STANDARD, m) for m in report.type.standard if m not in report.focus]
    if report.type.every_strategic:
        seen = {m for _, m in out}
        order = list(purposes)
        rest = sorted((mid for mid, m in measures.items() if m["kind"] == Kind.STRATEGIC and mid not in seen),
                      key=lambda mid: (_first_purpose(measures[mid], order), measures[mid]["title"].lower()))
        out += [(purposes[p].title if (p := _purpose(measures[mid], order)) else "Other strategic measures", mid)
                for mid in rest]
    return out


def _purpose(m: dict, order: list[str]) -> str | None:
    return next((p for p in order if p in m["purposes"]), None)


def _first_purpose(m: dict, order: list[str]) -> int:
    p = _purpose(m, order)
    return order.index(p) if p else len(order)


def section(ctx: BuildContext, report: Report, group: str, mid: str) -> Section:
    snap = report.snapshot["measures"][mid]
    years = Years(snap["years"])
    latest = next((o for o in reversed(snap["observations"]) if o.get("value") is not None or o.get("symbol")), None)
    live = ctx.site.measures.get(mid)
    return Section(mid, group, snap, latest, _label(latest["period"], years) if latest else "",
                   ctx.report_charts.get((report.slug, mid)), live is not None,
                   revised_since(snap, live, years) if live else [])


def revised_since(snap: dict, measure: Measure, years: Years) -> list[Revised]:
    """The figures the report printed that the data now gives otherwise (a number changed, or a figure
    withdrawn); a period the data has dropped is not a revision of it."""
    now = {o.period.text: o for o in measure.observations}
    out = []
    for o in snap["observations"]:
        current = now.get(o["period"])
        if current is None or o.get("value") is None:
            continue
        if current.value is None or current.value != Decimal(o["value"]):
            out.append(Revised(_label(o["period"], years), o["value"], current.text))
    return out


def _label(text: str, years: Years) -> str:
    period: Period = parse_period(text, years=years)
    return period.label


def pages(ctx: BuildContext) -> Iterator[Page]:
    site, urls = ctx.site, ctx.urls
    newest = sorted(site.reports, key=lambda r: (r.as_at, r.slug), reverse=True)
    types = ctx.settings.reports
    yield Page(urls.reports(), "reports", {"reports": [Listed(r) for r in newest], "type": None, "types": types},
               {"breadcrumbs": ctx.crumbs()})
    for type_id, kind in types.items():
        yield Page(urls.reports(type_id), "reports",
                   {"reports": [Listed(r) for r in newest if r.type.id == type_id], "type": kind, "types": types},
                   {"breadcrumbs": ctx.crumbs(("Reports", urls.reports()))})
    for r in site.reports:
        yield Page(urls.report(r.slug), "report",
                   ReportView(r, grouped([section(ctx, r, group, mid) for group, mid in shown(r, site.purposes)])),
                   {"breadcrumbs": ctx.crumbs(("Reports", urls.reports()))})
