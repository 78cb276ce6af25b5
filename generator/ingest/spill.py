"""A long table's rows kept on disk while a build runs, read back in order as often as they are asked for.

At 2,000 measures and 500,000 payments the rows of every table took about 400 MB of the build's memory,
each row held twice (its text as written and its typed values) beside the model made from it, for the
whole build; yet each download and page reads them in order, a few times. A table of SPILL_ROWS rows or
more is written instead, CHUNK rows at a time (pickled), to one file in the cache folder, and its Resource
holds `Rows` in place of its lists: a sequence (length, iteration, an index or a slice) that reads them
back a chunk at a time. The file has no name (unlinked as it is made), so nothing is left behind, even by
a build that is killed; it goes when the last `Rows` reading it does.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

SPILL_ROWS = 1_000      # a 10-year monthly measure (120 rows) stays in memory; by ward, or spending, does not
CHUNK = 2_000


class Spill:
    """The file a build's long tables are written to."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder, prefix=".rows-")

    def rows(self, rows: list) -> Sequence:
        """`rows` as they will be read: the list itself when short, else `Rows` from this file."""
        if len(rows) < SPILL_ROWS:
            return rows
        spans = []
        for at in range(0, len(rows), CHUNK):
            data = pickle.dumps(rows[at:at + CHUNK], protocol=pickle.HIGHEST_PROTOCOL)
            spans.append((self._file.seek(0, os.SEEK_END), len(data)))
            self._file.write(data)
        self._file.flush()
        return Rows(self._file, len(rows), tuple(spans))


class Rows(Sequence):
    """A table's rows in a spill file, read back CHUNK at a time (the last chunk read is kept, so reading a
    page's worth after another is not a chunk read each time). Reads are positioned (pread): threads may
    share one."""

    def __init__(self, file, length: int, spans: tuple[tuple[int, int], ...]):
        self._file, self._length, self._spans = file, length, spans
        self._last: tuple[int, list] = (-1, [])

    def __len__(self) -> int:
        return self._length

    def _chunk(self, n: int) -> list:
        last = self._last
        if last[0] != n:
            offset, size = self._spans[n]
            last = (n, pickle.loads(os.pread(self._file.fileno(), size, offset)))
            self._last = last
        return last[1]

    def __iter__(self) -> Iterator:
        for n in range(len(self._spans)):
            yield from self._chunk(n)

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            out: list = []
            for n in range(start // CHUNK, (stop - 1) // CHUNK + 1 if stop > start else start // CHUNK):
                out += self._chunk(n)[max(start - n * CHUNK, 0):stop - n * CHUNK]
            return out
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("row index out of range")
        return self._chunk(index // CHUNK)[index % CHUNK]

    def __reduce__(self):
        """Pickled (sent to a worker, kept in a cache) as the plain list it stands for."""
        return list, (list(self),)
