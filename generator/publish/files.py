"""Writing files into the site being built, and what a page says about a download."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from .. import cache


@dataclass(frozen=True)
class Download:
    label: str
    path: str          # where it is in the site (from the URL map)
    format: str
    bytes: int

    @property
    def size(self) -> str:
        if self.bytes < 1024:
            return f"{self.bytes} bytes"
        if self.bytes < 1024 * 1024:
            return f"{self.bytes / 1024:.1f} KB"
        return f"{self.bytes / 1024 / 1024:.1f} MB"


def write_bytes(output: Path, relpath: str, data: bytes) -> int:
    fresh(output / relpath).write_bytes(data)
    return len(data)


def fresh(path: Path) -> Path:
    """`path`, its folder made and nothing there: a file is never written through, since one there may be
    carried over from the last build (carried.py), a link to the site being replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return path


def write_text(output: Path, relpath: str, text: str) -> int:
    return write_bytes(output, relpath, text.encode("utf-8"))


def json_text(data) -> str:
    """JSON as every file of the site writes it: compact (indenting forces Python's slow encoder, and
    made a third of a rebuild's time; a browser shows JSON indented anyway), UTF-8 text as it is, one
    final newline."""
    return _compact(data) + "\n"


def _compact(data, default=None) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=default)


class Streamed:
    """A list in a JSON file, written a few items at a time as they come: a large table's rows (a few
    hundred thousand payments) are never held whole, as objects or as JSON text. `kept`: where the list's
    JSON is kept in the build cache (by all it is made from), copied from there when it is (a package's
    JSON of a thousand tables, one of them changed, encodes that one)."""

    def __init__(self, items: Iterable, kept: Path | None = None):
        self.items, self.kept = items, kept


def write_json(output: Path, relpath: str, data) -> int:
    """`data` as json_text writes it, byte for byte, its Streamed lists written item by item."""
    streamed: list[Streamed] = []

    def mark(o):
        if isinstance(o, Streamed):
            streamed.append(o)
            return f"\0streamed-{len(streamed) - 1}\0"
        raise TypeError(f"{type(o).__name__} is not JSON")
    text = _compact(data, mark) + "\n"
    if not streamed:
        return write_text(output, relpath, text)
    with open(fresh(output / relpath), "wb") as f:
        for n, part in enumerate(streamed):
            before, text = text.split(json.dumps(f"\0streamed-{n}\0"), 1)
            f.write(before.encode())
            f.write(b"[")
            _write_items(f, part)
            f.write(b"]")
        f.write(text.encode())
        return f.tell()


def _write_items(f: BinaryIO, part: Streamed) -> None:
    """A streamed list's items, comma-separated, as _compact would write them in one go: copied from the
    cache when kept there, else encoded a few thousand at a time (and kept, when it can be)."""
    if cache.hit(part.kept):
        try:
            with open(part.kept, "rb") as kept:
                shutil.copyfileobj(kept, f)
            return
        except FileNotFoundError:       # pruned by another build sharing the cache since: made again
            pass

    def encode(into: list[BinaryIO]) -> None:
        items, first = iter(part.items), True
        while chunk := list(islice(items, 2000)):
            data = (b"" if first else b",") + _compact(chunk)[1:-1].encode()
            for out in into:
                out.write(data)
            first = False
    if part.kept is None:
        encode([f])
    else:
        def tee(tmp: Path) -> None:
            with open(tmp, "wb") as copy:
                encode([f, copy])
        cache.written(part.kept, tee)


def copy_file(output: Path, relpath: str, source: Path) -> int:
    shutil.copyfile(source, fresh(output / relpath))
    return (output / relpath).stat().st_size


def files_under(folder: str, prefix: str = "") -> Iterator[str]:
    """Each file under `folder` (following no folder's link), by its path there, '/'-separated. (Strings, not
    Path objects: a thousand measures' site holds 17,000 files.)"""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from files_under(entry.path, f"{prefix}{entry.name}/")
        elif entry.is_file():
            yield prefix + entry.name
