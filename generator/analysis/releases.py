"""The release calendar: when each measure's next figure is due, and which are overdue.

A figure is due a set number of days after the end of the period it covers (the
measure's own release lag, else DASHBOARD_PUBLICATION_LAG_DAYS), or on its producer's
announced date; the next one due is the period after the latest published. Measures
published at irregular intervals have no due date unless one is announced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from ..domain.model import Measure
from ..domain.timeliness import Due, due


@dataclass(frozen=True)
class Release:
    measure: Measure
    period: str | None        # notation of the next period, None when not scheduled
    period_name: str          # "October 2026"
    timing: Due

    @property
    def due(self) -> date | None:
        return self.timing.date

    @property
    def overdue_days(self) -> int:
        return self.timing.overdue_days

    @property
    def overdue(self) -> bool:
        return self.timing.overdue

    @property
    def delayed(self) -> bool:
        return self.timing.delayed


def release_for(measure: Measure, today: date, lag_days: int) -> Release:
    timing = due(measure, today, lag_days)
    following = measure.next_period if timing.date else None
    return Release(measure, following.text if following else None, following.name if following else "", timing)


def schedule(measures: list[Measure], today: date, lag_days: int) -> list[Release]:
    """Every measure's next release: overdue first (most overdue first), then by due date, then unscheduled."""
    releases = [release_for(m, today, lag_days) for m in measures]
    return sorted(releases, key=lambda r: (r.due is None, not r.overdue, -r.overdue_days,
                                           r.due or date.max, r.measure.title.lower()))


