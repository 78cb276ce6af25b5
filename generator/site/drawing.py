"""A chart spec drawn to SVG by vl-convert. In a module of its own because each worker process that draws
charts starts afresh and imports it (spawned, not forked: a fork copies a build's memory and any lock
another thread held, and has been seen to hang), so it should bring nothing but the engine.

vl-convert measures each text of a chart (an axis label, a ward's name) with the fonts it finds. Given the
machine's fonts, it opened the font's file about 40 times for each text, and a chart spent a third of its
time in the kernel doing so (62 ms a chart, 23 of them in the kernel). So the engine is shown no font of the
machine's, and measures with the Liberation Sans it carries in memory: 38 ms a chart, the same SVG where
the machine's font is Liberation Sans too, and the same SVG on every machine, whatever fonts it has.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

# The font list the engine reads (fontconfig's, as its font database reads it) names one folder, empty.
FONTS_ONLY_ITS_OWN = '<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir></fontconfig>\n'
# A text to measure: the engine makes its font database when it first measures one.
_FIRST_TEXT = {"mark": "text", "data": {"values": [{"t": "0"}]}, "encoding": {"text": {"field": "t"}}}

_engine = None
_starting = threading.Lock()


def engine():
    """vl-convert, its font database made of its own fonts alone (once a process). The setting that hides
    the machine's fonts is put back at once: in this process, the PDFs' renderer reads the same one."""
    global _engine
    with _starting:
        if _engine is None:
            with tempfile.TemporaryDirectory(prefix="dashboard-fonts-") as folder:
                config = Path(folder) / "fonts.conf"
                config.write_text(FONTS_ONLY_ITS_OWN.format(folder=escape(folder)), encoding="utf-8")
                before = os.environ.get("FONTCONFIG_FILE")
                os.environ["FONTCONFIG_FILE"] = str(config)
                try:
                    import vl_convert as vlc
                    vlc.vegalite_to_svg(_FIRST_TEXT)
                finally:
                    if before is None:
                        del os.environ["FONTCONFIG_FILE"]
                    else:
                        os.environ["FONTCONFIG_FILE"] = before
            _engine = vlc
    return _engine


def draw(spec_json: str) -> str:
    return engine().vegalite_to_svg(json.loads(spec_json))


def draw_packed(packed: bytes) -> str:
    """draw() of a spec's JSON compressed with zlib (as it waits in the queue)."""
    return draw(zlib.decompress(packed).decode())
