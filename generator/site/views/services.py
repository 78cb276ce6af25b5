"""Measures by the service area that owns them: a list of services, and a page each."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Counted, Page


def pages(ctx: BuildContext) -> Iterator[Page]:
    site, urls = ctx.site, ctx.urls
    yield Page(urls.services(), "services",
               {"services": [Counted(s, len(site.measures_for_service(s.id))) for s in site.services.values()]},
               {"breadcrumbs": ctx.crumbs()})
    for service in site.services.values():
        yield Page(urls.service(service.id), "service",
                   {"service": service, "measures": ctx.rows(site.measures_for_service(service.id))},
                   {"details": ctx.details("services", service.id),
                    "breadcrumbs": ctx.crumbs(("Services", urls.services()))})
