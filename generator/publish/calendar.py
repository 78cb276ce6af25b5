"""The release calendar as iCalendar (RFC 5545): one all-day event per scheduled release.

The icalendar library takes about a millisecond an event, so a thousand measures' calendar is kept in the
cache by the events' own words, dates and links (and this module and the library's version), and made
again only when one of them changes.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

import icalendar

from .. import cache
from ..analysis.releases import Release
from ..urls import Urls

_CODE = cache.code(__file__, versions=(version("icalendar"),))


class Event(NamedTuple):
    """What the calendar says of one release."""

    uid: str
    due: date
    summary: str
    description: str
    url: str


def ics(releases: list[Release], council: str, urls: Urls, now: datetime, cache_dir: Path | None = None) -> bytes:
    """An iCalendar file of all-day events, one per scheduled release (RFC 5545), kept in `cache_dir`."""
    host = urls.public.split("://", 1)[-1].split("/", 1)[0] or "dashboard"
    name = f"{council} Dashboard: release calendar"
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    events = [_event(r, host, urls, now) for r in sorted((r for r in releases if r.due),
                                                          key=lambda r: (r.due, r.measure.id))]
    kept = cache_dir / "calendar" / f"{cache.key(_CODE, name, stamp, events)}.ics" if cache_dir else None
    return cache.kept(kept, lambda: _calendar(name, stamp, events))


def _event(r: Release, host: str, urls: Urls, now: datetime) -> Event:
    if r.overdue:
        summary = f"Overdue: {r.measure.title} ({r.period_name})"
        description = (f"The figure for {r.period_name} was due to be published by this date "
                       f"and was still not published on {now.date().isoformat()}.")
    elif r.delayed:
        summary = f"Delayed: {r.measure.title} ({r.period_name})"
        description = (f"The figure for {r.period_name} was due by this date and is now expected "
                       f"by {r.timing.delay_expected.isoformat()}: {r.timing.delay_reason}")
    else:
        summary = f"Due: {r.measure.title} ({r.period_name})"
        description = f"The figure for {r.period_name} is due to be published by this date."
    return Event(f"{r.measure.id}.{r.period.replace('/', '_')}@{host}", r.due, summary, description,
                 urls.absolute(urls.measure(r.measure.id)))


def _calendar(name: str, stamp: datetime, events: list[Event]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//council-dashboard//release calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.due)
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("url", e.url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
