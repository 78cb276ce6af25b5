"""Static search (Pagefind) as a progressive enhancement, in a real headless Chromium."""

from __future__ import annotations

import re

import pytest

from conftest import open_page
from generator.publish import search

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]


def test_search_finds_a_measure_under_the_sites_own_csp(browser, served_site):
    context, page, problems = open_page(browser, served_site + "/search/?q=homeless")
    try:
        page.wait_for_selector("#search-results li")
        titles = page.locator("#search-results li h2 a").all_inner_texts()
        assert "Households helped to avoid becoming homeless" in titles
        assert "result" in page.locator("#search-status").inner_text()
        assert page.locator("#search-results mark").count() > 0          # the words found are marked
        assert not page.locator("#search-fallback").is_visible()
        page.locator("#search-results li h2 a", has_text="Households helped to avoid becoming homeless").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/measures/homelessness-prevented/")
    finally:
        context.close()
    assert problems == [], problems      # no CSP violation, no script error


def test_a_page_indexed_in_another_part_of_the_index_is_found_too(browser, served_site, site):
    """The example's index is in parts (publish/search.py), as a large site's is: the page loads the first and
    merges the others it lists, so a page indexed in any part is found."""
    parts = search._parts(search._pages(site))
    assert len(parts) > 1
    measure = next(rel for rel in sorted(parts[-1]) if rel.startswith("measures/"))
    title = re.search(r"<h1[^>]*>([^<]+)</h1>", (site / measure).read_text(encoding="utf-8"))[1].strip()
    context, page, problems = open_page(browser, served_site + "/search/")
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if not r.ok else None)
    try:
        page.fill("#search-input", title)
        page.press("#search-input", "Enter")
        page.wait_for_selector("#search-results li")
        link = page.locator("#search-results li h2 a", has_text=title).first
        assert link.get_attribute("href").endswith("/" + measure.removesuffix("index.html"))    # at its address
    finally:
        context.close()
    assert problems == [] and failed == [], (problems, failed)


def test_a_search_engine_that_never_comes_is_given_up_rather_than_searching_for_ever(browser, served_site):
    """Pagefind waits without end for its WebAssembly engine (which a host's policy may refuse): the page gives
    up after a while and says so, pointing to the A to Z, and says so at once for the next search."""
    context, page, problems = open_page(browser, served_site + "/search/")
    try:
        context.route(re.compile(r".*/pagefind/wasm\.[a-z]+\.pagefind.*"), lambda route: None)     # never answered
        page.fill("#search-input", "homeless")
        page.press("#search-input", "Enter")
        page.locator("#search-status", has_text="Searching").wait_for()
        page.locator("#search-status", has_text="Search could not load").wait_for(timeout=45000)
        page.fill("#search-input", "recycling")
        page.press("#search-input", "Enter")
        page.locator("#search-status", has_text="Search could not load").wait_for(timeout=5000)
        assert page.locator("#search-results li").count() == 0
    finally:
        context.close()
    assert problems and all("took too long" in p for p in problems), problems


def test_typing_a_query_and_pressing_enter_lists_results_and_updates_the_address(browser, served_site):
    context, page, problems = open_page(browser, served_site + "/search/")
    try:
        page.fill("#search-input", "recycling")
        page.press("#search-input", "Enter")
        page.wait_for_selector("#search-results li")
        assert any("recycl" in t.lower() for t in page.locator("#search-results li").all_inner_texts())
        assert page.url.endswith("/search/?q=recycling")
        page.fill("#search-input", "qwertyuiop")
        page.press("#search-input", "Enter")
        page.locator("#search-status", has_text="No results for").wait_for()   # no eval: the page's CSP forbids it
        assert page.locator("#search-results li").count() == 0
    finally:
        context.close()
    assert problems == [], problems


def test_without_javascript_the_search_page_points_to_the_a_to_z(browser, served_site):
    context, page, _ = open_page(browser, served_site + "/search/", java_script_enabled=False)
    try:
        fallback = page.locator("#search-fallback")
        assert fallback.is_visible()
        assert fallback.locator("a", has_text="measures A to Z").get_attribute("href") == "../measures/"
    finally:
        context.close()


def test_only_main_content_of_content_pages_is_indexed(site):
    html = (site / "measures/recycling-rate/index.html").read_text(encoding="utf-8")
    assert '<main id="main" tabindex="-1" data-pagefind-body>' in html
    # Its words are indexed, not its tables of figures (which made most of the index, and most of its
    # building's memory, at a thousand measures).
    for region in ('aria-label="Figures for ', 'by ward" tabindex'):
        start = html.index(region)
        assert "data-pagefind-ignore" in html[html.rindex("<div", 0, start):start], region
    assert "data-pagefind-body" in (site / "reports/2026-09-15-executive/index.html").read_text(encoding="utf-8")
    for page in ("index.html", "measures/index.html", "search/index.html", "calendar/index.html",
                 "reports/2026-09-15-executive/briefings/enabling/index.html"):   # a briefing repeats its report
        assert "data-pagefind-body" not in (site / page).read_text(encoding="utf-8"), page
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and not (bundle / "pagefind-ui.js").exists()
    assert len(list((bundle / "fragment").iterdir())) >= 39 + 7
