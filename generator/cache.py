"""The build cache: files made from inputs that rarely change (chart specs and drawings, workbooks, PDFs),
kept under the cache folder by a hash of everything that made them, so an unchanged one is read rather
than made again. A key names its inputs; nothing is ever looked up by anything less.

A file found is marked used (`hit`: its modification time set to now), and a build that succeeds removes
what it did not use (`prune`): the cache holds one build's worth, not every version of every table."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path


def key(*inputs) -> str:
    """A hash of `inputs` (anything JSON can write, or its str(): dates, decimals, paths)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def key_of_rows(rows: Sequence) -> str:
    """key() of a long list, hashed a few thousand items at a time: a large table's JSON is never held whole."""
    h = hashlib.sha256()
    for at in range(0, len(rows), 5000):
        h.update(json.dumps(rows[at:at + 5000], sort_keys=True, default=str).encode())
    return h.hexdigest()


def code(*sources: str, versions: tuple[str, ...] = ()) -> str:
    """What makes a cached file besides its inputs: the source files that write it (a module's __file__)
    and the versions of the libraries they call. A change to either is a new key."""
    h = hashlib.sha256()
    for source in sources:
        h.update(Path(source).read_bytes())
    h.update(repr(versions).encode())
    return h.hexdigest()[:16]


@functools.lru_cache
def every_module(versions: tuple[str, ...] = ()) -> str:
    """code() of every module of the generator: for what passes through many of them on its way (read,
    checked, modelled, gathered)."""
    return code(*sorted(str(p) for p in Path(__file__).parent.rglob("*.py")), versions=versions)


def folder_digest(folder: Path) -> str:
    """A hash of every file under `folder`, each by its path there and its bytes (compiled Python left out);
    a missing folder hashes as an empty one."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(folder).as_posix()}\0{file_digest(path)}\n".encode())
    return h.hexdigest()


@functools.lru_cache
def installed() -> str:
    """Every installed package's name and version, as text: what a change of any library changes."""
    return "".join(sorted(f"{d.metadata['Name']}=={d.version}\n" for d in metadata.distributions()))


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def hit(path: Path | None, mark: bool = True) -> bool:
    """Whether `path` is kept in the cache (None: no cache). One that is is marked used by this build, so
    that prune() keeps it (`mark=False`: a command that only checks, which writes nothing, not even a time)."""
    if path is None:
        return False
    if not mark:
        return path.is_file()
    try:
        os.utime(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:             # a cache this build may read but not write (another owner's, read-only)
        pass
    return path.is_file()


def found(path: Path | None) -> bytes | None:
    """The bytes kept at `path` in the cache, marked used; None when there are none (or no cache)."""
    if hit(path):
        try:
            return path.read_bytes()
        except FileNotFoundError:       # pruned by another build sharing the cache since: to be made again
            pass
    return None


def kept(path: Path | None, make: Callable[[], bytes]) -> bytes:
    """The bytes kept at `path` in the cache, or made and kept there when missing (None: no cache, made)."""
    if (data := found(path)) is not None:
        return data
    return make() if path is None else keep(path, make())


def kept_object(path: Path | None, make: Callable[[], object]):
    """kept() of what `make()` returns, pickled; read back from its pickle whether found or just made, so a
    build holds a copy of the same kind either way."""
    return pickle.loads(kept(path, lambda: pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)))


def kept_result(cache_dir: Path | None, folder: str, inputs: list | None, make: Callable[[], object]):
    """kept_object() of `make()` in `folder` of the cache, by key(*inputs) (all it is made from: a rows_key or
    a made_from among them); made and not kept when there is no cache or no inputs (None)."""
    if cache_dir is None or inputs is None:
        return make()
    return kept_object(cache_dir / folder / f"{key(*inputs)}.pickle", make)


def keep(path: Path, data: bytes) -> bytes:
    """Keep `data` at `path`."""
    written(path, lambda tmp: tmp.write_bytes(data))
    return data


def written(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a file beside `path`, then rename it there, so a build killed mid-way leaves no half file
    (and one that fails leaves nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named by the thread (its native id: unique among every process's threads while it runs), so that two
    # threads of one build keeping the same file never write one temporary file.
    tmp = path.with_name(f".{path.name}.{threading.get_native_id()}.tmp")
    try:
        write(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def copied(path: Path | None, target: Path, make: Callable[[Path], None]) -> None:
    """Put the file kept at `path` in the cache at `target`, or `make(target)` and keep a copy. For files
    too large to hold in memory (a database, a zip of every package): copied on disk, never read whole."""
    if copy_kept(path, target):
        return
    make(target)
    if path is not None:
        written(path, lambda tmp: shutil.copyfile(target, tmp))


def copy_kept(path: Path | None, target: Path) -> bool:
    """Copy the file kept at `path` in the cache to `target`, on disk (never read whole), marked used; whether
    it was there to copy."""
    if not hit(path):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(path, target)
        return True
    except FileNotFoundError:       # pruned by another build sharing the cache since: to be made again
        return False


def output_record(cache_dir: Path | None, output: Path, suffix: str) -> Path | None:
    """Where the last build into `output` left its record of one kind (`suffix`), in NEVER_PRUNED (None: no
    cache). One output folder, however it is named ('output', './output'), has one record of each kind."""
    if cache_dir is None:
        return None
    name = hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16]
    return cache_dir / NEVER_PRUNED[0] / f"{name}{suffix}"


# Kept whatever a build used: each output folder's records of its last build (what it read, unchanged.py;
# the files it wrote, publish/carried.py; what search read of each page, publish/search.py; its chart specs'
# first lines, site/charts.py), which a build of another output folder sharing the cache does not touch.
NEVER_PRUNED = ("builds",)
# The names this module gives what it keeps (a hash and a suffix), and the files a build writes on the way
# (written()'s, a workbook's spool): prune() removes nothing else, so a cache folder set by mistake to one
# holding other files (the project's, say) loses none of them.
OURS = re.compile(r"[0-9a-f]{64}\.[a-z]+|\.[0-9a-f]{64}(\.[a-z]+)?\.\d+\.(tmp|rows)")
# Files are timed by the file system's clock (a network drive's may differ from this computer's), and the
# kernel's coarse clock may lag by a tick: the build's start is read from a file, less a second.
_CLOCK_SLACK = 1.0


def started(cache_dir: Path | None) -> float:
    """The moment to give prune() once the build succeeds: taken before the build reads the cache, from a
    file written there (0: no cache)."""
    if cache_dir is None:
        return 0.0
    mark = cache_dir / NEVER_PRUNED[0] / f".started.{os.getpid()}"
    mark.parent.mkdir(parents=True, exist_ok=True)
    mark.write_bytes(b"")
    try:
        return mark.stat().st_mtime - _CLOCK_SLACK
    finally:
        mark.unlink(missing_ok=True)


def prune(cache_dir: Path | None, since: float) -> tuple[int, int]:
    """Remove every file the cache keeps (OURS) not made or used (`hit`) since `since` (started()): run after
    a build that succeeded, whose output holds all it needs. Returns the files and bytes removed. A killed
    build's half-written files go too. Hidden folders (.git) are never entered."""
    if cache_dir is None or not cache_dir.is_dir():
        return 0, 0
    files = size = 0
    top = str(cache_dir)        # (paths as strings: a large site's cache holds tens of thousands of files)
    for folder, subfolders, names in os.walk(top, topdown=True):
        subfolders[:] = [d for d in subfolders if not d.startswith(".") and not (folder == top and d in NEVER_PRUNED)]
        for name in names:
            if not OURS.fullmatch(name):
                continue
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
                if st.st_mtime < since:
                    os.unlink(path)
                    files, size = files + 1, size + st.st_size
            except OSError:         # gone already, or not ours to remove: left as it is
                continue
    return files, size
