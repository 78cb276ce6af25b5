"""The release calendar as iCalendar (RFC 5545): one all-day event per scheduled release.

The icalendar library takes about a millisecond an event, so a thousand measures' calendar is kept in the
cache by the events' own words, dates and links (and this module and the library's version), and made
again only when one of them changes. Each event's DTSTAMP is the time of the build, which no input decides:
the calendar is kept with a placeholder stamp, and the build's own put in as it is read back.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import icalendar

from .. import cache
from ..analysis.releases import Release
from ..urls import Urls

_CODE = cache.code(__file__, versions=(version("icalendar"),))
# The stamp a kept calendar is made with: a DTSTAMP line holding it is one only _stamped writes.
_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Event(NamedTuple):
    """What the calendar says of one release."""

    uid: str
    due: date
    summary: str
    description: str
    url: str


def ics(releases: list[Release], council: str, urls: Urls, now: datetime, cache_dir: Path | None = None) -> bytes:
    """An iCalendar file of all-day events, one per scheduled release (RFC 5545), kept in `cache_dir`."""
    host = urlsplit(urls.public).hostname or "dashboard"
    name = f"{council} Dashboard: release calendar"
    events = [_event(r, host, urls, now) for r in sorted((r for r in releases if r.due),
                                                          key=lambda r: (r.due, r.measure.id))]
    kept = cache_dir / "calendar" / f"{cache.key(_CODE, name, events)}.ics" if cache_dir else None
    return _stamped(cache.kept(kept, lambda: _calendar(name, _PLACEHOLDER, events)), now)


def _stamped(calendar: bytes, now: datetime) -> bytes:
    """`calendar`, made with the placeholder stamp, as made at `now` (to the second, in UTC)."""
    def line(stamp: datetime) -> bytes:
        return b"\r\nDTSTAMP:" + icalendar.vDatetime(stamp).to_ical() + b"\r\n"
    return calendar.replace(line(_PLACEHOLDER), line(now.astimezone(timezone.utc).replace(microsecond=0)))


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
