"""How to read the charts: the tool's own page (it explains the tool's charts, so it ships with the
theme, not with a council's content), in the numbers the settings give the rules."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Page

TITLE = "How to read the charts"


def pages(ctx: BuildContext) -> Iterator[Page]:
    spc = ctx.spc
    yield Page(ctx.urls.charts_guide(), "guide", {
        "title": TITLE, "min_points": spc.min_points, "shift_run": spc.shift_run, "trend_run": spc.trend_run},
        {"breadcrumbs": ctx.crumbs()})
