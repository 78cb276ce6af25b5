"""The search page: Pagefind runs in the browser over an index made after every page is written;
without JavaScript the page links to the lists that hold everything."""

from __future__ import annotations

from collections.abc import Iterator

from ...publish.search import PARTS_FILE
from ..context import BuildContext
from ..pages import Link, Page


def pages(ctx: BuildContext) -> Iterator[Page]:
    urls, on = ctx.urls, ctx.settings.search
    yield Page(urls.search(), "search", {
        "search": "Full-text search runs in the browser with Pagefind; its index is here.",
        "index": Link(urls.search_bundle("pagefind-entry.json")) if on else None,
        "index_parts": Link(urls.search_bundle(PARTS_FILE)) if on else None,
        "measures": Link(urls.twin(urls.measures())), "catalogue": Link(urls.twin(urls.catalogue()))},
        {"SEARCH": on, "breadcrumbs": ctx.crumbs()})
