"""What changed in a measure between two reports of one type, read from their snapshots alone (so the
answer never changes when later figures arrive): a new special-cause signal, a target newly met or
missed, figures revised in between, and a changed target verdict. New figures alone are not a change
worth a line: most measures have them by every report.

`dashboard new report` suggests focus from the signals and verdicts; a briefing for the councillor who
holds a purpose lists every change. Both read them here, so the two never disagree on what counts as new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..domain.figures import printed
from ..domain.periods import Period, parse_period
from ..domain.vocabulary import Polarity, Years
from .capability import ASSURANCE_LABELS

# A signal's direction in words: a neutral measure's signal is a real change, neither way better.
SIGNAL_WORDS = {"improvement": "a signal of improvement", "concern": "a signal of concern",
                "neutral": "a signal of real change"}


@dataclass(frozen=True)
class Change:
    kind: str          # new-measure | signal | target-met | target-missed | revised | verdict
    text: str          # in words, starting lower case: "a signal of concern in September 2026"


def period(m: dict, text: str) -> Period:
    """A snapshot's period (written by the notation's rules when it was made, so it parses)."""
    return parse_period(text, years=Years(m["years"]))


def latest(m: dict) -> dict | None:
    """A snapshot measure's latest figure (a number or a symbol such as [x])."""
    return next((o for o in reversed(m["observations"]) if o.get("value") is not None or o.get("symbol")), None)


def new_signal(m: dict, since: date) -> Change | None:
    """The latest special-cause signal in a period that ended after `since`."""
    new = [s for s in m["statistics"]["signals"] if period(m, s["period"]).end > since]
    if not new:
        return None
    last = new[-1]
    return Change("signal", f"{SIGNAL_WORDS[last['direction']]} in {period(m, last['period']).label}")


def verdict_change(before: dict | None, now: dict) -> Change | None:
    """A target verdict other than the earlier report's (None without an earlier report of the measure)."""
    if before is None:
        return None
    was, then = before["verdicts"]["assurance"], now["verdicts"]["assurance"]
    if was == then:
        return None
    return Change("verdict", f"its target verdict changed from {_verdict(was)} to {_verdict(then)}")


def changes(before: dict | None, now: dict, since: date) -> list[Change]:
    """Everything that changed in a measure from the snapshot `before` (the previous report's, dated
    `since`; None when that report did not have the measure) to `now`."""
    if before is None:
        return [Change("new-measure", "new since the previous report")]
    out = [c for c in (new_signal(now, since), _target(before, now)) if c]
    out += _revised(before, now)
    verdict = verdict_change(before, now)
    return out + [verdict] if verdict else out


def _latest_against_target(m: dict) -> tuple[dict, str] | None:
    """A snapshot measure's latest figure and the target it was held to then, when it has both."""
    o = latest(m)
    if o is None or o.get("value") is None:
        return None
    target = o.get("target", m["target"])
    return (o, target) if target is not None else None


def met(m: dict) -> bool | None:
    """Whether a snapshot measure's latest figure met its target then (None: no target, or no way is better)."""
    found = _latest_against_target(m)
    return Polarity(m["polarity"]).meets(Decimal(found[0]["value"]), Decimal(found[1])) if found else None


def _target(before: dict, now: dict) -> Change | None:
    was, is_ = met(before), met(now)
    if was is None or is_ is None or was == is_:
        return None
    o, target = _latest_against_target(now)
    figures = (f"{printed(o['value'], now['unit'])} for {period(now, o['period']).label}, "
               f"against a target of {printed(target, now['unit'])}")
    return Change("target-met", f"its target is now met: {figures}") if is_ else \
        Change("target-missed", f"its target is now missed: {figures}")


def _revised(before: dict, now: dict) -> list[Change]:
    """Figures the previous report printed that this one gives otherwise (a number changed, or a figure
    withdrawn or restored); a period this one no longer has is not a revision of it."""
    then = {o["period"]: o for o in before["observations"]}
    out = []
    for o in now["observations"]:
        old = then.get(o["period"])
        if old is None or _figure(old) == _figure(o):
            continue
        out.append(Change("revised", f"the figure for {period(now, o['period']).label} was revised from "
                                     f"{_printed(old, now['unit'])} to {_printed(o, now['unit'])}"))
    return out


def _figure(o: dict) -> Decimal | str | None:
    return Decimal(o["value"]) if o.get("value") is not None else o.get("symbol")


def _printed(o: dict, unit: str) -> str:
    return printed(o["value"], unit) if o.get("value") is not None else o.get("symbol") or "nothing"


def _verdict(code: str | None) -> str:
    return f"“{ASSURANCE_LABELS[code].lower()}”" if code in ASSURANCE_LABELS else "none"
