"""A value held as its own pickle, unpickled only when first read.

A rebuild unpickles what the cache keeps of every measure and of the finance data, yet writes the pages of
few: most of a measure's analysis, or a council's hundreds of thousands of payments, are read only to make
a page that is carried over unchanged. Kept inside a larger pickle as one block of bytes, such a part
costs the rebuild a copy of those bytes, not the making of its objects. (A table's rows as validation kept
them are read back the same way: ingest/read.py.)
"""

from __future__ import annotations

import pickle
import threading
from typing import Generic, TypeVar

from ..errors import BuildError

T = TypeVar("T")


class Pickled(Generic[T]):
    """`value`, pickled as bytes of its own wherever it is pickled; once unpickled, read from `value` (the
    first read, in whichever thread, unpickles it once)."""

    __slots__ = ("_value", "_data", "_lock")

    def __init__(self, value: T):
        self._value: T | None = value
        self._data: bytes | memoryview | None = None
        self._lock = threading.Lock()

    @classmethod
    def of_pickle(cls, data: bytes | memoryview) -> Pickled:
        """The value `data` is the pickle of, unpickled when first read."""
        held = cls(None)
        held._data = data
        return held

    def __reduce__(self):
        with self._lock:
            value, data = self._value, self._data
        return Pickled.of_pickle, (bytes(data) if data is not None
                                   else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),)

    @property
    def value(self) -> T:
        with self._lock:
            if self._data is not None:
                try:
                    self._value, self._data = pickle.loads(self._data), None
                except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as exc:
                    # Kept files are written whole then renamed: only a damaged disk or a hand edit gets here.
                    raise BuildError(f"What the build cache kept could not be read ({exc}); delete the cache "
                                     "folder (DASHBOARD_CACHE_PATH) and build again.") from exc
            return self._value

    def __eq__(self, other) -> bool:
        return self.value == other.value if isinstance(other, Pickled) else NotImplemented
