"""The period grammar: every notation, its dates, labels, arithmetic and refusals."""

from datetime import date

import pytest

from generator.domain.vocabulary import Frequency
from generator.domain.periods import PeriodError, matches_frequency, parse_period, span_label


@pytest.mark.parametrize("text, kind, start, end", [
    ("2024-03", "month", date(2024, 3, 1), date(2024, 3, 31)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),          # leap year
    ("2023-02", "month", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-Q4", "quarter", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024/25", "financial-year", date(2024, 4, 1), date(2025, 3, 31)),
    ("1999/00", "financial-year", date(1999, 4, 1), date(2000, 3, 31)),  # century turn
    ("2024/25-Q1", "financial-quarter", date(2024, 4, 1), date(2024, 6, 30)),
    ("2024/25-Q3", "financial-quarter", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024/25-Q4", "financial-quarter", date(2025, 1, 1), date(2025, 3, 31)),
    ("2024", "year", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-W05", "week", date(2024, 1, 29), date(2024, 2, 4)),
    ("2020-W53", "week", date(2020, 12, 28), date(2021, 1, 3)),
    ("2024-03-31", "day", date(2024, 3, 31), date(2024, 3, 31)),
    ("2024-04/2024-05", "bi-month", date(2024, 4, 1), date(2024, 5, 31)),
    ("2024-12/2025-01", "bi-month", date(2024, 12, 1), date(2025, 1, 31)),
    ("2024-03-01/2024-04-30", "interval", date(2024, 3, 1), date(2024, 4, 30)),
])
def test_parses_every_notation_into_inclusive_dates(text, kind, start, end):
    period = parse_period(text)
    assert (period.kind, period.start, period.end, period.text) == (kind, start, end, text)


@pytest.mark.parametrize("text, hint", [
    ("Mar-24", "2024-03"),
    ("March 2024", "2024-03"),
    ("mar 24", "2024-03"),
    ("24-Mar", "2024-03"),
    ("2024/2025", "2024/25"),
    ("2024-2025", "2024/25"),
    ("01/03/2024", "2024-03-01"),
    ("1.3.24", "2024-03-01"),
    ("2024-3", "2024-03"),
    ("Q1 2024", "2024-Q1"),
    ("2024 Q1", "2024-Q1"),
    ("2024/25 Q1", "2024/25-Q1"),
    ("2023/25", "2023/24"),             # not consecutive: says how to write 2023/24
    ("2024-25", "2024/25"),             # reads as a month 25: suggests the financial year
])
def test_mangled_periods_are_refused_with_a_hint(text, hint):
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert hint in str(info.value)


@pytest.mark.parametrize("text", [
    "2024-13", "2024-00", "2024-Q5", "2024/25-Q0", "2023-W54", "2024-02-30", "2024-04/2024-06",
    "2024-05-01/2024-04-01", "", "yesterday", " 2024-03", "2024-03 ", "20240301",
])
def test_invalid_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize("text, label", [
    ("2024-03", "March 2024"),
    ("2024-Q1", "2024 quarter 1 (January to March 2024)"),
    ("2024/25", "2024/25 (April 2024 to March 2025)"),
    ("2024/25-Q4", "2024/25 quarter 4 (January to March 2025)"),
    ("2024/25-Q3", "2024/25 quarter 3 (October to December 2024)"),
    ("2024", "2024"),
    ("2024-W05", "week 5 of 2024 (starting 29 January 2024)"),
    ("2024-03-31", "31 March 2024"),
    ("2024-12/2025-01", "December 2024 to January 2025"),
    ("2024-03-01/2024-04-30", "1 March 2024 to 30 April 2024"),
])
def test_labels_are_plain_english(text, label):
    assert parse_period(text).label == label


@pytest.mark.parametrize("text, previous, following, year_ago", [
    ("2024-01", "2023-12", "2024-02", "2023-01"),
    ("2024-Q1", "2023-Q4", "2024-Q2", "2023-Q1"),
    ("2024/25", "2023/24", "2025/26", "2023/24"),
    ("2024/25-Q1", "2023/24-Q4", "2024/25-Q2", "2023/24-Q1"),
    ("2024/25-Q4", "2024/25-Q3", "2025/26-Q1", "2023/24-Q4"),
    ("2024", "2023", "2025", "2023"),
    ("2024-W01", "2023-W52", "2024-W02", "2023-W01"),
    ("2024-12/2025-01", "2024-10/2024-11", "2025-02/2025-03", "2023-12/2024-01"),
])
def test_previous_next_and_a_year_earlier(text, previous, following, year_ago):
    period = parse_period(text)
    assert period.previous() == previous
    assert period.next() == following
    assert period.shifted_years(-1) == year_ago
    # each step lands on a valid period of the same kind
    for other in (previous, following, year_ago):
        assert parse_period(other).kind == period.kind


def test_days_and_intervals_have_no_fixed_step_but_shift_by_years():
    assert parse_period("2024-03-31").previous() is None
    assert parse_period("2024-02-29").shifted_years(-1) == "2023-02-28"
    assert parse_period("2024-03-01/2024-04-30").shifted_years(-1) == "2023-03-01/2023-04-30"


def test_periods_sort_by_time_not_text():
    texts = ["2024/25-Q1", "2023/24-Q4", "2024/25-Q3", "2024/25-Q2"]
    assert [p.text for p in sorted(map(parse_period, texts))] == ["2023/24-Q4", "2024/25-Q1", "2024/25-Q2", "2024/25-Q3"]


@pytest.mark.parametrize("text, frequency, ok", [
    ("2024-03", "monthly", True),
    ("2024-Q1", "monthly", False),
    ("2024-Q1", "quarterly", True),
    ("2024/25-Q1", "quarterly", True),
    ("2024/25", "annual", True),
    ("2024", "annual", True),
    ("2024-03", "annual", False),
    ("2024-04/2024-05", "bi-monthly", True),
    ("2024-W05", "weekly", True),
    ("2024-03-01/2024-04-30", "irregular", True),
])
def test_frequency_matching(text, frequency, ok):
    assert matches_frequency(parse_period(text), frequency) is ok


def test_every_frequency_has_kinds():
    assert {f.value for f in Frequency} == {"weekly", "monthly", "bi-monthly", "quarterly", "annual", "irregular"}


@pytest.mark.parametrize("text, name", [
    ("2024-03", "March 2024"), ("2024-Q1", "2024 quarter 1"), ("2024/25", "2024/25"),
    ("2024/25-Q4", "2024/25 quarter 4"), ("2024-W05", "week 5 of 2024"),
])
def test_names_for_use_in_sentences(text, name):
    assert parse_period(text).name == name


def test_span_label():
    assert span_label(parse_period("2019-04"), parse_period("2026-09")) == "April 2019 to September 2026"
    assert span_label(parse_period("2018/19"), parse_period("2025/26")) == "2018/19 to 2025/26"


@pytest.mark.parametrize("day, quarter, months", [
    ("2024-04-01", "2024/25-Q1", "April to June 2024"), ("2024-06-30", "2024/25-Q1", "April to June 2024"),
    ("2024-12-31", "2024/25-Q3", "October to December 2024"), ("2025-01-01", "2024/25-Q4", "January to March 2025"),
    ("2025-03-31", "2024/25-Q4", "January to March 2025")])
def test_the_financial_quarter_of_a_day(day, quarter, months):
    from datetime import date
    from generator.domain.periods import financial_quarter_of
    found = financial_quarter_of(date.fromisoformat(day))
    assert (found.text, found.kind, found.months) == (quarter, "financial-quarter", months)
