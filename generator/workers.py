"""Worker processes: how many a build uses, and how they start.

They are spawned, never forked: a fork of a build holding a gigabyte copies what either side then writes
to, and the threads a build runs (its progress line, a pool's own) do not survive a fork. Each worker
imports what it needs afresh.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def count(workers: int) -> int:
    """How many processes `workers` asks for (0: one per core)."""
    return workers or os.cpu_count() or 1


def pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of count(workers) spawned processes, each started when first given work; None on one core
    (the caller works alone)."""
    n = count(workers)
    return _spawned(n) if n > 1 else None


def apart(workers: int) -> ProcessPoolExecutor | None:
    """One spawned process, for work of many small steps done beside the build's own (in a thread each step
    waits for the build to let go of Python); None on one core, or when count(workers) is one."""
    return _spawned(1) if count(workers) > 1 else None


def beside(n: int) -> ProcessPoolExecutor | None:
    """n spawned processes sharing work with this one, which does its own part meanwhile (None when n < 1)."""
    return _spawned(n) if n >= 1 else None


def _spawned(n: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))
