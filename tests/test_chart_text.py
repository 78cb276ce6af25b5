"""Charts stay readable on a phone (issue 12, item 8): with JavaScript off, at a 320 px screen every chart
shows the image drawn for a phone, and its text renders at least 12 CSS px high; a computer shows the wide
image. The size is measured as drawn: each text's font size in the SVG, scaled by the image's width on
the page over the width of the SVG's viewBox."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from generator.urls import Urls

MIN_TEXT_PX = 12
PHONE, COMPUTER = 320, 1280
SVG = "{http://www.w3.org/2000/svg}"

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]


def chart_pages(site) -> list[str]:
    """Every page that shows a chart, as a path from the site's root."""
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("index.html")
                  if '<figure class="chart' in p.read_text(encoding="utf-8"))


def smallest_text(svg: str, shown_width: float) -> float:
    """The smallest text of a drawn chart, in CSS px, when the image is `shown_width` px wide."""
    root = ET.fromstring(svg)
    scale = shown_width / float(root.get("viewBox").split()[2])
    sizes = [float(t.get("font-size").removesuffix("px")) for t in root.iter(f"{SVG}text")]
    return min(sizes) * scale if sizes else math.inf     # a place's map has no words on it to read


def charts_shown(browser, served_site: str, site, path: str, width: int) -> list[tuple[str, float]]:
    """For each chart on the page at a screen `width` px wide (JavaScript off): the image the browser chose
    and its smallest text as rendered."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_site + path)
        page.wait_for_load_state("load")
        # Playwright still evaluates with the page's scripts off; the width is the image's, its border aside.
        shown = page.locator("figure.chart img").evaluate_all(
            "imgs => imgs.map(i => [i.currentSrc, i.getBoundingClientRect().width - (i.offsetWidth - i.clientWidth)])")
    finally:
        context.close()
    assert shown, f"{path}: no chart"
    return [(src, smallest_text((site / urlsplit(src).path.lstrip("/")).read_text(encoding="utf-8"), w))
            for src, w in shown]


def test_every_chart_is_readable_on_a_phone(browser, served_site, site):
    pages = chart_pages(site)
    assert "/finance/" in pages and "/measures/benefit-new-claim-time/" in pages, pages
    unreadable = [f"{path}: {src} ({'narrow' if Urls.is_narrow_chart(src) else 'wide'}), text {px:.1f} px"
                  for path in pages for src, px in charts_shown(browser, served_site, site, path, PHONE)
                  if not Urls.is_narrow_chart(src) or px < MIN_TEXT_PX]
    assert unreadable == []


@pytest.mark.parametrize("path", ["/measures/benefit-new-claim-time/", "/finance/", "/finance/services/"])
def test_a_computer_shows_the_wide_chart(browser, served_site, site, path):
    for src, px in charts_shown(browser, served_site, site, path, COMPUTER):
        assert not Urls.is_narrow_chart(src), src
        assert px >= MIN_TEXT_PX, f"{src}: text {px:.1f} px"
