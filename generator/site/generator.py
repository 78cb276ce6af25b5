"""The Pelican generator: the build's context in generate_context, every file in generate_output.

generate_context loads the data (answered from memory: the CLI has just validated it), analyses it
and gives the templates their globals. generate_output draws the charts, writes the downloads
(publish/), then renders every page the views return (site/views/) with its JSON twin, and last the
files that cover the whole site: feeds, sitemap, checksums, headers.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import pickle
import zlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup, escape
from jinja2 import pass_context
from pelican.generators import Generator

from . import charts, kept_pages, security
from .. import cache, progress, workers
from .compiled import KeptTemplates
from .context import BuildContext, Chart, Image, comparison_inputs
from .pages import Page
from .palette import read_palette
from .rows import measure_rows
from .sections import kept_sections
from .views import every_other_page, pages_without_charts, shown
from .views.finance import chart_specs
from .views.reports import shown as shown_in_report
from ..analysis import capability, wards
from ..domain import geography
from ..domain.geography import Boundaries
from ..domain.figures import format_number, money, printed, with_unit
from ..domain.periods import day_label, parse_period
from ..domain.sanitize import render_inline, render_markdown
from ..domain.vocabulary import MISSING_SYMBOLS, AnnotationKind, Years
from ..clock import now
from ..ingest.pipeline import load_or_raise
from ..publish import dcat, feeds, packages
from ..publish.calendar import ics
from ..publish.carried import Carried
from ..publish.files import Download, write_bytes, write_json, write_text
from ..domain.model import Site
from ..errors import BuildError
from ..settings import Settings, of_pelican
from ..urls import NARROW_CHART


class _Wanted(NamedTuple):
    """A chart to draw: where its images go (wide, and narrow for a phone), where its wide spec is published
    (None: not published), and how its spec is made (`make(narrow)`)."""

    into: dict                          # the build's charts of its kind, by key
    key: object
    wide: str
    narrow: str
    spec_file: str | None
    make: Callable[[bool], dict]


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


class DashboardGenerator(Generator):
    """Measure, purpose, service, locality, finance and catalogue pages, downloads and feeds."""

    def generate_context(self):
        config, when = of_pelican(self.settings), now()
        site = load_or_raise(config).site
        # The workers start on the workbooks now: a cold build's analysis would otherwise leave them idle.
        self.started = _Started.start(config, site, when)
        try:
            self.ctx = BuildContext.analyse(config, site, when, self.settings.get("SITENAME", ""))
        except BaseException:
            self.started.stop()
            raise
        self.twin = self.ctx.twin
        # Pelican's page generator has read content/pages already (it runs first): the menu links to them.
        self.ctx.content_pages = [p for p in self.context.get("pages", []) if p.url.endswith("/")]
        self.ctx.introduction = _introduction(config.introduction_file)
        static = Path(self.theme) / "static"
        palette = read_palette(static / "css" / "site.css")
        charts.use_palette(palette, config.cache_dir)                # the charts in the theme's colours
        charts.read_first_lines(cache.output_record(config.cache_dir, config.output, ".specs"))
        today = self.ctx.now.date()
        self.context.update({
            "urls": self.ctx.urls,
            "CSS_INTEGRITY": _sri(static / "css" / "site.css"),
            "PRINT_CSS_INTEGRITY": _sri(static / "css" / "print.css"),
            "SEARCH_INTEGRITY": _sri(static / "js" / "search.js"),
            "FILTER_INTEGRITY": _sri(static / "js" / "filter.js"),
            "COUNCIL": config.council,
            "PURPOSES_LABEL": config.purposes_label,
            "PURPOSE_LABEL": config.purpose_label,
            "SHOWN": shown(self.ctx),
            "CONTENT_PAGES": frozenset(p.slug for p in self.ctx.content_pages),
            "ILLUSTRATIVE": config.illustrative,
            "PREVIEW": config.preview,
            "BOUNDARIES": self.ctx.site.boundaries,
            "DATA_CONTACT": config.data_contact,
            "REPORT_PROBLEM_URL": config.report_problem_url,
            "PUBLIC_URL": config.public_url,
            "DEFAULT_LICENSE": dict(config.license),
            "BUILD_DATE": today,
            "BUILD_DATE_TEXT": day_label(today),
            "MISSING_SYMBOLS": MISSING_SYMBOLS,
            "VARIATION_LABELS": capability.VARIATION_LABELS,
            "ASSURANCE_LABELS": capability.ASSURANCE_LABELS,
            "SPC_MIN_POINTS": self.ctx.spc.min_points,
            "PALETTE": palette,          # the status icons' colours as attributes too, for the PDF renderer
            "ANNOTATION_DASHES": charts.ANNOTATION_DASHES,
            "ANNOTATION_LINES": charts.ANNOTATION_LINES,
            "NARROW_MEDIA": charts.NARROW_MEDIA,
            "CSP": security.csp(),
            "CSP_SEARCH": security.csp(wasm=True),
        })
        # Our templates escape everything unless it is sanitized HTML (Markup).
        self.env.autoescape = True
        self.env.filters.update({"markdown": lambda t: Markup(render_markdown(t)),
                                 "markdown_inline": lambda t: Markup(render_inline(t)),
                                 "number": format_number, "with_unit": with_unit, "longdate": day_label,
                                 "period_label": _period_label, "figure": printed, "money": money,
                                 "here": _here, "capfirst": _capfirst})
        if config.cache_dir:        # each template compiled once, not in every build
            self.env.bytecode_cache = KeptTemplates(config.cache_dir / "templates", self.env)

    # --- output -------------------------------------------------------------------------

    def generate_output(self, writer):
        out, ctx = Path(self.output_path), self.ctx
        self.site_wide = (kept_pages.site_wide_key(self.context, self._templates_path + [self.theme])
                          if ctx.settings.cache_dir else None)
        self.carried = Carried(ctx.settings.output, out, cache.output_record(ctx.settings.cache_dir,
                                                                             ctx.settings.output, ".files"))
        self.paths: set[str] = set()
        written: list[str] = []
        self.env.globals["measure_row"] = measure_rows(self.env)     # the lists' rows, for these pages only
        self.env.globals["kept_section"] = kept_sections(self.env, self.context, ctx.settings.cache_dir,
                                                         self.site_wide)     # sections kept from build to build
        # The pages that show no chart are written while the workers draw the charts, which this process
        # would otherwise wait for; the rest once they are drawn. The whole site's downloads are written from
        # the packages' files, made first, in a thread beside all that (`_publish_packages`), which has the zip
        # written and the database put together in a process of its own (`self.apart`). On an error this waits
        # for them: they write into the stage.
        with workers.apart(ctx.settings.chart_workers) or contextlib.nullcontext() as self.apart, \
                ThreadPoolExecutor(1, thread_name_prefix="everything") as self.beside:
            self._draw_and_publish(out, lambda: written.extend(self._render_all(writer, out,
                                                                                pages_without_charts(ctx))))
            written += self._render_all(writer, out, every_other_page(ctx))
            ctx.everything.result()         # its error, if the catalogue's page did not wait for it
        for page in ctx.content_pages:
            write_text(out, ctx.urls.twin(page.url), self.twin.text(page))

        self._feeds(out)
        self._sitemap(out, written + [p.url for p in ctx.content_pages])
        packages.write_checksums(out, ctx.urls, list(ctx.site.measures), self.carried.digest)
        wasm = [ctx.urls.search(), ctx.urls.search_bundle()]      # the search page, and Pagefind's worker
        write_text(out, ctx.urls.headers(), security.headers_file(ctx.settings.base_path, wasm))
        self.carried.save()
        charts.save_first_lines()
        # Every file of ours is written: the model goes, so the search index (next) need not share memory with it
        # (the lists' rendered rows hold their measures too).
        del self.ctx, self.twin
        self.env.globals.pop("measure_row").let_go()
        del self.env.globals["kept_section"]

    def _render_all(self, writer, out: Path, pages: Iterator[Page]) -> list[str]:
        """Render each page (`_render`), letting it go once written (what it was made from with it: a supplier's
        payments, read for its pages alone); their paths."""
        pages: list[Page | None] = list(pages)
        paths = [page.path for page in pages]
        for n in range(len(pages)):
            page, pages[n] = pages[n], None
            self._render(writer, out, page)
            progress.step("Writing pages", n + 1, len(pages))
        return paths

    def _render(self, writer, out: Path, page: Page) -> None:
        """The page's twin (its data as JSON), then its HTML from the same data (written by Pelican's writer,
        which refuses a second page at one path); both from the cache when the page declares its inputs and
        they, and the site-wide context, are unchanged."""
        urls = self.ctx.urls
        twin, html = page.twin or urls.twin(page.path), urls.html(page.path)
        if html in self.paths:      # as Pelican's writer would say, had the page not been carried over
            raise BuildError(f"Two pages would be written at '{html}'.")
        self.paths.add(html)
        kept, day = self._kept(page, twin), str(escape(self.context["BUILD_DATE_TEXT"]))
        # Its files' keys as carried.py records them: the kept page's, and the day filled into its HTML.
        files = {twin: kept.name, html: f"{kept.name} {day}"} if kept else {}
        kept_now = kept is not None and cache.hit(kept)       # marked used either way
        if kept_now and self.carried.carry(files):
            return
        found = _read_kept(kept) if kept_now else None
        if found:       # what the page shows is not even made
            twin_text, template, shown = found[0], _Template(None, day, found[1]), {}
        else:
            page = page.made()
            twin_text, template = self.ctx.twin_text(page.data), _Template(self.get_template(page.template), day)
            shown = page.context()
        write_text(out, twin, twin_text)
        placeholder = {"BUILD_DATE_TEXT": Markup(kept_pages.BUILD_DAY)} if kept else {}
        writer.write_file(html, template, self.context, relative_urls=self.settings["RELATIVE_URLS"],
                          page_url=page.path, json_twin=None if page.twin else urls.here(twin, page.path),
                          **shown, **placeholder)
        if kept:
            if not found:       # compressed: a council's thousands of supplier pages, a tenth the size
                made = pickle.dumps((twin_text, template.text), protocol=pickle.HIGHEST_PROTOCOL)
                cache.keep(kept, zlib.compress(made, 1))
            for path, key in files.items():
                self.carried.wrote(path, key)

    def _kept(self, page: Page, twin: str) -> Path | None:
        """Where a page is kept in the cache: by its inputs and the site-wide context (None: it is not)."""
        cache_dir = self.ctx.settings.cache_dir
        if not (page.inputs and cache_dir and self.site_wide):
            return None
        return cache_dir / "pages" / f"{cache.key(self.site_wide, page.inputs, page.path, page.template, twin)}.pickle"

    def _draw_and_publish(self, out: Path, meanwhile: Callable[[], None]) -> None:
        """Every chart, and every download the pages list. Charts are drawn, and the workbooks the cache lacks
        written (`self.started`), in worker processes, while this one writes each measure's downloads, does
        `meanwhile()`, then writes the packages' workbooks."""
        started = self.started

        def publish_then_meanwhile() -> None:
            started.all_sent()
            self._publish_measures(out, spec_sizes, started.measure_books)
            meanwhile()
            # The workbooks last: a worker may still be making a large one (half a million payments' took a
            # minute, which the pages written meanwhile no longer wait for).
            self._publish_workbooks(out, files, started.books)
        try:
            files = self._publish_packages(out)
            spec_sizes: dict[str, int] = {}
            self._draw_charts(out, started.pool, spec_sizes, publish_then_meanwhile)
        finally:
            started.stop()

    def _publish_packages(self, out: Path) -> dict[str, list[Download]]:
        """Each package's files but its workbook (by package), before the charts: the whole site's downloads
        are made from them, in the thread `self.beside`, which then has the charts' time to run in too."""
        ctx, urls = self.ctx, self.ctx.urls
        site, cache_dir = ctx.site, ctx.settings.cache_dir
        progress.step("Writing the downloads")
        files = {d.name: packages.package_files(out, d, urls, cache_dir, self.carried) for d in site.datasets.values()}
        # The catalogue's page waits for it.
        ctx.everything = self.beside.submit(packages.publish_everything, out, list(site.datasets.values()),
                                            list(site.measures.values()), urls, ctx.now, ctx.settings.council,
                                            dict(ctx.settings.license), cache_dir, self.apart,
                                            self.carried.digest)
        return files

    def _publish_measures(self, out: Path, spec_sizes: dict[str, int],
                          measure_books: dict[str, packages.StartedWorkbook]) -> None:
        """Each measure's downloads (its chart's spec among them, written as it was made: `spec_sizes` by path),
        its workbook as a worker made it."""
        ctx, urls = self.ctx, self.ctx.urls
        site, cache_dir = ctx.site, ctx.settings.cache_dir
        for m in site.measures.values():
            spec = urls.measure_file(m.id, "vl.json")
            ctx.measure_downloads[m.id] = packages.publish_measure(out, m, site.datasets[m.package], urls,
                                                                   spec_sizes[spec], ctx.now, cache_dir,
                                                                   measure_books.get(m.id), self.carried)

    def _publish_workbooks(self, out: Path, files: dict[str, list[Download]],
                           books: dict[str, packages.StartedWorkbook]) -> None:
        """Each package's workbook (a large one as a worker made it), with its other `files`; then the
        catalogue of them all, and the calendar of releases."""
        ctx, urls = self.ctx, self.ctx.urls
        site, cache_dir = ctx.site, ctx.settings.cache_dir
        for d in site.datasets.values():
            book = packages.package_workbook_file(out, d, urls, ctx.now, cache_dir, books.get(d.name), self.carried)
            ctx.dataset_files[d.name] = packages.with_workbook(files[d.name], book)
        write_json(out, urls.data_file("catalog.jsonld"),
                   dcat.catalog(site, ctx.dataset_files, urls, ctx.settings.council, ctx.settings.data_contact,
                                dict(ctx.settings.license), ctx.now))
        write_bytes(out, urls.ics(), ics(ctx.releases, ctx.settings.council, urls, ctx.now, cache_dir))

    def _draw_charts(self, out: Path, pool, spec_sizes: dict[str, int], meanwhile: Callable[[], None]) -> None:
        """Every chart, wide and narrow (for a phone): all drawn at once, in worker processes or read from the
        cache, and written where the URL map says, its wide spec published as soon as it is made (its size
        into `spec_sizes`, by path). `meanwhile()` runs while the workers draw."""
        ctx = self.ctx
        progress.step("Making the charts")
        wanted = {w.wide: w for w in self._charts_wanted()}
        jobs = ((path, partial(w.make, narrow)) for w in wanted.values()
                for path, narrow in ((w.wide, False), (w.narrow, True)))
        sizes: dict[str, tuple[str, str]] = {}
        descriptions: dict[str, str] = {}

        def made(path: str, spec: Mapping, key: str) -> None:
            if w := wanted.get(path):
                descriptions[path] = charts.description(spec)
                if w.spec_file:     # its text is what the drawing's key is a hash of
                    spec_sizes[w.spec_file] = self.carried.file(
                        w.spec_file, key, lambda: write_text(out, w.spec_file, charts.spec_text(spec) + "\n"))

        def carry(path: str, key: str) -> bool:
            if carried := self.carried.carry({path: key}):
                sizes[path] = self.carried.facts(path)
            return carried

        def put(path: str, svg: str, key: str) -> None:
            write_text(out, path, svg)
            sizes[path] = charts.size(svg)
            self.carried.wrote(path, key, sizes[path])
        charts.make_and_draw(jobs, 2 * len(wanted), ctx.settings.cache_dir, pool, put,
                             partial(progress.step, "Drawing charts"), made, meanwhile, carry)
        for w in wanted.values():
            w.into[w.key] = Chart(Image(w.wide, *sizes[w.wide]), Image(w.narrow, *sizes[w.narrow]),
                                  descriptions[w.wide])

    def _charts_wanted(self) -> Iterator[_Wanted]:
        """Each measure's capability chart, its charts against comparator groups and by ward and breakdown,
        and the finance charts."""
        ctx, urls = self.ctx, self.ctx.urls
        site, cache = ctx.site, ctx.settings.cache_dir
        for m in site.measures.values():
            yield _Wanted(ctx.measure_charts, m.id, urls.measure_chart(m.id), urls.measure_chart(m.id, True),
                          urls.measure_file(m.id, "vl.json"),
                          charts.measure_charts(m, partial(ctx.analyses.__getitem__, m.id), cache, ctx.made_from[m.id]))
            for s in ctx.standings[m.id]:
                key, made = (m.id, s.group.id), ctx.made_from[m.id]
                yield _Wanted(ctx.comparison_charts, key, urls.comparison_chart(*key),
                              urls.comparison_chart(*key, NARROW_CHART), urls.comparison_chart(*key, "vl.json"),
                              partial(charts.cached_comparison_chart, m, s.band, ctx.benchmarks[m.id],
                                      f"{m.title}: {s.own.name} against {s.group.title}", cache,
                                      made_from=[made, *comparison_inputs(s.group)] if made else None))
            for b in ctx.breakdowns[m.id]:
                key, made = (m.id, b.id), ctx.made_from[m.id]
                # A breakdown's parts are the measure's rows split by ward (the wards' codes and names) or column.
                yield _Wanted(ctx.breakdown_charts, key, urls.breakdown_chart(*key),
                              urls.breakdown_chart(*key, NARROW_CHART), urls.breakdown_chart(*key, "vl.json"),
                              partial(charts.cached_small_multiples, m, [(p.label, p.observations) for p in b.parts],
                                      f"{m.title} by {b.title}: {len(b.parts)} panels", cache,
                                      made_from=[made, b.id, [(p.key, p.label) for p in b.parts]] if made else None))
        yield from self._maps_wanted()
        yield from self._report_charts_wanted()
        if ctx.finance:
            money = [chart_specs(ctx.finance, site, narrow) for narrow in (False, True)]
            for name in money[False]:
                yield _Wanted(ctx.finance_charts, name, urls.finance_chart(name), urls.finance_chart(name, True),
                              urls.finance_file(f"{name}.vl.json"), lambda narrow, name=name: money[narrow][name])

    def _maps_wanted(self) -> Iterator[_Wanted]:
        """With boundaries: each measure's latest figures by ward, each ward profile column, the wards
        numbered for the localities index, and each place among the others."""
        ctx, urls = self.ctx, self.ctx.urls
        boundaries = ctx.site.boundaries
        if boundaries is None:
            return
        shapes, kept = boundaries.title, _KeptMaps(boundaries, ctx.settings.cache_dir)
        for m_id, figures in ctx.by_ward.items():
            yield _Wanted(ctx.maps, ("measure", m_id), urls.measure_map(m_id), urls.measure_map(m_id, NARROW_CHART),
                          urls.measure_map(m_id, "vl.json"), kept.ward_map(figures))
        for figures in ctx.profiles:
            yield _Wanted(ctx.maps, ("profile", figures.id), urls.localities_map(figures.id),
                          urls.localities_map(figures.id, NARROW_CHART), urls.localities_map(figures.id, "vl.json"),
                          kept.ward_map(figures))
        numbers = {loc.gss_code: str(n) for n, loc in enumerate(wards.mapped(ctx.site.localities), start=1)}
        yield _Wanted(ctx.maps, ("localities", "wards"), urls.localities_map("wards"),
                      urls.localities_map("wards", NARROW_CHART), urls.localities_map("wards", "vl.json"),
                      kept.map(charts.locator_map, numbers, None,
                               f"Map of the wards, numbered as in the table, on the {shapes}"))
        for loc in wards.mapped(ctx.site.localities):
            yield _Wanted(ctx.maps, ("locality", loc.id), urls.locality_map(loc.id),
                          urls.locality_map(loc.id, NARROW_CHART), None,
                          kept.map(charts.locator_map, {}, loc.gss_code,
                                   f"Map of the wards with {loc.name} shaded, on the {shapes}"))

    def _report_charts_wanted(self) -> Iterator[_Wanted]:
        """Each measure of each report, drawn from the report's snapshot: as it stood on its date."""
        ctx, urls = self.ctx, self.ctx.urls
        for r in ctx.site.reports:
            for _, mid in shown_in_report(r, ctx.site.purposes):
                args = snapshot_chart_args(r.snapshot["measures"][mid])
                yield _Wanted(ctx.report_charts, (r.slug, mid), urls.report_chart(r.slug, mid),
                              urls.report_chart(r.slug, mid, NARROW_CHART), None,
                              lambda narrow, args=args: charts.cached_spec(
                                  ctx.settings.cache_dir, ["capability_chart", *args, narrow],
                                  lambda: charts.capability_chart(*args, narrow)))

    def _feeds(self, out: Path) -> None:
        """All updates, one feed per purpose, and one of the reports to councillors."""
        ctx, urls = self.ctx, self.ctx.urls
        council, limit = ctx.settings.council, ctx.settings.feed_limit
        write_text(out, urls.feed(), feeds.atom(ctx.updates, f"{council} Dashboard: updates", urls, urls.feed(),
                                                limit, ctx.now))
        for p in ctx.site.purposes.values():
            mine = [u for u in ctx.updates if p.id in u.purposes]
            write_text(out, urls.feed(p.id), feeds.atom(mine, f"{council} Dashboard: {p.title}", urls,
                                                        urls.feed(p.id), limit, ctx.now))
        if ctx.has("reports"):
            reports = [u for u in ctx.updates if u.kind == "report"]
            write_text(out, urls.reports_feed(), feeds.atom(reports, f"{council} Dashboard: reports to councillors",
                                                            urls, urls.reports_feed(), limit, ctx.now))

    def _sitemap(self, out: Path, paths: list[str]) -> None:
        urls = self.ctx.urls
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        lines += [f"  <url><loc>{urls.absolute(p)}</loc></url>" for p in sorted(set(paths))]
        lines.append("</urlset>")
        write_text(out, urls.sitemap(), "\n".join(lines) + "\n")


class _Started(NamedTuple):
    """The build's worker processes (None on one core), and the workbooks the cache lacks that they were sent
    as soon as the data was loaded: each large package's, and each measure's, by package and by measure."""

    pool: Executor | None
    books: dict[str, packages.StartedWorkbook]
    measure_books: dict[str, packages.StartedWorkbook]

    @classmethod
    def start(cls, config: Settings, site: Site, when: datetime) -> _Started:
        pool = workers.pool(config.chart_workers)
        if not (pool and config.cache_dir):          # without a cache each workbook is written in place
            return cls(pool, {}, {})
        urls = config.urls()
        try:
            # The measures' books first: a package's book then finds their tables' sheets kept (workbook.py).
            measure_books = packages.start_measure_workbooks(pool, list(site.measures.values()), site.datasets, urls,
                                                             when, config.cache_dir)
            return cls(pool, packages.start_large_workbooks(pool, list(site.datasets.values()), urls, when,
                                                            config.cache_dir), measure_books)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise

    def all_sent(self) -> None:
        """Every chart and workbook has been sent: each worker then goes as soon as they are all done, rather
        than idle, holding its memory, while this process writes the pages."""
        if self.pool:
            self.pool.shutdown(wait=False)

    def stop(self) -> None:
        """Let the workers go, and anything not yet started with them."""
        if self.pool:
            self.pool.shutdown(cancel_futures=True)


class _Template:
    """A page's template as Pelican's writer is given it: the Jinja template, rendered, its text kept (for the
    cache, the build's day a placeholder there); or a kept page's text. Either way `day` is filled in."""

    def __init__(self, template, day: str, text: str = ""):
        self.template, self.day, self.text = template, day, text

    def render(self, context: dict) -> str:
        if self.template is not None:
            self.text = self.template.render(context)
        return self.text.replace(kept_pages.BUILD_DAY, self.day)


def _read_kept(kept: Path) -> tuple[str, str] | None:
    """A kept page's twin and HTML text (None: pruned by another build sharing the cache since it was found)."""
    try:
        return pickle.loads(zlib.decompress(kept.read_bytes()))
    except FileNotFoundError:
        return None


def snapshot_chart_args(snap: dict) -> tuple:
    """charts.capability_chart's arguments (but `narrow`) for a measure as a report's snapshot kept it."""
    chart = snap["chart"]
    annotations = [(a["period"], a["label"], AnnotationKind(a["kind"])) for a in snap["annotations"]]
    return (chart["rows"], chart["phases"], chart["has_target"], charts.unit_title(snap["unit"]), snap["title"],
            annotations)


# What reads the shapes for a map, besides charts.py (in every chart's key): their features, centroids and aspect.
_GEOGRAPHY_CODE = cache.code(geography.__file__)


class _KeptMaps:
    """How each map of the shapes is made: kept in the cache by its inputs, the shapes among them by one hash
    of them all (hashed whole for each map, a hundred maps' keys took 0.4 s)."""

    def __init__(self, boundaries: Boundaries, cache_dir: Path | None):
        self.boundaries, self.cache_dir = boundaries, cache_dir
        self.shapes_key = cache.key(_GEOGRAPHY_CODE, boundaries) if cache_dir else ""

    def map(self, draw: Callable[..., dict], *args) -> Callable[[bool], dict]:
        """The map `draw(boundaries, *args, narrow)` draws."""
        return lambda narrow: charts.cached_spec(self.cache_dir, [draw.__name__, self.shapes_key, *args, narrow],
                                                 lambda: draw(self.boundaries, *args, narrow))

    def ward_map(self, figures: wards.WardFigures) -> Callable[[bool], dict]:
        """A map of figures by ward: shaded by its figures, keyed by their unit (or, without one, by what
        they are)."""
        return self.map(charts.ward_map, _shading(figures),
                        charts.unit_title(figures.unit) if figures.unit else figures.title,
                        f"Map of {figures.title} by ward, {figures.period}, on the {self.boundaries.title}")


def _shading(figures: wards.WardFigures) -> dict[str, tuple[float | None, str]]:
    """Each ward's figure as a map shades and labels it: [x] where there is none."""
    return {f.locality.gss_code: (float(f.value), figures.label(f.value)) if f.value is not None else (None, "[x]")
            for f in figures.figures}


# --- template filters -----------------------------------------------------------------------

@pass_context
def _here(context, path: str) -> str:
    """A file in the page's own folder, linked from the page (a measure's downloads)."""
    return context["urls"].here(path, context["page_url"])


def _capfirst(text: str) -> str:
    """The first letter a capital, the rest as written ('priorities' -> 'Priorities'; a
    name such as 'Council Plan priorities' keeps its capitals, which Jinja's `capitalize` would lose)."""
    return text[:1].upper() + text[1:]


def _introduction(path: Path) -> str:
    """The home page's introduction in the council's words (Markdown, sanitized), or "" for the neutral one."""
    return render_markdown(path.read_text(encoding="utf-8")) if path.is_file() else ""


def _period_label(text: str, years: str = Years.FINANCIAL) -> str:
    """A period's label; `years` is its measure's (`{{ a.period | period_label(measure.years) }}`)."""
    try:
        return parse_period(text, years=years).label
    except ValueError:
        return text
