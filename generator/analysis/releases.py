"""The release calendar: when each measure's next figure is due, and which are overdue.

Timeliness is one of the council's six tests of data quality. A figure is due a set
number of days (DASHBOARD_PUBLICATION_LAG_DAYS) after the end of the period it covers;
the next one due is the period after the latest published. Measures published at
irregular intervals have no due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from ..domain.model import Measure
from ..domain.timeliness import days_overdue, next_due


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
    following = measure.next_period
    return Release(measure, following.text, following.name, due, days_overdue(due, today))


def schedule(measures: list[Measure], today: date, lag_days: int) -> list[Release]:
    """Every measure's next release: overdue first (most overdue first), then by due date, then unscheduled."""
    releases = [release_for(m, today, lag_days) for m in measures]
    return sorted(releases, key=lambda r: (r.due is None, not r.overdue, -r.overdue_days,
                                           r.due or date.max, r.measure.title.lower()))


