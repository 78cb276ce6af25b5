"""Reproducible zip files and the SHA256SUMS list.

Every entry of a zip we write carries the build's "now" (SOURCE_DATE_EPOCH), fixed
permissions and a sorted place, so the same inputs give byte-identical archives.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

from .. import cache

_EARLIEST = (1980, 1, 1, 0, 0, 0)   # zip cannot record an earlier time


def _stamp(when: datetime) -> tuple:
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return max(stamp, _EARLIEST)


def _entry(name: str, when: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _stamp(when))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3      # Unix, whatever machine builds
    return info


def write_zip(target: Path, files: Iterable[tuple[str, Path]], when: datetime) -> None:
    """A zip of (name inside the archive, file) pairs, in name order."""
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for name, path in sorted(files):
            big = path.stat().st_size > 1 << 31
            with open(path, "rb") as src, archive.open(_entry(name, when), "w", force_zip64=big) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def restamp_zip(source: Path, target: Path, when: datetime, replaced: Mapping[str, Path] | None = None) -> None:
    """Copy a zip-based file (such as .xlsx) with every entry stamped `when`, order kept; an entry named in
    `replaced` holds that file's bytes instead of its own."""
    replaced = replaced or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", allowZip64=True) as dst:
        for info in src.infolist():
            own = replaced.get(info.filename)
            entry = _entry(info.filename, when)
            # Its size given before it is written, as writestr would (it decides whether the entry needs zip64),
            # but copied a piece at a time: a long table's sheet is hundreds of megabytes unzipped.
            entry.file_size = own.stat().st_size if own else info.file_size
            with (open(own, "rb") if own else src.open(info)) as data, dst.open(entry, "w") as out:
                shutil.copyfileobj(data, out, 1 << 20)


def sha256sums(root: Path, relpaths: Iterable[str], digest: Callable[[Path], str] = cache.file_digest) -> str:
    """The `sha256sum` format: '<hex>  <path>' per line, sorted, so `sha256sum -c` checks a mirror. `digest`:
    a file's SHA-256 (one already known, say)."""
    return "".join(f"{digest(root / rel)}  {rel}\n" for rel in sorted(set(relpaths)))
