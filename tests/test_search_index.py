"""The search index is built from the pages marked for it, and only those are handed to Pagefind."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from generator.publish import search
from generator.publish.search import build_index


def _page(path: Path, words: str, indexed: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mark = " data-pagefind-body" if indexed else ""
    path.write_text(f'<!DOCTYPE html><html lang="en"><head><title>{words}</title></head>'
                    f'<body><header>Menu</header><main id="main"{mark}><h1>{words}</h1></main></body></html>',
                    encoding="utf-8")


def _indexed_pages(site: Path) -> int:
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def _given(monkeypatch) -> list[list[str]]:
    """The pages each Pagefind run is given (the folder after --site), as paths under it."""
    runs, run = [], subprocess.run

    def watched(command, **kwargs):
        given = Path(command[command.index("--site") + 1])
        runs.append(sorted(str(p.relative_to(given)) for p in given.rglob("*.html")))
        return run(command, **kwargs)
    monkeypatch.setattr(search.subprocess, "run", watched)
    return runs


def test_only_pages_marked_for_search_are_given_to_pagefind(tmp_path, monkeypatch):
    runs = _given(monkeypatch)
    site = tmp_path / "site"
    _page(site / "measures/recycling/index.html", "Household recycling", indexed=True)
    _page(site / "finance/suppliers/acme/index.html", "Acme Ltd payments", indexed=True)
    _page(site / "finance/suppliers/acme/2/index.html", "Acme Ltd payments, page 2", indexed=False)
    _page(site / "index.html", "Home", indexed=False)
    build_index(site, "pagefind/")
    # Pagefind holds every page it is given while it works: the others are not given.
    assert runs == [["finance/suppliers/acme/index.html", "measures/recycling/index.html"]]
    assert _indexed_pages(site) == 2
    assert (site / "pagefind/pagefind.js").is_file() and not (site / "pagefind/pagefind-ui.js").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"]           # the folder of links is gone
    assert (site / "finance/suppliers/acme/2/index.html").is_file()   # and the site's own pages stay


def test_with_no_page_marked_every_page_is_indexed(tmp_path, monkeypatch):
    runs = _given(monkeypatch)
    site = tmp_path / "site"
    _page(site / "index.html", "Home", indexed=False)
    _page(site / "about/index.html", "About", indexed=False)
    build_index(site, "pagefind/")
    assert runs == [["about/index.html", "index.html"]]
    assert _indexed_pages(site) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_pagefind_is_started_without_copying_the_build_and_dies_with_it():
    """Pagefind becomes the launched process (no fork of the build's memory in between), and is killed
    when the build is: it must not write on into a folder being cleared away."""
    import os
    import sys
    import time
    launch = search._DYING_WITH_THE_BUILD + ["/bin/sleep", "60"]
    build = subprocess.Popen([sys.executable, "-c", f"import subprocess, sys; p = subprocess.Popen({launch!r}); "
                              "print(p.pid, flush=True); sys.stdin.read()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    child = int(build.stdout.readline())
    time.sleep(0.5)
    assert Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0] == b"/bin/sleep"
    build.kill()
    build.wait()

    def alive() -> bool:
        try:
            return Path(f"/proc/{child}/stat").read_text().split(") ")[1][0] != "Z"
        except OSError:
            return False
    deadline = time.monotonic() + 10
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    survived = alive()
    if survived:
        os.kill(child, 9)
    assert not survived
