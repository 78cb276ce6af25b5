"""Every address in the site, made by one object.

The Python code and the templates ask `Urls` for a path; nothing else formats one. Paths are
relative to the site's root, without a leading slash; a page's path is its folder and ends in "/"
(the home page's is ""). Links inside the site stay relative (templates join a path to SITEURL, which
Pelican makes relative to each page); `absolute()` is for the few places that need a full address
(JSON twins, feeds, the sitemap, the catalogue for harvesters). The scheme is public and stable:
docs/open-data.md and the catalogue page document it.
"""

from __future__ import annotations

from dataclasses import dataclass


NARROW_CHART = "narrow.svg"       # a chart drawn for a phone's screen, beside the wide one


@dataclass(frozen=True)
class Urls:
    public: str          # DASHBOARD_SITE_URL, without a trailing slash
    page_pattern: str    # Pelican's PAGE_URL, for pages written in content/ ("{slug}/")
    static_dir: str      # Pelican's THEME_STATIC_DIR ("theme")

    # --- pages --------------------------------------------------------------------------

    def home(self) -> str:
        return ""

    def measures(self) -> str:
        return "measures/"

    def measures_by(self, facet: str, value: str) -> str:
        """The A to Z narrowed to one service, ward, kind or verdict: a list at a stable address."""
        return f"measures/by/{facet}/{value}/"

    def measure(self, measure_id: str) -> str:
        return f"measures/{measure_id}/"

    def purpose(self, purpose_id: str) -> str:
        return f"purposes/{purpose_id}/"

    def services(self) -> str:
        return "services/"

    def service(self, service_id: str) -> str:
        return f"services/{service_id}/"

    def localities(self) -> str:
        return "localities/"

    def locality(self, locality_id: str) -> str:
        return f"localities/{locality_id}/"

    def wider_data(self) -> str:
        """Wider data: demographics, context statistics and partners' data, linked to the catalogue."""
        return "wider-data/"

    def reports(self, type_id: str = "") -> str:
        """Reports to councillors, newest first; or only those of one type (a list without JavaScript)."""
        return f"reports/type/{type_id}/" if type_id else "reports/"

    def reports_feed(self) -> str:
        """An Atom feed of the reports alone: the all-updates feed's newest entries are mostly figures."""
        return f"{self.reports()}feed.atom.xml"

    def report(self, slug: str) -> str:
        return f"reports/{slug}/"

    @staticmethod
    def report_fragment(measure_id: str) -> str:
        """The id of a measure's section in a report's page."""
        return f"measure-{measure_id}"

    def report_section(self, slug: str, measure_id: str) -> str:
        """A measure's section in a report: where a measure's page and a briefing link."""
        return self.anchor(self.report(slug), self.report_fragment(measure_id))

    def report_pdf(self, slug: str) -> str:
        """A report as an A4 PDF, beside its page."""
        return f"{self.report(slug)}{slug}.pdf"

    def briefing(self, slug: str, purpose_id: str) -> str:
        """A briefing on a report for the councillor who holds one purpose: its measures and what changed."""
        return f"{self.report(slug)}briefings/{purpose_id}/"

    def report_chart(self, slug: str, measure_id: str, extension: str = "svg") -> str:
        """A measure's chart in a report, as it stood on the report's date, beside the report (svg, narrow.svg)."""
        return f"{self.report(slug)}{measure_id}.{extension}"

    def data_quality(self) -> str:
        """Every measure's data-quality assessment against the council's tests, and those due for review."""
        return "data-quality/"

    def search(self) -> str:
        return "search/"

    def calendar(self) -> str:
        return "calendar/"

    def catalogue(self) -> str:
        return "data/"

    def dataset(self, name: str) -> str:
        return f"data/{name}/"

    def table(self, dataset: str, resource: str, number: int = 1) -> str:
        """A long table shown a page at a time: page 1 at the table's folder, then 2/, 3/ ..."""
        return self.paged(f"data/{dataset}/tables/{resource}/", number)

    def finance(self, section: str = "") -> str:
        """/finance/, or one of its sections: months, services, categories, suppliers, largest, budgets."""
        return f"finance/{section}/" if section else "finance/"

    def supplier_letter(self, letter: str, number: int = 1) -> str:
        return self.paged(f"finance/suppliers/letter-{letter.lower()}/", number)

    def supplier(self, slug: str) -> str:
        return f"finance/suppliers/{slug}/"

    def content_page(self, slug: str) -> str:
        """A page written in the project's content/pages (about, accessibility)."""
        return self.page_pattern.format(slug=slug)

    def updating_guide(self) -> str:
        """The guide for officers and managers who keep the figures up to date."""
        return "help/updating/"

    def charts_guide(self) -> str:
        """How to read the charts: the tool's own page."""
        return "how-to-read-charts/"

    @staticmethod
    def paged(first: str, number: int) -> str:
        return first if number == 1 else f"{first}{number}/"

    # --- files --------------------------------------------------------------------------

    @staticmethod
    def html(page: str) -> str:
        return f"{page}index.html"

    @staticmethod
    def twin(page: str) -> str:
        """A page's JSON twin, beside it."""
        return f"{page}index.json"

    def measure_file(self, measure_id: str, extension: str) -> str:
        """A measure's downloads beside its page: csv, xlsx, json (its twin), vl.json, svg; and narrow.svg,
        its chart drawn for a phone (measure_chart)."""
        return f"{self.measure(measure_id)}{measure_id}.{extension}"

    def measure_chart(self, measure_id: str, narrow: bool = False) -> str:
        """A measure's chart as an image: <id>.svg, or <id>.narrow.svg drawn for a phone's screen."""
        return self.measure_file(measure_id, NARROW_CHART if narrow else "svg")

    def comparison_chart(self, measure_id: str, group_id: str, extension: str = "svg") -> str:
        """A measure's chart against one comparator group, beside its page (svg, narrow.svg, vl.json)."""
        return f"{self.measure(measure_id)}compared-with-{group_id}.{extension}"

    def breakdown_chart(self, measure_id: str, breakdown_id: str, extension: str = "svg") -> str:
        """A measure's small multiples by ward or by one breakdown, beside its page (svg, narrow.svg, vl.json)."""
        return f"{self.measure(measure_id)}by-{breakdown_id}.{extension}"

    def measure_map(self, measure_id: str, extension: str = "svg") -> str:
        """A measure's latest figures by ward on a map, beside its page (svg, narrow.svg, vl.json)."""
        return f"{self.measure(measure_id)}map-by-ward.{extension}"

    def localities_map(self, name: str, extension: str = "svg") -> str:
        """A map on the localities index: the wards numbered ("wards"), or one column of a ward profile."""
        return f"{self.localities()}map-{name.replace('_', '-')}.{extension}"

    def locality_map(self, locality_id: str, extension: str = "svg") -> str:
        """Where a place is: the wards with its own shaded, beside its page."""
        return f"{self.locality(locality_id)}map.{extension}"

    def dataset_file(self, name: str, relpath: str) -> str:
        """A file of a published package: datapackage.json, its tables, <name>.json, <name>.xlsx."""
        return f"{self.dataset(name)}{relpath}"

    def package_own_files(self, name: str) -> set[str]:
        """What a published package folder holds besides its tables (paths inside it): its descriptor, its
        tables in one JSON and one Excel file, its page and the page's twin. No table may be published
        as one of them."""
        page = self.dataset(name)
        return {"datapackage.json", f"{name}.json", f"{name}.xlsx", self.here(self.html(page), page),
                self.here(self.twin(page), page)}

    def data_file(self, name: str) -> str:
        """Site-wide data files: all.zip, all.sqlite (and metadata.json, Datasette's for it), catalog.jsonld."""
        return f"{self.catalogue()}{name}"

    @staticmethod
    def checksums(folder: str) -> str:
        """The SHA256SUMS of a folder of downloads (/data/, a measure's, the calendar's), beside its files."""
        return f"{folder}SHA256SUMS"

    def checksummed(self, measure_ids: list[str]) -> list[str]:
        """The folders that hold downloads, each with its own SHA256SUMS: every file under them but the
        pages is a download (tables, packages, twins, charts, the calendar)."""
        return [self.catalogue(), *(self.measure(m) for m in measure_ids), self.calendar()]

    def finance_file(self, name: str) -> str:
        """Finance charts: <name>.svg, <name>.narrow.svg (finance_chart) and <name>.vl.json."""
        return f"{self.finance()}{name}"

    def finance_chart(self, name: str, narrow: bool = False) -> str:
        """A finance chart as an image: <name>.svg, or <name>.narrow.svg drawn for a phone's screen."""
        return self.finance_file(f"{name}.{NARROW_CHART if narrow else 'svg'}")

    @staticmethod
    def is_narrow_chart(path: str) -> bool:
        """A chart drawn for a phone: part of its page, not a download (SHA256SUMS leaves it out)."""
        return path.endswith(f".{NARROW_CHART}")

    def feed(self, purpose_id: str | None = None) -> str:
        return f"feeds/{purpose_id or 'all'}.atom.xml"

    def ics(self) -> str:
        return f"{self.calendar()}calendar.ics"

    def sitemap(self) -> str:
        return "sitemap.xml"

    def headers(self) -> str:
        return "_headers"

    def search_bundle(self, name: str = "", part: int = 0) -> str:
        """Pagefind's folder (its index is made after every page is written), or a file in it; `part`: the
        folder of another part of a large site's index (publish/search.py), searched with the first."""
        return f"pagefind/{name}" if part == 0 else f"pagefind/parts/{part}/{name}"

    def static(self, relpath: str) -> str:
        """A file of the theme: css/site.css, js/search.js, favicon.svg."""
        return f"{self.static_dir}/{relpath}"

    # --- anchors and full addresses -----------------------------------------------------

    @staticmethod
    def anchor(page: str, fragment: str) -> str:
        return f"{page}#{fragment}"

    def absolute(self, path: str) -> str:
        return f"{self.public}/{path}"

    def here(self, path: str, page: str) -> str:
        """`path` as a link from `page`, when it sits in the page's own folder (a measure's downloads)."""
        if not path.startswith(page):
            raise ValueError(f"'{path}' is not in the folder of the page '{page}'")
        return path[len(page):]
