"""The home page: the purposes, the headline measures and the latest figures."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Counted, Link, MeasureRow, Page


def headlines(ctx: BuildContext) -> list[MeasureRow]:
    """The measures marked headline, in the order of their first purpose, at most DASHBOARD_HEADLINE_LIMIT."""
    order = list(ctx.site.purposes)
    chosen = sorted((m for m in ctx.site.measures.values() if m.headline),
                    key=lambda m: (order.index(m.purposes[0]) if m.purposes else len(order), m.title))
    return ctx.rows(chosen[:ctx.settings.headline_limit])


def latest(ctx: BuildContext) -> list[MeasureRow]:
    """Newest first: the latest period of each measure, by when it ended."""
    rows = [r for r in ctx.rows(ctx.site.measures.values()) if r.summary.latest]
    rows.sort(key=lambda r: (r.summary.latest.period.end, r.measure.title), reverse=True)
    return rows[:ctx.settings.updates_limit]


def pages(ctx: BuildContext) -> Iterator[Page]:
    urls, site = ctx.urls, ctx.site
    yield Page(urls.home(), "home", {
        "title": ctx.sitename, "council": ctx.settings.council, "illustrative": ctx.settings.illustrative,
        "introduction": ctx.introduction or None,
        "purposes": [Counted(p, len(site.measures_for_purpose(p.id))) for p in site.purposes.values()],
        "headlines": headlines(ctx), "updates": latest(ctx),
        "measures": Link(urls.twin(urls.measures())), "catalogue": Link(urls.twin(urls.catalogue())),
        "calendar": Link(urls.twin(urls.calendar())) if ctx.has("calendar") else None})
