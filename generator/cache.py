"""The build cache: files made from inputs that rarely change (chart specs and drawings, workbooks, PDFs),
kept under the cache folder by a hash of everything that made them, so an unchanged one is read rather
than made again. A key names its inputs; nothing is ever looked up by anything less."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path


def key(*inputs) -> str:
    """A hash of `inputs` (anything JSON can write, or its str(): dates, decimals, paths)."""
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def kept(path: Path | None, make: Callable[[], bytes]) -> bytes:
    """The bytes kept at `path` in the cache, or made and kept there when missing (None: no cache, made)."""
    if path is None:
        return make()
    if path.is_file():
        return path.read_bytes()
    return keep(path, make())


def keep(path: Path, data: bytes) -> bytes:
    """Keep `data` at `path`: written whole, then renamed, so a build killed mid-way leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return data
