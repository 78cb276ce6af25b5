"""One view per section of the site: each returns its pages (site/pages.py), in the order of the menu.

A view reads the build's context and decides what each page shows; it writes nothing. The generator
renders every page and its JSON twin.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Page
from . import calendar, catalogue, finance, home, localities, measures, purposes, search, services

SECTIONS = (home, measures, purposes, services, localities, finance, catalogue, calendar, search)


def every_page(ctx: BuildContext) -> Iterator[Page]:
    for section in SECTIONS:
        yield from section.pages(ctx)
