"""Python's cycle collector and the build's long-lived model.

A build makes its model once and holds it to the end: for a thousand measures, millions of objects. The
collector walks every tracked object in a full collection, and it makes one each time the heap has grown by
a quarter since the last, so making the model (unpickling kept models above all) and every later phase kept
walking a model that can never be garbage. Measured on a 1,000-measure rebuild after one changed CSV: the
main process spent about a quarter of its CPU in the collector.

So the collector runs once before the model is made (what reading left is collected, not kept for the
build's length), waits while the model is made (plain values, with no cycles to find), and the model is then
frozen (`gc.freeze`): later collections walk only what was made since. Once the model is let go, it is
unfrozen, so that a long-running process (`dashboard serve`) that builds again collects it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """Make, inside, what the process holds for a long while: the collector is paused meanwhile, and what
    the heap holds on leaving (everything) is never walked again until `let_go`."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def let_go() -> None:
    """What `long_lived` froze is collected as usual again (call once the long-lived things are dropped)."""
    gc.unfreeze()
