"""The release calendar: when each measure's next figure is due, which are overdue, and as iCalendar."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import BuildContext
from ..pages import Link, Page


def pages(ctx: BuildContext) -> Iterator[Page]:
    urls = ctx.urls
    yield Page(urls.calendar(), "calendar", {"releases": ctx.releases, "ics": Link(urls.ics())},
               {"lag": ctx.settings.publication_lag_days, "breadcrumbs": ctx.crumbs()})
