"""What a long build is doing, for a person watching it: a stage of the build reports its step (and how
far through it is); the command shows the latest on a terminal and nothing in a CI log. Until a command
asks to show them, reports go nowhere."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

_show: Callable[[str], None] | None = None


def step(words: str, done: int | None = None, total: int | None = None) -> None:
    """'Drawing charts', or with a count, 'Drawing charts: 120 of 2,000'."""
    if _show is not None:
        _show(f"{words}: {done:,} of {total:,}" if total else words)


@contextlib.contextmanager
def shown_by(show: Callable[[str], None]) -> Iterator[None]:
    global _show
    before, _show = _show, show
    try:
        yield
    finally:
        _show = before
