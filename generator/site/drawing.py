"""A chart spec drawn to SVG by vl-convert. In a module of its own because each worker process that draws
charts starts afresh and imports it (spawned, not forked: a fork copies a build's memory and any lock
another thread held, and has been seen to hang), so it should bring nothing but the engine."""

from __future__ import annotations

import json
import zlib


def draw(spec_json: str) -> str:
    import vl_convert as vlc  # imported in the worker: each process has its own engine
    return vlc.vegalite_to_svg(json.loads(spec_json))


def draw_packed(packed: bytes) -> str:
    """draw() of a spec's JSON compressed with zlib (as it waits in the queue)."""
    return draw(zlib.decompress(packed).decode())
