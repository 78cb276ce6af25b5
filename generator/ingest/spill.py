"""A long table's rows kept on disk while a build runs, read back in order as often as they are asked for.

At 2,000 measures and 500,000 payments the rows of every table took about 400 MB of the build's memory,
each row held twice (its text as written and its typed values) beside the model made from it, for the
whole build; yet each download and page reads them in order, a few times. A table of SPILL_ROWS rows or
more is written instead, CHUNK rows at a time (pickled), to one file in the cache folder, and its Resource
holds `Rows` in place of its lists: a sequence (length, iteration, an index or a slice) that reads them
back a chunk at a time. The file has no name (unlinked as it is made), so nothing is left behind, even by
a build that is killed; it is closed when the build lets its model go (`close`), or with the last `Rows`.

A kept model (ingest/build.py) holds a long table's rows already in chunks (`Packed`), so an unchanged table
goes from the cache into the spill file as bytes, never made into rows.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SPILL_ROWS = 1_000      # a 10-year monthly measure (120 rows) stays in memory; by ward, or spending, does not
CHUNK = 2_000
# The chunks a spill keeps after an index or a slice (a table's pages read its rows a page at a time): a
# page reads a window of a table's typed values, then of its text, and either may cross from one chunk
# into the next; with fewer kept, each page would read its chunks again. A chunk kept by each table would
# hold a long table's worth of rows for each.
KEPT_CHUNKS = 4
# The first rows of each long table are held in memory too: a package's page shows the first few rows of each
# of its tables (DASHBOARD_PREVIEW_ROWS, 10 unless set), and reading a chunk for each took a thousand
# measures' package half a second.
HEAD = 25


@dataclass(frozen=True, slots=True)
class Packed:
    """A long table's rows pickled CHUNK rows at a time, as a spill file holds them, with its first rows: how a
    kept model holds a long table, so a build copies its rows into the spill as bytes (unpickling the rows of
    a thousand measures' long tables and pickling them again into the spill took a rebuild 2 s)."""

    length: int
    chunk: int
    chunks: tuple[bytes, ...]
    head: list

    def __len__(self) -> int:
        return self.length


def packed(rows: Sequence | Packed) -> Sequence | Packed:
    """`rows` as a spill takes them: the list itself when short, else Packed."""
    if isinstance(rows, Packed) or len(rows) < SPILL_ROWS:
        return rows
    return Packed(len(rows), CHUNK, tuple(pickle.dumps(list(rows[at:at + CHUNK]), protocol=pickle.HIGHEST_PROTOCOL)
                                          for at in range(0, len(rows), CHUNK)), list(rows[:HEAD]))


def unpacked(rows: Sequence | Packed) -> Sequence:
    """The rows themselves, as a list when Packed: a model made without a spill."""
    if not isinstance(rows, Packed):
        return rows
    return [row for data in rows.chunks for row in pickle.loads(data)]


class Spill:
    """The file a build's long tables are written to."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".rows-")
        self._lock = threading.Lock()       # where os.pread is missing (Windows), a read is a seek and a read
        self._kept: OrderedDict[int, list] = OrderedDict()     # the chunks last read by index, by offset

    def rows(self, rows: Sequence | Packed) -> Sequence:
        """`rows` as they will be read: the list itself when short, else `Rows` from this file (Packed rows
        are copied in as they are)."""
        chunks = packed(rows)
        if not isinstance(chunks, Packed):
            return rows
        spans = []
        for data in chunks.chunks:
            spans.append((self._file.seek(0, os.SEEK_END), len(data)))
            self._file.write(data)
        self._file.flush()
        return Rows(self, chunks.length, chunks.chunk, tuple(spans), chunks.head)

    def read(self, offset: int, size: int) -> list:
        if hasattr(os, "pread"):
            return pickle.loads(os.pread(self._file.fileno(), size, offset))
        with self._lock:
            self._file.seek(offset)
            return pickle.loads(self._file.read(size))

    def kept(self, offset: int, size: int) -> list:
        """The chunk at `offset`, from the chunks kept when it is one of them; kept (the oldest let go)."""
        with self._lock:
            rows = self._kept.get(offset)
            if rows is not None:
                self._kept.move_to_end(offset)
                return rows
        rows = self.read(offset, size)
        with self._lock:
            self._kept[offset] = rows
            while len(self._kept) > KEPT_CHUNKS:
                self._kept.popitem(last=False)
        return rows

    def close(self) -> None:
        """The file and the chunks kept go (a Rows read after this fails)."""
        with self._lock:
            self._kept.clear()
        self._file.close()


class Rows(Sequence):
    """A table's rows in a spill file, read back a chunk at a time. Iterating holds one chunk at a time;
    an index or a slice reads through the chunks its spill keeps, or from `head`, the first rows, held.
    Reads are positioned: threads may share a file."""

    def __init__(self, spill: Spill, length: int, chunk: int, spans: tuple[tuple[int, int], ...], head: list):
        self._spill, self._length, self._chunk_rows, self._spans = spill, length, chunk, spans
        self._head = head

    def __len__(self) -> int:
        return self._length

    def _read(self, n: int) -> list:
        return self._spill.read(*self._spans[n])

    def _kept(self, n: int) -> list:
        return self._spill.kept(*self._spans[n])

    def __iter__(self) -> Iterator:
        for n in range(len(self._spans)):
            yield from self._read(n)

    def __getitem__(self, index):
        size = self._chunk_rows
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            if stop <= len(self._head):
                return self._head[start:stop]
            out: list = []
            for n in range(start // size, (stop - 1) // size + 1 if stop > start else start // size):
                out += self._kept(n)[max(start - n * size, 0):stop - n * size]
            return out
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("row index out of range")
        if index < len(self._head):
            return self._head[index]
        return self._kept(index // size)[index % size]

    def __reduce__(self):
        """Pickled (sent to a worker, kept in a cache) as the plain list it stands for."""
        return list, (list(self),)

