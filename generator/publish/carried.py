"""Files carried over from the site a build replaces: a file made from exactly what made the one there last
time is linked into the new site rather than made and written again.

A rebuild after one changed CSV writes the same bytes to all but a few dozen of a thousand measures' 17,000
files. Each file a build can carry is written under a key (a hash of all it is made from: a kept page's,
say), and the build's record, in the cache, holds each such file's key and what the file system says of it
(device, inode, size, modification time). The next build into the same output links a file over only when
its key is the same and the file is still the one recorded: one edited, replaced or restored since is made
again. A carried file keeps its record, so a file written through a link by mistake (which would also change
the site being replaced) is never carried again.

A file is carried by a hard link, on the same file system (the build is written beside its output). Where
linking fails (another file system, a host that forbids it) the file is made as it would be without a record.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import cache

_VERSION = 2


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
        if previous.resolve() == stage.resolve():       # Pelican run alone, writing over its output in place
            record = None
        self.previous, self.stage, self.record = previous, stage, record
        self._before = _read(record) if record is not None and previous.is_dir() else {}
        self._keys: dict[str, tuple[str, tuple]] = {}  # written in this build (key, facts), by path: stat'ed on save
        self._digests: dict[str, str] = {}             # of files written in this build, by path
        self._carried: dict[str, Written] = {}         # linked over, by path: as recorded before
        self.linked = 0

    def carry(self, files: dict[str, str]) -> bool:
        """Link each of `files` (the key each is made under, by path in the site) from the previous output into
        the new one, all of them or none: whether they were (then nothing else may write them). What is checked
        is the file linked, so a build replacing the output meanwhile cannot slip another file in."""
        if self.record is None:
            return False
        found = {path: self._before.get(path) for path in files}
        if any(before is None or before.key != files[path] or path in self._keys or path in self._carried
               for path, before in found.items()):
            return False
        linked: list[Path] = []
        for path, before in found.items():
            target = self.stage / path
            try:
                _link(self.previous / path, target)
                linked.append(target)
                if before.still(os.stat(target)):
                    continue
            except FileNotFoundError:           # gone from the old site
                pass
            except OSError:                     # another file system, or not allowed: made as if never recorded
                self.record = None
            for done in linked:
                done.unlink(missing_ok=True)
            return False
        self._carried.update(found)
        self.linked += len(found)
        return True

    def wrote(self, path: str, key: str, facts: tuple = ()) -> None:
        """`path` was written in this build, made under `key` (`facts`: what carry's caller will want to know
        of it without reading it): the next build may carry it."""
        if self.record is not None:
            self._keys[path] = (key, facts)

    def file(self, path: str, key: str, write: Callable[[], int]) -> int:
        """The file at `path` made under `key`: carried over, or `write()`n; its size."""
        if self.carry({path: key}):
            return self._carried[path].size
        size = write()
        self.wrote(path, key)
        return size

    def facts(self, path: str) -> tuple:
        """What the writer of a carried file noted of it."""
        return self._carried[path].facts

    def digest(self, file: Path) -> str:
        """The SHA-256 of a file of the new site: as recorded when it was carried over, else read (and recorded,
        for a file the next build may carry)."""
        path = file.relative_to(self.stage).as_posix()
        if (carried := self._carried.get(path)) is not None and carried.sha256:
            return carried.sha256
        found = cache.file_digest(file)
        if carried is not None:
            self._carried[path] = replace(carried, sha256=found)
        elif path in self._keys:
            self._digests[path] = found
        return found

    def save(self) -> None:
        """Record what this build wrote and carried, once all of it is written (before the new site replaces
        the old: files keep their inodes when their folder is renamed)."""
        if self.record is None:
            return
        now = dict(self._carried)
        for path, (key, facts) in self._keys.items():
            try:
                st = os.stat(self.stage / path)
            except OSError:
                continue
            now[path] = Written(key, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, facts, self._digests.get(path))
        data = pickle.dumps((_VERSION, now), protocol=pickle.HIGHEST_PROTOCOL)
        cache.written(self.record, lambda tmp: tmp.write_bytes(data))


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:       # the folder, to be made (or the file itself gone: raised again)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)


def _read(record: Path) -> dict[str, Written]:
    try:
        version, files = pickle.loads(record.read_bytes())
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError):
        return {}
    return files if version == _VERSION and isinstance(files, dict) else {}
