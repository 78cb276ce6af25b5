"""Atom feeds of what changed: all updates, and one per strategic purpose."""

from __future__ import annotations

import html
from datetime import datetime, timezone

from feedgenerator import Atom1Feed

from ..analysis.updates import Update


def atom(updates: list[Update], title: str, public_url: str, feed_path: str, limit: int, now: datetime) -> str:
    """An Atom feed; its summaries are declared HTML, so our plain text is escaped."""
    feed = Atom1Feed(title=title, link=f"{public_url}/", description=title,
                     feed_url=f"{public_url}/{feed_path}", language="en-GB")
    if not updates:
        feed.latest_post_date = lambda: now    # feedgenerator would use the clock: not reproducible
    for u in updates[:limit]:
        when = datetime(u.when.year, u.when.month, u.when.day, tzinfo=timezone.utc)
        feed.add_item(title=u.title, link=f"{public_url}/{u.path}", unique_id=f"{public_url}/{u.uid}",
                      description=html.escape(u.text), updateddate=when, pubdate=when, categories=[u.kind])
    return feed.writeString("utf-8")
