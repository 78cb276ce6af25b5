"""Reports to councillors: a list by year (and one per report type, so it narrows without JavaScript),
and a page for each report drawn only from its snapshot: cover, contents, narrative, then one section per
measure (the focus first, then the type's standard measures, then, for a type that covers them all,
every other strategic measure by purpose). The one thing that can change on a report's page is a note
that a figure it printed has since been revised, with a link to the live measure.

Each report has a briefing per purpose for the councillor who holds it (whose title the purposes register
gives): the purpose's measures and their verdicts, and what changed since the previous report of the
type, read from the two reports' snapshots (analysis/changes.py) so that it never changes either."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from ... import cache
from ...analysis.capability import ASSURANCE_LABELS, VARIATION_LABELS
from ...analysis.changes import Change, changes, latest, period
from ...domain.model import Measure, Purpose
from ...domain.reports import Report, newest_first, previous
from ...domain.vocabulary import Kind
from ..context import BuildContext, Chart
from ..pages import Page

FOCUS, STANDARD = "Focus", "Standard measures"


@dataclass(frozen=True)
class Revised:
    """A figure the report printed that has been revised since."""

    period: str                # its label
    then: str                  # as the report printed it
    now: str                   # as the data has it today


class AsItStood:
    """What a view of one measure in a report's snapshot reads from it: the latest figure then and the
    verdicts (a report's section and a briefing's row both show them)."""

    snap: dict                 # the measure's snapshot (analysis/snapshot.py)

    @property
    def latest(self) -> dict | None:
        return latest(self.snap)

    @property
    def latest_period(self) -> str:
        """The latest figure's period, as readers say it."""
        return period(self.snap, self.latest["period"]).label if self.latest else ""

    @property
    def variation(self) -> str:
        return VARIATION_LABELS.get(self.snap["verdicts"]["variation"] or "", "")

    @property
    def assurance(self) -> str:
        return ASSURANCE_LABELS.get(self.snap["verdicts"]["assurance"] or "", "")

    def printed(self) -> dict | None:
        o = self.latest
        return {"period": o["period"], "value": o.get("value"), "symbol": o.get("symbol")} if o else None


@dataclass(frozen=True)
class Section(AsItStood):
    """One measure in a report, as it stood on the report's date."""

    id: str
    group: str                 # FOCUS, STANDARD, or a purpose's title
    snap: dict
    chart: Chart | None
    live: bool                 # the measure is still published: the section links to it
    revised: list[Revised]

    def to_twin(self, twin) -> dict:
        s = self.snap
        return {"measure": self.id, "title": s["title"], "group": self.group, "unit": s["unit"],
                "url": twin.url(twin.urls.measure(self.id)) if self.live else None, "printed": self.printed(),
                "sentences": s["sentences"], "verdicts": s["verdicts"], "data": s["observations"],
                "chart": twin.url(self.chart.wide.path) if self.chart else None,
                "revised_since": [{"period": r.period, "printed": r.then, "now": r.now} for r in self.revised]}


@dataclass(frozen=True)
class ReportView:
    report: Report
    groups: list[tuple[str, list[Section]]]     # the sections under their headings, in the report's order
    briefings: list[Purpose]                    # the purposes it has a briefing for

    def to_twin(self, twin) -> dict:
        r = self.report
        return {"slug": r.slug, "type": r.type.id, "type_title": r.type.title, "title": r.title,
                "as_at": r.as_at.isoformat(), "meeting": r.meeting, "author": r.author or None,
                "focus": list(r.focus), "narrative_html": r.html,
                "url": twin.url(twin.urls.report(r.slug)), "pdf": twin.url(twin.urls.report_pdf(r.slug)),
                "measures": [s.to_twin(twin) for _, sections in self.groups for s in sections],
                "briefings": [{"purpose": p.id, "title": p.title, "portfolio_holder": p.portfolio_holder or None,
                               "url": twin.url(twin.urls.briefing(r.slug, p.id))} for p in self.briefings]}


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


@dataclass(frozen=True)
class Briefed(AsItStood):
    """One of a purpose's measures in a briefing, as it stood on the report's date."""

    id: str
    snap: dict
    in_report: bool               # the report has a section on it (a briefing links there)
    changes: list[Change]         # since the previous report of the type

    def to_twin(self, twin) -> dict:
        s = self.snap
        return {"measure": self.id, "title": s["title"], "kind": s["kind"], "unit": s["unit"],
                "target": s["target"], "in_report": self.in_report, "printed": self.printed(),
                "verdicts": s["verdicts"], "changes": [{"kind": c.kind, "text": c.text} for c in self.changes]}


@dataclass(frozen=True)
class Briefing:
    """A purpose's measures on a report's date, for the councillor who holds it, before the meeting."""

    report: Report
    purpose: Purpose
    previous: Report | None       # the report of the type before this one, that changes are counted from
    measures: list[Briefed]

    def to_twin(self, twin) -> dict:
        r, p, before = self.report, self.purpose, self.previous
        return {"report": r.slug, "report_title": r.title, "as_at": r.as_at.isoformat(),
                "url": twin.url(twin.urls.briefing(r.slug, p.id)), "report_url": twin.url(twin.urls.report(r.slug)),
                "purpose": p.id, "purpose_title": p.title, "portfolio_holder": p.portfolio_holder or None,
                "compared_with": {"report": before.slug, "title": before.title, "as_at": before.as_at.isoformat(),
                                  "url": twin.url(twin.urls.report(before.slug))} if before else None,
                "measures": [b.to_twin(twin) for b in self.measures]}


def briefing(report: Report, purpose: Purpose, reports: list[Report], purposes: dict[str, Purpose]) -> Briefing:
    """The purpose's measures in the report's snapshot, strategic first, each with what changed since the
    previous report of the type (nothing, for the first)."""
    before = previous(reports, report.type.id, report.as_at)
    in_report = {mid for _, mid in shown(report, purposes)}
    mine = sorted(((mid, m) for mid, m in report.snapshot["measures"].items() if purpose.id in m["purposes"]),
                  key=lambda item: (item[1]["kind"] != Kind.STRATEGIC, item[1]["title"].lower()))
    out = []
    for mid, m in mine:
        found = changes(before.snapshot["measures"].get(mid), m, before.as_at) if before else []
        out.append(Briefed(mid, m, mid in in_report, found))
    return Briefing(report, purpose, before, out)


def briefed_purposes(report: Report, purposes: dict[str, Purpose]) -> list[Purpose]:
    """The purposes with a measure in the report's snapshot, in the register's order."""
    held = {p for m in report.snapshot["measures"].values() for p in m["purposes"]}
    return [p for pid, p in purposes.items() if pid in held]


@dataclass(frozen=True)
class Discussion:
    """A report with a section on a measure: the measure's page links to it."""

    report: Report
    measure: str
    focus: bool                   # chosen as a focus of the report, not there as standard or to cover them all

    def to_twin(self, twin) -> dict:
        r = self.report
        return {"report": r.slug, "title": r.title, "as_at": r.as_at.isoformat(), "focus": self.focus,
                "url": twin.url(twin.urls.report_section(r.slug, self.measure))}


def discussions(reports: list[Report], purposes: dict[str, Purpose]) -> dict[str, list[Discussion]]:
    """Measure id -> the reports with a section on it, newest first."""
    out: dict[str, list[Discussion]] = {}
    for r in newest_first(reports):
        for group, mid in shown(r, purposes):
            out.setdefault(mid, []).append(Discussion(r, mid, group == FOCUS))
    return out


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
    live = ctx.site.measures.get(mid)
    return Section(mid, group, snap, ctx.report_charts.get((report.slug, mid)), live is not None,
                   _kept_revised(ctx, snap, live) if live else [])


def _kept_revised(ctx: BuildContext, snap: dict, measure: Measure) -> list[Revised]:
    """revised_since(), kept by the measure's rows_key (a hash of its rows and of every module of the
    generator) and what the report printed: a rebuild reads the rows of no measure that did not change."""
    printed = [[o["period"], o.get("value")] for o in snap["observations"]]
    return cache.kept_result(ctx.settings.cache_dir, "reports",
                             ["revised since", measure.rows_key, snap.get("years"), printed] if measure.rows_key else None,
                             lambda: revised_since(snap, measure))


def revised_since(snap: dict, measure: Measure) -> list[Revised]:
    """The figures the report printed that the data now gives otherwise (a number changed, or a figure
    withdrawn); a period the data has dropped is not a revision of it."""
    now = {o.period.text: o for o in measure.observations}
    out = []
    for o in snap["observations"]:
        current = now.get(o["period"])
        if current is None or o.get("value") is None:
            continue
        if current.value is None or current.value != Decimal(o["value"]):
            out.append(Revised(period(snap, o["period"]).label, o["value"], current.text))
    return out


def pages(ctx: BuildContext) -> Iterator[Page]:
    site, urls = ctx.site, ctx.urls
    newest = newest_first(site.reports)
    types = ctx.settings.reports
    yield Page(urls.reports(), "reports", {"reports": [Listed(r) for r in newest], "type": None, "types": types},
               {"breadcrumbs": ctx.crumbs()})
    for type_id, kind in types.items():
        yield Page(urls.reports(type_id), "reports",
                   {"reports": [Listed(r) for r in newest if r.type.id == type_id], "type": kind, "types": types},
                   {"breadcrumbs": ctx.crumbs(("Reports", urls.reports()))})
    for r in site.reports:
        held = briefed_purposes(r, site.purposes)
        yield Page(urls.report(r.slug), "report",
                   ReportView(r, grouped([section(ctx, r, group, mid) for group, mid in shown(r, site.purposes)]),
                              held),
                   {"breadcrumbs": ctx.crumbs(("Reports", urls.reports()))})
        for p in held:
            yield Page(urls.briefing(r.slug, p.id), "briefing", briefing(r, p, site.reports, site.purposes),
                       {"breadcrumbs": ctx.crumbs(("Reports", urls.reports()), (r.title, urls.report(r.slug)))})
