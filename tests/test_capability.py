"""A measure read as a capability chart: the words, the signals in text, the published statistics."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, dashboard_property, make_measure_package, make_registers, published_measures, settings_for, spc_settings
from generator.settings import read as read_settings
from generator.analysis import capability
from generator.ingest.pipeline import load


def build_measure(tmp_path, values: list[str], start_year=2023, **prop):
    root = tmp_path / "data"
    make_registers(root)
    rows = []
    for i, v in enumerate(values):
        y, m = divmod(i, 12)
        rows.append(f"{start_year + y}-{m + 1:02d},{v}")
    make_measure_package(root, {"homes": "period,value\n" + "\n".join(rows) + "\n"},
                         {"homes": dashboard_property(**prop)})
    return load(settings_for(root)).site.measures["homes"]


def read(measure, min_points=15):
    analysis = capability.analyse_measure(measure, spc_settings(min_points=min_points))
    return analysis, capability.sentences(measure, analysis, min_points), capability.outlook(measure, analysis)


STABLE = ["8", "10", "9", "11", "10", "9", "10", "11", "9", "10", "8", "12", "10", "9", "11", "10"]


def test_stable_process_in_words(tmp_path):
    # mean 157/16 = 9.8125; moving ranges sum to 24 over 15 -> 1.6; limits 9.8125 ± 4.256 = 5.56 to 14.07
    m = build_measure(tmp_path, STABLE, unit="days", polarity="lower-is-better", target=12)
    analysis, words, outlook = read(m)
    assert words == [
        "Since January 2023, the figure has typically been between 6 days and 14 days a month, averaging 10 days.",
        "The latest month (10 days) is within that range: ordinary variation, not a sign of change.",
    ]
    assert analysis.assurance == "hit-and-miss"
    assert outlook == "at this level it will be met in some months and missed in others"


def test_new_phase_is_named_after_the_change(tmp_path):
    values = ["20", "22"] * 8 + ["10", "11"] * 8
    m = build_measure(tmp_path, values, unit="days", polarity="lower-is-better",
                      annotations=[{"period": "2024-05", "label": "New triage trial starts", "rebase": True}])
    analysis, words, _ = read(m)
    assert len(analysis.phases) == 2
    assert words[0].startswith("Since May 2024, when the service changed (new triage trial starts), the figure has "
                               "typically been between 8 days and 13 days a month, averaging 11 days.")


def test_special_cause_at_the_latest_point(tmp_path):
    m = build_measure(tmp_path, ["10", "11"] * 8 + ["30"], unit="complaints", polarity="lower-is-better")
    analysis, words, _ = read(m)
    assert analysis.variation == "special-cause-concern"
    assert words[1] == ("The latest month (30 complaints) is above the usual range: a sign of real change, "
                        "and a concern.")


def test_shift_in_words_counts_the_run(tmp_path):
    values = ["10", "12"] * 8 + ["12", "13", "12", "13", "12", "12", "13"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert analysis.variation == "special-cause-improvement"
    assert "one of 8 figures in a row above the average" in words[1]


def test_too_few_points_says_why(tmp_path):
    m = build_measure(tmp_path, ["5", "6", "7"], unit="homes", polarity="higher-is-better", target=6)
    analysis, words, outlook = read(m)
    assert analysis.reason == "too-few-points" and outlook is None
    assert words == ["There are only 3 figures so far, too few to say what is normal for this measure "
                     "(that needs 15), so the chart shows the figures without an average or limits."]


def test_a_change_too_recent_for_new_limits_is_explained(tmp_path):
    values = ["20", "22"] * 8 + ["10", "11"]
    m = build_measure(tmp_path, values, unit="days", polarity="lower-is-better",
                      annotations=[{"period": "2024-05", "label": "Trial", "rebase": True}])
    analysis, words, _ = read(m)
    assert analysis.pending_rebase == 16 and words[-1] == (
        "The service changed in May 2024; the usual range will be worked out afresh once there are 15 figures "
        "since then.")


def test_limits_shown_within_what_the_measure_can_be(tmp_path):
    m = build_measure(tmp_path, ["1", "9"] * 8, unit="%", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert analysis.current.lower < 0           # the statistic is kept unclipped
    assert "between 0% and 26%" in words[0]    # the reader sees what is possible


def test_signals_listed_in_text_one_line_per_run(tmp_path):
    values = ["10", "12"] * 8 + ["12", "13", "12", "13", "12", "12", "13"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better")
    analysis, _, _ = read(m)
    items = capability.signal_items(m, analysis)
    assert [i.text for i in items if i.rule == "shift"] == [
        "April 2024 to November 2024: 8 figures in a row above the average (an improvement)"]
    labels = capability.point_labels(m, analysis)
    assert labels["2024-11"].startswith("Improvement: run on one side of the average")


# eight figures above the mean, then eight below: two runs of eight, not one of sixteen
TWO_RUNS = ["10", "12", "8", "10", "11", "9", "10", "12", "8", "10"] + ["11", "13"] * 4 + ["7", "9"] * 4


def test_run_length_counts_only_the_run_the_latest_figure_is_in(tmp_path):
    m = build_measure(tmp_path, TWO_RUNS, unit="visits", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert "one of 8 figures in a row below the average" in words[1]


def test_runs_on_either_side_are_listed_apart_for_a_neutral_measure(tmp_path):
    m = build_measure(tmp_path, TWO_RUNS, unit="visits", polarity="neutral")
    analysis, _, _ = read(m)
    shifts = [i.text for i in capability.signal_items(m, analysis) if i.rule == "shift"]
    assert shifts == [
        "November 2023 to June 2024: 8 figures in a row above the average (neither better nor worse)",
        "July 2024 to February 2025: 8 figures in a row below the average (neither better nor worse)"]


def test_trend_phrase_counts_its_own_run(tmp_path):
    # 30 then a fall to 20, seven rising figures (June to December 2024), seven falling (to June 2025)
    values = ["10", "12"] * 8 + ["30", "20", "21", "22", "23", "24", "25", "26", "25", "24", "23", "22", "21", "20"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert any(s.rule == "trend" for s in analysis.signals_at(len(values) - 1))
    assert [i.text for i in capability.signal_items(m, analysis) if i.rule == "trend"] == [
        "June 2024 to December 2024: 7 figures in a row, each higher than the one before (an improvement)",
        "December 2024 to June 2025: 7 figures in a row, each lower than the one before (a concern)"]
    # the latest figure is also in a shift, which is the stronger evidence and is what the summary says
    assert "one of 14 figures in a row above the average" in words[1]
    latest_trend = next(x for x in analysis.signals_at(len(values) - 1) if x.rule == "trend")
    assert capability._rule_phrase(latest_trend) == "part of a run of 7 figures each lower than the one before"


@pytest.mark.parametrize("unit, values, expected", [
    ("£", ["1000", "1500"] * 8, "between £0 and £2,580 a month, averaging £1,250."),
    # the range would read "between 1 day and 1 day": one more decimal place tells them apart
    ("days", ["1"] * 4 + ["2"] + ["1"] * 11, "between 0.7 days and 1.4 days a month, averaging 1.1 days."),
    # a mean of -0.06 reads as 0, never "-0"
    ("degrees", ["-1", "1"] * 8 + ["-1"], "between -5 degrees and 5 degrees a month, averaging 0 degrees."),
])
def test_statistics_read_naturally(tmp_path, unit, values, expected):
    m = build_measure(tmp_path, values, unit=unit, polarity="neutral")
    _, words, _ = read(m)
    assert words[0].endswith(expected), words[0]


def test_a_figure_never_reads_on_the_wrong_side_of_a_limit_shown_beside_it(tmp_path):
    """Seen on real data: "usual range 3.1% to 3.6%" then "3.1% is below the usual range". The lower limit
    is 3.106: shown to the figures' one place it read 3.1, so it is shown to two."""
    values = "3.3,3.4,3.2,3.3,3.4,3.4,3.3,3.3,3.3,3.4,3.3,3.4,3.4,3.3,3.3,3.1".split(",")
    m = build_measure(tmp_path, values, unit="%", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert analysis.current.lower == pytest.approx(3.106, abs=0.001)
    assert words == ["Since January 2023, the figure has typically been between 3.11% and 3.53% a month, "
                     "averaging 3.32%.",
                     "The latest month (3.1%) is below the usual range: a sign of real change, and a concern."]
    assert capability.phase_rows(m, analysis)[0]["lower"] == "3.11%"


def test_a_kind_of_change_is_named_in_the_words(tmp_path):
    values = ["20", "22"] * 8 + ["10", "11"] * 8
    m = build_measure(tmp_path, values, unit="days", polarity="lower-is-better",
                      annotations=[{"period": "2024-05", "label": "Counted from first contact", "rebase": True,
                                    "kind": "definition"}])
    _, words, _ = read(m)
    assert words[0].startswith("Since May 2024, when the definition or method changed (counted from first contact),")


def test_singular_latest_value(tmp_path):
    m = build_measure(tmp_path, ["1", "2"] * 8 + ["1"], unit="days", polarity="lower-is-better")
    _, words, _ = read(m)
    assert "(1 day)" in words[1]


def test_acronyms_in_change_labels_keep_their_case(tmp_path):
    values = ["20", "22"] * 8 + ["10", "11"] * 8
    m = build_measure(tmp_path, values, unit="days", polarity="lower-is-better",
                      annotations=[{"period": "2024-05", "label": "NHS 111 service launched", "rebase": True}])
    _, words, _ = read(m)
    assert "(NHS 111 service launched)" in words[0]


def test_two_of_three_phrase(tmp_path):
    # two sigma above the mean is about 12.78: two of the last three figures are beyond it
    values = ["10", "11"] * 8 + ["12.8", "11", "12.8"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert [s.rule for s in analysis.signals_at(len(values) - 1)] == ["two-of-three"]
    assert "close to the top of the usual range, like another of the last three figures" in words[1]


def test_a_change_that_cannot_start_a_range_is_explained_once(tmp_path):
    values = ["20", "22"] * 2 + ["10", "11"] * 15
    m = build_measure(tmp_path, values, unit="days", polarity="lower-is-better",
                      annotations=[{"period": "2023-05", "label": "Trial", "rebase": True}])
    analysis, words, _ = read(m)
    assert analysis.pending_rebase is None
    assert words[-1] == ("The change in May 2023 does not start a new range: there were too few figures "
                         "between it and the changes around it.")
    assert not any("worked out afresh" in w for w in words)


def test_no_two_figures_in_a_row(tmp_path):
    m = build_measure(tmp_path, ["5", "[x]"] * 20, unit="visits", polarity="higher-is-better")
    analysis, words, _ = read(m)
    assert analysis.reason == "no-moving-ranges"
    assert words == ["No two figures in a row are available, so the usual range cannot be worked out and the "
                     "chart shows the figures without an average or limits."]


def test_json_uses_the_documented_names(tmp_path):
    values = ["10", "12"] * 8 + ["12", "13", "12", "13", "12", "12", "13"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better", target=11)
    analysis, _, _ = read(m)
    data = capability.to_json(m, analysis)
    assert set(data) == {"phases", "signals", "variation", "assurance"}
    assert data["phases"] == [{"from": "2023-01", "to": "2024-11", "mean": analysis.current.mean,
                               "lower": analysis.current.lower, "upper": analysis.current.upper}]
    pairs = [(s["period"], s["rule"]) for s in data["signals"]]
    assert len(pairs) == len(set(pairs))   # one entry per flagged point per rule
    shift = [s for s in data["signals"] if s["rule"] == "shift"]
    assert len(shift) == 8 and shift[0] == {"period": "2024-04", "rule": "shift", "direction": "improvement"}
    assert data["variation"] == "special-cause-improvement" and data["assurance"] == "hit-and-miss"


def test_json_below_the_minimum(tmp_path):
    m = build_measure(tmp_path, ["5", "6", "7"], unit="homes", polarity="higher-is-better")
    analysis, _, _ = read(m)
    assert capability.to_json(m, analysis) == {"phases": [], "signals": [], "variation": None, "assurance": None,
                                               "reason": "too-few-points"}


# --- the example site shows every case ------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    site = load(read_settings(ROOT / "pelicanconf.py").replace(cache_path="")).site    # the example, as its settings have it
    return {mid: (m, capability.analyse_measure(m, spc_settings())) for mid, m in site.measures.items()}


def test_example_data_shows_each_case(example):
    analyses = [a for _, a in example.values()]
    assert any(not a.signals and a.phases for a in analyses), "a stable process"
    rebased = [(m, a) for m, a in example.values() if len(a.phases) > 1]
    assert rebased and all(any(n.rebase for n in m.annotations) for m, _ in rebased), "a shift after a redesign"
    assert any(s.rule == "trend" for a in analyses for s in a.signals), "a trend"
    assert any(sum(s.rule == "beyond-limits" for s in a.signals) == 1 for a in analyses), "an outlier"
    verdicts = {a.assurance for a in analyses}
    assert {"consistently-passes", "consistently-fails", "hit-and-miss"} <= verdicts
    assert any(a.reason == "too-few-points" for a in analyses)


def test_published_json_carries_the_statistics(site):
    for path in sorted(site / "measures" / mid / f"{mid}.json" for mid in published_measures(site)):
        spc = json.loads(path.read_text())["spc"]
        assert {"phases", "signals", "variation", "assurance"} <= set(spc)
        if spc["phases"]:
            data = json.loads(path.read_text())["data"]
            assert spc["phases"][0]["from"] == data[0]["period"]
            assert spc["phases"][-1]["to"] == data[-1]["period"]
        else:
            assert spc["reason"] == "too-few-points"


test_published_json_carries_the_statistics = pytest.mark.xdist_group("site")(test_published_json_carries_the_statistics)
