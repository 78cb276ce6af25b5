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

A missing value (None) is skipped by the mean, breaks moving ranges and breaks runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

SCALE = 2.66          # 3 / d2, d2 = 1.128 for ranges of two points
D2 = 1.128

RULES = ("beyond-limits", "shift", "trend", "two-of-three")
# When several rules flag the latest point, the verdict follows the strongest evidence first.
RULE_PRIORITY = {"beyond-limits": 0, "two-of-three": 1, "shift": 2, "trend": 3}


@dataclass(frozen=True)
class SPCSettings:
    min_points: int = 15
    shift_run: int = 7
    trend_run: int = 7


@dataclass(frozen=True)
class Phase:
    start: int            # index of the phase's first period (inclusive)
    end: int              # index of its last period (inclusive)
    n: int                # values present
    mean: float
    average_moving_range: float
    lower: float
    upper: float

    @property
    def sigma(self) -> float:
        return self.average_moving_range / D2


@dataclass(frozen=True)
class Signal:
    index: int
    rule: str
    direction: str        # improvement | concern | neutral


@dataclass(frozen=True)
class Analysis:
    phases: list[Phase]
    signals: list[Signal]
    variation: str | None           # common-cause | special-cause-improvement | -concern | -neutral
    assurance: str | None           # consistently-passes | consistently-fails | hit-and-miss
    reason: str | None = None       # "too-few-points" when there are no limits
    ignored_rebases: tuple[int, ...] = ()   # rebases not applied yet: the new phase is still too short

    @property
    def current(self) -> Phase | None:
        return self.phases[-1] if self.phases else None

    def signals_at(self, index: int) -> list[Signal]:
        return [s for s in self.signals if s.index == index]


# --- statistics ---------------------------------------------------------------------------

def _exact_mean(present: list[float]) -> float:
    # Sum exactly (the values are decimals in disguise) so the result does not depend on order.
    return float(sum(map(Fraction, present), Fraction(0)) / len(present))


def moving_ranges(values: list[float | None]) -> list[float]:
    """|x[i] - x[i-1]| for neighbours that are both present."""
    return [abs(float(Fraction(b) - Fraction(a))) for a, b in zip(values, values[1:])
            if a is not None and b is not None]


def phase_statistics(values: list[float | None], start: int, end: int) -> Phase | None:
    segment = values[start:end + 1]
    present = [v for v in segment if v is not None]
    ranges = moving_ranges(segment)
    if not present or not ranges:
        return None
    m = _exact_mean(present)
    mr = _exact_mean(ranges)
    return Phase(start, end, len(present), m, mr, m - SCALE * mr, m + SCALE * mr)


def phase_bounds(n: int, rebases: list[int]) -> list[tuple[int, int]]:
    starts = sorted({0, *[r for r in rebases if 0 < r < n]})
    return [(s, (starts[i + 1] - 1) if i + 1 < len(starts) else n - 1) for i, s in enumerate(starts)]


def _usable_rebases(values: list[float | None], rebases: list[int], min_points: int) -> tuple[list[int], list[int]]:
    """Honour a rebase only when the phases on both sides have enough values for limits."""
    kept: list[int] = []
    ignored: list[int] = []
    for r in sorted(set(rebases)):
        if not 0 < r < len(values):
            continue
        before_start = kept[-1] if kept else 0
        before = sum(v is not None for v in values[before_start:r])
        after = sum(v is not None for v in values[r:])
        (kept if before >= min_points and after >= min_points else ignored).append(r)
    return kept, ignored


# --- rules --------------------------------------------------------------------------------

def _direction(up: bool, polarity: str) -> str:
    if polarity == "neutral":
        return "neutral"
    return "improvement" if up == (polarity == "higher-is-better") else "concern"


def beyond_limits(values, phase: Phase, polarity: str) -> list[Signal]:
    out = []
    for i in range(phase.start, phase.end + 1):
        v = values[i]
        if v is not None and (v > phase.upper or v < phase.lower):
            out.append(Signal(i, "beyond-limits", _direction(v > phase.upper, polarity)))
    return out


def _runs(keys: list) -> list[tuple[object, list[int]]]:
    """Maximal runs of equal keys, as (key, positions); a None key belongs to no run."""
    runs: list[tuple[object, list[int]]] = []
    for i, key in enumerate(keys):
        if key is not None and runs and runs[-1][0] == key and runs[-1][1][-1] == i - 1:
            runs[-1][1].append(i)
        elif key is not None:
            runs.append((key, [i]))
    return runs


def shift(values, phase: Phase, polarity: str, run_length: int) -> list[Signal]:
    """Runs of `run_length` points or more on one side of the mean; on the mean or missing breaks a run."""
    sides = [None if v is None or v == phase.mean else v > phase.mean for v in values[phase.start:phase.end + 1]]
    return [Signal(phase.start + i, "shift", _direction(up, polarity))
            for up, run in _runs(sides) if len(run) >= run_length for i in run]


def trend(values, phase: Phase, polarity: str, run_length: int) -> list[Signal]:
    """Runs of `run_length` points or more, each higher (or each lower) than the one before.

    A run of k steps in one direction covers k + 1 points; a tie or a missing value breaks it,
    and the point where the direction turns belongs to both runs.
    """
    segment = values[phase.start:phase.end + 1]
    steps = [None] + [None if a is None or b is None or a == b else b > a for a, b in zip(segment, segment[1:])]
    return [Signal(phase.start + i, "trend", _direction(up, polarity))
            for up, run in _runs(steps) if len(run) + 1 >= run_length for i in [run[0] - 1] + run]


def two_of_three(values, phase: Phase, polarity: str) -> list[Signal]:
    hi, lo = phase.mean + 2 * phase.sigma, phase.mean - 2 * phase.sigma
    flagged: dict[int, bool] = {}
    for i in range(phase.start, phase.end - 1):
        window = range(i, i + 3)
        for up in (True, False):
            beyond = [j for j in window if values[j] is not None and (values[j] > hi if up else values[j] < lo)]
            if len(beyond) >= 2:
                flagged.update({j: up for j in beyond})
    return [Signal(j, "two-of-three", _direction(up, polarity)) for j, up in sorted(flagged.items())]


# --- verdicts -----------------------------------------------------------------------------

def variation(signals: list[Signal], latest: int) -> str:
    at_latest = sorted((s for s in signals if s.index == latest), key=lambda s: RULE_PRIORITY[s.rule])
    if not at_latest:
        return "common-cause"
    return f"special-cause-{at_latest[0].direction}"


def assurance(phase: Phase, target: float | None, polarity: str) -> str | None:
    """Where the target sits against the limits: inside them it is met some times only.

    A target exactly on a limit counts as outside it: a higher-is-better process whose lower
    limit equals the target meets it every time it behaves as usual.
    """
    if target is None or polarity == "neutral":
        return None
    if polarity == "higher-is-better":
        if target <= phase.lower:
            return "consistently-passes"
        if target >= phase.upper:
            return "consistently-fails"
    else:
        if target >= phase.upper:
            return "consistently-passes"
        if target <= phase.lower:
            return "consistently-fails"
    return "hit-and-miss"


def analyse(values: list[float | None], polarity: str, rebases: list[int] | None = None,
            target: float | None = None, settings: SPCSettings = SPCSettings()) -> Analysis:
    """Everything a capability chart needs for one series; `rebases` are indices of new phases."""
    present = [i for i, v in enumerate(values) if v is not None]
    if len(present) < settings.min_points:
        return Analysis([], [], None, None, "too-few-points")
    kept, ignored = _usable_rebases(values, rebases or [], settings.min_points)
    phases = [p for s, e in phase_bounds(len(values), kept) if (p := phase_statistics(values, s, e))]
    if not phases:
        return Analysis([], [], None, None, "too-few-points")
    signals: list[Signal] = []
    for phase in phases:
        signals += beyond_limits(values, phase, polarity)
        signals += shift(values, phase, polarity, settings.shift_run)
        signals += trend(values, phase, polarity, settings.trend_run)
        signals += two_of_three(values, phase, polarity)
    signals.sort(key=lambda s: (s.index, RULES.index(s.rule)))
    return Analysis(phases, signals, variation(signals, present[-1]),
                    assurance(phases[-1], target, polarity), None, tuple(ignored))
