"""Atom feeds of what changed: all updates, and one per purpose."""

from __future__ import annotations

import html
from datetime import datetime, timezone

from feedgenerator import Atom1Feed

from ..analysis.updates import Update
from ..urls import Urls


def atom(updates: list[Update], title: str, urls: Urls, feed_path: str, limit: int, now: datetime) -> str:
    """An Atom feed; its summaries are declared HTML, so our plain text is escaped."""
    feed = Atom1Feed(title=title, link=urls.absolute(urls.home()), description=title,
                     feed_url=urls.absolute(feed_path), language="en-GB")
    if not updates:
        feed.latest_post_date = lambda: now    # feedgenerator would use the clock: not reproducible
    for u in updates[:limit]:
        when = datetime(u.when.year, u.when.month, u.when.day, tzinfo=timezone.utc)
        page = urls.measure(u.measure) if u.measure else urls.report(u.report) if u.report else urls.dataset(u.dataset)
        uid = urls.anchor(page, u.fragment) if u.fragment else page
        feed.add_item(title=u.title, link=urls.absolute(uid if u.links_to_fragment else page),
                      unique_id=urls.absolute(uid), description=html.escape(u.text), updateddate=when,
                      pubdate=when, categories=[u.kind])
    return feed.writeString("utf-8")
