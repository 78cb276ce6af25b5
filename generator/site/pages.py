"""A page as a view returns it: where it goes, its template, what it shows, and how it sits in the site.

A view (site/views/) returns Pages; the generator renders each one. `data` is what the page shows:
the template reads it, and the page's JSON twin is `twins.encode(data)`, so the two cannot drift.
`layout` holds what only the HTML needs (breadcrumbs, pagination, links to downloads beside the page);
it never reaches the twin.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis.spc import Verdicts
from ..analysis.summary import Summary
from ..domain.model import Measure


@dataclass
class Page:
    path: str                  # from the URL map: "measures/missed-bins/" ("" is the home page)
    template: str
    data: Any                  # a dict of what the page shows, or a dataclass whose twin has its own shape
    layout: dict[str, Any] = field(default_factory=dict)
    twin: str | None = None    # where its JSON twin goes; None: beside the page, as index.json
    # A hash of all the page is made from besides the site-wide context, when its view can name it all: the
    # page is then kept in the cache under it (kept_pages.py), and written from there while it is unchanged.
    inputs: str | None = None
    # How `data` and `layout` are made, when they are dear to make and the page declares its inputs, or must
    # wait to be made (the catalogue's, for the downloads written meanwhile): only for a page not kept
    # (`made`). A measure's view is worked out afresh for each measure, most unchanged.
    make: Callable[[], tuple[Any, dict[str, Any]]] | None = None

    def made(self) -> Page:
        """The page with what it shows made."""
        if self.make is None:
            return self
        data, layout = self.make()
        return dataclasses.replace(self, data=data, layout=layout, make=None)

    def context(self) -> dict[str, Any]:
        """What the template is given: the data's parts by name, then the layout."""
        if dataclasses.is_dataclass(self.data):
            shown = {f.name: getattr(self.data, f.name) for f in dataclasses.fields(self.data)}
        else:
            shown = dict(self.data)
        return {**shown, **self.layout}


@dataclass(frozen=True)
class MeasureRow:
    """A measure in a list, with its latest figure and its capability-chart verdicts."""

    measure: Measure
    summary: Summary
    verdicts: Verdicts


@dataclass(frozen=True)
class Counted:
    """A purpose, service or locality in a list, with how many measures it has."""

    item: Any
    count: int


@dataclass(frozen=True)
class Link:
    """Another address in the site: its twin shows the full address."""

    path: str


def in_pages(items: Sequence, size: int, url_of: Callable[[int], str]) -> tuple[tuple[str, ...], list[Sequence]]:
    """A long list cut into pages of `size` items: every page's URL (`url_of(number)`, from 1) and each
    page's items, in order."""
    return paged_urls(len(items), size, url_of), [items[i:i + size] for i in range(0, len(items), size)]


def paged_urls(count: int, size: int, url_of: Callable[[int], str]) -> tuple[str, ...]:
    """The URL of every page (`url_of(number)`, from 1) of `count` items cut into pages of `size`."""
    return tuple(url_of(n) for n in range(1, -(-count // size) + 1))
