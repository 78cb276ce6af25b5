"""Static full-text search: a Pagefind index of the built site, made after every page is written.

Pagefind (installed from PyPI as `pagefind[bin]`) reads the HTML and writes /pagefind/: a
small JavaScript API, a WebAssembly search engine and the index in fragments fetched on
demand. Only the parts of a page inside `data-pagefind-body` are indexed (the main content,
not the header or footer). Our own theme/static/js/search.js drives the API, so the site
ships none of Pagefind's ready-made interfaces.

Pagefind reads every HTML file it is given, and holds them while it works, even those it will not index:
at 2,000 measures the 7,000 pages without `data-pagefind-body` (continued supplier pages, tables, briefings)
took most of its 1.9 GB. So it is given only the pages to index, linked into a folder beside the site.

Pagefind cannot update an index: it reads every page again, about 3 s for a thousand measures' pages. So a
large site's index is made in parts of about PAGES_PER_PART pages each (a page's part set by its path), each
kept in the build cache by its pages' bytes: a rebuild indexes again only the parts whose pages changed. The
browser searches them as one (Pagefind's `mergeIndex`): the first part is the bundle the page loads, and
PARTS_FILE in it lists the others. Which part a page is in, and whether it changed, comes from the hash of its
bytes: a record of what was read of each page saves reading again the pages carried over unchanged (_pages).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

from pagefind_bin import get_executable

from .. import cache
from ..errors import BuildError
from ..urls import Urls
from .files import files_under

# Pagefind writes its ready-made interfaces too; we use the JavaScript API only.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# A part merged into the first is searched by the first's engine: it needs only its index.
ENGINE = re.compile(r"pagefind\.js|pagefind-worker\.js|wasm\..*\.pagefind")
# About a third of a second's indexing for a rebuild that changed one page; a search fetches a small piece of
# each part's index for each word, so a site of a few hundred pages is in one part or a few.
PAGES_PER_PART = 100
PARTS_FILE = "parts.json"
_CODE = cache.code(__file__, versions=(version("pagefind_bin"),))


# If the build is killed, Pagefind must not live on, writing into a folder being cleared away: it is started
# by a few lines of Python that ask Linux to kill it with the build (PR_SET_PDEATHSIG; elsewhere nothing),
# then become it. Not by `preexec_fn`, which makes Python fork() the whole build (for a moment a second copy
# of its memory, gigabytes at a few thousand measures) where it otherwise starts the child without copying.
_DYING_WITH_THE_BUILD = [sys.executable, "-S", "-c", "\n".join([
    "import ctypes, os, sys",
    "try:",
    "    ctypes.CDLL(None).prctl(1, 9)",
    "except (OSError, AttributeError):",
    "    pass",
    "os.execv(sys.argv[1], sys.argv[1:])"])]
_INDEXED = re.compile(rb"<main\b[^>]*\sdata-pagefind-body[\s>=]")


def build_index(site: Path, urls: Urls, cache_dir: Path | None = None, language: str = "en",
                record: Path | None = None) -> None:
    """Index `site` in place, into the URL map's search bundle and its parts, or raise BuildError (the previous
    site is then kept). A part the cache (`cache_dir`) keeps for the same pages is copied, not made again.
    `record`: where what was read of each page is kept for the next build (cache.output_record)."""
    parts = _parts(_pages(site, record))
    kept = [cache_dir / "search" / f"{cache.key(_CODE, language, n == 0, part)}.zip" if cache_dir else None
            for n, part in enumerate(parts)]
    work = Path(tempfile.mkdtemp(prefix=f".{site.name}-search-", dir=site.parent))
    try:
        made = [n for n, path in enumerate(kept) if not cache.copy_kept(path, work / f"{n}.zip")]
        pool = ThreadPoolExecutor(max_workers=max(1, min(len(made), os.cpu_count() or 1)))
        try:
            for n, _ in zip(made, pool.map(lambda n: _index(site, parts[n], work / str(n), language, n == 0), made)):
                _pack(work / str(n), work / f"{n}.zip")
                if kept[n]:
                    cache.written(kept[n], lambda tmp, n=n: shutil.copyfile(work / f"{n}.zip", tmp))
        finally:            # a part that failed fails the build: the parts not started are not
            pool.shutdown(cancel_futures=True)
        for n in range(len(parts)):
            _unpack(work / f"{n}.zip", site / urls.search_bundle(part=n))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (site / urls.search_bundle(PARTS_FILE)).write_text(
        json.dumps({"parts": [urls.search_bundle(part=n) for n in range(1, len(parts))]}) + "\n", encoding="utf-8")


def _pages(site: Path, record: Path | None = None) -> dict[str, str]:
    """Each page of `site` whose main content is to be indexed, by its path there: the hash of its bytes. With
    no page marked, Pagefind indexes the whole of every page: so every page.

    What was read of each page (whether it is marked, and its hash) is kept in `record` with what the file
    system said of it. A rebuild carries most pages over from the last site (publish/carried.py), the same
    files: a page whose device, inode, size and modification time are as recorded is not read again (reading
    a thousand measures' 4,000 pages took a rebuild 0.4 s)."""
    known, seen = _read_record(record), {}
    for rel in sorted(rel for rel in files_under(str(site)) if rel.endswith(".html")):
        page = Path(os.path.join(site, rel))
        st = os.stat(page)
        state = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if (before := known.get(rel)) is None or before[:4] != state:
            data = page.read_bytes()
            before = (*state, bool(_INDEXED.search(data)), hashlib.sha256(data).hexdigest())
        seen[rel] = before
    if record is not None:
        data = pickle.dumps((_CODE, seen), protocol=pickle.HIGHEST_PROTOCOL)
        cache.written(record, lambda tmp: tmp.write_bytes(data))
    marked = {rel: facts[5] for rel, facts in seen.items() if facts[4]}
    return marked or {rel: facts[5] for rel, facts in seen.items()}


def _read_record(record: Path | None) -> dict[str, tuple]:
    """_pages's record; nothing when there is none or it cannot be read (every page is then read)."""
    if record is None:
        return {}
    try:
        code, found = pickle.loads(record.read_bytes())
    except Exception:           # missing, cut short, or not a record at all
        return {}
    return found if code == _CODE and isinstance(found, dict) else {}      # another version's: read them all


def _parts(pages: dict[str, str]) -> list[dict[str, str]]:
    """The pages in parts of about PAGES_PER_PART, each page's part set by its path alone: a changed page
    changes its own part (until the number of parts changes, which makes every part again). A part no page
    fell in is left out (Pagefind refuses to index nothing)."""
    count = max(1, -(-len(pages) // PAGES_PER_PART))
    parts: list[dict[str, str]] = [{} for _ in range(count)]
    for rel in sorted(pages):
        parts[int(hashlib.sha256(rel.encode()).hexdigest()[:8], 16) % count][rel] = pages[rel]
    return [part for part in parts if part] or [{}]


def _index(site: Path, pages: dict[str, str], into: Path, language: str, first: bool) -> None:
    """Pagefind's index of `pages` (paths in `site`), written into the folder `into`."""
    given = into.with_name(f"{into.name}-pages")
    for rel in pages:           # a hard link where the file system allows, else a copy
        linked = given / rel
        linked.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site / rel, linked)
        except OSError:
            shutil.copyfile(site / rel, linked)
    given.mkdir(exist_ok=True)
    # Pagefind also reads a pagefind.yml where it runs and PAGEFIND_ variables: none of those, so that a part
    # depends on its pages alone (as it is kept).
    environment = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    try:
        command = [str(get_executable()), "--site", str(given), "--output-path", str(into),
                   "--force-language", language, "--silent"]
        result = subprocess.run([*_DYING_WITH_THE_BUILD, *command], capture_output=True, text=True, timeout=600,
                                cwd=into.parent, env=environment)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"The search index could not be built: {exc}.") from exc
    finally:
        shutil.rmtree(given, ignore_errors=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError("The search index could not be built (Pagefind): "
                         + (detail[-1].rstrip(".") if detail else f"exit code {result.returncode}") + ".")
    for path in into.iterdir():
        if path.name in UNUSED or (not first and ENGINE.fullmatch(path.name)):
            path.unlink()
    _sort_entry(into / "pagefind-entry.json")


def _pack(folder: Path, target: Path) -> None:
    """A folder as an uncompressed zip (Pagefind's files are compressed already), in name order."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())


def _unpack(source: Path, folder: Path) -> None:
    with zipfile.ZipFile(source) as archive:
        archive.extractall(folder)


def _sort_entry(path: Path) -> None:
    """Pagefind may write this small file's keys in any order; sorted, the bundle is reproducible."""
    if path.is_file():
        path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True,
                                   separators=(",", ":")), encoding="utf-8")
