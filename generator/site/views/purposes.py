"""A page per purpose (DASHBOARD_PURPOSES_LABEL names them), with its measures and its own updates feed."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Page


def pages(ctx: BuildContext) -> Iterator[Page]:
    for purpose in ctx.site.purposes.values():
        yield Page(ctx.urls.purpose(purpose.id), "purpose",
                   {"purpose": purpose, "measures": ctx.rows(ctx.site.measures_for_purpose(purpose.id))},
                   {"details": ctx.details("purposes", purpose.id),
                    "breadcrumbs": ctx.crumbs()})
