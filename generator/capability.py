"""A measure read as a capability chart: spc.py's statistics applied to the model, in words.

spc.py knows only lists of numbers; this module maps a Measure onto them (values, phases
from rebasing annotations, the current target) and says what the result means in plain
English: for the summary, for the list of signals under the chart and for the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .model import Measure
from .spc import RULE_PRIORITY, Analysis, SPCSettings, analyse

PERIOD_WORDS = {"weekly": ("week", "weeks"), "monthly": ("month", "months"),
                "bi-monthly": ("two-month period", "two-month periods"), "quarterly": ("quarter", "quarters"),
                "annual": ("year", "years"), "irregular": ("period", "periods")}

VARIATION_LABELS = {
    "common-cause": "No significant change",
    "special-cause-improvement": "Improving",
    "special-cause-concern": "Concern",
    "special-cause-neutral": "Unusual change",
    None: "Not enough data yet",
}
ASSURANCE_LABELS = {
    "consistently-passes": "Meets target every time",
    "consistently-fails": "Misses target every time",
    "hit-and-miss": "Hit and miss",
    None: "No target",
}
DIRECTION_WORDS = {"improvement": "an improvement", "concern": "a concern", "neutral": "neither better nor worse"}


def settings_from(dash: dict) -> SPCSettings:
    return SPCSettings(min_points=dash["DASHBOARD_SPC_MIN_POINTS"], shift_run=dash["DASHBOARD_SPC_SHIFT_RUN"],
                       trend_run=dash["DASHBOARD_SPC_TREND_RUN"])


def analyse_measure(measure: Measure, settings: SPCSettings) -> Analysis:
    values = [o.number for o in measure.observations]
    index = {o.period.text: i for i, o in enumerate(measure.observations)}
    rebases = [index[a.period] for a in measure.annotations if a.rebase and a.period in index]
    latest = measure.latest
    target = measure.target_for(latest) if latest else None
    return analyse(values, measure.polarity, rebases, float(target) if target is not None else None, settings)


# --- numbers in words ---------------------------------------------------------------------

def display(value: float, measure: Measure) -> str:
    """A limit or an average at the precision of the measure's own figures."""
    places = max(0, max((-o.value.as_tuple().exponent for o in measure.with_values), default=0))
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def _unit(text: str, measure: Measure) -> str:
    return f"{text}%" if measure.unit == "%" else f"{text} {measure.unit}"


def shown(value: float, measure: Measure) -> str:
    """A statistic as readers see it: the measure's precision and unit."""
    return _unit(display(value, measure), measure)


def shown_bounds(measure: Measure) -> tuple[float | None, float | None]:
    """What the measure can be: no negative counts when none occur, no percentage over 100."""
    values = [o.number for o in measure.with_values]
    floor = 0.0 if values and min(values) >= 0 else None
    ceiling = 100.0 if measure.unit == "%" and values and max(values) <= 100 else None
    return floor, ceiling


def clip(value: float, measure: Measure) -> float:
    """Limits as shown to readers (the JSON keeps the unclipped statistics)."""
    floor, ceiling = shown_bounds(measure)
    if floor is not None:
        value = max(value, floor)
    if ceiling is not None:
        value = min(value, ceiling)
    return value


def _phase_start(analysis: Analysis, measure: Measure) -> str:
    p = analysis.current
    period = measure.observations[p.start].period
    note = next((a for a in measure.annotations if a.rebase and a.period == period.text), None)
    if p.start > 0 and note:
        return f"Since {period.name}, when the service changed ({note.label[:1].lower()}{note.label[1:]}),"
    return f"Since {period.name},"


def sentences(measure: Measure, analysis: Analysis, min_points: int) -> list[str]:
    """What is normal for the measure, where the latest figure sits, and what that means for the target."""
    one, _ = PERIOD_WORDS[measure.frequency]
    if analysis.reason == "too-few-points" or measure.latest is None:
        count = len(measure.with_values)
        return [f"There {'is' if count == 1 else 'are'} only {count} figure{'' if count == 1 else 's'} so far, "
                f"too few to say what is normal for this measure (that needs {min_points}), so the chart "
                "shows the figures without an average or limits."]
    p = analysis.current
    out = [f"{_phase_start(analysis, measure)} the figure has typically been between "
           f"{_unit(display(clip(p.lower, measure), measure), measure)} and "
           f"{_unit(display(clip(p.upper, measure), measure), measure)} a {one}, "
           f"averaging {_unit(display(p.mean, measure), measure)}."]
    latest = measure.latest
    value = _unit(f"{latest.value:,}", measure)
    index = measure.observations.index(latest)
    at_latest = sorted(analysis.signals_at(index), key=lambda s: RULE_PRIORITY[s.rule])
    if not at_latest:
        out.append(f"The latest {one} ({value}) is within that range: ordinary variation, not a sign of change.")
    else:
        signal = at_latest[0]
        out.append(f"The latest {one} ({value}) is {_rule_phrase(signal.rule, measure, analysis, index)}: "
                   f"a sign of real change, and {DIRECTION_WORDS[signal.direction]}.")
    if analysis.ignored_rebases:
        period = measure.observations[analysis.ignored_rebases[-1]].period
        out.append(f"The service changed in {period.name}; the usual range will be worked out afresh once there "
                   f"are {min_points} figures since then.")
    return out


def outlook(measure: Measure, analysis: Analysis) -> str | None:
    """What to expect of the target if the service carries on as it is (the assurance verdict)."""
    one, many = PERIOD_WORDS[measure.frequency]
    return {
        "consistently-passes": f"at this level it will be met every {one} unless something changes",
        "consistently-fails": "at this level it will not be met unless the way the service works changes",
        "hit-and-miss": f"at this level it will be met in some {many} and missed in others",
    }.get(analysis.assurance)


def _run_length(analysis: Analysis, rule: str, index: int) -> int:
    flagged = {s.index for s in analysis.signals if s.rule == rule}
    start = end = index
    while start - 1 in flagged:
        start -= 1
    while end + 1 in flagged:
        end += 1
    return end - start + 1


def _rule_phrase(rule: str, measure: Measure, analysis: Analysis, index: int) -> str:
    phase = next(p for p in analysis.phases if p.start <= index <= p.end)
    value = measure.observations[index].number
    if rule == "beyond-limits":
        return "above the usual range" if value > phase.upper else "below the usual range"
    if rule == "two-of-three":
        edge = "top" if value > phase.mean else "bottom"
        return f"near the {edge} of the usual range for the second time in three"
    n = _run_length(analysis, rule, index)
    if rule == "shift":
        return f"one of {n} figures in a row {'above' if value > phase.mean else 'below'} the average"
    prev = measure.observations[index - 1].number
    return f"part of a run of {n} figures each {'higher' if value > prev else 'lower'} than the one before"


# --- the signals as text ------------------------------------------------------------------

@dataclass(frozen=True)
class SignalItem:
    """Consecutive points flagged by one rule, as one line of text beside the chart."""

    start: int            # index of the first point
    first: str
    last: str
    rule: str
    direction: str
    count: int

    @property
    def text(self) -> str:
        when = self.first if self.count == 1 else f"{self.first} to {self.last}"
        what = {"beyond-limits": "outside the usual range" if self.count == 1 else
                f"{self.count} figures outside the usual range",
                "shift": f"{self.count} figures in a row on one side of the average",
                "trend": f"{self.count} figures in a row each moving the same way",
                "two-of-three": "close to the edge of the usual range"}[self.rule]
        return f"{when}: {what} ({DIRECTION_WORDS[self.direction]})"


def signal_items(measure: Measure, analysis: Analysis) -> list[SignalItem]:
    by_rule: dict[tuple[str, str], list[int]] = {}
    for s in analysis.signals:
        by_rule.setdefault((s.rule, s.direction), []).append(s.index)
    obs = measure.observations
    items = []
    for (rule, direction), indices in by_rule.items():
        runs: list[list[int]] = []
        for i in indices:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        items += [SignalItem(r[0], obs[r[0]].period.name, obs[r[-1]].period.name, rule, direction, len(r))
                  for r in runs]
    return sorted(items, key=lambda x: (x.start, x.rule))


RULE_SHORT = {"beyond-limits": "outside the usual range", "shift": "run on one side of the average",
              "trend": "run moving one way", "two-of-three": "near the edge twice in three"}


def point_labels(measure: Measure, analysis: Analysis) -> dict[str, str]:
    """Period text -> the signals at that point, in words, for the data table."""
    out: dict[str, list[str]] = {}
    for s in analysis.signals:
        word = {"improvement": "Improvement", "concern": "Concern", "neutral": "Change"}[s.direction]
        out.setdefault(measure.observations[s.index].period.text, []).append(f"{word}: {RULE_SHORT[s.rule]}")
    return {k: "; ".join(v) for k, v in out.items()}


def to_json(measure: Measure, analysis: Analysis) -> dict:
    """The statistics under the names others can reuse (documented in docs/capability.md)."""
    periods = [o.period.text for o in measure.observations]
    data = {
        "phases": [{"from": periods[p.start], "to": periods[p.end], "mean": p.mean,
                    "lower": p.lower, "upper": p.upper} for p in analysis.phases],
        "signals": [{"period": periods[s.index], "rule": s.rule, "direction": s.direction} for s in analysis.signals],
        "variation": analysis.variation,
        "assurance": analysis.assurance,
    }
    if analysis.reason:
        data["reason"] = analysis.reason
    return data
