"""The theme's colours, in one table: the custom properties of the `:root` rule of its stylesheet.

The pages use them through CSS (the chart keys and status icons take `var(--chart-target)` and so on),
and the chart theme (site/charts.py) reads the same table, so a chart and the key beside it are always
drawn in the same colours, and a council that restyles its theme restyles its charts too.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError

# The colours the charts draw with, by custom property (without the leading --).
CHART_COLOURS = ("chart-ink", "chart-secondary", "chart-grid", "chart-paper", "chart-target", "chart-improvement",
                 "chart-concern", "chart-neutral", "chart-money", "chart-pass", "chart-fail",
                 "map-1", "map-2", "map-3", "map-4", "map-5")
_ROOT = re.compile(r":root\s*\{([^}]*)\}")
_PROPERTY = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def read_palette(stylesheet: Path) -> dict[str, str]:
    """The chart colours the stylesheet's `:root` rule declares, as #rrggbb; ConfigError for a missing one."""
    try:
        text = stylesheet.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"The theme's stylesheet {stylesheet} cannot be read ({exc.strerror}).") from None
    root = _ROOT.search(re.sub(r"/\*.*?\*/", "", text, flags=re.S))
    declared = dict(_PROPERTY.findall(root.group(1))) if root else {}
    palette = {}
    for name in CHART_COLOURS:
        value = declared.get(name, "").strip()
        if not _HEX.fullmatch(value):
            raise ConfigError(f"{stylesheet}: the :root rule must give --{name} as a colour such as #1d70b8 "
                              f"(the charts use it){'' if not value else f', not {value!r}'}.")
        palette[name] = value.lower()
    return palette
