"""The build cache: files made from inputs that rarely change (chart specs and drawings, workbooks, PDFs),
kept under the cache folder by a hash of everything that made them, so an unchanged one is read rather
than made again. A key names its inputs; nothing is ever looked up by anything less."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
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


def file_digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def kept(path: Path | None, make: Callable[[], bytes]) -> bytes:
    """The bytes kept at `path` in the cache, or made and kept there when missing (None: no cache, made)."""
    if path is None:
        return make()
    if path.is_file():
        return path.read_bytes()
    return keep(path, make())


def keep(path: Path, data: bytes) -> bytes:
    """Keep `data` at `path`."""
    written(path, lambda tmp: tmp.write_bytes(data))
    return data


def written(path: Path, write: Callable[[Path], object]) -> None:
    """`write` a file beside `path`, then rename it there, so a build killed mid-way leaves no half file
    (and one that fails leaves nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def copied(path: Path | None, target: Path, make: Callable[[Path], None]) -> None:
    """Put the file kept at `path` in the cache at `target`, or `make(target)` and keep a copy. For files
    too large to hold in memory (a database, a zip of every package): copied on disk, never read whole."""
    if path is not None and path.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        return
    make(target)
    if path is not None:
        written(path, lambda tmp: shutil.copyfile(target, tmp))
