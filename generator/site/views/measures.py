"""Every measure A to Z, and a page per measure: the answer first, the chart, the table, what it is,
who owns it, commentary and downloads (design brief §6). A measure page's twin is `<id>.json`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial

from ...analysis import breakdowns, capability, comparisons
from ...analysis.breakdowns import WARDS, Breakdown
from ...analysis.wards import WardFigures
from ...analysis.comparisons import Standing
from ...analysis.capability import SignalItem
from ...analysis.spc import Analysis
from ...domain.alphabet import letter
from ...analysis.summary import Summary
from ...domain.model import Locality, Measure, Observation, Purpose, Service
from ...domain.reports import Report
from ...publish.files import Download
from ...publish.formats import json_value
from ... import cache
from ..context import BuildContext, Chart, Crumbs
from ..kept_pages import Unknown, canonical
from ..pages import MeasureRow, Page
from ...domain.signoffs import SignOff, latest_signoff
from ..twins import delay_twin
from .quality import Quality, quality
from .reports import Discussion, discussions


@dataclass(frozen=True)
class Comparison:
    """The council's place in one comparator group, as the page shows it."""

    standing: Standing
    sentence: str
    chart: Chart | None

    def to_twin(self, twin) -> dict:
        s = self.standing
        return {"group": s.group.id, "title": s.group.title, "source": s.group.source, "sentence": self.sentence,
                "latest_period": s.latest.text, "period": s.period.text if s.period else None,
                "rank": s.rank, "of": s.size, "tied": s.tied, "quartile": s.quartile, "reporting": s.reporting,
                "ordered_by": "value" if s.by_value else "polarity",
                "members": [{"area_code": f.area.code, "name": f.area.name, "own": f.own, "rank": f.rank,
                             "period": f.observation.period.text if f.observation else None,
                             "value": json_value(f.observation.value) if f.observation else None,
                             "symbol": f.observation.symbol if f.observation else None} for f in s.figures],
                "group_by_period": [{"period": b.period.text, "median": b.median, "low": b.low, "high": b.high,
                                     "members": b.members} for b in s.band],
                "chart": twin.url(self.chart.wide.path) if self.chart else None}


@dataclass(frozen=True)
class Parts:
    """One breakdown of the measure (by ward, by age band) as the page shows it."""

    breakdown: Breakdown
    sentence: str
    chart: Chart | None
    figures: WardFigures | None = None    # by ward: the latest figures as the map shows them
    map: Chart | None = None

    def to_twin(self, twin) -> dict:
        b = self.breakdown
        return {"id": b.id, "title": b.title, "sentence": self.sentence,
                "map": twin.url(self.map.wide.path) if self.map else None,
                "map_summary": self.figures.summary() if self.figures else None,
                "latest_period": b.latest.text if b.latest else None,
                "previous_period": b.previous.text if b.previous else None,
                "parts": [{"key": p.key, "label": p.label, "variation": p.analysis.variation,
                           "latest": json_value(b.figure(p, b.latest)), "change": json_value(b.change(p)),
                           "data": _rows(p.observations)} for p in b.parts],
                "chart": twin.url(self.chart.wide.path) if self.chart else None}


@dataclass(frozen=True)
class MeasureView:
    """What a measure's page shows."""

    measure: Measure
    summary: Summary
    analysis: Analysis
    signals: list[SignalItem]          # the signals of real change, in words, beside the chart
    signal_kinds: list[str]            # which signal shapes the chart's key explains
    annotation_kinds: list             # which kinds of annotation line the chart's key explains
    point_signals: dict[str, str]      # period -> the signals at that point, for the table
    phases: list[dict]                 # each phase's average and limits as readers see them
    overlap_reason: str | None         # why no signal is looked for: the periods overlap
    purposes: list[Purpose]
    service: Service | None
    localities: list[Locality]
    licenses: list[dict]               # every licence its package is published under, for the page
    licence: dict                      # the one licence (Dataset.licence), for the twin as for DCAT and SQLite
    parts: list[Parts] = ()
    comparisons: list[Comparison] = ()
    benchmarks: list[tuple[str, Observation]] = ()   # each benchmark area's name and latest figure
    discussed: list[Discussion] = ()                  # the reports to councillors with a section on it
    checked: SignOff | None = None                    # the latest figure's sign-off, if one holds
    quality: Quality | None = None                    # its assessment against the council's quality tests

    def to_twin(self, twin) -> dict:
        m, s = self.measure, self.summary
        return {
            "id": m.id, "title": m.title, "description": m.description, "url": twin.url(twin.urls.measure(m.id)),
            "kind": m.kind, "purposes": m.purposes, "service": m.service, "team": m.team,
            "localities": m.localities, "unit": m.unit, "polarity": m.polarity, "frequency": m.frequency,
            "years": m.years,
            "owner": m.owner, "source": m.source, "target": json_value(m.target),
            "latest": None if s.latest is None else {
                "period": s.latest.period.text, "value": json_value(s.latest.value), "status": s.latest.status},
            "summary": " ".join(s.sentences),
            "next_update_due": s.next_due.isoformat() if s.next_due else None,
            "delay": delay_twin(s.timing),
            "area": m.area or None, "breakdowns": m.breakdowns,
            "data": _rows(m.observations),
            "series": [{"area_code": x.area_code or None, "breakdown": {c: v or None for c, v in x.breakdown},
                        "data": _rows(x.observations)} for x in m.series],
            "spc": capability.to_json(m, self.analysis),
            "annotations": [{"period": a.period, "label": a.label, "kind": a.kind, "description": a.description,
                             "rebase": a.rebase} for a in m.annotations],
            "commentary": [{"author": c.author, "role": c.role, "date": c.date.isoformat(),
                            "period": c.period, "html": c.html} for c in m.commentary],
            "revisions": [{"period": r.period, "series": dict(zip(m.key_columns, r.series)) or None, "old": r.old,
                           "new": r.new, "reason": r.reason, "date": r.when.isoformat(), "commit": r.commit}
                          for r in m.revisions],
            "parts": [p.to_twin(twin) for p in self.parts],
            "comparisons": [c.to_twin(twin) for c in self.comparisons],
            "benchmarks": [{"name": name, "period": o.period.text, "value": json_value(o.value), "symbol": o.symbol}
                           for name, o in self.benchmarks],
            "license": self.licence,
            "package": m.package,
            "reports": [d.to_twin(twin) for d in self.discussed],
            "quality": self.quality.to_twin(twin) if self.quality else None,
            "signoffs": [{"period": s.period, "by": s.by, "role": s.role, "date": s.date.isoformat(),
                          "figure_sha256": s.figure_sha256, "commentary_sha256": s.commentary_sha256}
                         for s in m.signoffs],
        }


def _rows(observations) -> list[dict]:
    return [{"period": o.period.text, "start": o.period.start.isoformat(), "end": o.period.end.isoformat(),
             "value": json_value(o.value), "symbol": o.symbol, "status": o.status,
             "target": json_value(o.target), "note": o.note} for o in observations]


def view(ctx: BuildContext, m: Measure, discussed: list[Discussion]) -> MeasureView:
    site, analysis = ctx.site, ctx.analyses[m.id]
    return MeasureView(
        m, ctx.summaries[m.id], analysis, capability.signal_items(m, analysis),
        [d for d in ("improvement", "concern", "neutral") if any(x.direction == d for x in analysis.signals)],
        list(dict.fromkeys(a.kind for a in m.annotations)),
        capability.point_labels(m, analysis), capability.phase_rows(m, analysis),
        capability.overlap_reason(m) if analysis.overlapping else None,
        [site.purposes[p] for p in m.purposes], site.services.get(m.service),
        [site.localities[x] for x in m.localities], site.datasets[m.package].licenses,
        site.datasets[m.package].licence,
        [Parts(b, breakdowns.sentence(b, m.unit), ctx.breakdown_charts.get((m.id, b.id)),
               *((ctx.by_ward.get(m.id), ctx.maps.get(("measure", m.id))) if b.id == WARDS else ()))
         for b in ctx.breakdowns[m.id]],
        [Comparison(s, comparisons.sentence(s), ctx.comparison_charts.get((m.id, s.group.id)))
         for s in ctx.standings[m.id]],
        [(name, observations[-1]) for name, observations in ctx.benchmarks[m.id] if observations], discussed,
        latest_signoff(m), quality(ctx, m))


def redirects(ctx: BuildContext, m: Measure) -> Iterator[Page]:
    """A page at each address the measure was published under before, sending readers to it (to its
    figures by ward, where it has them)."""
    wards = any(b.id == WARDS for b in ctx.breakdowns[m.id])
    for old in m.formerly:
        yield Page(ctx.urls.measure(old), "redirect",
                   {"moved_to": ctx.urls.measure(m.id), "title": m.title},
                   {"to": ctx.urls.measure(m.id) + ("#by-ward-heading" if wards else ""),
                    "what": "The figures that were published here", "part": "ward" if wards else "series",
                    "breadcrumbs": ctx.crumbs()})


def crumbs(ctx: BuildContext, m: Measure) -> Crumbs:
    """A measure sits under its first purpose; else under its service; else (wider data no purpose
    names) under the A to Z."""
    if m.purposes:
        p = ctx.site.purposes[m.purposes[0]]
        return ctx.crumbs((p.title, ctx.urls.purpose(p.id)))
    if m.service:
        s = ctx.site.services[m.service]
        return ctx.crumbs(("Services", ctx.urls.services()), (s.title, ctx.urls.service(s.id)))
    return ctx.crumbs(("Measures", ctx.urls.measures()))


def letters(rows: list[MeasureRow]) -> list[tuple[str, list[MeasureRow]]]:
    """The A to Z: measures by the first letter of their title (a title starting with a digit under 0-9)."""
    groups: dict[str, list[MeasureRow]] = {}
    for row in rows:
        groups.setdefault(letter(row.measure.title), []).append(row)
    return sorted(groups.items())


@dataclass(frozen=True)
class Facet:
    """One way to narrow the A to Z, and one of its values: a list at a stable address."""

    facet: str          # service | ward | kind | verdict
    value: str          # its id in the address
    label: str          # in words
    measures: list      # MeasureRow


FACET_NAMES = {"service": "Service", "ward": "Ward", "kind": "Kind", "verdict": "What the figures show"}
VERDICTS = {"improving": ("Improving", lambda r: r.verdicts.variation == "special-cause-improvement"),
            "concern": ("A concern", lambda r: r.verdicts.variation == "special-cause-concern"),
            "failing-target": ("Failing its target", lambda r: (r.summary.assurance or r.verdicts.assurance)
                               in ("consistently-fails", "too-few-missed"))}


def facets(ctx: BuildContext, rows: list[MeasureRow]) -> list[Facet]:
    """Every non-empty narrowing of the A to Z, in the order the A to Z offers them."""
    site, out = ctx.site, []
    out += [Facet("service", s.id, s.title, [r for r in rows if r.measure.service == s.id])
            for s in site.services.values()]
    for loc in site.localities.values():
        here = {m.id for m in site.measures_for_locality(loc.id)}
        out.append(Facet("ward", loc.id, loc.name, [r for r in rows if r.measure.id in here]))
    kinds = {"strategic": "Strategic", "operational": "Operational", "context": "Wider data"}
    out += [Facet("kind", k, words, [r for r in rows if r.measure.kind == k]) for k, words in kinds.items()]
    out += [Facet("verdict", v, words, [r for r in rows if test(r)]) for v, (words, test) in VERDICTS.items()]
    return [f for f in out if f.measures]


def pages(ctx: BuildContext) -> Iterator[Page]:
    urls = ctx.urls
    rows = ctx.rows(ctx.site.measures.values())
    narrowed = facets(ctx, rows)
    choices = [(FACET_NAMES[name], [(f.label, urls.measures_by(f.facet, f.value), len(f.measures))
                                    for f in narrowed if f.facet == name]) for name in FACET_NAMES]
    choices = [(name, links) for name, links in choices if links]
    yield Page(urls.measures(), "measures", {"measures": rows},
               {"letters": letters(rows), "breadcrumbs": ctx.crumbs(), "choices": choices})
    for f in narrowed:
        yield Page(urls.measures_by(f.facet, f.value), "measures_by",
                   {"facet": f.facet, "value": f.value, "label": f.label, "measures": f.measures},
                   {"facet_name": FACET_NAMES[f.facet], "choices": choices,
                    "breadcrumbs": ctx.crumbs(("Measures A to Z", urls.measures()))})
    discussed = discussions(ctx.site.reports, ctx.site.purposes)
    inputs = PageInputs.of_build(ctx)
    for m in ctx.site.measures.values():
        yield from redirects(ctx, m)
        twin = urls.measure_file(m.id, "json")
        mine = discussed.get(m.id, [])
        yield Page(urls.measure(m.id), "measure", None, twin=twin, inputs=inputs and inputs.of(m, mine),
                   make=partial(_measure_page, ctx, m, mine, twin))


def _measure_page(ctx: BuildContext, m: Measure, discussed: list[Discussion], twin: str) -> tuple[MeasureView, dict]:
    """What a measure's page shows, and its layout: its downloads (its twin's size among them), breadcrumbs and
    chart."""
    shown = view(ctx, m, discussed)
    files = ctx.measure_downloads[m.id]
    downloads = [*files[:2], Download("Data and metadata (JSON)", twin, "JSON", ctx.twin_size(shown)), *files[2:]]
    return shown, {"downloads": downloads, "breadcrumbs": crumbs(ctx, m), "chart": ctx.measure_charts[m.id]}


def _report_key(r: Report) -> str:
    """A hash of a report as a page discussing it may show it. Its snapshot is JSON as read (a thousand
    measures' figures): hashed as JSON writes it, in its order, a tenth the time canonical's walk takes."""
    return cache.key(canonical(replace(r, snapshot=None)), json.dumps(r.snapshot, ensure_ascii=False))


class PageInputs:
    """A hash of everything a measure's page is made from besides the site-wide context (kept_pages.py), so
    that an unchanged measure's page is written from the cache without its view even being made.

    `view` reads the measure; the registers (purposes, services, localities) and comparator groups that its
    links, standings and breakdowns are worked out against; its package's licences; the reports that discuss
    it; its charts and downloads as drawn and written; and today's date. Its analysis and breakdowns follow
    from those and the settings. Today's date reaches the page only through its summary (what is overdue)
    and whether its assessment is due for review, so those are hashed rather than the day: a page stays kept
    from one day to the next while nothing it says changes. The measure is hashed by value but for its rows,
    which its rows_key names (BuildContext.made_from; None: no page kept)."""

    def __init__(self, ctx: BuildContext):
        site, self.ctx = ctx.site, ctx
        self.shared = cache.key(canonical([site.purposes, site.services, site.localities, site.comparators]))
        self.licences = {name: cache.key(canonical([d.licenses, d.licence])) for name, d in site.datasets.items()}
        self.reports = {r.slug: _report_key(r) for r in site.reports}

    @classmethod
    def of_build(cls, ctx: BuildContext) -> PageInputs | None:
        """None without a cache, or when what the pages share holds a value `canonical` cannot hash."""
        try:
            return cls(ctx) if ctx.settings.cache_dir else None
        except Unknown:
            return None

    def of(self, m: Measure, discussed: list[Discussion]) -> str | None:
        ctx = self.ctx
        if (own := ctx.made_from[m.id]) is None:
            return None
        charts = [ctx.measure_charts.get(m.id), ctx.maps.get(("measure", m.id)),
                  [ctx.comparison_charts.get((m.id, s.group.id)) for s in ctx.standings[m.id]],
                  [ctx.breakdown_charts.get((m.id, b.id)) for b in ctx.breakdowns[m.id]]]
        try:
            made = canonical([ctx.summaries[m.id], quality(ctx, m).due_for_review, charts, ctx.measure_downloads[m.id]])
        except Unknown:
            return None
        return cache.key("measure page", own, self.shared, self.licences[m.package],
                         [[self.reports[d.report.slug], d.measure, d.focus] for d in discussed], made)
