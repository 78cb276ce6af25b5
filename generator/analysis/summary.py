"""The plain-English reading of a measure: latest value, comparisons, target, timeliness."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from ..domain.figures import difference, unit_words, with_unit
from ..domain.model import Measure, Observation
from ..domain.periods import span_label
from ..domain.timeliness import Due, due
from ..domain.vocabulary import Polarity

@dataclass(frozen=True)
class Comparison:
    """The latest value against an earlier one."""

    label: str           # "August 2026"
    earlier: Observation
    delta: Decimal       # latest - earlier
    direction: str       # higher | lower | same
    verdict: str         # better | worse | neutral


@dataclass(frozen=True)
class Summary:
    latest: Observation | None
    previous: Comparison | None
    year_ago: Comparison | None
    target: Decimal | None
    target_met: bool | None
    sentences: list[str]
    subtitle: str
    timing: Due | None          # None: not yet dated (described)
    paragraphs: list[list[str]] = field(default_factory=list)
    assurance: str | None = None   # the target verdict shown (capability.ASSURANCE_LABELS): the chart's, or,
                                   # with too few figures for limits, the latest figure's against the target

    @property
    def next_due(self) -> date | None:
        return self.timing.date

    @property
    def overdue(self) -> bool:
        return self.timing.overdue


def _verdict(direction: str, polarity: str) -> str:
    if direction == "same" or polarity == Polarity.NEUTRAL:
        return "neutral"
    better_up = polarity == Polarity.HIGHER_IS_BETTER
    return "better" if (direction == "higher") == better_up else "worse"


def _compare(measure: Measure, latest: Observation, earlier_text: str | None) -> Comparison | None:
    if earlier_text is None:
        return None
    wanted = measure.period(earlier_text)      # by its dates: the same months however it is written
    earlier = next((o for o in measure.observations if o.period == wanted), None)
    if earlier is None or earlier.value is None:
        return None
    delta = latest.value - earlier.value
    direction = "higher" if delta > 0 else "lower" if delta < 0 else "same"
    return Comparison(earlier.period.name, earlier, delta, direction, _verdict(direction, measure.polarity))


def _comparison_phrase(c: Comparison, unit: str, when: str) -> str:
    if c.direction == "same":
        return f"the same as {when} ({with_unit(c.earlier.value, unit)})"
    amount = difference(c.delta, unit)
    return f"{amount} {c.direction} than {when} ({with_unit(c.earlier.value, unit)})"


def target_met(measure: Measure, obs: Observation) -> bool | None:
    return measure.polarity.meets(obs.value, measure.target_for(obs))


def summarise(measure: Measure, today: date, lag_days: int, capability: list[str] | None = None,
              outlook: str | None = None, assurance: str | None = None) -> Summary:
    """The answer first: the latest figure and how it compares; then what is normal for the measure
    (`capability` sentences) and the target, with `outlook` saying what to expect of it and `assurance`
    the capability chart's verdict on it (None when it has too few figures for limits)."""
    return dated(described(measure, capability, outlook, assurance), measure, today, lag_days)


def dated(said: Summary, measure: Measure, today: date, lag_days: int) -> Summary:
    """A summary `described` said, with when the measure's next figure is due as of `today`."""
    return replace(said, timing=due(measure, today, lag_days))


def described(measure: Measure, capability: list[str] | None = None, outlook: str | None = None,
              assurance: str | None = None) -> Summary:
    """summarise() but for when the next figure is due (timing None), the one part that depends on the day:
    the rest is made from the measure's rows, so it is kept with its analysis (site/context.py)."""
    latest = measure.latest
    first, last = measure.first_period, measure.last_period
    subtitle = f"{unit_words(measure.unit)}, {measure.frequency.words}, {span_label(first, last)}"
    if latest is None:
        none = ["There are no figures for this measure yet."]
        return Summary(None, None, None, None, None, none, subtitle, None, [none])
    previous = _compare(measure, latest, latest.period.previous(measure.frequency))
    year_ago = _compare(measure, latest, latest.period.shifted_years(-1))
    if previous and year_ago and previous.earlier.period == year_ago.earlier.period:
        year_ago = None  # an annual measure: last period and a year ago are the same
    status = f" ({latest.status})" if latest.status else ""
    sentences = [f"The latest figure is {with_unit(latest.value, measure.unit)}, for {latest.period.name}{status}."]
    parts = []
    if previous:
        parts.append(_comparison_phrase(previous, measure.unit, previous.label))
    if year_ago:
        parts.append(_comparison_phrase(year_ago, measure.unit, f"a year earlier, {year_ago.earlier.period.when}"))
    if parts:
        sentences.append("That is " + " and ".join(parts) + ".")
    if measure.polarity != Polarity.NEUTRAL:
        judged = [c for c in (previous, year_ago) if c and c.verdict != "neutral"]
        tail = ""
        if judged:
            words = {c.verdict for c in judged}
            tail = (", so this is an improvement" if words == {"better"} else
                    ", so this is worse" if words == {"worse"} else
                    ": better than one comparison and worse than the other")
        sentences.append(f"{measure.polarity.words} for this measure{tail}.")
    normal = list(capability or [])
    target = measure.target_for(latest)
    met = target_met(measure, latest)
    if target is not None and met is not None:
        gap = difference(latest.value - target, measure.unit)
        # without limits there is no outlook: say so, so that the sentence and the target's verdict agree
        then = (f", and {outlook}" if outlook else "" if assurance else
                "; there are too few figures yet to say whether that will last")
        normal.append(f"The target is {with_unit(target, measure.unit)}: the latest figure "
                      + ("meets it" if met else f"misses it by {gap}") + then + ".")
    shown = assurance or ({True: "too-few-met", False: "too-few-missed"}.get(met) if target is not None else None)
    return Summary(latest, previous, year_ago, target, met, sentences + normal, subtitle, None,
                   [sentences, normal], shown)
