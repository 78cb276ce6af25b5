"""Whether a build would write exactly the output that is already there: then it need not run.

A republish after a commit that touched nothing the site shows, or a second `make html`, should cost
seconds rather than a whole build. Before the heavy libraries are even imported, the command hashes
everything a build reads: the settings (as read, environment included), every file of the data, the
content and the theme, the git commit the data is at, the build's date, and the tool itself (its
own files and every installed package's version). If that hash, and the output folder's own listing,
are what the last successful build into the same folder recorded, the output is up to date.

Nothing else is trusted: a missing, edited or replaced output, an unknown record, or any doubt means a
full build. The record lives in the cache folder, so turning the cache off turns this off too.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from . import cache
from .clock import now, today
from .ingest.history import head_commit, is_shallow
from .settings import Settings

_TOOL = Path(__file__).resolve().parent
_RECORD_VERSION = 1


@dataclass(frozen=True)
class Record:
    """What the last successful build into an output folder read and wrote."""

    inputs: str        # hash of everything the build read
    output: str        # hash of the output folder's listing when the build finished
    lines: list[str]   # the validation report it printed (warnings), printed again when nothing changed
    pages: int
    measures: int


def inputs_hash(settings: Settings) -> str:
    """A hash of everything a build of these settings reads, now: the build's moment is the whole of
    SOURCE_DATE_EPOCH when set, else only the day (pages show the day; the feeds' and calendar's stamps
    keep the time of the build that wrote them, which is when their contents last changed)."""
    moment = now().isoformat() if os.environ.get("SOURCE_DATE_EPOCH") else today().isoformat()
    h = hashlib.sha256()
    h.update(f"{_RECORD_VERSION}\n{settings!r}\n{moment}\n{Path.cwd()}\n".encode())
    h.update(f"{head_commit(settings.data_dir)} {is_shallow(settings.data_dir)}\n".encode())
    for name, folder in (("data", settings.data_dir), ("content", settings.content),
                         ("theme", settings.theme_dir), ("tool", _TOOL)):
        h.update(f"[{name}] {cache.folder_digest(folder)}\n".encode())
    h.update(cache.installed().encode())
    return h.hexdigest()


def output_hash(output: Path) -> str | None:
    """The output folder's listing: every file's path, size and modification time (None: no folder)."""
    return output_listing(output)[0]


def output_listing(output: Path) -> tuple[str | None, int]:
    """output_hash(), and how many pages (HTML files) the folder holds: a build's summary says, from the one
    walk of its twenty thousand files."""
    root = output.resolve()
    if not root.is_dir():
        return None, 0
    h, pages = hashlib.sha256(), 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        folder = "" if dirpath == str(root) else os.path.join(os.path.relpath(dirpath, root), "")
        for name in sorted(filenames):
            st = os.stat(os.path.join(dirpath, name))
            h.update(f"{folder}{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
            pages += name.endswith(".html")
    return h.hexdigest(), pages


def _record_path(settings: Settings) -> Path | None:
    return cache.output_record(settings.cache_dir, settings.output, ".json")


def up_to_date(settings: Settings, inputs: str) -> Record | None:
    """The last build's record when the output is still what a build of `inputs` writes; else None."""
    path = _record_path(settings)
    if path is None or not path.is_file():
        return None
    try:
        record = Record(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None
    if record.inputs != inputs or record.output != output_hash(settings.output):
        return None
    return record


def remember(settings: Settings, record: Record) -> None:
    """Keep what a successful build read and wrote, for the next build to compare with."""
    path = _record_path(settings)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(record)), encoding="utf-8")
    os.replace(tmp, path)
