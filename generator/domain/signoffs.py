"""Sign-off: a manager's record that a period's figure and its commentary are accurate and appropriate.

Kept in the `signoffs` register (measure, period, by, role, date and two SHA-256 hashes), so it is
versioned with the data and published with it. The hashes are of what was confirmed: the figure's row
(period, value, status, note, target, as published) and the commentary on that period. A figure or a
commentary changed afterwards no longer matches, so the sign-off lapses rather than vouching for words
its signer never saw.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Commentary, Measure, Observation

REGISTER = "signoffs"
COLUMNS = ("measure", "period", "by", "role", "date", "figure_sha256", "commentary_sha256")


@dataclass(frozen=True)
class SignOff:
    measure: str
    period: str
    by: str                      # who confirmed it
    role: str                    # as the page says it: "Checked by the Head of Housing"
    date: date | None            # None: not written YYYY-MM-DD (a problem)
    figure_sha256: str
    commentary_sha256: str
    source: str = ""             # the register's file and line, for problems
    row: int | None = None


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def figure_hash(o: Observation) -> str:
    """The headline figure's row as published: a change to any of its cells changes the hash."""
    return _digest([o.period.text, o.text, o.status or "", o.note or "",
                    "" if o.target is None else str(o.target)])


def commentary_hash(notes: list[Commentary], period: str) -> str:
    """The commentary on `period` (each note's file, author, role, date and words)."""
    mine = sorted((Path(c.source).name, c.author, c.role, c.date.isoformat(), c.html)
                  for c in notes if c.period == period)
    return _digest(mine)


def figure_of(m: Measure, period: str) -> Observation | None:
    return next((o for o in m.observations if o.period.text == period), None)


@dataclass(frozen=True)
class Figures:
    """What a measure's sign-offs are checked against, of its rows: the figure_hash of each period asked for
    (None: it has no figure), and the period of its latest figure (None: it has none)."""
    hashes: dict[str, str | None]
    latest: str | None


def figures(m: Measure, periods: list[str]) -> Figures:
    """Figures for `periods` of the measure."""
    return Figures({p: figure_hash(o) if (o := figure_of(m, p)) else None for p in periods},
                   m.latest.period.text if m.latest else None)


def holds(s: SignOff, found: Figures, m: Measure) -> bool:
    """Whether what was signed off is what the data says now (`found`: the measure's figures)."""
    figure = found.hashes.get(s.period)
    return figure is not None and s.figure_sha256 == figure and \
        s.commentary_sha256 == commentary_hash(m.commentary, s.period)


def latest_signoff(m: Measure) -> SignOff | None:
    """The newest sign-off that holds for the measure's latest figure (Measure.signoffs holds only those)."""
    latest = m.latest
    return next((s for s in reversed(m.signoffs) if latest and s.period == latest.period.text), None)
