"""Files carried over from the site a build replaces: a file made from exactly what made the one there last
time is linked into the new site rather than made and written again.

A rebuild after one changed CSV writes the same bytes to all but a few dozen of a thousand measures' 17,000
files. Each file a build can carry is written under a key (a hash of all it is made from: a kept page's,
say), and the build's record, in the cache, holds each such file's key and what the file system says of it
(device, inode, size, modification time). The next build into the same output links a file over only when
its key is the same and the file is still the one recorded: one edited, replaced or restored since is made
again. A carried file keeps its record, so a file written through a link by mistake (which would also change
the site being replaced) is never carried again; and one changed while the build ran fails the build.

A file is carried by a hard link, on the same file system (the build is written beside its output). Where
linking fails (another file system, a host that forbids it) the file is made as it would be without a record.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import cache
from ..domain.slotted import by_fields
from ..errors import BuildError

_VERSION = 2

log = logging.getLogger(__name__)


@by_fields         # pickled as a call of its class: the record holds one for each of 17,000 files
@dataclass(frozen=True, slots=True)
class Written:
    """A file of a build: the key it was made under, what the file system said of it once written, what its
    writer noted of it (a chart's width and height, say) and its SHA-256 once asked for (a SHA256SUMS's)."""

    key: str
    device: int
    inode: int
    size: int
    mtime_ns: int
    facts: tuple = ()
    sha256: str | None = None

    def still(self, st: os.stat_result) -> bool:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == (self.device, self.inode, self.size,
                                                                      self.mtime_ns)


class Carried:
    """The files of `previous` (the output being replaced) that the build writing `stage` may link over,
    from the record at `record` (None: no cache, nothing carried), and the new build's own record."""

    def __init__(self, previous: Path, stage: Path, record: Path | None):
        self.previous, self.stage, self.record = previous, stage, record
        # Their paths as strings, to join a file's to: 17,000 files' Path objects took a rebuild a third of a second.
        self._from, self._to = str(previous), str(stage)
        # Not when Pelican is run alone, writing over its output in place.
        self.on = record is not None and previous.resolve() != stage.resolve()
        self._before = _read(record) if self.on and previous.is_dir() else {}
        self._keys: dict[str, tuple[str, tuple]] = {}  # written in this build (key, facts), by path: stat'ed on save
        self._digests: dict[str, str] = {}             # of files written in this build, by path
        self._carried: dict[str, Written] = {}         # linked over, by path: as recorded before
        self._lock = threading.Lock()

    def carry(self, files: dict[str, str]) -> bool:
        """Link each of `files` (the key each is made under, by path in the site) from the previous output into
        the new one, all of them or none: whether they were (then nothing else may write them)."""
        if not self.on:
            return False
        found: dict[str, Written] = {}
        for path, key in files.items():
            before = self._before.get(path)
            if before is None or before.key != key or path in self._keys or path in self._carried:
                return False
            found[path] = before
        if not self._linked(found):
            return False
        self._carried.update(found)
        return True

    @property
    def linked(self) -> int:
        """How many files of the new site are carried over."""
        return len(self._carried)

    def _linked(self, found: dict[str, Written]) -> bool:
        """Link each of `found` into the new site, or none. What is checked against the record is the file
        linked, so a build replacing the output meanwhile cannot slip another file in."""
        done: list[str] = []
        for path, before in found.items():
            target = self._staged(path)
            try:
                _link(f"{self._from}/{path}", target)
                done.append(target)
                if _still(target, before):
                    continue
            except (FileNotFoundError, FileExistsError):      # gone from the old site; written in the new
                pass
            except OSError as exc:      # another file system, or not allowed: made as if never recorded
                self._turn_off(exc)
            for link in done:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(link)
            return False
        return True

    def _staged(self, path: str) -> str:
        """A file's path in the new site, by its path in the site (relative, so joined as text: the cheaper)."""
        return f"{self._to}/{path}"

    def _turn_off(self, why: OSError) -> None:
        log.info("Files are written again rather than carried over from the last build: %s.", why)
        self.on = False

    def wrote(self, path: str, key: str, facts: tuple = ()) -> None:
        """`path` was written in this build, made under `key` (`facts`: what carry's caller will want to know
        of it without reading it): the next build may carry it."""
        with self._lock:        # not while digest() records what it read of the file before
            self._carried.pop(path, None)
            self._digests.pop(path, None)
            self._keys[path] = (key, facts)

    def file(self, path: str, key: str, write: Callable[[], int], used: Callable[[], object] = lambda: None) -> int:
        """The file at `path` made under `key`: carried over, or `write()`n; its size. Once carried, `used()`:
        what writing it would have read from the cache is marked used all the same, for a build that cannot
        carry it (into another folder, or after the site was removed)."""
        if self.carry({path: key}):
            used()
            return self._carried[path].size
        size = write()
        self.wrote(path, key)
        return size

    def facts(self, path: str) -> tuple:
        """What the writer of a carried file noted of it."""
        return self._carried[path].facts

    def digest(self, path: str) -> str:
        """The SHA-256 of the file at `path` in the new site: as recorded when it was carried over, else read
        (and recorded, for a file the next build may carry, until it is written again). Asked from another
        thread too (the whole site's downloads are made beside the pages, from files written before): what it
        read is recorded only if the file was not written again while it read it, so a digest recorded is
        always the file's."""
        if (carried := self._carried.get(path)) is not None and carried.sha256:
            return carried.sha256
        if (known := self._digests.get(path)) is not None:
            return known
        written = self._keys.get(path)
        found = cache.file_digest(self.stage / path)
        with self._lock:
            if carried is not None and self._carried.get(path) is carried:
                self._carried[path] = replace(carried, sha256=found)
            elif written is not None and self._keys.get(path) is written:
                self._digests[path] = found
        return found

    def save(self) -> None:
        """Record what this build wrote and carried, once all of it is written (before the new site replaces
        the old: files keep their inodes when their folder is renamed). A carried file is one file in both
        sites: one changed in the old site while the build ran would be in the new one, so that fails the
        build (the old site is kept, and the next build writes the file again)."""
        if self.record is None:
            return
        if not self.on:         # the record may name files gone since: none trusted next time
            self.record.unlink(missing_ok=True)
            return
        for path, before in self._carried.items():
            if not _still(self._staged(path), before):
                raise BuildError(f"'{self.previous / path}' was changed while the site was being built; build "
                                 "again.")
        now = dict(self._carried)
        for path, (key, facts) in self._keys.items():
            try:
                st = os.stat(self._staged(path))
            except OSError:
                continue
            now[path] = Written(key, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, facts, self._digests.get(path))
        data = pickle.dumps((_VERSION, now), protocol=pickle.HIGHEST_PROTOCOL)
        cache.written(self.record, lambda tmp: tmp.write_bytes(data))


def _still(file: str, before: Written) -> bool:
    """Whether `file` is the one `before` recorded (False: gone)."""
    try:
        return before.still(os.stat(file))
    except FileNotFoundError:
        return False


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:       # the folder, to be made (or the file itself gone: raised again)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(source, target)


def _read(record: Path) -> dict[str, Written]:
    """The record at `record`; nothing when there is none, or it is not one this version wrote."""
    try:
        version, files = pickle.loads(record.read_bytes())
    except Exception:           # missing, cut short, or of another version of the tool: nothing is carried
        return {}
    if version != _VERSION or not isinstance(files, dict):
        return {}
    return {path: w for path, w in files.items() if isinstance(path, str) and isinstance(w, Written)}
