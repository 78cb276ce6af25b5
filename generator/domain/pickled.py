"""A value held as its own pickle, unpickled only when first read.

A rebuild unpickles what the cache keeps of every measure and of the finance data, yet writes the pages of
few: most of a measure's analysis, or a council's hundreds of thousands of payments, are read only to make
a page that is carried over unchanged. Kept inside a larger pickle as one block of bytes, such a part
costs the rebuild a copy of those bytes, not the making of its objects.
"""

from __future__ import annotations

import pickle
import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Pickled(Generic[T]):
    """`value`, pickled as bytes of its own wherever it is pickled; once unpickled, read from `value` (the
    first read, in whichever thread, unpickles it once)."""

    __slots__ = ("_value", "_data", "_lock")

    def __init__(self, value: T):
        self._value: T | None = value
        self._data: bytes | None = None
        self._lock = threading.Lock()

    @classmethod
    def _from_pickle(cls, data: bytes) -> Pickled[T]:
        held = cls(None)
        held._data = data
        return held

    def __reduce__(self):
        with self._lock:
            data = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL) if self._data is None else self._data
        return Pickled._from_pickle, (data,)

    @property
    def value(self) -> T:
        with self._lock:
            if self._data is not None:
                self._value, self._data = pickle.loads(self._data), None
            return self._value

    def __eq__(self, other) -> bool:
        return isinstance(other, Pickled) and self.value == other.value
