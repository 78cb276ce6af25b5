"""The release calendar as iCalendar (RFC 5545): one all-day event per scheduled release."""

from __future__ import annotations

from datetime import datetime, timezone

import icalendar

from ..analysis.releases import Release
from ..urls import Urls


def ics(releases: list[Release], council: str, urls: Urls, now: datetime) -> bytes:
    """An iCalendar file of all-day events, one per scheduled release (RFC 5545)."""
    host = urls.public.split("://", 1)[-1].split("/", 1)[0] or "dashboard"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//council-dashboard//release calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{council} Dashboard: release calendar")
    stamp = now.astimezone(timezone.utc).replace(microsecond=0)
    for r in sorted((r for r in releases if r.due), key=lambda r: (r.due, r.measure.id)):
        event = icalendar.Event()
        event.add("uid", f"{r.measure.id}.{r.period.replace('/', '_')}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", r.due)
        if r.overdue:
            event.add("summary", f"Overdue: {r.measure.title} ({r.period_name})")
            event.add("description", f"The figure for {r.period_name} was due to be published by this date "
                                     f"and was still not published on {now.date().isoformat()}.")
        elif r.delayed:
            event.add("summary", f"Delayed: {r.measure.title} ({r.period_name})")
            event.add("description", f"The figure for {r.period_name} was due by this date and is now expected "
                                     f"by {r.timing.delay_expected.isoformat()}: {r.timing.delay_reason}")
        else:
            event.add("summary", f"Due: {r.measure.title} ({r.period_name})")
            event.add("description", f"The figure for {r.period_name} is due to be published by this date.")
        event.add("url", urls.absolute(urls.measure(r.measure.id)))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
