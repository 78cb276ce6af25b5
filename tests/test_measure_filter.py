"""The measure lists filtered as you type (issue 12, item 6): where JavaScript runs, a labelled box above the A to
Z and each narrowed list hides the rows whose text does not match and a polite live region says how many are
shown; without JavaScript nothing of it appears and every measure is listed. In a real headless Chromium, under
the site's own Content-Security-Policy."""

from __future__ import annotations

import json

import pytest

from conftest import axe_report, axe_run, open_page

pytestmark = [pytest.mark.xdist_group("site"), pytest.mark.browser]

LABEL = "Filter these measures"
ROWS = "table.measures tbody tr"


def titles(site, path: str) -> list[str]:
    return [m["title"] for m in json.loads((site / path / "index.json").read_text(encoding="utf-8"))["measures"]]


def shown_titles(page) -> list[str]:
    return page.locator(f"{ROWS}:visible th a").all_inner_texts()


@pytest.mark.parametrize("path, word", [("measures", "homeless"), ("measures/by/kind/operational", "repair")])
def test_typing_hides_the_rows_that_do_not_match_and_says_how_many_are_shown(browser, served_site, site, path, word):
    everything = titles(site, path)
    wanted = [t for t in everything if word in t.lower()]
    assert 0 < len(wanted) < len(everything)          # the word narrows the list, so the test can fail
    context, page, problems = open_page(browser, f"{served_site}/{path}/")
    try:
        box = page.get_by_label(LABEL)
        assert box.is_visible()
        status = page.locator("#measure-filter [role='status']")
        assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
        box.press_sequentially(word.upper(), delay=20)    # as a person types; any case matches
        status.filter(has_text=f"{len(wanted)} of {len(everything)} measures shown").wait_for()
        assert sorted(shown_titles(page)) == sorted(wanted)
        if path == "measures":     # a letter with nothing left goes, with its link in the list of letters
            letters = {t[0].upper() for t in wanted}
            assert set(page.locator(".measure-group:visible h2").all_inner_texts()) == letters
            assert set(page.locator(".letters li:visible").all_inner_texts()) == letters
        box.fill("")
        status.filter(has_text=f"{len(everything)} of {len(everything)} measures shown").wait_for()
        assert len(shown_titles(page)) == len(everything)
    finally:
        context.close()
    assert problems == [], problems       # no CSP violation (the script's integrity holds), no script error


@pytest.mark.parametrize("path", ["measures", "measures/by/kind/operational"])
def test_without_javascript_no_box_appears_and_every_measure_is_listed(browser, served_site, site, path):
    context, page, _ = open_page(browser, f"{served_site}/{path}/", java_script_enabled=False)
    try:
        assert page.get_by_label(LABEL).count() == 1 and not page.get_by_label(LABEL).is_visible()
        assert not page.locator("#measure-filter").is_visible()
        assert len(shown_titles(page)) == len(titles(site, path))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/measures/", "/measures/by/verdict/concern/"])
def test_axe_finds_no_violations_with_the_box_shown_and_in_use(browser, served_site, path):
    def use_the_box(page):
        page.get_by_label(LABEL).fill("rate")
        page.locator("#measure-filter [role='status']").filter(has_text="measures shown").wait_for()
    result = axe_run(browser, served_site + path, use_the_box)
    assert result["passes"], f"{path}: axe ran no rules"
    assert result["violations"] == [], axe_report(path, result["violations"])
