"""The tool's own guides, which ship with it rather than with a council's content: how to read the charts
(in the numbers the settings give the rules), and how officers keep the figures up to date (rendered from
generator/help/updating.md, which is also docs/officers.md)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources

import markdown

from ..context import BuildContext
from ..pages import Page

TITLE = "How to read the charts"
UPDATING = resources.files("generator").joinpath("help/updating.md")


def pages(ctx: BuildContext) -> Iterator[Page]:
    spc = ctx.spc
    yield Page(ctx.urls.charts_guide(), "guide", {
        "title": TITLE, "min_points": spc.min_points, "shift_run": spc.shift_run, "trend_run": spc.trend_run},
        {"breadcrumbs": ctx.crumbs()})

    title, body = _guide(UPDATING.read_text(encoding="utf-8"))
    yield Page(ctx.urls.updating_guide(), "help", {"title": title, "body": body}, {"breadcrumbs": ctx.crumbs()})


def _guide(text: str) -> tuple[str, str]:
    """The guide's title (its first heading) and the rest as HTML. It is the tool's own text, not a
    council's, so it keeps its headings (which sanitized content may not have), each with an id."""
    first, _, rest = text.partition("\n")
    return first.lstrip("# ").strip(), markdown.markdown(rest, extensions=["tables", "fenced_code", "toc"])
