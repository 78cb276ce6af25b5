"""A page per purpose (DASHBOARD_PURPOSES_LABEL names them), with its measures, the wider data that
informs it, and its own updates feed. Context measures (statistics the council watches but does not
produce) are listed apart, never as performance."""

from __future__ import annotations

from collections.abc import Iterator

from ...domain.vocabulary import Kind
from ..context import BuildContext
from ..pages import Page
from . import wider


def pages(ctx: BuildContext) -> Iterator[Page]:
    for purpose in ctx.site.purposes.values():
        measures = ctx.site.measures_for_purpose(purpose.id)
        yield Page(ctx.urls.purpose(purpose.id), "purpose",
                   {"purpose": purpose, "measures": ctx.rows(m for m in measures if m.kind is not Kind.CONTEXT),
                    "wider": ctx.rows(m for m in measures if m.kind is Kind.CONTEXT),
                    "wider_datasets": [wider.entry(ctx, d) for d in ctx.site.wider_for_purpose(purpose.id)]},
                   {"details": ctx.details("purposes", purpose.id), "breadcrumbs": ctx.crumbs()})
