"""Reproducible zip files and the SHA256SUMS list.

Every entry of a zip we write carries the build's "now" (SOURCE_DATE_EPOCH), fixed
permissions and a sorted place, so the same inputs give byte-identical archives.
"""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

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


def write_zip(target: Path, files: Iterable[tuple[str, Path]], when: datetime, kept: Path | None = None,
              digests: Mapping[str, str] | None = None) -> None:
    """A zip of (name inside the archive, file) pairs, in name order. With `kept` (a folder of the cache), each
    file is deflated once and kept there by a hash of its bytes (`digests`, by name, when the caller has them):
    a zip of a thousand tables, one of them changed since, deflates that one and copies the rest as kept (the
    same bytes either way)."""
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for name, path in sorted(files):
            big = path.stat().st_size > 1 << 31
            if kept is not None:
                digest = digests[name] if digests else cache.file_digest(path)
                _add_kept(archive, _entry(name, when), path, kept_entry(kept, digest), big)
                continue
            with open(path, "rb") as src, archive.open(_entry(name, when), "w", force_zip64=big) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


# What a kept entry's bytes depend on besides the file: how it is deflated (this module) and zlib's version.
_DEFLATE = cache.code(__file__, versions=(zlib.ZLIB_RUNTIME_VERSION,))
_DEFLATED_HEAD = struct.Struct("<QQ")       # a kept entry's CRC-32 and the size of the file it holds


def kept_entry(kept: Path, digest: str) -> Path:
    """Where write_zip keeps a file's entry in `kept`: by its bytes' SHA-256 (`digest`)."""
    return kept / f"{cache.key(_DEFLATE, digest)}.deflated"


def deflate(source, target: Path) -> None:
    """Write what `source` (a binary file open for reading) holds to `target` as a zip entry holds it, deflated
    as zipfile deflates it, headed by its CRC-32 and size: for add_deflated to copy into a zip as it is."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)   # zipfile's
    crc = size = 0
    with open(target, "wb") as out:
        out.write(_DEFLATED_HEAD.pack(0, 0))
        while chunk := source.read(1 << 20):
            crc, size = zlib.crc32(chunk, crc), size + len(chunk)
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
        out.seek(0)
        out.write(_DEFLATED_HEAD.pack(crc, size))


def add_deflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, deflated: Path, zip64: bool | None) -> None:
    """Add `deflated` (deflate()'s) to `archive` as the entry `info`, its bytes copied, not deflated again:
    the same entry zipfile writes from the file, with a zip64 local header as zipfile decides it (`zip64`, or
    None: as for an entry whose size is given before it is written)."""
    with open(deflated, "rb") as source:
        crc, size = _DEFLATED_HEAD.unpack(source.read(_DEFLATED_HEAD.size))
        _add_raw(archive, info, crc, size, os.fstat(source.fileno()).st_size - _DEFLATED_HEAD.size, source, zip64)


def _add_raw(archive: zipfile.ZipFile, info: zipfile.ZipInfo, crc: int, size: int, compress_size: int,
             source: BinaryIO, zip64: bool | None) -> None:
    """Add the deflated bytes `source` holds (`compress_size` of them, from `size` bytes with the CRC-32 `crc`)
    as the entry `info` (add_deflated).

    zipfile has no way to add bytes deflated already, so this does what ZipFile.mkdir does for a folder,
    with the entry's bytes after its header; tests check the result against zipfile's own, byte for byte."""
    info.CRC, info.file_size, info.compress_size = crc, size, compress_size
    info.compress_type, info.flag_bits = zipfile.ZIP_DEFLATED, 0
    if zip64 is None:
        zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    with archive._lock:
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.fp.tell()
        archive._writecheck(info)
        archive._didModify = True
        archive.fp.write(info.FileHeader(zip64))
        _copy(source, archive.fp, compress_size)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info


def _copy(source: BinaryIO, target: BinaryIO, size: int) -> None:
    """`size` bytes from `source` to `target`, a piece at a time."""
    while size > 0:
        piece = source.read(min(size, 1 << 20))
        if not piece:
            raise zipfile.BadZipFile("An entry ends before its size.")
        target.write(piece)
        size -= len(piece)


def _copyable(info: zipfile.ZipInfo) -> bool:
    """Whether an entry's stored bytes are what another zip's entry of the same file holds: deflated, and not
    encrypted."""
    return info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1


def _raw(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    """The file of `archive` (open for reading), at the first of `info`'s bytes as they are stored: after its
    local header, whose name and extra field may differ in length from the central directory's."""
    fp = archive.fp
    fp.seek(info.header_offset)
    read = fp.read(zipfile.sizeFileHeader)
    header = struct.unpack(zipfile.structFileHeader, read) if len(read) == zipfile.sizeFileHeader else None
    if header is None or header[zipfile._FH_SIGNATURE] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"Bad local header for {info.filename}.")
    fp.seek(header[zipfile._FH_FILENAME_LENGTH] + header[zipfile._FH_EXTRA_FIELD_LENGTH], os.SEEK_CUR)
    return fp


def keep_deflated(archive: zipfile.ZipFile, member: str, target: Path) -> None:
    """Write a deflated entry of `archive` to `target` as deflate() would (its bytes copied as they are
    stored, not inflated and deflated again): for add_deflated to copy into another zip."""
    info = archive.getinfo(member)
    if not _copyable(info):
        with archive.open(info) as source:
            deflate(source, target)
        return
    with open(target, "wb") as out:
        out.write(_DEFLATED_HEAD.pack(info.CRC, info.file_size))
        _copy(_raw(archive, info), out, info.compress_size)


def _add_kept(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, kept: Path, zip64: bool) -> None:
    """Add the file at `path` as `info`, from its deflated bytes kept at `kept` (made there when missing)."""
    for _ in range(2):          # kept, or made; gone meanwhile (pruned by a build sharing the cache): made again
        if not cache.hit(kept):
            with open(path, "rb") as source:
                cache.written(kept, lambda tmp: deflate(source, tmp))
        try:
            add_deflated(archive, info, kept, zip64)
            return
        except FileNotFoundError:
            continue
    raise FileNotFoundError(kept)


def restamp_zip(source: Path | BinaryIO, target: Path | BinaryIO, when: datetime,
                replaced: Mapping[str, Path] | None = None) -> None:
    """Copy a zip-based file (such as .xlsx; a file, or one in memory) with every entry stamped `when`, order
    kept; an entry named in `replaced` holds those deflated bytes (deflate()'s: a kept sheet) instead of its own.
    A deflated entry is copied as it is stored: deflated as zipfile deflates (deflate()), it is the same
    bytes deflated again would be, at none of the cost."""
    replaced = replaced or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", allowZip64=True) as dst:
        for info in src.infolist():
            entry = _entry(info.filename, when)
            if own := replaced.get(info.filename):
                add_deflated(dst, entry, own, None)
            elif _copyable(info):
                _add_raw(dst, entry, info.CRC, info.file_size, info.compress_size, _raw(src, info), None)
            else:
                # Its size given before it is written, as writestr would (it decides whether the entry needs
                # zip64), but copied a piece at a time: a long table's sheet is hundreds of megabytes unzipped.
                entry.file_size = info.file_size
                with src.open(info) as data, dst.open(entry, "w") as out:
                    shutil.copyfileobj(data, out, 1 << 20)


def sha256sums(relpaths: Iterable[str], digest: Callable[[str], str]) -> str:
    """The `sha256sum` format: '<hex>  <path>' per line, sorted, so `sha256sum -c` checks a mirror. `digest`:
    the SHA-256 of the file at a path (one already known, say)."""
    return "".join(f"{digest(rel)}  {rel}\n" for rel in sorted(set(relpaths)))
