"""The release calendar: when each measure's next figure is due, and which are overdue.

Timeliness is one of the council's six tests of data quality. A figure is due a set
number of days (DASHBOARD_PUBLICATION_LAG_DAYS) after the end of the period it covers;
the next one due is the period after the latest published. Measures published at
irregular intervals have no due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import icalendar

from .model import Measure
from .periods import parse_period
from .summary import days_overdue, next_due


@dataclass(frozen=True)
class Release:
    measure: Measure
    period: str | None        # notation of the next period, None when not scheduled
    period_name: str          # "October 2026"
    due: date | None
    overdue_days: int         # 0 when not overdue

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def release_for(measure: Measure, today: date, lag_days: int) -> Release:
    due = next_due(measure, lag_days)
    if due is None:
        return Release(measure, None, "", None, 0)
    following = measure.last_period.next()
    return Release(measure, following, parse_period(following).name, due, days_overdue(due, today))


def schedule(measures: list[Measure], today: date, lag_days: int) -> list[Release]:
    """Every measure's next release: overdue first (most overdue first), then by due date, then unscheduled."""
    releases = [release_for(m, today, lag_days) for m in measures]
    return sorted(releases, key=lambda r: (r.due is None, not r.overdue, -r.overdue_days,
                                           r.due or date.max, r.measure.title.lower()))


def ics(releases: list[Release], council: str, public_url: str, now: datetime) -> bytes:
    """An iCalendar file of all-day events, one per scheduled release (RFC 5545)."""
    host = public_url.split("://", 1)[-1].split("/", 1)[0] or "dashboard"
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
        else:
            event.add("summary", f"Due: {r.measure.title} ({r.period_name})")
            event.add("description", f"The figure for {r.period_name} is due to be published by this date.")
        event.add("url", f"{public_url}/measures/{r.measure.id}/")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def as_json(r: Release, public_url: str) -> dict:
    return {"measure": r.measure.id, "title": r.measure.title, "url": f"{public_url}/measures/{r.measure.id}/",
            "frequency": r.measure.frequency, "latest_period": r.measure.last_period.text,
            "next_period": r.period, "due": r.due.isoformat() if r.due else None,
            "overdue": r.overdue, "days_overdue": r.overdue_days}
