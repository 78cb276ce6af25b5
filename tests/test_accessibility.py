"""Accessibility of the built example site in a real headless Chromium (design §5, §6).

axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on one page of every kind, the measure page with
JavaScript off at 320 px, keyboard access to the skip link, and no requests leaving the site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from conftest import axe_report, axe_run


# A measure with a target and annotations (the richest measure page).
MEASURE = "/measures/benefit-new-claim-time/"

PAGES = [
    "/",
    "/purposes/somewhere-to-live/",
    MEASURE,
    "/measures/",
    "/services/",
    "/services/benefits/",
    "/localities/",
    "/localities/abbey/",
    "/localities/central/",                    # a place: where it is, its facts, each measure beside the whole area
    "/wider-data/",                             # wider data: a partner's, marked
    "/data/",
    "/data/measures/",
    "/data/demographics/",                     # preview tables
    "/data/demographics/tables/ward-profile/",   # a long table, a page at a time
    "/calendar/",
    "/search/",
    "/finance/",
    "/finance/months/",
    "/finance/services/",
    "/finance/categories/",
    "/finance/suppliers/",
    "/finance/suppliers/letter-a/",
    "/finance/largest/",
    "/finance/budgets/",
    "/finance/suppliers/sup-00010-a7b14b/",   # one supplier's payments
    "/search/?q=homeless",                     # with results listed by the script
    "/measures/homelessness-prevented/",       # a revised figure
    "/about/",
    "/accessibility/",
    "/how-to-read-charts/",
    "/measures/temporary-accommodation/",      # many signals of both kinds
    "/measures/affordable-homes-completed/",   # too few figures for limits
    "/measures/anti-social-behaviour/",        # figures by ward: small multiples and a table
    "/measures/by/verdict/concern/",           # the A to Z narrowed to one verdict
    "/data-quality/",                          # every measure's data-quality assessment
    "/help/updating/",                         # the officers' guide, from the guide the tool ships
    "/reports/",                               # reports to councillors, by year
    "/reports/type/executive/",                # one type of report
    "/reports/2026-10-01-scrutiny/",           # a report: cover, contents, narrative, every strategic measure
    "/reports/2026-09-15-executive/briefings/safe-and-looking-good/",   # a briefing: what changed, the measures
]

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(browser, served_site, path):
    def before(page):
        if path == MEASURE:
            # Check the data table too, which is hidden until its <details> is opened.
            page.click("details.data-table > summary")
            assert page.locator("details.data-table table").is_visible()
        if "?q=" in path:
            page.wait_for_selector("#search-results li")
    result = axe_run(browser, served_site + path, before)
    assert result["passes"], f"{path}: axe ran no rules"  # guards against a silently broken run
    assert result["violations"] == [], axe_report(path, result["violations"])


def _scroll_width(browser, url: str) -> int:
    """document.documentElement.scrollWidth at a 320 px viewport (needs page JS for evaluate)."""
    context = browser.new_context(viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        return page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()


def test_measure_page_works_without_javascript_at_320px(browser, served_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    try:
        page = context.new_page()
        page.goto(served_site + MEASURE)
        page.wait_for_load_state("load")
        h1 = page.locator("h1")
        assert h1.count() == 1 and h1.is_visible()
        figure = page.locator(".headline-figure .figure")
        assert figure.is_visible() and figure.inner_text().strip()
        chart = page.locator("figure.chart img")
        assert chart.is_visible()
        # The chart image actually loaded (naturalWidth is read by Playwright, not by page JS).
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), "chart image did not load"
        table = page.locator("details.data-table table")
        assert not table.is_visible(), "the data table should start closed"
        page.click("details.data-table > summary")  # <details> needs no JavaScript
        assert table.is_visible()
        assert page.locator("details.data-table tbody tr").count() > 0
        # Playwright can still evaluate here: disabling JavaScript stops the page's own scripts only.
        width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    assert width <= 320, f"{MEASURE} scrolls horizontally at 320 px with the table open ({width} px wide)"


@pytest.mark.parametrize("path", ["/", MEASURE, "/data/", "/calendar/", "/data/demographics/", "/finance/",
                                  "/finance/budgets/"])
def test_no_horizontal_scrolling_at_320px(browser, served_site, path):
    width = _scroll_width(browser, served_site + path)
    assert width <= 320, f"{path} scrolls horizontally at 320 px ({width} px wide)"


def test_skip_link_is_first_and_moves_focus_to_main(browser, served_site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_site + MEASURE)
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({tag: document.activeElement.tagName, text: document.activeElement.textContent.trim(),"
            " href: document.activeElement.getAttribute('href')})")
        assert focused == {"tag": "A", "text": "Skip to main content", "href": "#main"}, focused
        # Once focused, the skip link must be visible (WCAG 2.4.7 / 2.4.11).
        assert page.locator("a.skip-link").is_visible()
        page.keyboard.press("Enter")
        active_id = page.evaluate("() => document.activeElement.id")
        assert active_id == "main", f"after following the skip link focus is on #{active_id!r}, not #main"
        # The next Tab goes into the main content, not back to the header.
        page.keyboard.press("Tab")
        inside_main = page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
        assert inside_main, "Tab after the skip link left <main>"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", MEASURE, "/data/", "/search/?q=recycling"])
def test_no_requests_leave_the_site(browser, served_site, path):
    context = browser.new_context()
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(served_site + path)
        page.wait_for_load_state("networkidle")
        if "?q=" in path:
            page.wait_for_selector("#search-results li")
            page.wait_for_load_state("networkidle")
        if path == MEASURE:
            page.click("details.data-table > summary")
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert requests, "no requests were recorded"
    outside = [u for u in requests if urlsplit(u).scheme not in ("data", "blob")
               and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], f"{path} made requests outside the site: {outside}"
