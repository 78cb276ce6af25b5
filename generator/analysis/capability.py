"""A measure read as a capability chart: spc.py's statistics applied to the model, in words.

spc.py knows only lists of numbers; this module maps a Measure onto them (values, phases
from rebasing annotations, the current target) and says what the result means in plain
English: for the summary, for the list of signals under the chart and for the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..domain.figures import format_number, with_unit
from ..domain.model import Annotation, Measure
from ..domain.periods import overlapping
from ..domain.vocabulary import Polarity
from .spc import NOT_ASSESSED, Analysis, Phase, Signal, SPCSettings, analyse

VARIATION_LABELS = {
    "common-cause": "No significant change",
    "special-cause-improvement": "Improving",
    "special-cause-concern": "Concern",
    "special-cause-neutral": "Unusual change",
    NOT_ASSESSED: "Not assessed: the periods overlap",
    None: "Too few figures yet",
}
ASSURANCE_LABELS = {
    "consistently-passes": "Meets target every time",
    "consistently-fails": "Misses target every time",
    "hit-and-miss": "Hit and miss",
    # a target, but too few figures for limits: only the latest figure can be judged against it
    "too-few-met": "Latest figure meets target",
    "too-few-missed": "Latest figure misses target",
    NOT_ASSESSED: "Not assessed: the periods overlap",
    None: "No target",
}
DIRECTION_WORDS = {"improvement": "an improvement", "concern": "a concern", "neutral": "neither better nor worse"}


def analyse_measure(measure: Measure, settings: SPCSettings) -> Analysis:
    values, polarity, rebases, target, overlaps = series_of(measure)
    return analyse(values, polarity, rebases, target, settings=settings, overlapping=overlaps)


def series_of(measure: Measure) -> tuple[list[float | None], Polarity, list[int], float | None, bool]:
    """All that a measure's analysis reads (spc.analyse's arguments): its values, polarity, the indices of
    its rebases, its current target and whether its periods overlap."""
    values = [o.number for o in measure.observations]
    index = {o.period.text: i for i, o in enumerate(measure.observations)}
    rebases = [index[a.period] for a in measure.annotations if a.rebase and a.period in index]
    # the current target: the latest period's (a target column), else the measure's own
    target = measure.target_for(measure.observations[-1]) if measure.observations else None
    return (values, measure.polarity, rebases, float(target) if target is not None else None,
            overlapping([o.period for o in measure.observations]))


# --- numbers in words ---------------------------------------------------------------------

def _places(measure: Measure) -> int:
    return max(0, max((-o.value.as_tuple().exponent for o in measure.with_values), default=0))


def display(value: float, measure: Measure, places: int | None = None) -> str:
    """A statistic at the precision of the measure's own figures (or `places`), never '-0'."""
    places = _places(measure) if places is None else places
    number = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(abs(number) if number == 0 else number)


def shown(value: float, measure: Measure, places: int | None = None) -> str:
    """A statistic as readers see it, with its unit (£, %, singular and plural as in the summary)."""
    return with_unit(Decimal(display(value, measure, places).replace(",", "")), measure.unit)


def _as_shown(value: float, measure: Measure, places: int) -> Decimal:
    return Decimal(display(value, measure, places).replace(",", ""))


def phase_places(measure: Measure, phase: Phase) -> int:
    """Enough decimal places that the lower limit, the average and the upper limit read differently, and
    that no figure of the phase reads on the wrong side of a limit: 3.1% is never "below the usual range"
    of "3.1% to 3.6%" (the lower limit is then shown as 3.14%)."""
    lower, upper = clip(phase.lower, measure), clip(phase.upper, measure)
    values = [o.value for o in measure.observations[phase.start:phase.end + 1] if o.value is not None]
    base = _places(measure)
    for places in range(base, base + 4):
        low, mean, high = (_as_shown(v, measure, places) for v in (lower, phase.mean, upper))
        if len({low, mean, high}) == 3 and all((v < low) == (v < lower) and (v > high) == (v > upper)
                                               for v in values):
            return places
    return base + 4


def limits_shown(measure: Measure, phase: Phase) -> tuple[str, str, str]:
    """A phase's lower limit, average and upper limit as readers see them (limits clipped to what the
    measure can be), all to the same number of places."""
    places = phase_places(measure, phase)
    return (shown(clip(phase.lower, measure), measure, places), shown(phase.mean, measure, places),
            shown(clip(phase.upper, measure), measure, places))


def shown_bounds(measure: Measure) -> tuple[float | None, float | None]:
    """What the measure can be: no negative counts when none occur, no percentage over 100."""
    values = [o.number for o in measure.with_values]
    floor = 0.0 if values and min(values) >= 0 else None
    ceiling = 100.0 if measure.unit == "%" and values and max(values) <= 100 else None
    return floor, ceiling


def clip(value: float, measure: Measure, bounds: tuple[float | None, float | None] | None = None) -> float:
    """Limits as shown to readers (the JSON keeps the unclipped statistics); `bounds`: the measure's
    shown_bounds, when the caller clips many (working them out reads every figure)."""
    floor, ceiling = bounds or shown_bounds(measure)
    if floor is not None:
        value = max(value, floor)
    if ceiling is not None:
        value = min(value, ceiling)
    return value


def _sentence_case_inside(label: str) -> str:
    """'New triage trial starts' reads mid-sentence as 'new triage trial starts'; 'NHS 111' stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _phase_start(analysis: Analysis, measure: Measure) -> str:
    p = analysis.current
    period = measure.observations[p.start].period
    note = _rebase_at(measure, period.text)
    if p.start > 0 and note:
        return f"Since {period.name}, when {note.kind.happened} ({_sentence_case_inside(note.label)}),"
    return f"Since {period.name},"


def _rebase_at(measure: Measure, period_text: str) -> Annotation | None:
    return next((a for a in measure.annotations if a.rebase and a.period == period_text), None)


def sentences(measure: Measure, analysis: Analysis, min_points: int) -> list[str]:
    """What is normal for the measure, where the latest figure sits, and what changes are not yet counted."""
    one = measure.frequency.one
    latest = measure.latest
    if analysis.reason == "too-few-points" or latest is None:
        count = len(measure.with_values)
        return [f"There {'is' if count == 1 else 'are'} only {count} figure{'' if count == 1 else 's'} so far, "
                f"too few to say what is normal for this measure (that needs {min_points}), so the chart "
                "shows the figures without an average or limits."]
    if analysis.reason == "no-moving-ranges":
        return ["No two figures in a row are available, so the usual range cannot be worked out and the "
                "chart shows the figures without an average or limits."]
    lower, mean, upper = limits_shown(measure, analysis.current)
    # "a quarter" only where each figure is for one step: a figure for 12 months is not a quarter's
    length = measure.last_period.length_months
    per = f" a {one}" if length in (None, measure.frequency.months) else ""
    out = [f"{_phase_start(analysis, measure)} the figure has typically been between {lower} and {upper}{per}, "
           f"averaging {mean}."]
    value = with_unit(latest.value, measure.unit)
    signal = analysis.strongest_at(measure.observations.index(latest))
    if analysis.overlapping:
        out.append(overlap_reason(measure))
    elif signal is None:
        out.append(f"The latest {one} ({value}) is within that range: ordinary variation, not a sign of change.")
    else:
        out.append(f"The latest {one} ({value}) is {_rule_phrase(signal)}: "
                   f"a sign of real change, and {DIRECTION_WORDS[signal.direction]}.")
    if analysis.pending_rebase is not None:
        period = measure.observations[analysis.pending_rebase].period
        note = _rebase_at(measure, period.text)
        happened = note.kind.happened if note else "the service changed"
        out.append(f"{happened[:1].upper()}{happened[1:]} {period.when}; the usual range will be worked out afresh "
                   f"once there are {min_points} figures since then.")
    for index in analysis.ignored_rebases:
        if index != analysis.pending_rebase:
            out.append(f"The change {measure.observations[index].period.when} does not start a new range: "
                       f"there were too few figures between it and the changes around it.")
    return out


def overlap_reason(measure: Measure) -> str:
    """Why a series of overlapping periods gets no verdict, in words a resident would use."""
    months = measure.last_period.length_months
    shares = (f"covers {months} months and shares some of them with the figure before" if months and months > 1
              else "shares part of its period with the figure before")
    return (f"Each figure {shares}, so neighbouring figures are not independent: the usual tests for a sign of "
            "real change do not apply, and none is looked for.")


def outlook(measure: Measure, analysis: Analysis) -> str | None:
    """What to expect of the target if the service carries on as it is (the assurance verdict)."""
    one, many = measure.frequency.one, measure.frequency.many
    return {
        "consistently-passes": f"at this level it will be met every {one} unless something changes",
        "consistently-fails": "at this level it will not be met unless the way the service works changes",
        "hit-and-miss": f"at this level it will be met in some {many} and missed in others",
    }.get(analysis.assurance)


def _rule_phrase(signal: Signal) -> str:
    n = signal.last - signal.first + 1
    if signal.rule == "beyond-limits":
        return "above the usual range" if signal.up else "below the usual range"
    if signal.rule == "two-of-three":
        edge = "top" if signal.up else "bottom"
        return f"close to the {edge} of the usual range, like another of the last three figures"
    if signal.rule == "shift":
        return f"one of {n} figures in a row {'above' if signal.up else 'below'} the average"
    return f"part of a run of {n} figures each {'higher' if signal.up else 'lower'} than the one before"


# --- the signals as text ------------------------------------------------------------------

@dataclass(frozen=True)
class SignalItem:
    """Points flagged by one rule that belong together, as one line of text beside the chart."""

    start: int            # index of the first point
    first: str
    last: str
    rule: str
    direction: str
    up: bool
    count: int

    @property
    def text(self) -> str:
        when = self.first if self.count == 1 else f"{self.first} to {self.last}"
        side = "above" if self.up else "below"
        what = {"beyond-limits": (f"{side} the usual range" if self.count == 1 else
                                  f"{self.count} figures {side} the usual range"),
                "shift": f"{self.count} figures in a row {side} the average",
                "trend": f"{self.count} figures in a row, each {'higher' if self.up else 'lower'} than the one before",
                "two-of-three": f"close to the {'top' if self.up else 'bottom'} of the usual range"}[self.rule]
        return f"{when}: {what} ({DIRECTION_WORDS[self.direction]})"


def phase_rows(measure: Measure, analysis: Analysis) -> list[dict]:
    """Each phase's average and limits as readers see them, for the text beside the chart."""
    obs = measure.observations
    rows = []
    for p in analysis.phases:
        lower, mean, upper = limits_shown(measure, p)
        rows.append({"from": obs[p.start].period.name, "to": obs[p.end].period.name, "n": p.n,
                     "mean": mean, "lower": lower, "upper": upper})
    return rows


def signal_items(measure: Measure, analysis: Analysis) -> list[SignalItem]:
    """Runs (shift, trend) as flagged; single-point rules grouped while consecutive, same side, same phase."""
    groups: list[list[Signal]] = []
    for s in sorted(analysis.signals, key=lambda s: (s.rule, s.first, s.index)):
        last = groups[-1][-1] if groups else None
        same_run = last is not None and last.rule == s.rule and last.up == s.up and (
            (s.rule in ("shift", "trend") and (last.first, last.last) == (s.first, s.last)) or
            (s.rule not in ("shift", "trend") and s.index == last.index + 1
             and analysis.phase_of(s.index) == analysis.phase_of(last.index)))
        if same_run:
            groups[-1].append(s)
        else:
            groups.append([s])
    obs = measure.observations
    items = []
    for g in groups:
        first = g[0].first if g[0].rule in ("shift", "trend") else g[0].index
        last = g[0].last if g[0].rule in ("shift", "trend") else g[-1].index
        items.append(SignalItem(first, obs[first].period.name, obs[last].period.name, g[0].rule,
                                g[0].direction, g[0].up, last - first + 1))
    return sorted(items, key=lambda x: (x.start, x.rule))


RULE_SHORT = {"beyond-limits": "outside the usual range", "shift": "run on one side of the average",
              "trend": "run moving one way", "two-of-three": "close to the edge of the usual range"}


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
    elif analysis.overlapping:
        data["reason"] = "overlapping-periods"
    return data


def chart_rows(measure: Measure, analysis: Analysis) -> list[dict]:
    """One row per period, as the capability chart draws it: the figure, the target, its phase's average
    and limits (clipped to what the measure can be), its signal. A report's snapshot keeps them."""
    bounds = shown_bounds(measure)
    # Each phase's line once, not at each of its points: the limits are exact fractions until made floats.
    lines = [{"phase": n, "mean": p.mean, "lower": clip(p.lower, measure, bounds), "upper": clip(p.upper, measure, bounds)}
             for n, p in enumerate(analysis.phases)]
    phase_of = {i: lines[n] for n, p in enumerate(analysis.phases) for i in range(p.start, p.end + 1)}
    rows = []
    for i, o in enumerate(measure.observations):
        target = measure.target_for(o)
        row = {"period": o.period.text, "label": o.period.short_label, "value": o.number,
               "target": float(target) if target is not None else None}
        if i in phase_of:
            row.update(phase_of[i])
        signal = analysis.strongest_at(i)
        row["signal"] = signal.direction if signal else None
        rows.append(row)
    return rows
