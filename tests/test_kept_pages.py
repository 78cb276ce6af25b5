"""Pages kept in the cache (site/kept_pages.py): what the site-wide context is hashed as."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import ROOT
from generator.settings import Settings
from generator.site import kept_pages
from generator.urls import Urls

THEME = ROOT / "theme"


def test_the_same_context_is_the_same_key_in_any_process():
    """Sets iterate in an order that differs from process to process: hashed sorted, the key does not."""
    script = ("from generator.site import kept_pages; from generator import cache; "
              "print(cache.key(kept_pages.canonical({'SHOWN': frozenset(['finance', 'measures', 'wider', 'search']), "
              "'names': {'Acme', 'Acme Ltd', 'ACME LIMITED'}})))")
    keys = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}, check=True).stdout for seed in ("1", "2", "3")}
    assert len(keys) == 1


def test_every_value_counts_but_the_folder_written_and_the_day():
    settings = Settings(council="Anytown")
    context = {"urls": Urls("https://example.org", "{slug}/", "theme"), "dashboard_settings": settings,
               "SHOWN": frozenset({"measures"}), "BUILD_DATE": date(2026, 11, 25), "OUTPUT_PATH": "/tmp/a",
               "TOTAL": Decimal("1.50")}
    key = kept_pages.site_wide_key(context, [THEME])
    assert key == kept_pages.site_wide_key({**context, "BUILD_DATE": date(2026, 11, 26), "OUTPUT_PATH": "/tmp/b",
                                            "dashboard_settings": dataclasses.replace(settings, output=Path("b"))},
                                           [THEME])
    assert key != kept_pages.site_wide_key({**context, "dashboard_settings": Settings(council="Othertown")}, [THEME])
    assert key != kept_pages.site_wide_key({**context, "SHOWN": frozenset({"measures", "finance"})}, [THEME])
    assert key != kept_pages.site_wide_key({**context, "TOTAL": Decimal("1.5")}, [THEME])
    listed = {"MISSING_SYMBOLS": {"[x]": "not available", "[c]": "confidential"}, "ORDER": ["b", "a"]}
    other = {"MISSING_SYMBOLS": {"[c]": "confidential", "[x]": "not available"}, "ORDER": ["b", "a"]}
    assert kept_pages.site_wide_key(listed, [THEME]) != kept_pages.site_wide_key(other, [THEME])   # shown in order
    assert kept_pages.site_wide_key(listed, [THEME]) != kept_pages.site_wide_key({**listed, "ORDER": ["a", "b"]}, [THEME])


def test_a_value_of_a_kind_it_cannot_hash_keeps_no_page_and_says_so(caplog):
    """Rather than a value left out of the key (and a page kept that read it), no page is kept at all."""
    class Opaque:
        pass
    assert kept_pages.site_wide_key({"SOMETHING_NEW": Opaque()}, [THEME]) is None
    assert "test_kept_pages" in caplog.text and "No page is kept" in caplog.text


def test_the_theme_and_the_folders_overriding_its_templates_are_inputs(tmp_path):
    theme, overrides = tmp_path / "theme", tmp_path / "overrides"
    for folder in (theme / "templates", overrides):
        folder.mkdir(parents=True)
        (folder / "base.html").write_text("one")
    first = kept_pages.site_wide_key({}, [overrides, theme])
    (theme / "templates/base.html").write_text("two")                # a council's own theme, changed
    second = kept_pages.site_wide_key({}, [overrides, theme])
    (overrides / "base.html").write_text("two")                      # a template overridden, changed
    assert len({first, second, kept_pages.site_wide_key({}, [overrides, theme])}) == 3


def test_no_template_reads_what_the_key_leaves_out():
    """The key leaves out the build's day (a kept page holds a placeholder for BUILD_DATE_TEXT, filled in as
    it is written) and the folder being written: a template reading them otherwise would be kept stale."""
    found = {(p.relative_to(THEME).as_posix(), name) for p in THEME.rglob("*.html")
             for name in kept_pages.NOT_READ if re.search(rf"\b{name}\b", p.read_text())}
    assert found == {("templates/base.html", "BUILD_DATE_TEXT")}
