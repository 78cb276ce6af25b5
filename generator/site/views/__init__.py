"""One view per section of the site: each returns its pages (site/pages.py), in the order of the menu.

A view reads the build's context and decides what each page shows; it writes nothing. The generator
renders every page and its JSON twin. A section with nothing to show (no localities, say) has no page,
and no template links to it (`shown`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Page
from . import (calendar, catalogue, finance, guide, home, localities, measures, purposes, quality, reports, search,
               services, wider)

SECTIONS = (home, measures, purposes, services, localities, wider, reports, finance, catalogue, quality, calendar,
            guide, search)


def name(section) -> str:
    return section.__name__.rsplit(".", 1)[-1]


def shown(ctx: BuildContext) -> frozenset[str]:
    """The names of the sections that have pages ("localities", "finance", ...): the menu, the footer and
    the lists link only to these."""
    return frozenset(name(s) for s in SECTIONS if ctx.has(name(s)))


def pages_without_charts(ctx: BuildContext) -> Iterator[Page]:
    """The pages a section says show no chart (its `pages_without_charts`): the generator writes them while
    the charts are drawn, before the charts' sizes and the other pages' views are known."""
    for section in SECTIONS:
        if ctx.has(name(section)) and hasattr(section, "pages_without_charts"):
            yield from section.pages_without_charts(ctx)


def every_other_page(ctx: BuildContext) -> Iterator[Page]:
    """Every page but those (each section's `pages`), once the charts are drawn."""
    for section in SECTIONS:
        if ctx.has(name(section)):
            yield from section.pages(ctx)
