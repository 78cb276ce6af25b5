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
from collections.abc import Iterable, Iterator, Sequence
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
    def unread(self) -> bool:
        """Whether it is still held as bytes (never read since it was unpickled)."""
        return self._data is not None

    @property
    def value(self) -> T:
        with self._lock:
            if self._data is not None:
                self._value, self._data = _loads(self._data), None
            return self._value

    def unpickled(self) -> T:
        """The value for a caller that reads it once: held as bytes, unpickled for that caller and still held
        as bytes (a supplier's payments, for its pages: held by the thousand, they came to hundreds of
        megabytes); else the value itself, not a copy."""
        with self._lock:
            value, data = self._value, self._data
        return value if data is None else _loads(data)

    def __eq__(self, other) -> bool:
        return self.value == other.value if isinstance(other, Pickled) else NotImplemented


class PickledList(Sequence[T]):
    """A list held as a Pickled: wherever it is pickled, one block of bytes of its own, unpickled only when an
    item is first read. Its length, when given, is known without that. (Slotted: a rebuild holds thousands.)"""

    __slots__ = ("_held", "_length")

    def __init__(self, items: Iterable[T] = ()):
        items = list(items)
        self._held: Pickled[list[T]] = Pickled(items)
        self._length: int | None = len(items)

    @classmethod
    def of_pickle(cls, data: bytes | memoryview, length: int | None = None) -> PickledList:
        """The list `data` is the pickle of (`length` items long, when known), unpickled when first read."""
        return _kept(cls, Pickled.of_pickle(data), length)

    def __reduce__(self):
        return _kept, (type(self), self._held, self._length)

    @property
    def unread(self) -> bool:
        return self._held.unread

    def __len__(self) -> int:
        return len(self._held.value) if self._length is None else self._length

    def unpickled(self) -> list[T]:
        """Its items for a caller that reads them once (Pickled.unpickled): a list of its own when they are
        held as bytes, else the list itself."""
        return self._held.unpickled()

    def __getitem__(self, index):
        return self._held.value[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._held.value)

    def __reversed__(self) -> Iterator[T]:
        return reversed(self._held.value)

    def __eq__(self, other) -> bool:
        if isinstance(other, PickledList):
            return self._held == other._held
        return self._held.value == other if isinstance(other, list) else NotImplemented

    __hash__ = None     # like a list's

    def __add__(self, other) -> list[T]:       # as a list would: a rebuild's kept rows, a cold build's lists
        return [*self, *other]

    def __radd__(self, other) -> list[T]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._held.value!r})"


def _loads(data: bytes | memoryview):
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError) as exc:
        # Kept files are written whole then renamed: only a damaged disk or a hand edit gets here.
        raise BuildError(f"What the build cache kept could not be read ({exc}); delete the cache "
                         "folder (DASHBOARD_CACHE_PATH) and build again.") from exc


def _kept(cls: type[PickledList], held: Pickled, length: int | None) -> PickledList:
    kept = cls.__new__(cls)
    kept._held, kept._length = held, length
    return kept
