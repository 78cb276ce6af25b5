"""Facts and measures by locality (ward): a list of localities, and a page each."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Counted, Page


def pages(ctx: BuildContext) -> Iterator[Page]:
    site, urls = ctx.site, ctx.urls
    register = ctx.register("localities")
    yield Page(urls.localities(), "localities",
               {"localities": [Counted(x, len(site.measures_for_locality(x.id))) for x in site.localities.values()],
                # what the register says of itself: which boundaries they follow, say (data, not the theme's)
                "description": register.description if register else ""},
               {"breadcrumbs": ctx.crumbs()})
    for locality in site.localities.values():
        yield Page(urls.locality(locality.id), "locality",
                   {"locality": locality, "facts": site.locality_facts.get(locality.id, []),
                    "measures": ctx.rows(site.measures_for_locality(locality.id))},
                   {"breadcrumbs": ctx.crumbs(("Localities", urls.localities()))})
