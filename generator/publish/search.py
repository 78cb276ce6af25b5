"""Static full-text search: a Pagefind index of the built site, made after every page is written.

Pagefind (installed from PyPI as `pagefind[bin]`) reads the HTML and writes /pagefind/: a
small JavaScript API, a WebAssembly search engine and the index in fragments fetched on
demand. Only the parts of a page inside `data-pagefind-body` are indexed (the main content,
not the header or footer). Our own theme/static/js/search.js drives the API, so the site
ships none of Pagefind's ready-made interfaces.

Pagefind reads every HTML file it is given, and holds them while it works, even those it will not index:
at 2,000 measures the 7,000 pages without `data-pagefind-body` (continued supplier pages, tables, briefings)
took most of its 1.9 GB. So it is given only the pages to index, linked into a folder beside the site.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pagefind_bin import get_executable

from ..errors import BuildError

# Pagefind writes its ready-made interfaces too; we use the JavaScript API only.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


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


def build_index(site: Path, bundle: str, language: str = "en") -> None:
    """Index `site` in place into its folder `bundle`, or raise BuildError (the previous site is then kept)."""
    pages = Path(tempfile.mkdtemp(prefix=f".{site.name}-search-", dir=site.parent))
    try:
        # With no page marked, Pagefind indexes the whole of every page: so it must be given them all.
        given = pages if _link_indexed(site, pages) else site
        command = [str(get_executable()), "--site", str(given), "--output-path", str(site / bundle.rstrip("/")),
                   "--force-language", language, "--silent"]
        result = subprocess.run([*_DYING_WITH_THE_BUILD, *command], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"The search index could not be built: {exc}.") from exc
    finally:
        shutil.rmtree(pages, ignore_errors=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BuildError("The search index could not be built (Pagefind): "
                         + (detail[-1].rstrip(".") if detail else f"exit code {result.returncode}") + ".")
    for name in UNUSED:
        (site / bundle / name).unlink(missing_ok=True)
    _sort_entry(site / bundle / "pagefind-entry.json")


def _link_indexed(site: Path, into: Path) -> int:
    """Each page of `site` whose main content is to be indexed, at its own path under `into` (a hard link
    where the file system allows, else a copy); how many there are."""
    count = 0
    for page in site.rglob("*.html"):
        if _INDEXED.search(page.read_bytes()):
            linked = into / page.relative_to(site)
            linked.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, linked)
            except OSError:
                shutil.copyfile(page, linked)
            count += 1
    return count


def _sort_entry(path: Path) -> None:
    """Pagefind may write this small file's keys in any order; sorted, the bundle is reproducible."""
    if path.is_file():
        path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), sort_keys=True,
                                   separators=(",", ":")), encoding="utf-8")
