"""When a measure's next figure is due, and how late it is: the one rule, used everywhere."""

from __future__ import annotations

from datetime import date, timedelta

from .model import Measure
from .vocabulary import Frequency


def next_due(measure: Measure, lag_days: int) -> date | None:
    """When the next figure is due: the end of the next period plus the lag; never for irregular measures."""
    if measure.frequency == Frequency.IRREGULAR:
        return None
    following = measure.next_period
    if following is None:
        return None
    return following.end + timedelta(days=lag_days)


def days_overdue(due: date | None, today: date) -> int:
    """Days past the due date; 0 when on time or when nothing is due (the one rule, used everywhere)."""
    return max(0, (today - due).days) if due is not None else 0
