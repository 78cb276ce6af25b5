"""The search index is built from the pages marked for it, and only those are handed to Pagefind; a large
site's index is made in parts, and a rebuild indexes again only the parts whose pages changed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.publish import search
from generator.publish.search import build_index
from generator.urls import Urls

URLS = Urls("https://example.org", "{slug}/", "theme")


def _page(path: Path, words: str, indexed: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mark = " data-pagefind-body" if indexed else ""
    path.write_text(f'<!DOCTYPE html><html lang="en"><head><title>{words}</title></head>'
                    f'<body><header>Menu</header><main id="main"{mark}><h1>{words}</h1></main></body></html>',
                    encoding="utf-8")


def _indexed_pages(site: Path, bundle: str = "pagefind/") -> int:
    entry = json.loads((site / bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    build_index(site, URLS)
    # Pagefind holds every page it is given while it works: the others are not given.
    assert runs == [["finance/suppliers/acme/index.html", "measures/recycling/index.html"]]
    assert _indexed_pages(site) == 2
    assert (site / "pagefind/pagefind.js").is_file() and not (site / "pagefind/pagefind-ui.js").exists()
    assert json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8")) == {"parts": []}   # one part
    assert [p.name for p in tmp_path.iterdir()] == ["site"]           # the folder of links is gone
    assert (site / "finance/suppliers/acme/2/index.html").is_file()   # and the site's own pages stay


def test_with_no_page_marked_every_page_is_indexed(tmp_path, monkeypatch):
    runs = _given(monkeypatch)
    site = tmp_path / "site"
    _page(site / "index.html", "Home", indexed=False)
    _page(site / "about/index.html", "About", indexed=False)
    build_index(site, URLS)
    assert runs == [["about/index.html", "index.html"]]
    assert _indexed_pages(site) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def _large_site(site: Path, pages: int) -> None:
    for n in range(pages):
        _page(site / f"measures/measure-{n}/index.html", f"Measure number {n}", indexed=True)
    _page(site / "index.html", "Home", indexed=False)


def test_a_large_sites_index_is_made_in_parts_that_the_first_lists(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_PART", 3)
    runs = _given(monkeypatch)
    site = tmp_path / "site"
    _large_site(site, 10)
    build_index(site, URLS)
    listed = json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8"))["parts"]
    assert listed == [URLS.search_bundle(part=n) for n in range(1, len(runs))] and len(runs) >= 3
    # Every page is indexed once, in one part; each part's set by its path alone.
    given = sorted(page for run in runs for page in run)
    assert given == sorted(f"measures/measure-{n}/index.html" for n in range(10))
    assert sum(_indexed_pages(site, bundle) for bundle in ["pagefind/", *listed]) == 10
    assert sorted(sorted(part) for part in search._parts(search._pages(site))) == sorted(runs)
    # The first part is the bundle the search page loads; the others hold only their index, searched by its engine.
    assert (site / "pagefind/pagefind.js").is_file() and (site / "pagefind/pagefind-worker.js").is_file()
    for bundle in listed:
        names = {p.name for p in (site / bundle).iterdir()}
        assert "pagefind-entry.json" in names and {"fragment", "index"} <= names
        assert not {n for n in names if search.ENGINE.fullmatch(n) or n in search.UNUSED}, names


def test_a_rebuild_indexes_again_only_the_part_whose_page_changed_and_writes_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "PAGES_PER_PART", 3)
    cache_dir = tmp_path / "cache"
    first, second, fresh = tmp_path / "first", tmp_path / "second", tmp_path / "fresh"
    for site in (first, second, fresh):
        _large_site(site, 10)
    build_index(first, URLS, cache_dir)
    for site in (second, fresh):
        _page(site / "measures/measure-4/index.html", "Measure number 4, revised", indexed=True)
    runs = _given(monkeypatch)
    build_index(second, URLS, cache_dir)
    part = next(sorted(p) for p in search._parts(search._pages(second)) if "measures/measure-4/index.html" in p)
    assert runs == [part]
    build_index(fresh, URLS)            # no cache: every part made
    assert len(runs) > 1
    assert _files(second / "pagefind") == _files(fresh / "pagefind")
    assert _indexed_pages(second) + sum(_indexed_pages(second, b) for b in
                                        json.loads((second / "pagefind/parts.json").read_text())["parts"]) == 10


def _missing():
    raise FileNotFoundError("Pagefind's program is not installed")


@pytest.mark.parametrize("program", [lambda: "/bin/false", _missing])
def test_a_part_pagefind_cannot_make_stops_the_build_with_its_words(tmp_path, monkeypatch, program):
    site = tmp_path / "site"
    _large_site(site, 2)
    monkeypatch.setattr(search, "get_executable", program)
    with pytest.raises(search.BuildError, match="search index could not be built"):
        build_index(site, URLS)
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


def test_a_page_the_record_knows_unchanged_is_not_read_again(tmp_path, monkeypatch):
    """_pages keeps what it read of each page by what the file system says of it: a rebuild's pages carried
    over by hard links are the same files, so only a page written anew, or changed, is read."""
    site, record = tmp_path / "site", tmp_path / "cache/builds/site.search"
    _large_site(site, 4)
    first = search._pages(site, record)
    again = tmp_path / "again"          # the next build: every page linked over, but one written anew
    for page in site.rglob("*.html"):
        (again / page.relative_to(site)).parent.mkdir(parents=True, exist_ok=True)
        os.link(page, again / page.relative_to(site))
    rewritten = again / "measures/measure-2/index.html"
    rewritten.unlink()
    _page(rewritten, "Measure number two", indexed=True)
    read, was = [], Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (read.append(self.relative_to(again).as_posix())
                                                          if again in self.parents else None) or was(self))
    found = search._pages(again, record)
    assert read == ["measures/measure-2/index.html"]
    assert found == {rel: hashlib.sha256(was(again / rel)).hexdigest() for rel in first}   # the home page not marked
    assert found != first and found.keys() == first.keys()
    assert search._pages(again, None) == found and search._pages(again, tmp_path / "no-record") == found
