"""Capability-chart statistics, with values worked out by hand, and an independent check on real data."""

from __future__ import annotations

import csv
from fractions import Fraction

import pytest

from conftest import FIXTURES, spc_settings
from generator.analysis.spc import (Phase, Signal, analyse, assurance, beyond_limits, choose_rebases,
                           moving_ranges, phase_statistics, shift, trend, two_of_three, variation)

SMALL = spc_settings(min_points=3)


def analyse_(values, polarity, rebases=None, target=None, settings=None):
    """spc.analyse with the default settings unless a test gives its own."""
    return analyse(values, polarity, rebases, target, settings=settings or spc_settings())


def phase(n, mean="10", amr="1", start=0):
    """A phase with round numbers: limits mean ± 2.66, sigma 1/1.128."""
    return Phase(start, start + n - 1, n, Fraction(mean), Fraction(amr))


def rows(signals):
    return [(s.index, s.rule, s.direction) for s in signals]


# --- the statistics -----------------------------------------------------------------------------

def test_mean_moving_ranges_and_limits_by_hand():
    # values 4, 6, 5, 9, 6: mean 30/5 = 6; moving ranges 2, 1, 4, 3 -> average 2.5
    # limits 6 ± 2.66 × 2.5 = 6 ± 6.65 -> -0.65 and 12.65 (unclipped)
    p = phase_statistics([4, 6, 5, 9, 6], 0, 4)
    assert (p.n, p.mean, p.average_moving_range) == (5, 6.0, 2.5)
    assert (p.exact_lower, p.exact_upper) == (Fraction("-0.65"), Fraction("12.65"))
    assert p.sigma == pytest.approx(2.5 / 1.128)


def test_moving_ranges_skip_missing_values():
    # pairs (10, None), (None, 12), (11, None), (None, 13) have no range; only |11 - 12| = 1 remains
    assert moving_ranges([10, None, 12, 11, None, 13]) == [1.0]
    p = phase_statistics([10, None, 12, 11, None, 13], 0, 5)
    assert (p.n, p.mean, p.average_moving_range) == (4, 11.5, 1.0)


def test_moving_ranges_never_span_a_phase_boundary():
    # phase 1: 10, 12, 11 (ranges 2, 1); phase 2: 30, 32, 31, 33 (ranges 2, 1, 2); no |30 - 11|
    values = [10, 12, 11, 30, 32, 31, 33]
    a = analyse_(values, "neutral", rebases=[3], settings=SMALL)
    first, second = a.phases
    assert (first.start, first.end, first.mean, first.average_moving_range) == (0, 2, 11.0, 1.5)
    assert (second.start, second.end, second.mean) == (3, 6, 31.5)
    assert second.average_moving_range == pytest.approx(5 / 3)


def test_constant_series_has_zero_moving_range_and_no_signals():
    a = analyse_([5.0] * 20, "higher-is-better", target=5.0)
    p = a.current
    assert (p.mean, p.average_moving_range, p.lower, p.upper) == (5.0, 0.0, 5.0, 5.0)
    assert a.signals == [] and a.variation == "common-cause"
    assert a.assurance == "consistently-passes"   # the target sits on the lower limit


def test_too_few_points_gives_no_limits():
    a = analyse_([3, 4, 5] + [None] * 20, "higher-is-better", target=4)
    assert (a.phases, a.signals, a.variation, a.assurance, a.reason) == ([], [], None, None, "too-few-points")
    assert analyse_(list(range(14)), "neutral").reason == "too-few-points"
    assert analyse_([1, 2] * 8, "neutral").reason is None   # 16 points: enough


def test_a_phase_shorter_than_the_minimum_is_not_started_yet():
    # 20 points, then a rebase 5 points before the end: too few to set new limits, so one phase
    values = [10, 12] * 10 + [20, 21, 20, 21, 20]
    a = analyse_(values, "higher-is-better", rebases=[20])
    assert len(a.phases) == 1 and a.ignored_rebases == (20,)
    # the new level shows as special cause against the old limits instead
    assert a.variation == "special-cause-improvement"
    # with 15 points after the change, the new phase starts
    b = analyse_(values + [21, 20] * 5, "higher-is-better", rebases=[20])
    assert [(p.start, p.end) for p in b.phases] == [(0, 19), (20, 34)] and b.ignored_rebases == ()


# --- the rules ------------------------------------------------------------------------------------

def test_beyond_limits():
    # limits 7.34 and 12.66 around 10
    values = [10, 13, 10, 7, 12.66, 7.34]
    assert rows(beyond_limits(values, phase(6), "higher-is-better")) == [
        (1, "beyond-limits", "improvement"), (3, "beyond-limits", "concern")]
    assert rows(beyond_limits(values, phase(6), "lower-is-better")) == [
        (1, "beyond-limits", "concern"), (3, "beyond-limits", "improvement")]


def test_shift_needs_seven_on_one_side():
    above = [11] * 7
    assert [s.index for s in shift([9] + above + [9], phase(9), "higher-is-better", 7)] == list(range(1, 8))
    assert shift([9] + [11] * 6 + [9], phase(8), "higher-is-better", 7) == []


def test_shift_of_eight_gives_eight_entries():
    signals = shift([9] * 8, phase(8), "lower-is-better", 7)
    assert rows(signals) == [(i, "shift", "improvement") for i in range(8)]


def test_a_point_on_the_mean_or_missing_breaks_a_shift():
    assert shift([11, 11, 11, 10, 11, 11, 11, 11], phase(8), "neutral", 7) == []
    assert shift([11, 11, 11, None, 11, 11, 11, 11], phase(8), "neutral", 7) == []


def test_trend_of_seven_rising_points():
    values = [1, 2, 3, 4, 5, 6, 7, 5]
    assert rows(trend(values, phase(8), "higher-is-better", 7)) == [(i, "trend", "improvement") for i in range(7)]
    # six rising points are not enough
    assert trend([1, 2, 3, 4, 5, 6, 5, 4], phase(8), "higher-is-better", 7) == []


def test_trend_falling_and_a_tie_breaks_it():
    falling = [9, 8, 7, 6, 5, 4, 3]
    assert rows(trend(falling, phase(7), "lower-is-better", 7)) == [(i, "trend", "improvement") for i in range(7)]
    assert trend([9, 8, 7, 7, 6, 5, 4, 3], phase(8), "lower-is-better", 7) == []   # 7, 7 is a tie


def test_a_missing_value_breaks_a_trend():
    assert trend([1, 2, 3, None, 4, 5, 6, 7], phase(8), "neutral", 7) == []


def test_trend_turning_point_belongs_to_both_runs():
    values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    signals = trend(values, phase(13), "neutral", 7)
    # the turning point (index 6) is flagged once, for the rising run: one entry per point per rule
    assert [s.index for s in signals] == list(range(13))
    assert [(s.first, s.last) for s in signals] == [(0, 6)] * 7 + [(6, 12)] * 6


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    # sigma = 1/1.128 = 0.8865; two sigma above 10 is 11.773
    values = [10, 11.8, 10, 11.9, 10, 10]
    assert rows(two_of_three(values, phase(6), "higher-is-better")) == [
        (1, "two-of-three", "improvement"), (3, "two-of-three", "improvement")]
    # one above and one below do not count, nor two that are three apart
    assert two_of_three([10, 11.8, 8.2, 10, 10], phase(5), "neutral") == []
    assert two_of_three([11.8, 10, 10, 11.8, 10], phase(5), "neutral") == []


def test_rules_stay_inside_their_phase():
    # six high points end phase 1 and one starts phase 2: no shift of seven across the boundary
    p1 = phase(7)
    values = [9, 11, 11, 11, 11, 11, 11, 11]
    assert shift(values, p1, "neutral", 7) == []


def test_neutral_polarity_gives_neutral_signals():
    a = analyse_([10, 11] * 10 + [30], "neutral")
    assert a.variation == "special-cause-neutral"
    assert {s.direction for s in a.signals} == {"neutral"}


# --- verdicts -------------------------------------------------------------------------------------

def test_variation_for_the_latest_point():
    assert analyse_([10, 11] * 10 + [30], "lower-is-better").variation == "special-cause-concern"
    assert analyse_([10, 11] * 10 + [3], "lower-is-better").variation == "special-cause-improvement"
    assert analyse_([10, 11] * 10, "lower-is-better").variation == "common-cause"


def test_variation_uses_the_latest_value_present():
    assert analyse_([10, 11] * 10 + [30, None], "higher-is-better").variation == "special-cause-improvement"


def test_variation_prefers_the_strongest_rule():
    signals = [Signal(5, "trend", "improvement", True, 0, 5), Signal(5, "beyond-limits", "concern", True, 5, 5)]
    assert variation(signals, 5) == "special-cause-concern"
    signals = [Signal(5, "shift", "improvement", True, 0, 5), Signal(5, "two-of-three", "concern", False, 5, 5)]
    assert variation(signals, 5) == "special-cause-concern"


@pytest.mark.parametrize("polarity, target, verdict", [
    # limits 7.34 to 12.66
    ("higher-is-better", 7.0, "consistently-passes"),
    ("higher-is-better", 7.34, "consistently-passes"),     # on the lower limit
    ("higher-is-better", 10.0, "hit-and-miss"),
    ("higher-is-better", 12.66, "consistently-fails"),     # on the upper limit
    ("higher-is-better", 13.0, "consistently-fails"),
    ("lower-is-better", 13.0, "consistently-passes"),
    ("lower-is-better", 12.66, "consistently-passes"),
    ("lower-is-better", 10.0, "hit-and-miss"),
    ("lower-is-better", 7.34, "consistently-fails"),
    ("neutral", 10.0, None),
    ("higher-is-better", None, None),
])
def test_assurance(polarity, target, verdict):
    assert assurance(phase(10), target, polarity) == verdict


# --- an independent computation on a real public series ----------------------------------------------

def _independent(texts: list[str]) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """Exact rational arithmetic on the figures as written in the file, separately from generator/spc.py."""
    xs = [Fraction(t) for t in texts]
    mean = sum(xs) / len(xs)
    ranges = [abs(xs[i] - xs[i - 1]) for i in range(1, len(xs))]
    amr = sum(ranges) / len(ranges)
    k = Fraction("2.66")
    return mean, amr, mean - k * amr, mean + k * amr


def test_statistics_match_an_exact_computation_on_uk_house_prices():
    path = FIXTURES / "house-prices-uk/data/data.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        texts = [row["Price (All)"] for row in csv.DictReader(fh) if row["Price (All)"]]
    assert len(texts) > 250
    # the whole series as one phase, and the last 40 quarters on their own
    for chosen in (texts, texts[-40:]):
        p = analyse_([float(t) for t in chosen], "neutral").current
        mean, amr, lower, upper = _independent(chosen)
        for got, want in ((p.mean, mean), (p.average_moving_range, amr), (p.lower, lower), (p.upper, upper)):
            assert abs(Fraction(got) - want) <= abs(want) * Fraction(1, 10**9)


def test_a_value_written_as_the_mean_is_on_the_mean():
    # the decimal mean of these is exactly 3.1; binary floating point would make it 3.0999999999999996
    values = [4.52] * 3 + [3.1] + [4.52] * 3 + [1.68, 3.1] * 5 + [1.68]
    a = analyse_(values, "higher-is-better")
    assert a.current.exact_mean == Fraction("3.1")
    assert [s for s in a.signals if s.rule == "shift"] == []   # the 3.1 breaks the run of seven


def test_a_series_without_two_neighbouring_values_has_no_limits():
    a = analyse_([5, None] * 20, "higher-is-better")
    assert (a.phases, a.reason) == ([], "no-moving-ranges")


def test_a_change_without_usable_data_after_it_stays_pending():
    values = [10, 12] * 10 + [5, None] * 20
    a = analyse_(values, "higher-is-better", rebases=[20], target=8)
    assert [(p.start, p.end) for p in a.phases] == [(0, 59)]
    assert a.pending_rebase == 20


def test_the_most_recent_change_wins_when_two_are_close():
    values = [10, 12] * 25
    kept, ignored, pending = choose_rebases(values, [15, 20], 15)
    assert (kept, ignored, pending) == ([20], [15], None)


def test_a_change_too_early_is_ignored_but_not_pending():
    values = [20, 22] * 2 + [10, 11] * 15
    a = analyse_(values, "lower-is-better", rebases=[4])
    assert len(a.phases) == 1 and a.ignored_rebases == (4,) and a.pending_rebase is None


def test_rules_apply_from_the_start_of_a_later_phase():
    values = [10, 12] * 10 + [30, 31, 32, 33, 34, 35, 36] + [31, 35] * 5
    a = analyse_(values, "higher-is-better", rebases=[20])
    assert [(p.start, p.end) for p in a.phases] == [(0, 19), (20, 36)]
    trend_points = [s.index for s in a.signals if s.rule == "trend"]
    assert trend_points[:7] == list(range(20, 27))


def test_a_missing_value_breaks_a_two_of_three_window():
    assert two_of_three([10, 12, None, 12, 10], phase(5), "neutral") == []


def test_neutral_runs_on_each_side_are_told_apart():
    signals = shift([11] * 7 + [9] * 7, phase(14), "neutral", 7)
    assert {(s.first, s.last, s.up) for s in signals} == {(0, 6, True), (7, 13, False)}


def test_one_entry_per_point_per_rule():
    a = analyse_([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 2, 3, 4], "higher-is-better")
    pairs = [(s.index, s.rule) for s in a.signals]
    assert len(pairs) == len(set(pairs))


def test_the_signals_at_a_point_are_every_signal_that_flags_it_in_order():
    # A run on one side and a run one way overlap: some points carry two rules' signals.
    values = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
    result = analyse_(values, "higher")
    assert len({s.index for s in result.signals}) < len(result.signals)     # some point has two
    for at in range(-1, len(values) + 1):
        assert result.signals_at(at) == [s for s in result.signals if s.index == at]
