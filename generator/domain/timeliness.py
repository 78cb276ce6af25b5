"""When a measure's next figure is due, and how late it is: the one rule, used everywhere.

A figure is due a number of days after the end of the period after the latest one (the measure's own
`release.lag_days`, else the council's DASHBOARD_PUBLICATION_LAG_DAYS), or on the producer's announced
`release.next` date. A known delay holds it off "overdue" until its expected date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .model import Measure
from .periods import Period
from .quality import Punctuality
from .vocabulary import Frequency


@dataclass(frozen=True)
class Due:
    """A measure's next figure: when it is due, how late it is, and any delay the council recorded."""

    date: date | None          # None: not scheduled (irregular, or no next period)
    overdue_days: int          # 0 when on time, not scheduled, or delayed until a date still to come
    delay_reason: str = ""     # the recorded reason, shown while delayed and once overdue again
    delay_expected: date | None = None
    held: bool = False         # a known delay whose expected date has not passed

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def delayed(self) -> bool:
        """A known delay whose expected date has not passed (after it, the figure is overdue again)."""
        return self.held


def next_due(measure: Measure, lag_days: int) -> date | None:
    """When the next figure is due; never for irregular measures without an announced date."""
    announced = measure.release.next
    # An announced date the data has changed since has passed: that release came, and the next is unknown
    # until the council records it, so the usual lag applies meanwhile.
    if announced is not None and not (measure.updated is not None and measure.updated >= announced):
        return announced
    if measure.frequency == Frequency.IRREGULAR:
        return None
    following = measure.next_period
    return due_by(measure, following, lag_days) if following is not None else None


def due_by(measure: Measure, period: Period, lag_days: int) -> date:
    """When a period's figure is due: its end plus the measure's own lag, else the council's."""
    lag = measure.release.lag_days if measure.release.lag_days is not None else lag_days
    return period.end + timedelta(days=lag)


def punctuality(measure: Measure, lag_days: int) -> Punctuality:
    """How many of the figures whose first publication the history shows came by their due date."""
    on_time = sum(1 for period, day in measure.published.items() if day <= due_by(measure, measure.period(period),
                                                                                      lag_days))
    return Punctuality(on_time, len(measure.published))


def due(measure: Measure, today: date, lag_days: int) -> Due:
    when = next_due(measure, lag_days)
    timing = measure.release
    held = bool(timing.delay_reason) and timing.delay_expected is not None and today <= timing.delay_expected
    return Due(when, 0 if held else days_overdue(when, today), timing.delay_reason, timing.delay_expected, held)


def days_overdue(due: date | None, today: date) -> int:
    """Days past the due date; 0 when on time or when nothing is due (the one rule, used everywhere)."""
    return max(0, (today - due).days) if due is not None else 0
