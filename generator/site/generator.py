"""The Pelican generator: context in generate_context, files in generate_output.

generate_context loads and validates the data (once) and analyses it; generate_output
draws the charts and writes every page and download. Templates get plain objects from
the model plus small view helpers; they hold no logic beyond loops and conditions.
"""

from __future__ import annotations

import base64
import hashlib

from decimal import Decimal, InvalidOperation
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from . import charts, finance_pages, security, twins
from ..analysis import capability, updates
from ..analysis.finance import read_finance
from ..analysis.releases import schedule
from ..analysis.spc import Analysis, SPCSettings
from ..analysis.summary import Summary, summarise
from ..domain.figures import format_number, money, with_unit
from ..domain.model import Measure, Site
from ..domain.vocabulary import MISSING_SYMBOLS, Frequency, Polarity
from ..domain.periods import parse_period
from ..domain.sanitize import render_inline, render_markdown
from ..ingest.pipeline import load_or_raise, now
from ..publish import dcat, feeds, packages as publish
from ..publish.calendar import ics
from ..publish.files import Download, write_bytes, write_json, write_text
from ..publish.formats import csv_text, json_rows, json_value
from ..settings import of_pelican


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


class DashboardGenerator(Generator):
    """Measure, purpose, service, locality and catalogue pages, downloads and feeds."""

    def generate_context(self):
        self.config = of_pelican(self.settings)
        loaded = load_or_raise(self.config)
        self.site: Site = loaded.site
        self.now = now()
        lag = self.config.publication_lag_days
        spc_settings = SPCSettings(self.config.spc_min_points, self.config.spc_shift_run, self.config.spc_trend_run)
        self.analyses: dict[str, Analysis] = {
            m.id: capability.analyse_measure(m, spc_settings) for m in self.site.measures.values()}
        self.summaries: dict[str, Summary] = {
            m.id: summarise(m, self.now.date(), lag,
                            capability.sentences(m, self.analyses[m.id], spc_settings.min_points),
                            capability.outlook(m, self.analyses[m.id]))
            for m in self.site.measures.values()}
        self.finance = read_finance(self.site)
        self.releases = schedule(list(self.site.measures.values()), self.now.date(), lag)
        self.updates = updates.collect(self.site, self.summaries)
        css = Path(self.theme) / "static" / "css" / "site.css"
        self.context.update({
            "dashboard_site": self.site,
            "PURPOSES": list(self.site.purposes.values()),
            "CSS_INTEGRITY": _sri(css) if css.is_file() else "",
            "COUNCIL": self.config.council,
            "ILLUSTRATIVE": self.config.illustrative,
            "DATA_CONTACT": self.config.data_contact,
            "REPORT_PROBLEM_URL": self.config.report_problem_url,
            "PUBLIC_URL": self.config.site_url.rstrip("/"),
            "DEFAULT_LICENSE": dict(self.config.license),
            "BUILD_DATE": self.now.date(),
            "BUILD_DATE_TEXT": _long_date(self.now.date()),
            "MISSING_SYMBOLS": MISSING_SYMBOLS,
            "FREQUENCY_WORDS": {f.value: f.words for f in Frequency},
            "POLARITY_WORDS": {p.value: p.words for p in Polarity},
            "VARIATION_LABELS": capability.VARIATION_LABELS,
            "ASSURANCE_LABELS": capability.ASSURANCE_LABELS,
            "SPC_MIN_POINTS": spc_settings.min_points,
            "HAS_FINANCE": self.finance is not None,
            "CSP": security.csp(),
            "CSP_SEARCH": security.csp(wasm=True),
        })
        # Our templates escape everything unless it is sanitized HTML (Markup).
        self.env.autoescape = True
        self.env.filters.update({"markdown": lambda t: Markup(render_markdown(t)),
                                 "markdown_inline": lambda t: Markup(render_inline(t)),
                                 "number": format_number, "with_unit": with_unit, "longdate": _long_date,
                                 "period_label": _period_label, "figure": _figure,
                                 "money": money})
        self.written: list[str] = []

    # --- output -------------------------------------------------------------------------

    def cache_dir(self) -> Path | None:
        """Where drawn charts and chart specs are kept between builds; None when the cache is off."""
        return self.config.cache_dir

    def _page(self, writer, url: str, template: str, twin: dict | None = None, **kwargs):
        """Write url/index.html (url '' is the home page) and its JSON twin url/index.json."""
        name = f"{url}index.html" if url else "index.html"
        if twin is not None:
            write_json(Path(self.output_path), f"{url}index.json", twin)
        writer.write_file(name, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], page_url=url,
                          json_twin="index.json" if twin is not None else None, **kwargs)
        self.written.append(url)

    def generate_output(self, writer):
        out = Path(self.output_path)
        site = self.site
        cache_dir = self.cache_dir()
        specs = {m.id: charts.cached_measure_chart(m, self.analyses[m.id], cache_dir) for m in site.measures.values()}
        svgs = charts.draw_all(specs, cache_dir, self.config.chart_workers)
        for measure in site.measures.values():
            downloads = self._measure_downloads(out, measure, specs[measure.id], svgs[measure.id])
            analysis = self.analyses[measure.id]
            self._page(writer, f"measures/{measure.id}/", "measure", measure=measure,
                       summary=self.summaries[measure.id], downloads=downloads, analysis=analysis,
                       signals=capability.signal_items(measure, analysis),
                       signal_kinds=[d for d in ("improvement", "concern", "neutral")
                                     if any(x.direction == d for x in analysis.signals)],
                       point_signals=capability.point_labels(measure, analysis),
                       phases=self._phase_rows(measure, analysis),
                       purposes=[site.purposes[p] for p in measure.purposes],
                       service=site.services.get(measure.service),
                       localities=[site.localities[x] for x in measure.localities],
                       breadcrumbs=self._measure_crumbs(measure))
        public = self.context["PUBLIC_URL"]
        rows = self._rows(site.measures.values())
        headlines, updates = self._headlines(), self._updates()
        counts = {p: len(site.measures_for_purpose(p)) for p in site.purposes}
        self._page(writer, "", "home", headlines=headlines, updates=updates, purpose_counts=counts,
                   twin={"title": self.settings.get("SITENAME", ""), "council": self.config.council,
                         "illustrative": self.config.illustrative,
                         "purposes": [twins.purpose_json(p, public, counts[p.id]) for p in site.purposes.values()],
                         "headlines": [twins.measure_row(r, public) for r in headlines],
                         "updates": [twins.measure_row(r, public) for r in updates],
                         "measures": f"{public}/measures/index.json", "catalogue": f"{public}/data/index.json",
                         "calendar": f"{public}/calendar/index.json"})
        self._page(writer, "measures/", "measures", rows=rows, letters=self._letters(rows),
                   breadcrumbs=[("Home", "")], twin={"measures": [twins.measure_row(r, public) for r in rows]})
        for purpose in site.purposes.values():
            prow = self._rows(site.measures_for_purpose(purpose.id))
            self._page(writer, f"purposes/{purpose.id}/", "purpose", purpose=purpose, rows=prow,
                       breadcrumbs=[("Home", "")],
                       twin={"purpose": twins.purpose_json(purpose, public),
                             "measures": [twins.measure_row(r, public) for r in prow]})
        scounts = {s: len(site.measures_for_service(s)) for s in site.services}
        self._page(writer, "services/", "services", breadcrumbs=[("Home", "")], counts=scounts,
                   twin={"services": [twins.service_json(x, public, scounts[x.id]) for x in site.services.values()]})
        for service in site.services.values():
            srow = self._rows(site.measures_for_service(service.id))
            self._page(writer, f"services/{service.id}/", "service", service=service, rows=srow,
                       breadcrumbs=[("Home", ""), ("Services", "services/")],
                       twin={"service": twins.service_json(service, public),
                             "measures": [twins.measure_row(r, public) for r in srow]})
        lcounts = {x: len(site.measures_for_locality(x)) for x in site.localities}
        self._page(writer, "localities/", "localities", breadcrumbs=[("Home", "")], counts=lcounts,
                   twin={"localities": [twins.locality_json(x, public, lcounts[x.id]) for x in site.localities.values()]})
        for locality in site.localities.values():
            lrow = self._rows(site.measures_for_locality(locality.id))
            facts = site.locality_facts.get(locality.id, [])
            self._page(writer, f"localities/{locality.id}/", "locality", locality=locality, facts=facts, rows=lrow,
                       breadcrumbs=[("Home", ""), ("Localities", "localities/")],
                       twin={"locality": twins.locality_json(locality, public),
                             "facts": [{"field": f.name, "title": f.title, "unit": f.unit, "period": period,
                                        "value": value} for f, period, value in facts],
                             "measures": [twins.measure_row(r, public) for r in lrow]})
        self._page(writer, "search/", "search", breadcrumbs=[("Home", "")], SEARCH=self.config.search,
                   SEARCH_INTEGRITY=_sri(Path(self.theme) / "static" / "js" / "search.js"),
                   twin={"search": "Full-text search runs in the browser with Pagefind; its index is here.",
                         "index": f"{public}/pagefind/pagefind-entry.json" if self.config.search else None,
                         "measures": f"{public}/measures/index.json", "catalogue": f"{public}/data/index.json"})
        self._calendar(writer, out)
        if self.finance is not None:
            finance_pages.write(self, writer, self.finance)
        self._catalogue(writer, out)
        self._content_twins(out)
        self._feeds(out)
        self._sitemap(out)
        publish.write_checksums(out)
        write_text(out, "_headers", security.headers_file(self.config.base_path))

    # --- measure pieces -----------------------------------------------------------------

    def _measure_downloads(self, out: Path, m: Measure, spec: dict, svg: str) -> list[Download]:
        base = f"measures/{m.id}/{m.id}"
        dataset = self.site.datasets[m.package]
        resource = dataset.resource(m.id)
        csv_bytes = write_text(out, f"{base}.csv", csv_text(resource.fields, resource.cells))
        json_bytes = write_json(out, f"{base}.json", self._measure_json(m))
        notes = publish.workbook_notes(
            m.title, m.description, dataset.publisher, dataset.licenses, f"{self.context['PUBLIC_URL']}/measures/{m.id}/",
            self.now, [("Unit", m.unit), ("Frequency", m.frequency.words),
                       ("Polarity", m.polarity.words), ("Owner", m.owner), ("Source", m.source),
                       ("Target", with_unit(m.target, m.unit) if m.target is not None else "")])
        xlsx_bytes = publish.publish_measure_workbook(out, m, resource, notes, self.now)
        spec_bytes = write_json(out, f"{base}.vl.json", spec)
        write_text(out, f"{base}.svg", svg)
        return [Download("Data (CSV)", f"{m.id}.csv", "CSV", csv_bytes),
                Download("Data with notes (Excel)", f"{m.id}.xlsx", "XLSX", xlsx_bytes),
                Download("Data and metadata (JSON)", f"{m.id}.json", "JSON", json_bytes),
                Download("Chart specification (Vega-Lite JSON)", f"{m.id}.vl.json", "JSON", spec_bytes)]

    def _measure_json(self, m: Measure) -> dict:
        s = self.summaries[m.id]
        public = self.context["PUBLIC_URL"]
        return {
            "id": m.id, "title": m.title, "description": m.description,
            "url": f"{public}/measures/{m.id}/",
            "kind": m.kind, "purposes": m.purposes, "service": m.service, "team": m.team,
            "localities": m.localities, "unit": m.unit, "polarity": m.polarity, "frequency": m.frequency,
            "owner": m.owner, "source": m.source, "target": json_value(m.target),
            "latest": None if s.latest is None else {
                "period": s.latest.period.text, "value": json_value(s.latest.value),
                "status": s.latest.status},
            "summary": " ".join(s.sentences),
            "next_update_due": s.next_due.isoformat() if s.next_due else None,
            "data": [{"period": o.period.text, "start": o.period.start.isoformat(), "end": o.period.end.isoformat(),
                      "value": json_value(o.value), "symbol": o.symbol, "status": o.status,
                      "target": json_value(o.target), "note": o.note} for o in m.observations],
            "spc": capability.to_json(m, self.analyses[m.id]),
            "annotations": [{"period": a.period, "label": a.label, "description": a.description,
                             "rebase": a.rebase} for a in m.annotations],
            "commentary": [{"author": c.author, "role": c.role, "date": c.date.isoformat(),
                            "period": c.period, "html": c.html} for c in m.commentary],
            "revisions": [{"period": r.period, "old": r.old, "new": r.new, "reason": r.reason,
                           "date": r.when.isoformat(), "commit": r.commit} for r in m.revisions],
            "license": self.context["DEFAULT_LICENSE"],
            "package": m.package,
        }

    def _measure_crumbs(self, m: Measure) -> list[tuple[str, str]]:
        crumbs = [("Home", "")]
        if m.purposes:
            p = self.site.purposes[m.purposes[0]]
            crumbs.append((p.title, f"purposes/{p.id}/"))
        else:
            crumbs.append(("Services", "services/"))
            s = self.site.services[m.service]
            crumbs.append((s.title, f"services/{s.id}/"))
        return crumbs

    def _rows(self, measures) -> list[dict]:
        return [{"measure": m, "summary": self.summaries[m.id], "analysis": self.analyses[m.id]} for m in measures]

    @staticmethod
    def _phase_rows(m: Measure, analysis: Analysis) -> list[dict]:
        """Each phase's average and limits as readers see them, for the text beside the chart."""
        obs = m.observations
        rows = []
        for p in analysis.phases:
            lower, upper = capability.clip(p.lower, m), capability.clip(p.upper, m)
            places = capability.phase_places(m, lower, p.mean, upper)
            rows.append({"from": obs[p.start].period.name, "to": obs[p.end].period.name, "n": p.n,
                         "mean": capability.shown(p.mean, m, places), "lower": capability.shown(lower, m, places),
                         "upper": capability.shown(upper, m, places)})
        return rows

    @staticmethod
    def _letters(rows: list[dict]) -> list[tuple[str, list[dict]]]:
        groups: dict[str, list[dict]] = {}
        for row in rows:
            letter = row["measure"].title[:1].upper()
            groups.setdefault(letter if letter.isalpha() else "#", []).append(row)
        return sorted(groups.items())

    def _headlines(self) -> list[dict]:
        limit = self.config.headline_limit
        chosen = [m for m in self.site.measures.values() if m.headline]
        order = list(self.site.purposes)
        chosen.sort(key=lambda m: (order.index(m.purposes[0]) if m.purposes else len(order), m.title))
        return self._rows(chosen[:limit])

    def _updates(self) -> list[dict]:
        """Newest first: the latest period of each measure, by when it ended."""
        rows = [r for r in self._rows(self.site.measures.values()) if r["summary"].latest]
        rows.sort(key=lambda r: (r["summary"].latest.period.end, r["measure"].title), reverse=True)
        return rows[: self.config.updates_limit]

    # --- catalogue, feeds, sitemap ------------------------------------------------------

    def _calendar(self, writer, out: Path):
        public = self.context["PUBLIC_URL"]
        releases = self.releases
        write_bytes(out, "calendar/calendar.ics",
                            ics(releases, self.config.council, public, self.now))
        self._page(writer, "calendar/", "calendar", releases=releases, breadcrumbs=[("Home", "")],
                   overdue=[r for r in releases if r.overdue], lag=self.config.publication_lag_days,
                   twin=twins.releases_json(releases, public))

    def _frequency(self, dataset) -> str:
        """How often a dataset is updated, in words."""
        found = self.site.frequencies(dataset)
        if len(found) == 1:
            return found[0].words.capitalize()
        if found:
            return "Varies by table: " + ", ".join(f.words for f in found)
        return "Not stated"

    def _catalogue(self, writer, out: Path):
        license_ = dict(self.config.license)
        public = self.context["PUBLIC_URL"]
        entries = []
        for dataset in self.site.datasets.values():
            files = publish.publish_package(out, dataset, license_, f"{public}/data/{dataset.name}/", self.now)
            frequency = self._frequency(dataset)
            entries.append({"dataset": dataset, "files": files, "frequency": frequency})
            self._page(writer, f"data/{dataset.name}/", "dataset", dataset=dataset, files=files, frequency=frequency,
                       preview_rows=self.config.preview_rows,
                       breadcrumbs=[("Home", ""), ("Open data", "data/")])
            for resource in dataset.resources:
                if resource.row_count > self.config.preview_rows and not self.site.measure_of(
                        dataset.name, resource.name):
                    self._table_pages(writer, dataset, resource)
        everything = publish.publish_everything(out, list(self.site.datasets.values()), license_, self.now)
        write_json(out, "data/catalog.jsonld",
                           dcat.catalog(self.site, entries, public, self.config.council, self.config.data_contact, dict(self.config.license), self.now))
        self._page(writer, "data/", "catalogue", entries=entries, everything=everything, breadcrumbs=[("Home", "")],
                   twin={"datasets": [twins.dataset_json(e["dataset"], e["files"], public, e["frequency"])
                                      for e in entries],
                         "everything": [twins.download_json(d, f"{public}/data/") for d in everything],
                         "dcat": f"{public}/data/catalog.jsonld", "checksums": f"{public}/data/SHA256SUMS"})

    def _table_pages(self, writer, dataset, resource):
        """A long table, a page at a time, so every row can be read without downloading anything."""
        size, most = self.config.table_page_rows, self.config.table_pages_max
        shown = min(resource.row_count, size * most)
        base = f"data/{dataset.name}/tables/{resource.name}/"
        pages = [base if i == 0 else f"{base}{i + 1}/" for i in range(-(-shown // size))]
        for i, url in enumerate(pages):
            first = i * size + 1
            rows = resource.cells[i * size:(i + 1) * size]
            public = self.context["PUBLIC_URL"]
            self._page(writer, url, "table", dataset=dataset, resource=resource, rows=rows, first=first,
                       last=first + len(rows) - 1, number=i + 1, page_urls=pages,
                       truncated=shown if shown < resource.row_count else None,
                       twin={"dataset": f"{public}/data/{dataset.name}/", "table": resource.name,
                             "first_row": first, "rows": json_rows(resource.fields, resource.values[i * size:(i + 1) * size],
                                                                   resource.cells[i * size:(i + 1) * size]),
                             "pages": [f"{public}/{p}index.json" for p in pages]},
                       breadcrumbs=[("Home", ""), ("Open data", "data/"), (dataset.title, f"data/{dataset.name}/")])

    def _content_twins(self, out: Path):
        """Pages written from content/ (about, accessibility ...) get a twin too."""
        public = self.context["PUBLIC_URL"]
        for page in self.context.get("pages", []):
            if page.url.endswith("/"):
                write_json(out, f"{page.url}index.json",
                                   {"title": page.title, "url": f"{public}/{page.url}", "html": page.content})

    def _feeds(self, out: Path):
        """All updates, and one feed per strategic purpose."""
        public = self.context["PUBLIC_URL"]
        council = self.config.council
        limit = self.config.feed_limit
        write_text(out, "feeds/all.atom.xml",
                           feeds.atom(self.updates, f"{council} Dashboard: updates", public,
                                        "feeds/all.atom.xml", limit, self.now))
        for p in self.site.purposes.values():
            mine = [u for u in self.updates if p.id in u.purposes]
            write_text(out, f"feeds/{p.id}.atom.xml",
                               feeds.atom(mine, f"{council} Dashboard: {p.title}", public,
                                            f"feeds/{p.id}.atom.xml", limit, self.now))

    def _sitemap(self, out: Path):
        public = self.context["PUBLIC_URL"]
        urls = set(self.written)
        for page in self.context.get("pages", []):
            urls.add(page.url)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        lines += [f"  <url><loc>{public}/{u}</loc></url>" for u in sorted(urls)]
        lines.append("</urlset>")
        write_text(out, "sitemap.xml", "\n".join(lines) + "\n")


def _period_label(text: str) -> str:
    try:
        return parse_period(text).label
    except ValueError:
        return text


def _figure(text: str, unit: str) -> str:
    """A figure as written in a CSV, with its unit when it is a number ([c] and [x] stay as they are)."""
    try:
        return with_unit(Decimal(text), unit)
    except (InvalidOperation, ValueError):
        return text


def _long_date(d) -> str:
    return f"{d.day} {d:%B %Y}"
