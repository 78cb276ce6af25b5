"""Pages as PDFs (generator/publish/pdf.py, theme/static/css/print.css): read back with pypdf, as a reader's
software would see them: title and language in the metadata, tagged, every measure title extractable,
A4 pages with running headers and page numbers, a measure to a page, charts as vectors, link addresses
printed, the same bytes every time, and nothing fetched from outside the site."""

from __future__ import annotations

import html
import json
import io
import re
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from conftest import ROOT
from generator.errors import BuildError
from generator.publish import pdf
from generator.publish.pdf import SiteFiles, render_pdf
from generator.urls import Urls

PUBLIC = "https://dashboard.example.gov.uk"
TITLE = "Quarterly report – Example Council"
MEASURES = ("Homes built", "Complaints answered on time")
EXTERNAL = "https://example.org/ombudsman"
A4 = (595.28, 841.89)          # points
CHART = """<svg xmlns="http://www.w3.org/2000/svg" width="600" height="240" viewBox="0 0 600 240">
<rect x="0" y="0" width="600" height="240" fill="#ffffff"/>
<polyline points="40,200 160,150 280,170 400,90 520,60" fill="none" stroke="#0b0c0c" stroke-width="3"/>
<text x="40" y="30" font-family="sans-serif" font-size="16">Homes per quarter</text></svg>"""


def page_html(body: str, title: str = TITLE) -> str:
    """A page as the theme writes one: both stylesheets, the header with its navigation, a footer."""
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="../../theme/css/site.css">
<link rel="stylesheet" href="../../theme/css/print.css" media="print"></head>
<body><a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="wrap"><p class="site-name"><a href="../../">Example Dashboard</a></p>
<nav aria-label="Main"><ul><li><a href="../../measures/">Measures A to Z</a></li></ul></nav></div></header>
<div class="wrap"><main id="main">{body}</main></div></body></html>"""


REPORT = f"""<h1>Quarterly report</h1><p>Two measures for the committee.</p>
<section class="report-measure"><h2>{MEASURES[0]}</h2>
<figure class="chart"><img src="homes.svg" alt="Line chart: homes built each quarter, rising" width="600" height="240">
<figcaption>Homes built each quarter.</figcaption></figure>
<table><caption>Homes built, by quarter</caption><thead><tr><th>Quarter</th><th>Homes</th></tr></thead>
<tbody><tr><td>Q1</td><td>12</td></tr><tr><td>Q2</td><td>15</td></tr></tbody></table>
<p>All measures: <a href="../../measures/">the A to Z</a>.</p></section>
<section class="report-measure"><h2>{MEASURES[1]}</h2><p>Compared with <a href="{EXTERNAL}">the ombudsman</a>.</p>
</section>"""


def make_site(root: Path, body: str = REPORT) -> Path:
    """A small built site with the theme's real stylesheets; the path of its report page."""
    css = root / "theme" / "css"
    css.mkdir(parents=True)
    for name in ("site.css", "print.css"):
        shutil.copy(ROOT / "theme" / "static" / "css" / name, css / name)
    page = root / "reports" / "quarter" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(page_html(body), encoding="utf-8")
    (page.parent / "homes.svg").write_text(CHART, encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("pdf") / "site"
    return render_pdf(make_site(root), SiteFiles(root, PUBLIC))


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def texts(reader: PdfReader) -> list[str]:
    """Each page's text, lines joined with spaces (a long address may wrap)."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def page_of(text: str, pages: list[str]) -> int:
    return next(n for n, page in enumerate(pages) if text in page)


def structure(node, found: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """The structure tree's elements in order, as (type, alt text)."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object()
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            found.append((str(kid["/S"]), str(kid["/Alt"]) if "/Alt" in kid else None))
            structure(kid, found)
    return found


def images(resources) -> list[str]:
    """The raster images a page draws, looking inside its form XObjects (an SVG is drawn as one)."""
    found = []
    for xobject in (resources or {}).get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Image":
            found.append(str(xobject.get("/Width")))
        elif xobject["/Subtype"] == "/Form":
            found += images(xobject.get("/Resources"))
    return found


def links(reader: PdfReader) -> set[str]:
    return {str(a.get_object()["/A"]["/URI"]) for page in reader.pages for a in page.get("/Annots", [])
            if "/URI" in a.get_object().get("/A", {})}


def test_title_language_and_tags(report):
    reader = read(report)
    catalogue = reader.trailer["/Root"]
    assert reader.metadata["/Title"] == TITLE
    assert catalogue["/Lang"] == "en-GB"
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"]        # readers show the title, not a file name
    assert b"pdfuaid:part" in catalogue["/Metadata"].get_object().get_data()       # declares PDF/UA-1
    tags = structure(catalogue["/StructTreeRoot"], [])
    kinds = [kind for kind, _ in tags]
    assert kinds.count("/H1") == 1 and kinds.count("/H2") == 2 and "/Table" in kinds and "/TH" in kinds
    assert ("/Figure", "Line chart: homes built each quarter, rising") in tags


def test_a_measure_to_a_page_with_running_headers(report):
    reader = read(report)
    pages = texts(reader)
    assert len(reader.pages) == 3                       # the introduction, then one page for each measure
    assert [page_of(title, pages) for title in MEASURES] == [1, 2]
    assert all(abs(float(p.mediabox.width) - A4[0]) < 1 and abs(float(p.mediabox.height) - A4[1]) < 1
               for p in reader.pages)
    assert [f"Page {n} of 3" in page for n, page in enumerate(pages, start=1)] == [True] * 3
    assert pages[0].count("Quarterly report") == 1      # the first page's header is its title itself
    assert all("Quarterly report" in page and "Example Dashboard" in page for page in pages[1:])


def test_a_groups_heading_stays_with_its_first_measure(tmp_path):
    """A group of measures starts a page with its heading and first measure: no heading alone at a page's foot."""
    root = tmp_path / "site"
    group = ('<section class="report-group"><h2>Focus</h2>'
             + "".join(f'<section class="report-measure"><h3>{t}</h3><p>Words.</p></section>' for t in MEASURES)
             + "</section>")
    pages = texts(read(render_pdf(make_site(root, "<h1>Quarterly report</h1><p>Summary.</p>" + group),
                                  SiteFiles(root, PUBLIC))))
    assert len(pages) == 3 and [page_of(t, pages) for t in ("Focus", *MEASURES)] == [1, 1, 2]


def test_paper_has_no_navigation_but_shows_link_addresses(report):
    reader = read(report)
    text = " ".join(texts(reader))
    assert "Measures A to Z" not in text and "Skip to main content" not in text
    assert f"({EXTERNAL})" in text
    # Links go to the published site, never to the folder the site was built in.
    assert links(reader) == {EXTERNAL, f"{PUBLIC}/measures/", f"{PUBLIC}/"}


def test_charts_are_vectors(report):
    reader = read(report)
    assert [images(page.get("/Resources")) for page in reader.pages] == [[], [], []]
    assert "Homes per quarter" in texts(reader)[1]      # the chart's own text is text


def test_the_same_page_gives_the_same_bytes(tmp_path, report):
    """Twice, and from another folder: no time of rendering, random id or build path in the file."""
    root = tmp_path / "elsewhere"
    again = render_pdf(make_site(root), SiteFiles(root, PUBLIC))
    assert again == report
    assert render_pdf(make_site(tmp_path / "third"), SiteFiles(tmp_path / "third", PUBLIC)) == again


def test_the_build_date_is_the_pdfs_date(tmp_path):
    root = tmp_path / "site"
    page = make_site(root)
    built = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
    first, second = (render_pdf(page, SiteFiles(root, PUBLIC), dated=built) for _ in range(2))
    assert first == second
    info = read(first).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261125093000+00'00"
    with pytest.raises(ValueError, match="time zone"):
        render_pdf(page, SiteFiles(root, PUBLIC), dated=datetime(2026, 11, 25))


@pytest.mark.parametrize("source", ["https://example.org/chart.svg", "file:///etc/hostname", "missing.svg"])
def test_nothing_is_fetched_from_outside_the_site(tmp_path, source):
    """A remote image, a file outside the site, or one the site lacks: no PDF, and a message saying why."""
    root = tmp_path / "site"
    page = make_site(root, f'<h1>Report</h1><img src="{source}" alt="A chart">')
    with pytest.raises(BuildError, match="refused|has no file"):
        render_pdf(page, SiteFiles(root, PUBLIC))


def test_site_files_stay_inside_the_site(tmp_path):
    root = tmp_path / "site"
    make_site(root)
    (tmp_path / "secret.txt").write_text("not the site's")
    files = SiteFiles(root, PUBLIC)
    assert files.file_for(f"{PUBLIC}/reports/quarter/") == root / "reports" / "quarter" / "index.html"
    assert files.url_of(root / "reports" / "quarter" / "index.html") == f"{PUBLIC}/reports/quarter/index.html"
    for url in (f"{PUBLIC}/%2e%2e/secret.txt", f"{PUBLIC}/reports/../../secret.txt", "https://elsewhere.example/"):
        with pytest.raises(BuildError, match="refused"):
            files.file_for(url)


def test_a_missing_system_library_is_named(monkeypatch):
    """Without Pango, importing WeasyPrint fails in cffi (OSError): the message says what to install."""
    class NoPango:
        def find_spec(self, name, path=None, target=None):
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    with pytest.raises(BuildError) as raised:
        pdf.render_pdf(Path("page.html"), SiteFiles(Path("."), PUBLIC))
    assert "make install" in str(raised.value) and "apt-get install libpango-1.0-0" in str(raised.value)


def test_make_install_installs_what_the_message_names():
    """The packages the error names are the ones `make install` checks and installs (and a font)."""
    makefile = (ROOT / "Makefile").read_text()
    installed = re.search(r"^PDF_PACKAGES := (.+)$", makefile, re.M)[1].split()
    assert set(pdf.SYSTEM_PACKAGES.split()) <= set(installed)
    assert re.search(r"^install: .*\bsystem-packages\b", makefile, re.M)


@pytest.mark.xdist_group("site")
def test_a_measure_page_of_the_example(site, capsys):
    """A real page, as the build writes it: a measure's, with its chart and its long table."""
    page = site / "measures" / "benefit-new-claim-time" / "index.html"
    started = time.perf_counter()
    data = render_pdf(page, SiteFiles(site, PUBLIC))
    took = time.perf_counter() - started
    reader = read(data)
    pages = texts(reader)
    with capsys.disabled():
        print(f"\nmeasure page as PDF: {took:.2f} s, {len(data) / 1024:.0f} KiB, {len(pages)} pages")
    assert reader.metadata["/Title"] == "Time to decide a new benefit claim – Redditch Borough Council"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    assert 2 <= len(pages) <= 12                      # five years of monthly figures in its table
    text = " ".join(pages)
    assert "Time to decide a new benefit claim" in pages[0] and "Data table" in text and "About this measure" in text
    assert "Measures A to Z" not in text                                      # the navigation is left off
    assert "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)" in text.replace(" ", "")
    assert [images(p.get("/Resources")) for p in reader.pages] == [[]] * len(pages)      # the chart is vector
    alt = re.search(r'<img src="[^"]+\.svg" alt="([^"]+)"', page.read_text(encoding="utf-8"))[1]
    assert ("/Figure", html.unescape(alt)) in structure(reader.trailer["/Root"]["/StructTreeRoot"], [])
    assert render_pdf(page, SiteFiles(site, PUBLIC)) == data


@pytest.mark.xdist_group("site")
def test_a_report_of_the_example(site, capsys):
    """A report's page as the other half of issue 13 writes it: every measure's title extractable, each
    measure starting a page (a group's heading with its first), at most a few pages a measure."""
    page = site / "reports" / "2026-09-15-executive" / "index.html"
    source = page.read_text(encoding="utf-8")
    titles = [html.unescape(t) for t in re.findall(r'class="report-measure"[^>]*>\s*<h3[^>]*>([^<]+)</h3>', source)]
    assert len(titles) >= 2
    started = time.perf_counter()
    data = render_pdf(page, SiteFiles(site, PUBLIC), dated=datetime(2026, 9, 15, tzinfo=timezone.utc))
    took = time.perf_counter() - started
    reader = read(data)
    pages = texts(reader)
    with capsys.disabled():
        print(f"\nreport as PDF: {took:.2f} s, {len(data) / 1024:.0f} KiB, {len(pages)} pages, {len(titles)} measures")
    assert reader.metadata["/Title"] == html.unescape(re.search(r"<title>([^<]+)</title>", source)[1])
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
    # Each title heads a page (after its group's heading, if first in the group; the running header is
    # drawn last, so comes last in the text), one measure to a page, in order.
    starts = [next((n for n, text in enumerate(pages) if title in text[:len(title) + 40]), None) for title in titles]
    assert None not in starts and starts == sorted(set(starts)), list(zip(titles, starts))
    assert len(titles) < len(pages) <= 3 * len(titles) + 3


@pytest.mark.xdist_group("site")
def test_every_report_pdf_of_the_example(site):
    """Each PDF the build wrote, opened as a reader would: its title and language, tagged, every measure's
    title extractable, at most three pages a measure plus the cover, contents and narrative."""
    pdfs = sorted(site.glob("reports/*/*.pdf"))
    assert len(pdfs) == len(json.loads((site / "reports/index.json").read_text())["reports"]) >= 3
    for path in pdfs:
        twin = json.loads((path.parent / "index.json").read_text())
        reader = read(path.read_bytes())
        text = " ".join(texts(reader))
        assert reader.metadata["/Title"].startswith(twin["title"]), path.name
        assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]
        assert [m["title"] for m in twin["measures"] if m["title"] not in text] == [], path.name
        assert len(twin["measures"]) < len(reader.pages) <= 3 * len(twin["measures"]) + 3, path.name


@pytest.mark.xdist_group("site")
def test_every_briefing_of_the_example_prints_on_two_sides_of_a4(site):
    briefings = sorted(site.glob("reports/*/briefings/*/index.html"))
    assert len(briefings) >= 3 * 7
    for page in briefings:
        reader = read(render_pdf(page, SiteFiles(site, PUBLIC)))
        assert len(reader.pages) <= 2, page.parent.relative_to(site)
        twin = json.loads((page.parent / "index.json").read_text())
        text = " ".join(texts(reader))
        assert [m["title"] for m in twin["measures"] if m["title"] not in text] == []


def test_the_day_of_the_build_is_not_on_paper_so_another_day_reuses_the_pdf(tmp_path):
    """The footer's "Built on" changes every day; a report's PDF must not, or CI would print it again each time."""
    root, cache_dir = tmp_path / "site", tmp_path / "cache"
    page = make_site(root)          # the report "quarter"'s page
    urls, report = Urls(PUBLIC, "{slug}/", "theme"), SimpleNamespace(slug="quarter", as_at=datetime(2026, 7, 15).date())
    made = []
    for day in ("25 November 2026", "26 November 2026"):
        footer = f'<footer class="site-footer"><p class="built">Built on {day}.</p></footer></body>'
        page.write_text(page_html(REPORT).replace("</body>", footer), encoding="utf-8")
        pdf.write_report_pdfs(root, [report], urls, PUBLIC, cache_dir)
        made.append((root / urls.report_pdf("quarter")).read_bytes())
    assert made[0] == made[1] and len(list((cache_dir / "pdf").iterdir())) == 1
    assert "Built on" not in " ".join(texts(read(made[0])))


REPORTS = [SimpleNamespace(slug=f"2026-0{n}-01-cabinet", as_at=datetime(2026, n, 1).date()) for n in (3, 6, 9)]


def reports_site(root: Path, urls: Urls, last: str = "") -> Path:
    """A site with REPORTS' pages, each longer than the one before (`last` added to the shortest)."""
    make_site(root)
    for n, r in enumerate(REPORTS):
        page = root / urls.html(urls.report(r.slug))
        page.parent.mkdir(parents=True, exist_ok=True)
        body = f"<h1>Cabinet report {n}</h1>" + "<p>Figures.</p>" * (10 * n + 1) + (last if n == 0 else "")
        page.write_text(page_html(body), encoding="utf-8")
    return root


def test_the_reports_pdfs_are_printed_in_several_processes_the_same_bytes_and_kept(tmp_path, monkeypatch):
    """A council's reports run to dozens, a long one seconds to print: those the cache lacks are printed in
    several processes at once, this one printing the longest. The same bytes as one after another, each
    report's SHA256SUMS beside it; a rebuild reads them from the cache, printing none."""
    urls = Urls(PUBLIC, "{slug}/", "theme")
    apart, together = reports_site(tmp_path / "apart", urls), reports_site(tmp_path / "together", urls)
    pdf.write_report_pdfs(apart, REPORTS, urls, PUBLIC, None, processes=1)
    started, beside = [], pdf.workers.beside
    monkeypatch.setattr(pdf.workers, "beside", lambda n: started.append(n) or beside(n))
    here, url_of = [], SiteFiles.url_of       # the pages printed in this process (the workers are not patched)
    monkeypatch.setattr(SiteFiles, "url_of", lambda self, path: here.append(path.parent.name) or url_of(self, path))
    pdf.write_report_pdfs(together, REPORTS, urls, PUBLIC, tmp_path / "cache", processes=3)
    assert started == [2] and here == [REPORTS[-1].slug]
    for r in REPORTS:
        for name in (urls.report_pdf(r.slug), urls.checksums(urls.report(r.slug))):
            assert (together / name).read_bytes() == (apart / name).read_bytes(), name
        assert read((together / urls.report_pdf(r.slug)).read_bytes()).metadata.title == TITLE
    assert len(list((tmp_path / "cache/pdf").iterdir())) == 3

    monkeypatch.setattr(pdf, "render_pdf", lambda *args: pytest.fail("a kept PDF printed again"))
    monkeypatch.setattr(pdf.workers, "beside", lambda n: n > 0 and pytest.fail("processes started for kept PDFs"))
    again = reports_site(tmp_path / "again", urls)
    pdf.write_report_pdfs(again, REPORTS, urls, PUBLIC, tmp_path / "cache", processes=3)
    for r in REPORTS:
        assert (again / urls.report_pdf(r.slug)).read_bytes() == (apart / urls.report_pdf(r.slug)).read_bytes()


@pytest.mark.parametrize("processes", [1, 3])
def test_what_weasyprint_finds_wrong_stops_the_build_in_whichever_process_prints(tmp_path, processes):
    """An image without its alt text makes a PDF that is not accessible: WeasyPrint says so, and the build
    stops saying it, whether the page was printed here or in a worker (whose log goes nowhere)."""
    urls = Urls(PUBLIC, "{slug}/", "theme")
    root = reports_site(tmp_path / "site", urls, last='<img src="../../reports/quarter/homes.svg" alt="">')
    with pytest.raises(BuildError, match=r"2026-03-01-cabinet/.*has no required alt description"):
        pdf.write_report_pdfs(root, REPORTS, urls, PUBLIC, tmp_path / "cache", processes=processes)
    assert not (root / urls.report_pdf(REPORTS[0].slug)).exists()
