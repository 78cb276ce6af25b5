"""The plain-English summary: comparisons, direction, target and timeliness."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from generator.domain.model import Measure, Observation
from generator.domain.periods import parse_period
from generator.analysis.summary import summarise
from generator.domain.figures import format_number, unit_words, with_unit


def measure(rows: list[tuple[str, str]], polarity="lower-is-better", unit="days", frequency="monthly",
            target=None) -> Measure:
    observations = [Observation(parse_period(p), None if v.startswith("[") else Decimal(v), v,
                                v if v.startswith("[") else None, None, None, None, i + 2)
                    for i, (p, v) in enumerate(rows)]
    return Measure(id="m", title="Time to decide a claim", description="", package="p", source_path=Path("m.csv"),
                   fields=[], kind="strategic", purposes=["p"], service="s", team="", localities=[], unit=unit,
                   polarity=polarity, frequency=frequency, owner="o", source="s",
                   target=Decimal(target) if target is not None else None, suppress_below=None, headline=False,
                   why="", quality="", annotations=[], observations=observations)


MONTHS = [("2025-08", "12.0"), ("2025-09", "11.5")] + [(f"2026-{m:02d}", "10.0") for m in range(1, 9)] + [("2026-09", "9.3")]


def test_latest_and_comparisons():
    s = summarise(measure(MONTHS), date(2026, 10, 20), 30)
    assert s.latest.period.text == "2026-09"
    assert s.sentences[0] == "The latest figure is 9.3 days, for September 2026."
    assert s.sentences[1] == ("That is 0.7 days lower than August 2026 (10.0 days) and "
                              "2.2 days lower than a year earlier, in September 2025 (11.5 days).")
    assert s.sentences[2] == "Lower is better for this measure, so this is an improvement."
    assert (s.previous.verdict, s.year_ago.verdict) == ("better", "better")


def test_higher_is_better_and_mixed_verdicts():
    rows = [("2025-09", "50"), ("2026-08", "70"), ("2026-09", "60")]
    s = summarise(measure(rows, polarity="higher-is-better", unit="%"), date(2026, 10, 1), 30)
    assert s.sentences[1] == ("That is 10 percentage points lower than August 2026 (70%) and "
                              "10 percentage points higher than a year earlier, in September 2025 (50%).")
    assert s.sentences[2] == "Higher is better for this measure: better than one comparison and worse than the other."


def test_target_met_and_missed():
    met = summarise(measure(MONTHS, target="10"), date(2026, 10, 1), 30, assurance="hit-and-miss")
    assert met.sentences[-1] == "The target is 10 days: the latest figure meets it."
    missed = summarise(measure(MONTHS, target="9"), date(2026, 10, 1), 30, assurance="hit-and-miss")
    assert missed.sentences[-1] == "The target is 9 days: the latest figure misses it by 0.3 days."
    assert missed.target_met is False and missed.assurance == "hit-and-miss"


def test_a_target_with_too_few_figures_for_limits_is_judged_on_the_latest_figure_alone():
    """The summary said "the latest figure meets it" while the page's Target line said "No target": with
    too few figures for limits (no assurance verdict) both now speak of the latest figure."""
    met = summarise(measure(MONTHS, target="10"), date(2026, 10, 1), 30)
    assert met.sentences[-1] == ("The target is 10 days: the latest figure meets it; there are too few figures "
                                 "yet to say whether that will last.")
    assert met.assurance == "too-few-met"
    assert summarise(measure(MONTHS, target="9"), date(2026, 10, 1), 30).assurance == "too-few-missed"
    assert summarise(measure(MONTHS), date(2026, 10, 1), 30).assurance is None      # no target: "No target"


def test_missing_latest_value_uses_the_last_real_figure_and_skips_missing_comparisons():
    rows = [("2026-07", "10.0"), ("2026-08", "[x]"), ("2026-09", "9.0")]
    s = summarise(measure(rows), date(2026, 10, 1), 30)
    assert s.latest.period.text == "2026-09"
    assert s.previous is None and s.year_ago is None
    assert len(s.sentences) == 2  # latest, polarity


def test_neutral_polarity_makes_no_judgement():
    rows = [("2026-08", "100"), ("2026-09", "120")]
    s = summarise(measure(rows, polarity="neutral", unit="visits"), date(2026, 10, 1), 30)
    assert "better" not in " ".join(s.sentences) and "worse" not in " ".join(s.sentences)


def test_annual_financial_year_compares_once():
    rows = [("2023/24", "60"), ("2024/25", "72"), ("2025/26", "80")]
    s = summarise(measure(rows, polarity="higher-is-better", unit="homes", frequency="annual"), date(2026, 6, 1), 60)
    assert s.year_ago is None
    assert s.sentences[1] == "That is 8 homes higher than 2024/25 (72 homes)."
    assert s.subtitle == "Number of homes, yearly, 2023/24 to 2025/26"


def test_next_update_due_and_overdue():
    s = summarise(measure(MONTHS), date(2026, 11, 29), 30)
    assert s.next_due == date(2026, 11, 30) and not s.overdue
    late = summarise(measure(MONTHS), date(2026, 12, 1), 30)
    assert late.overdue


def test_subtitle_is_statistical():
    assert summarise(measure(MONTHS), date(2026, 10, 1), 30).subtitle == \
        "Measured in days, monthly, August 2025 to September 2026"
    assert summarise(measure(MONTHS, unit="households"), date(2026, 10, 1), 30).subtitle == \
        "Number of households, monthly, August 2025 to September 2026"


@pytest.mark.parametrize("unit, words", [
    ("households", "Number of households"), ("visits", "Number of visits"), ("people helped", "Number of people helped"),
    ("µg/m3", "Measured in µg/m3"), ("mg/l", "Measured in mg/l"), ("miles", "Measured in miles"),
    ("tonnes", "Measured in tonnes"), ("days", "Measured in days"), ("working days", "Measured in working days"),
    ("%", "Percentage"), ("£", "Amount in £"), ("per 1,000 people", "Rate per 1,000 people"),
])
def test_only_a_count_unit_reads_as_a_number_of(unit, words):
    """A unit of measurement is not a count: "Number of µg/m3" was seen on real data."""
    assert unit_words(unit) == words


def test_a_day_is_named_with_on_a_year_earlier():
    """"a year earlier, in 31 March 2023" was seen on real data: a day takes "on"."""
    rows = [("2023-03-31", "5"), ("2024-01-15", "6"), ("2024-03-31", "7")]
    s = summarise(measure(rows, frequency="irregular", unit="households"), date(2024, 5, 1), 30)
    assert "a year earlier, on 31 March 2023 (5 households)" in s.sentences[1]
    assert " in 31 March" not in " ".join(s.sentences)


@pytest.mark.parametrize("value, unit, text", [
    ("1234.50", "households", "1,234.50 households"),
    ("1", "households", "1 household"),
    ("97.1", "%", "97.1%"),
    ("0", "days", "0 days"),
])
def test_numbers_keep_the_source_precision(value, unit, text):
    assert with_unit(Decimal(value), unit) == text
    assert format_number(Decimal("1234567")) == "1,234,567"


def test_subtitle_for_a_rate():
    s = summarise(measure(MONTHS, unit="per 100,000 collections"), date(2026, 10, 1), 30)
    assert s.subtitle.startswith("Rate per 100,000 collections, monthly")
