"""Everything one build knows, handed to every view: the model, its analysis and what publishing wrote.

Made in the generator's generate_context (load, then analyse) and completed in generate_output
(the charts drawn and the downloads written) before any view runs; views only read it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from .. import cache
from ..analysis import capability, comparisons, spc as spc_rules, updates
from ..analysis import wards
from ..analysis.breakdowns import Breakdown, breakdowns, wards_by_code
from ..analysis.comparisons import Standing, benchmarks, standing
from ..analysis.finance import Finance, read_finance, worked_out
from ..analysis.releases import Release, schedule
from ..analysis.spc import Analysis, SPCSettings, Verdicts
from ..analysis.summary import Summary, dated, described
from ..analysis.updates import Update
from ..domain.model import Comparator, Locality, Measure, Resource, Site
from ..domain.vocabulary import FINANCE_ROLES, Role
from ..domain.pickled import Pickled, PickledList
from ..publish.files import Download
from ..settings import Settings
from ..urls import Urls
from .kept_pages import Unknown, canonical
from .pages import MeasureRow
from .twins import Twin

Crumbs = list[tuple[str, str]]    # (label, path) from the home page down
# Columns of a register its pages show in their own places (heading, lede, link): not among its details.
SHOWN_APART = frozenset({"id", "title", "description", "purpose"})


@dataclass(frozen=True)
class Image:
    """A drawn chart's image: where it is and its size."""

    path: str
    width: str
    height: str


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its image for wider screens, its image for a phone's, and what it shows (the
    caption's words)."""

    wide: Image
    narrow: Image
    description: str

    def to_twin(self, twin) -> dict:
        return {"image": twin.url(self.wide.path), "narrow_image": twin.url(self.narrow.path),
                "description": self.description}


@dataclass
class BuildContext:
    settings: Settings
    urls: Urls
    site: Site
    now: datetime
    sitename: str
    spc: SPCSettings
    analyses: Mapping[str, Analysis]    # each unpickled when first read (Worked): a rebuild reads those it shows
    verdicts: dict[str, Verdicts]       # what every list of measures shows of each
    summaries: dict[str, Summary]
    releases: list[Release]
    updates: list[Update]
    finance: Finance | None
    twin: Twin
    standings: dict[str, list[Standing]]                         # measure -> its place in each comparator group
    breakdowns: dict[str, list[Breakdown]]                       # measure -> its parts by ward and by breakdown
    benchmarks: dict[str, list[tuple[str, list]]]               # measure -> each benchmark's name and figures
    by_ward: dict[str, wards.WardFigures]                       # measure -> its latest figures by ward
    profiles: list[wards.WardFigures]                           # each column of the ward profiles
    made_from: dict[str, str | None]            # measure -> a hash of all it and its analysis are made from
    content_pages: list = field(default_factory=list)          # Pelican's pages from content/pages
    introduction: str = ""                                       # the home page's, as HTML ("": the default)
    # written by the publish step, before the views run
    measure_downloads: dict[str, list[Download]] = field(default_factory=dict)
    dataset_files: dict[str, list[Download]] = field(default_factory=dict)
    # /data/all.zip and all.sqlite with their metadata: written in a thread started before the charts and beside
    # the pages (generator._publish_packages), so a page that lists them waits for them as it is made.
    everything: Future[list[Download]] | None = None
    measure_charts: dict[str, Chart] = field(default_factory=dict)
    finance_charts: dict[str, Chart] = field(default_factory=dict)
    comparison_charts: dict[tuple[str, str], Chart] = field(default_factory=dict)   # (measure, group) -> chart
    breakdown_charts: dict[tuple[str, str], Chart] = field(default_factory=dict)    # (measure, breakdown)
    report_charts: dict[tuple[str, str], Chart] = field(default_factory=dict)   # (report, measure) -> chart
    maps: dict[tuple[str, str], Chart] = field(default_factory=dict)   # ("measure"|"profile"|"locality", id)
    _twins: dict[int, bytes] = field(default_factory=dict)    # twins encoded early (compressed), by their data's id

    @classmethod
    def analyse(cls, settings: Settings, site: Site, now: datetime, sitename: str) -> BuildContext:
        spc = SPCSettings(settings.spc_min_points, settings.spc_shift_run, settings.spc_trend_run)
        made = {m.id: made_from(m, spc) for m in site.measures.values()}
        work = {m.id: worked(m, spc, settings.cache_dir, made[m.id]) for m in site.measures.values()}
        lag = settings.publication_lag_days
        summaries = {m.id: dated(work[m.id].said, m, now.date(), lag) for m in site.measures.values()}
        urls = settings.urls()
        parts = {m.id: kept_breakdowns(m, site.localities, spc, settings.cache_dir, made[m.id])
                 for m in site.measures.values()}
        return cls(settings, urls, site, now, sitename, spc, _Analyses(work),
                   {mid: w.verdicts for mid, w in work.items()}, summaries,
                   schedule(list(site.measures.values()), now.date(), lag), updates.collect(site, summaries),
                   kept_finance(site, settings.cache_dir), Twin(urls, site),
                   {m.id: compared(m, [site.comparators[g] for g in m.comparators], settings.cache_dir, made[m.id])
                    for m in site.measures.values()},
                   parts, {m.id: kept_benchmarks(m, settings.cache_dir, made[m.id]) for m in site.measures.values()},
                   {m.id: f for m in site.measures.values() for b in parts[m.id]
                    if (f := wards.of_breakdown(m, b, site.localities))},
                   wards.of_profiles(site.locality_facts, site.localities), made)

    def twin_size(self, data) -> int:
        """The size of the JSON twin `data` will have (a measure's page lists it among its downloads); the
        text is kept for `twin_text`, so it is encoded once. Kept compressed: every measure's is made before
        the first page is written, and a thousand of them took 91 MB as text."""
        encoded = self.twin.text(data).encode("utf-8")
        self._twins[id(data)] = zlib.compress(encoded, 1)
        return len(encoded)

    def twin_text(self, data) -> str:
        """The JSON twin of a page's data (its page holds the data until it is written, so ids stay unique)."""
        kept = self._twins.pop(id(data), None)
        return zlib.decompress(kept).decode("utf-8") if kept else self.twin.text(data)

    def row(self, m: Measure) -> MeasureRow:
        return MeasureRow(m, self.summaries[m.id], self.verdicts[m.id])

    def rows(self, measures) -> list[MeasureRow]:
        return [self.row(m) for m in measures]

    def has(self, section: str) -> bool:
        """Whether a section has something to show: one without data (no localities register, no finance
        data, no measures to schedule) has no page, and no page links to it."""
        needs = {"purposes": lambda: bool(self.site.purposes), "services": lambda: bool(self.site.services),
                 "localities": lambda: bool(self.site.localities), "finance": lambda: self.finance is not None,
                 "wider": lambda: self.site.has_wider_data,
                 "reports": lambda: bool(self.site.reports),
                 "quality": lambda: bool(self.settings.quality_tests),
                 "calendar": lambda: bool(self.releases)}
        return needs.get(section, lambda: True)()

    def register(self, name: str) -> Resource | None:
        """The register (purposes, services, localities) as published, with its description and schema."""
        return next((r for d in self.site.datasets.values() for r in d.resources
                     if r.role is Role.REGISTER and r.name == name), None)

    def details(self, register: str, item_id: str) -> list[tuple[str, str]]:
        """The other columns of a register's row (who leads a purpose, say) as (label, value), labelled with
        the titles the register's Table Schema gives them, so in the council's words and of its choosing;
        an empty cell has no row. Personal fields are never published, so never here."""
        table = self.register(register)
        if table is None:
            return []
        names = [f.name for f in table.fields]
        row = next((r for r in table.cells if "id" in names and r[names.index("id")] == item_id), None)
        return [(f.title or f.name.replace("_", " ").capitalize(), cell.strip())
                for f, cell in zip(table.fields, row or []) if f.name not in SHOWN_APART and cell.strip()]

    def crumbs(self, *trail: tuple[str, str]) -> Crumbs:
        """Breadcrumbs: the home page, then `trail` ((label, path) pairs from the URL map)."""
        return [("Home", self.urls.home()), *trail]


# A measure's fields made from its table's rows alone: its rows_key stands in for them.
_FROM_ROWS = frozenset({"observations", "series", "periods"})


def made_from(measure: Measure, spc: SPCSettings) -> str | None:
    """A hash of all a measure and its analysis are made from: the measure by value but for its rows, which its
    rows_key names (they are most of it, and made from its table alone, by this generator: every module of it
    is in the key), and the SPC rules. None when its rows have no key (no cache), or it holds a value
    `canonical` cannot hash. What keys its chart and, with what else it shows, its page."""
    if measure.rows_key is None:
        return None
    try:
        own = [[f.name, canonical(getattr(measure, f.name))] for f in fields(measure) if f.name not in _FROM_ROWS]
    except Unknown:
        return None
    return cache.key("measure", own, spc)


# What a measure's analysis is worked out by: a change to either module is a new key.
_ANALYSIS_CODE = cache.code(capability.__file__, spc_rules.__file__)


def analysed(measure: Measure, spc: SPCSettings, cache_dir: Path | None) -> Analysis:
    """capability.analyse_measure, kept in the cache by a hash of the series it reads and the rules: exact
    arithmetic over every figure makes it the dearest part of the analysis, and a republish changes few."""
    if cache_dir is None:
        return capability.analyse_measure(measure, spc)
    path = cache_dir / "analyses" / f"{cache.key(_ANALYSIS_CODE, spc, capability.series_of(measure))}.pickle"
    return cache.kept_object(path, lambda: capability.analyse_measure(measure, spc))


def kept_breakdowns(measure: Measure, localities: dict[str, Locality], spc: SPCSettings, cache_dir: Path | None,
                    made: str | None) -> list[Breakdown]:
    """breakdowns(), kept whole in the cache by `made` (made_from: the measure, its rows, the rules and every
    module of the generator) and the wards (their codes and names choose and order the parts), each part's
    rows a pickle of their own: an unchanged measure's parts are neither worked out again nor their rows read
    (its figures by ward are in the Breakdown). When they are not kept, each part is worked out here, not kept
    on its own: a build that uses the measure's file would leave those unused, for the cache to remove."""
    if not (measure.series or measure.headline_parts):      # one series, no parts (its rows left unread)
        return []
    if cache_dir is None or made is None:
        return breakdowns(measure, localities, partial(analysed, spc=spc, cache_dir=cache_dir))
    named = sorted((code, loc.name) for code, loc in wards_by_code(localities).items())
    return cache.kept_result(cache_dir, "analyses", ["breakdowns", made, named], lambda: _parts_apart(
        breakdowns(measure, localities, lambda part: capability.analyse_measure(part, spc))))


def _parts_apart(found: list[Breakdown]) -> list[Breakdown]:
    """Breakdowns as the cache keeps them: each part's rows a pickle of their own, read when first asked for."""
    return [replace(b, parts=[replace(p, observations=PickledList(p.observations)) for p in b.parts]) for b in found]


@dataclass(frozen=True)
class Worked:
    """A measure's analysis, its verdicts, and its summary whatever the day (summary.described). The analysis
    is held pickled, and unpickled when first read: a rebuild makes the pages and charts of the measures that
    changed, and lists the rest by their verdicts and summaries, their rows unread."""
    held: Pickled[Analysis]
    verdicts: Verdicts
    said: Summary

    @property
    def analysis(self) -> Analysis:
        return self.held.value


class _Analyses(Mapping):
    """Each measure's analysis by its id, read from its Worked when asked for."""

    def __init__(self, work: dict[str, Worked]):
        self._work = work

    def __getitem__(self, measure_id: str) -> Analysis:
        return self._work[measure_id].analysis

    def __contains__(self, measure_id) -> bool:       # Mapping's own would unpickle it
        return measure_id in self._work

    def __iter__(self):
        return iter(self._work)

    def __len__(self) -> int:
        return len(self._work)


def worked(measure: Measure, spc: SPCSettings, cache_dir: Path | None, made: str | None) -> Worked:
    """The measure's analysis and its sentences, kept in the cache together by `made` (made_from: all the
    measure is made from, the rules among it, every module of the generator in its rows_key): found without
    its series read again (hashing a thousand measures' took a rebuild half a second) or its limits put in
    words again (as long)."""
    def said(analysis: Analysis) -> Worked:
        return Worked(Pickled(analysis), analysis.verdicts,
                      described(measure, capability.sentences(measure, analysis, spc.min_points),
                                capability.outlook(measure, analysis), analysis.verdicts.assurance))
    if cache_dir is None or made is None:
        return said(analysed(measure, spc, cache_dir))
    path = cache_dir / "analyses" / f"{cache.key(_ANALYSIS_CODE, 'worked', made)}.pickle"
    return cache.kept_object(path, lambda: said(capability.analyse_measure(measure, spc)))


# What a measure's standing among councils like it is worked out by.
_COMPARISON_CODE = cache.code(comparisons.__file__)


def comparison_inputs(group: Comparator) -> list:
    """What a measure's standing in `group` is worked out from besides the measure: the group, and the code."""
    return [_COMPARISON_CODE, canonical(group)]


def compared(measure: Measure, groups: list[Comparator], cache_dir: Path | None, made: str | None) -> list[Standing]:
    """The measure's standing in each of its comparator groups, kept in the cache by `made` (made_from: the
    measure, its rows by their rows_key) and the groups: a rank and a band over every period, for each group,
    took a rebuild more than its unpickling."""
    if not groups:
        return []
    return cache.kept_result(cache_dir, "analyses", ["standings", made, [comparison_inputs(g) for g in groups]]
                             if made else None, lambda: [standing(measure, g) for g in groups])


def kept_benchmarks(measure: Measure, cache_dir: Path | None, made: str | None) -> list[tuple[str, list]]:
    """comparisons.benchmarks(), kept in the cache by `made` (made_from: the measure, its rows by their
    rows_key): it reads every series of the measure, which a rebuild otherwise leaves unread."""
    if not measure.benchmarks:
        return []
    return cache.kept_result(cache_dir, "analyses", ["benchmarks", made] if made else None,
                             lambda: benchmarks(measure))


def finance_inputs(site: Site) -> str | None:
    """All that the finance data (analysis.finance.read_finance), and so a page of suppliers, is made from:
    the finance tables (by rows_key, file and package), the services and the population. None when a
    table's rows have no key (no cache), or there is no finance table."""
    tables = [(r.rows_key, str(r.path), ds.name) for ds in site.datasets.values() for r in ds.resources
              if r.role in FINANCE_ROLES]
    if not tables or any(key is None for key, _, _ in tables):
        return None
    return cache.key("finance", tables, canonical(site.services), canonical(site.population))


def kept_finance(site: Site, cache_dir: Path | None) -> Finance | None:
    """read_finance, kept in the cache by its inputs with all its pages read of it worked out: a council's
    hundreds of thousands of payments are read from their tables, and grouped, in seconds, and a republish
    seldom changes them. (A table's rows_key holds every module of the generator, so the code that reads them
    too.)"""
    inputs = finance_inputs(site) if cache_dir else None
    if inputs is None:
        return read_finance(site)
    path = cache_dir / "finance" / f"{inputs}.pickle"
    return cache.kept_object(path, lambda: worked_out(read_finance(site), site))
