"""Capability-chart statistics (statistical process control, XmR / individuals charts).

Pure functions on a series of values: no I/O, no model objects. The method is the one
NHS England's "Making Data Count" teaches:

* per **phase** of the series (a system change marked ``rebase`` starts a new one): the mean,
  the moving ranges between neighbouring points, their average, and the natural process
  limits ``mean ± 2.66 × average moving range`` (unclipped). A moving range never spans a
  phase boundary or a missing value.
* special-cause rules, each flagging points: ``beyond-limits``, ``shift`` (a run of points on
  one side of the mean), ``trend`` (a run of points each higher, or each lower, than the one
  before) and ``two-of-three`` (two of three neighbouring points beyond two sigma on one side).
* a **variation** verdict for the latest point and, with a target, an **assurance** verdict.
* figures of **overlapping** periods (rolling 12 months, a new one each quarter) share months, so
  neighbouring points are not independent and the rules, which assume they are, would see runs
  that the overlap alone makes: such a series gets its average and limits, no signals, and
  ``not-assessed`` verdicts.

A missing value (None) is skipped by the mean, breaks moving ranges, breaks runs and
breaks a two-of-three window. Arithmetic is exact: each value is taken as the decimal it
was written as (``Fraction(repr(v))``), so a figure exactly on the mean or a target exactly
on a limit is treated as such, whatever binary floats would say.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from ..domain.vocabulary import Polarity
from ..domain.slotted import by_fields

SCALE = Fraction(266, 100)     # 3 / d2, as Making Data Count rounds it
D2 = Fraction(1128, 1000)      # d2 for moving ranges of two points

RULES = ("beyond-limits", "shift", "trend", "two-of-three")
# When several rules flag the latest point, the verdict follows the strongest evidence first.
RULE_PRIORITY = {"beyond-limits": 0, "two-of-three": 1, "shift": 2, "trend": 3}


@functools.lru_cache(maxsize=1 << 16)
def exact(value: float) -> Fraction:
    """A value as the decimal it was written as (0.1 is 1/10, not the nearest binary fraction). Remembered:
    the rules ask for each figure many times, and reading a Fraction from text is slow."""
    return Fraction(repr(value))


@dataclass(frozen=True)
class SPCSettings:
    """The rules' parameters, from DASHBOARD_SPC_* (the settings hold their defaults)."""

    min_points: int
    shift_run: int
    trend_run: int


@by_fields
@dataclass(frozen=True, slots=True)      # slotted: kept for every measure, as are its signals
class Phase:
    start: int                   # index of the phase's first period (inclusive)
    end: int                     # index of its last period (inclusive)
    n: int                       # values present
    exact_mean: Fraction
    exact_amr: Fraction          # average moving range

    @property
    def exact_lower(self) -> Fraction:
        return self.exact_mean - SCALE * self.exact_amr

    @property
    def exact_upper(self) -> Fraction:
        return self.exact_mean + SCALE * self.exact_amr

    @property
    def exact_sigma(self) -> Fraction:
        return self.exact_amr / D2

    # Floats for charts, words and JSON.
    mean = property(lambda self: float(self.exact_mean))
    average_moving_range = property(lambda self: float(self.exact_amr))
    lower = property(lambda self: float(self.exact_lower))
    upper = property(lambda self: float(self.exact_upper))
    sigma = property(lambda self: float(self.exact_sigma))


@by_fields
@dataclass(frozen=True, slots=True)
class Signal:
    index: int
    rule: str
    direction: str        # improvement | concern | neutral
    up: bool              # above the mean / rising: tells runs apart when the direction is neutral
    first: int            # the run (or single point) this signal belongs to, inclusive
    last: int


@dataclass(frozen=True)
class Verdicts:
    """What a list of measures shows of a measure's analysis: its variation and its assurance."""

    variation: str | None
    assurance: str | None


@dataclass(frozen=True)
class Analysis:
    phases: list[Phase]
    signals: list[Signal]
    variation: str | None           # common-cause | special-cause-improvement | -concern | -neutral
    assurance: str | None           # consistently-passes | consistently-fails | hit-and-miss
    reason: str | None = None       # too-few-points | no-moving-ranges when there are no limits
    ignored_rebases: tuple[int, ...] = ()   # rebases not applied: a side had too few values
    pending_rebase: int | None = None       # the latest change, applied once it has enough values
    overlapping: bool = False               # the periods overlap: no rule is applied, no verdict given

    @property
    def current(self) -> Phase | None:
        return self.phases[-1] if self.phases else None

    @property
    def verdicts(self) -> Verdicts:
        return Verdicts(self.variation, self.assurance)

    def signals_at(self, index: int) -> list[Signal]:
        return list(self._signals_by_point.get(index, ()))

    @functools.cached_property
    def _signals_by_point(self) -> dict[int, list[Signal]]:
        """The signals by the point they flag: asked for each point, a scan of every signal was quadratic."""
        by_point: dict[int, list[Signal]] = {}
        for s in self.signals:
            by_point.setdefault(s.index, []).append(s)
        return by_point

    def strongest_at(self, index: int) -> Signal | None:
        """The signal a verdict about this point follows, when several rules flag it."""
        return strongest(self.signals_at(index))

    def phase_of(self, index: int) -> Phase | None:
        return next((p for p in self.phases if p.start <= index <= p.end), None)


# --- statistics ---------------------------------------------------------------------------

def moving_ranges(values: list[float | None]) -> list[Fraction]:
    """|x[i] - x[i-1]| for neighbours that are both present."""
    return [abs(exact(b) - exact(a)) for a, b in zip(values, values[1:]) if a is not None and b is not None]


def phase_statistics(values: list[float | None], start: int, end: int) -> Phase | None:
    """The phase's mean and average moving range; None when it has no moving range at all."""
    segment = values[start:end + 1]
    present = [exact(v) for v in segment if v is not None]
    ranges = moving_ranges(segment)
    if not present or not ranges:
        return None
    return Phase(start, end, len(present), sum(present, Fraction(0)) / len(present),
                 sum(ranges, Fraction(0)) / len(ranges))


def phase_bounds(n: int, rebases: list[int]) -> list[tuple[int, int]]:
    starts = sorted({0, *[r for r in rebases if 0 < r < n]})
    return [(s, (starts[i + 1] - 1) if i + 1 < len(starts) else n - 1) for i, s in enumerate(starts)]


def _enough(segment: list[float | None], min_points: int) -> bool:
    return sum(v is not None for v in segment) >= min_points and bool(moving_ranges(segment))


def choose_rebases(values: list[float | None], rebases: list[int], min_points: int
                   ) -> tuple[list[int], list[int], int | None]:
    """Which system changes start a phase: (kept, ignored, pending).

    Taken from the most recent back, because the latest change matters most: a change is kept
    when the values since it (up to the next kept change) and the values before it both suffice
    for limits. The most recent change, while too recent, is `pending`.
    """
    kept: list[int] = []
    ignored: list[int] = []
    pending = None
    end = len(values)
    for r in sorted({r for r in rebases if 0 < r < len(values)}, reverse=True):
        after_ok = _enough(values[r:end], min_points)
        if after_ok and _enough(values[:r], min_points):
            kept.append(r)
            end = r
            continue
        if not after_ok and end == len(values) and pending is None:
            pending = r
        ignored.append(r)
    return sorted(kept), sorted(ignored), pending


# --- rules --------------------------------------------------------------------------------

def _direction(up: bool, polarity: str) -> str:
    if polarity == Polarity.NEUTRAL:
        return "neutral"
    return "improvement" if up == (polarity == Polarity.HIGHER_IS_BETTER) else "concern"


def _runs(keys: list) -> list[tuple[object, list[int]]]:
    """Maximal runs of equal keys, as (key, positions); a None key belongs to no run."""
    runs: list[tuple[object, list[int]]] = []
    for i, key in enumerate(keys):
        if key is not None and runs and runs[-1][0] == key and runs[-1][1][-1] == i - 1:
            runs[-1][1].append(i)
        elif key is not None:
            runs.append((key, [i]))
    return runs


def beyond_limits(values, phase: Phase, polarity: str) -> list[Signal]:
    out = []
    for i in range(phase.start, phase.end + 1):
        if values[i] is None:
            continue
        x = exact(values[i])
        if x > phase.exact_upper or x < phase.exact_lower:
            up = x > phase.exact_upper
            out.append(Signal(i, "beyond-limits", _direction(up, polarity), up, i, i))
    return out


def shift(values, phase: Phase, polarity: str, run_length: int) -> list[Signal]:
    """Runs of `run_length` points or more on one side of the mean; on the mean or missing breaks a run."""
    sides = [None if v is None or exact(v) == phase.exact_mean else exact(v) > phase.exact_mean
             for v in values[phase.start:phase.end + 1]]
    out = []
    for up, run in _runs(sides):
        if len(run) >= run_length:
            first, last = phase.start + run[0], phase.start + run[-1]
            out += [Signal(phase.start + i, "shift", _direction(up, polarity), up, first, last) for i in run]
    return out


def trend(values, phase: Phase, polarity: str, run_length: int) -> list[Signal]:
    """Runs of `run_length` points or more, each higher (or each lower) than the one before.

    A run of k steps in one direction covers k + 1 points; a tie or a missing value breaks it.
    The point where the direction turns ends one run and starts the next: it is flagged once,
    for the earlier run.
    """
    segment = values[phase.start:phase.end + 1]
    steps = [None] + [None if a is None or b is None or a == b else b > a for a, b in zip(segment, segment[1:])]
    out: list[Signal] = []
    flagged: set[int] = set()
    for up, run in _runs(steps):
        points = [run[0] - 1] + run
        if len(points) < run_length:
            continue
        first, last = phase.start + points[0], phase.start + points[-1]
        for i in points:
            if phase.start + i not in flagged:
                flagged.add(phase.start + i)
                out.append(Signal(phase.start + i, "trend", _direction(up, polarity), up, first, last))
    return out


def two_of_three(values, phase: Phase, polarity: str) -> list[Signal]:
    """Two of three neighbouring values beyond two sigma on one side (a missing value breaks the window)."""
    hi = phase.exact_mean + 2 * phase.exact_sigma
    lo = phase.exact_mean - 2 * phase.exact_sigma
    flagged: dict[int, bool] = {}
    for i in range(phase.start, phase.end - 1):
        window = [(j, exact(values[j])) for j in range(i, i + 3) if values[j] is not None]
        if len(window) < 3:
            continue
        for up in (True, False):
            beyond = [j for j, x in window if (x > hi if up else x < lo)]
            if len(beyond) >= 2:
                flagged.update({j: up for j in beyond})
    return [Signal(j, "two-of-three", _direction(up, polarity), up, j, j) for j, up in sorted(flagged.items())]


# --- verdicts -----------------------------------------------------------------------------

def strongest(signals: list[Signal]) -> Signal | None:
    return min(signals, key=lambda s: RULE_PRIORITY[s.rule], default=None)


def variation(signals: list[Signal], latest: int) -> str:
    signal = strongest([s for s in signals if s.index == latest])
    return "common-cause" if signal is None else f"special-cause-{signal.direction}"


def assurance(phase: Phase, target: float | None, polarity: str) -> str | None:
    """Where the target sits against the limits: inside them it is met some times only.

    A target exactly on a limit counts as outside it: a higher-is-better process whose lower
    limit equals the target meets it every time it behaves as usual.
    """
    if target is None or polarity == Polarity.NEUTRAL:
        return None
    t = exact(target)
    if polarity == Polarity.HIGHER_IS_BETTER:
        if t <= phase.exact_lower:
            return "consistently-passes"
        if t >= phase.exact_upper:
            return "consistently-fails"
    else:
        if t >= phase.exact_upper:
            return "consistently-passes"
        if t <= phase.exact_lower:
            return "consistently-fails"
    return "hit-and-miss"


NOT_ASSESSED = "not-assessed"   # the verdicts of a series of overlapping periods


def analyse(values: list[float | None], polarity: str, rebases: list[int] | None = None,
            target: float | None = None, *, settings: SPCSettings, overlapping: bool = False) -> Analysis:
    """Everything a capability chart needs for one series; `rebases` are indices of new phases.

    `overlapping`: the values are for periods that share months, so only the average and the
    limits are worked out; no special-cause rule is applied and neither verdict is given."""
    present = [i for i, v in enumerate(values) if v is not None]
    if len(present) < settings.min_points:
        return Analysis([], [], None, None, "too-few-points")
    kept, ignored, pending = choose_rebases(values, rebases or [], settings.min_points)
    phases = [phase_statistics(values, s, e) for s, e in phase_bounds(len(values), kept)]
    if None in phases:   # only possible without a kept rebase: no two neighbouring values at all
        return Analysis([], [], None, None, "no-moving-ranges", tuple(ignored), pending)
    if overlapping:
        return Analysis(phases, [], NOT_ASSESSED, None if target is None or polarity == Polarity.NEUTRAL
                        else NOT_ASSESSED, None, tuple(ignored), pending, overlapping=True)
    signals: list[Signal] = []
    for phase in phases:
        signals += beyond_limits(values, phase, polarity)
        signals += shift(values, phase, polarity, settings.shift_run)
        signals += trend(values, phase, polarity, settings.trend_run)
        signals += two_of_three(values, phase, polarity)
    signals.sort(key=lambda s: (s.index, RULES.index(s.rule)))
    return Analysis(phases, signals, variation(signals, present[-1]),
                    assurance(phases[-1], target, polarity), None, tuple(ignored), pending)
