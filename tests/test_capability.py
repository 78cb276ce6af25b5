"""A measure read as a capability chart: the words, the signals in text, the published statistics."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, dashboard_property, make_measure_package, make_registers
from generator import capability
from generator.pipeline import load
from generator.settings import DEFAULTS
from generator.spc import SPCSettings


def build_measure(tmp_path, values: list[str], start_year=2023, **prop):
    root = tmp_path / "data"
    make_registers(root)
    rows = []
    for i, v in enumerate(values):
        y, m = divmod(i, 12)
        rows.append(f"{start_year + y}-{m + 1:02d},{v}")
    make_measure_package(root, {"homes": "period,value\n" + "\n".join(rows) + "\n"},
                         {"homes": dashboard_property(**prop)})
    return load(root, None, DEFAULTS["DASHBOARD_LICENSE"]).site.measures["homes"]


def read(measure, min_points=15):
    analysis = capability.analyse_measure(measure, SPCSettings(min_points=min_points))
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
    assert analysis.ignored_rebases and words[-1] == (
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
        "April 2024 to November 2024: 8 figures in a row on one side of the average (an improvement)"]
    labels = capability.point_labels(m, analysis)
    assert labels["2024-11"].startswith("Improvement: run on one side of the average")


def test_json_uses_the_documented_names(tmp_path):
    values = ["10", "12"] * 8 + ["12", "13", "12", "13", "12", "12", "13"]
    m = build_measure(tmp_path, values, unit="visits", polarity="higher-is-better", target=11)
    analysis, _, _ = read(m)
    data = capability.to_json(m, analysis)
    assert set(data) == {"phases", "signals", "variation", "assurance"}
    assert data["phases"] == [{"from": "2023-01", "to": "2024-11", "mean": analysis.current.mean,
                               "lower": analysis.current.lower, "upper": analysis.current.upper}]
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
    site = load(ROOT / "data", ROOT / "content" / "commentary", DEFAULTS["DASHBOARD_LICENSE"]).site
    return {mid: (m, capability.analyse_measure(m, SPCSettings())) for mid, m in site.measures.items()}


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
    for path in sorted((site / "measures").glob("*/*.json")):
        if path.name.endswith(".vl.json"):
            continue
        spc = json.loads(path.read_text())["spc"]
        assert {"phases", "signals", "variation", "assurance"} <= set(spc)
        if spc["phases"]:
            data = json.loads(path.read_text())["data"]
            assert spc["phases"][0]["from"] == data[0]["period"]
            assert spc["phases"][-1]["to"] == data[-1]["period"]
        else:
            assert spc["reason"] == "too-few-points"


test_published_json_carries_the_statistics = pytest.mark.xdist_group("site")(test_published_json_carries_the_statistics)
