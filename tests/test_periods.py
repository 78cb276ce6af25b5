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
    ("2024-04/2024-05", "months", date(2024, 4, 1), date(2024, 5, 31)),           # a bi-month
    ("2024-12/2025-01", "months", date(2024, 12, 1), date(2025, 1, 31)),
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
    "2024-13", "2024-00", "2024-Q5", "2024/25-Q0", "2023-W54", "2024-02-30", "2024-06/2024-04",
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


# --- periods found in real statistics: runs of months, durations, academic years ----------------

def _docs_table() -> list[tuple[str, str, date, date, str]]:
    """(notation cell, example, start, end, label) of each row of the Periods table in docs/data-model.md."""
    import re
    from conftest import ROOT
    text = (ROOT / "docs" / "data-model.md").read_text()
    table = text[text.index("## Periods"):text.index("## Commentary")]
    return [(m.group(1), m.group(2), date.fromisoformat(m.group(3)), date.fromisoformat(m.group(4)), m.group(5))
            for m in re.finditer(r"^\| (.+?) \| `([^`]+)` \| (\S+) \| (\S+) \| (.+?) \| .+ \|$", table, re.M)]


def test_the_documented_table_of_periods_is_what_the_parser_reads():
    rows = _docs_table()
    assert len(rows) == 14
    for notation, example, start, end, label in rows:
        period = parse_period(example, years="academic" if "academic" in notation else "financial")
        assert (period.start, period.end, period.label) == (start, end, label), example


@pytest.mark.parametrize("text, start, end, label, name, short", [
    ("2021-01/2021-12", date(2021, 1, 1), date(2021, 12, 31), "12 months to December 2021 (January to December 2021)",
     "the 12 months to December 2021", "Jan–Dec 2021"),
    ("2020-07/2021-06", date(2020, 7, 1), date(2021, 6, 30), "12 months to June 2021 (July 2020 to June 2021)",
     "the 12 months to June 2021", "Jul 2020–Jun 2021"),
    ("2023-12/2024-02", date(2023, 12, 1), date(2024, 2, 29), "3 months to February 2024 (December 2023 to "
     "February 2024)", "the 3 months to February 2024", "Dec 2023–Feb 2024"),
    ("2024-04/2024-05", date(2024, 4, 1), date(2024, 5, 31), "April to May 2024", "April to May 2024", "Apr–May 2024"),
    ("2024-03/2024-03", date(2024, 3, 1), date(2024, 3, 31), "March 2024", "March 2024", "Mar 2024"),
    ("P12M/2021-06-30", date(2020, 7, 1), date(2021, 6, 30), "12 months to 30 June 2021 (1 July 2020 to "
     "30 June 2021)", "the 12 months to 30 June 2021", "to 30 Jun 2021"),
    ("P3M/2024-02-29", date(2023, 12, 1), date(2024, 2, 29), "3 months to 29 February 2024 (1 December 2023 to "
     "29 February 2024)", "the 3 months to 29 February 2024", "to 29 Feb 2024"),
    ("P1Y/2021-03-31", date(2020, 4, 1), date(2021, 3, 31), "1 year to 31 March 2021 (1 April 2020 to 31 March 2021)",
     "the year to 31 March 2021", "to 31 Mar 2021"),
    ("P2Y/2021-06-15", date(2019, 6, 16), date(2021, 6, 15), "2 years to 15 June 2021 (16 June 2019 to 15 June 2021)",
     "the 2 years to 15 June 2021", "to 15 Jun 2021"),
])
def test_runs_of_months_and_durations_dates_and_labels(text, start, end, label, name, short):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert (period.label, period.name, period.short_label) == (label, name, short)


def test_academic_years_run_september_to_august_only_where_the_measure_says():
    academic = parse_period("2022/23", years="academic")
    assert (academic.kind, academic.start, academic.end) == ("academic-year", date(2022, 9, 1), date(2023, 8, 31))
    assert academic.label == "academic year 2022/23 (September 2022 to August 2023)"
    assert academic.name == "academic year 2022/23"
    assert (academic.previous(), academic.next(), academic.shifted_years(-1)) == ("2021/22", "2023/24", "2021/22")
    financial = parse_period("2022/23")
    assert (financial.kind, financial.start, financial.end) == ("financial-year", date(2022, 4, 1), date(2023, 3, 31))
    # every other notation means the same on an academic measure
    assert parse_period("2022-09", years="academic") == parse_period("2022-09")
    assert parse_period("2022-Q3", years="academic").kind == "quarter"


@pytest.mark.parametrize("text, frequency, previous, following, year_ago", [
    ("2020-07/2021-06", "quarterly", "2020-04/2021-03", "2020-10/2021-09", "2019-07/2020-06"),
    ("2020-07/2021-06", "monthly", "2020-06/2021-05", "2020-08/2021-07", "2019-07/2020-06"),
    ("2020-07/2021-06", "bi-monthly", "2020-05/2021-04", "2020-09/2021-08", "2019-07/2020-06"),
    ("2021-01/2021-12", "annual", "2020-01/2020-12", "2022-01/2022-12", "2020-01/2020-12"),
    ("2024-04/2024-05", "bi-monthly", "2024-02/2024-03", "2024-06/2024-07", "2023-04/2023-05"),
    ("2024-11/2025-01", "monthly", "2024-10/2024-12", "2024-12/2025-02", "2023-11/2024-01"),
    ("P12M/2021-06-30", "quarterly", "P12M/2021-03-31", "P12M/2021-09-30", "P12M/2020-06-30"),
    ("P12M/2021-06-30", "monthly", "P12M/2021-05-31", "P12M/2021-07-31", "P12M/2020-06-30"),
    ("P12M/2021-02-28", "annual", "P12M/2020-02-29", "P12M/2022-02-28", "P12M/2020-02-29"),
    ("P1Y/2021-06-30", "quarterly", "P1Y/2021-03-31", "P1Y/2021-09-30", "P1Y/2020-06-30"),
])
def test_a_rolling_period_steps_by_its_measures_frequency(text, frequency, previous, following, year_ago):
    period = parse_period(text)
    assert (period.previous(frequency), period.next(frequency), period.shifted_years(-1)) == \
        (previous, following, year_ago)
    for other in (previous, following, year_ago):
        later = parse_period(other)
        assert later.kind == period.kind and later.length_months == period.length_months


def test_without_a_frequency_a_rolling_period_steps_by_its_own_length_and_none_for_irregular_steps():
    assert parse_period("2020-07/2021-06").next() == "2021-07/2022-06"
    assert parse_period("P3M/2021-06-30").previous() == "P3M/2021-03-31"
    assert parse_period("2020-07/2021-06").next("irregular") is None
    assert parse_period("P12M/2021-06-30").next("weekly") is None


@pytest.mark.parametrize("text, frequency, ok", [
    ("2020-07/2021-06", "monthly", True),
    ("2020-07/2021-06", "quarterly", True),
    ("2020-07/2021-06", "annual", True),
    ("2020-07/2021-06", "irregular", True),
    ("2020-07/2021-06", "weekly", False),
    ("2024-04/2024-05", "monthly", True),       # two months, a new one each month: they overlap
    ("2024-04/2024-05", "quarterly", False),    # a month between figures would go uncounted
    ("2024-04/2024-05", "annual", False),
    ("P12M/2021-06-30", "quarterly", True),
    ("P1M/2021-06-30", "quarterly", False),
    ("P1Y/2021-06-30", "annual", True),
    ("2022/23", "annual", True),
])
def test_rolling_periods_match_every_frequency_they_are_at_least_one_step_of(text, frequency, ok):
    assert matches_frequency(parse_period(text), frequency) is ok


def test_frequency_mismatches_say_why_in_words():
    from generator.domain.periods import frequency_mismatch
    assert frequency_mismatch(parse_period("2024-04/2024-05"), "quarterly") == (
        "'2024-04/2024-05' covers 2 months, but the measure is quarterly: each figure must cover at least "
        "3 months, or the months between figures go uncounted.")
    academic = parse_period("2022/23", years="academic")
    assert matches_frequency(academic, "annual", "academic")
    assert frequency_mismatch(academic, "monthly", "academic").startswith(
        "'2022/23' is an academic year, but the measure is monthly: write a month such as 2024-03")
    # on an academic measure, the notation to use names academic years, not financial ones
    wrong = frequency_mismatch(parse_period("2024-03"), "annual", "academic")
    assert "an academic year such as 2024/25 (September 2024 to August 2025)" in wrong
    assert "financial year" not in wrong


def test_consecutive_rolling_periods_must_be_one_step_apart_and_as_long():
    from generator.domain.periods import step_mismatch
    p = parse_period
    assert step_mismatch(p("2020-07/2021-06"), p("2020-10/2021-09"), "quarterly") is None
    assert step_mismatch(p("2020-07/2021-06"), p("2021-01/2021-12"), "quarterly") is None   # a gap of one
    assert step_mismatch(p("P12M/2021-06-30"), p("P12M/2021-09-30"), "quarterly") is None
    assert step_mismatch(p("2020-07/2021-06"), p("2020-11/2021-10"), "quarterly") == (
        "'2020-11/2021-10' does not follow '2020-07/2021-06' in a quarterly series: the next figure is for "
        "2020-10/2021-09 (the same length, ending 3 months later).")
    assert step_mismatch(p("2020-07/2021-06"), p("2021-07/2021-09"), "quarterly") is not None   # shorter
    assert step_mismatch(p("2024-01"), p("2024-03"), "monthly") is None       # fixed kinds are not its business


def test_overlap_is_told_by_the_periods_themselves():
    from generator.domain.periods import overlapping
    p = parse_period
    assert overlapping([p("2020-10/2021-09"), p("2020-07/2021-06")])
    assert overlapping([p("P12M/2021-06-30"), p("P12M/2021-09-30")])
    assert not overlapping([p("2024-04/2024-05"), p("2024-06/2024-07")])
    assert not overlapping([p("2021-01/2021-12"), p("2022-01/2022-12")])
    assert not overlapping([p("2024-01"), p("2024-02")]) and not overlapping([])
    assert overlapping([p("2024-03-01/2024-03-31"), p("2024-03-31/2024-04-30")])    # on the end day counts


@pytest.mark.parametrize("text, years, hint", [
    ("Jan 2021-Dec 2021", "financial", "2021-01/2021-12"),
    ("January 2021 to December 2021", "financial", "2021-01/2021-12"),
    ("Jul 20 - Jun 21", "financial", "2020-07/2021-06"),
    ("2021-01 to 2021-12", "financial", "2021-01/2021-12"),
    ("2021-12/2021-01", "financial", "2021-01/2021-12"),
    ("12 months to June 2021", "financial", "2020-07/2021-06, or as P12M/2021-06-30"),
    ("2020-07-01/P12M", "financial", "P12M/2021-06-30"),
    ("P12M/2021-06", "financial", "write P12M/2021-06-30, or the run of months 2020-07/2021-06"),
    ("p12m/2021-06-30", "financial", "P12M/2021-06-30"),
    ("P1Y6M/2021-06-30", "financial", "P18M/2021-06-30"),
    ("P52W/2021-06-30", "financial", "months (PnM) or years (PnY); for a span of weeks or days write the interval "
                                     "2020-07-02/2021-06-30"),
    ("P365D/2021-06-30", "financial", "2020-07-01/2021-06-30"),
    ("P0M/2021-06-30", "financial", "P1M or longer"),
    ("2022/24", "academic", "Write 2022/23 for September 2022 to August 2023."),
    ("2022/24", "financial", "Write 2022/23 for April 2022 to March 2023."),
    ("2022-2023", "academic", "Write academic years as YYYY/YY: 2022/23."),
    ("2022/23-Q1", "academic", "Write calendar quarters"),
])
def test_periods_of_real_statistics_are_refused_with_the_right_notation(text, years, hint):
    with pytest.raises(PeriodError) as info:
        parse_period(text, years=years)
    assert hint in str(info.value)


def test_the_notations_list_and_kind_names_cover_the_new_notations():
    from generator.domain.periods import KIND_NAMES, NOTATIONS
    for example in ("2020-07/2021-06", "P12M/2021-06-30", "academic"):
        assert example in NOTATIONS
    assert {"months", "duration", "academic-year"} <= set(KIND_NAMES)
    assert {k for f in Frequency for k in f.kinds} == set(KIND_NAMES)


def test_bi_months_read_on_chart_axes_as_they_always_have():
    assert parse_period("2024-12/2025-01").short_label == "Dec–Jan 2025"
    assert parse_period("2024-12/2025-11").short_label == "Dec 2024–Nov 2025"


def test_spans_of_rolling_periods_read_as_their_ends():
    assert span_label(parse_period("2019-07/2020-06"), parse_period("2020-10/2021-09")) == \
        "12 months ending June 2020 to September 2021"
    assert span_label(parse_period("P12M/2020-06-30"), parse_period("P12M/2021-09-30")) == \
        "12 months ending 30 June 2020 to 30 September 2021"
    # bi-months read as they always have
    assert span_label(parse_period("2022-04/2022-05"), parse_period("2026-08/2026-09")) == \
        "2022-04/2022-05 to 2026-08/2026-09"
