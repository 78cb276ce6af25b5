"""Property-based tests (hypothesis): the period grammar and the download writers, on inputs no one
thought to write by hand."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.publish.formats import csv_text, neutralise
from generator.domain.model import Field
from generator.importers.money import parse_amount
from generator.domain.periods import parse_period

years = st.integers(min_value=1990, max_value=2090)
months = st.integers(min_value=1, max_value=12)


@st.composite
def periods(draw) -> str:
    y, m = draw(years), draw(months)
    kind = draw(st.sampled_from(["month", "quarter", "fy", "fq", "year", "week", "day", "bimonth", "months",
                                 "duration", "interval"]))
    if kind == "month":
        return f"{y}-{m:02d}"
    if kind == "quarter":
        return f"{y}-Q{draw(st.integers(1, 4))}"
    if kind == "fy":
        return f"{y}/{(y + 1) % 100:02d}"
    if kind == "fq":
        return f"{y}/{(y + 1) % 100:02d}-Q{draw(st.integers(1, 4))}"
    if kind == "year":
        return f"{y}"
    if kind == "week":
        return f"{y}-W{draw(st.integers(1, 52)):02d}"
    day = date(y, m, 1) + timedelta(days=draw(st.integers(0, 27)))
    if kind == "day":
        return day.isoformat()
    if kind == "months":     # a run of n months, rolling
        n = draw(st.integers(1, 36))
        last = y * 12 + m - 1 + n - 1
        return f"{y}-{m:02d}/{last // 12}-{last % 12 + 1:02d}"
    if kind == "duration":   # n months (or years) to a month's last day
        unit = draw(st.sampled_from(["M", "Y"]))
        end = date(y, m % 12 + 1, 1) - timedelta(days=1) if m < 12 else date(y, 12, 31)
        return f"P{draw(st.integers(1, 36 if unit == 'M' else 5))}{unit}/{end.isoformat()}"
    if kind == "bimonth":
        start = date(y, m if m < 12 else 11, 1)
        end = date(start.year, start.month + 1, 1)
        return f"{start:%Y-%m}/{end:%Y-%m}"
    return f"{day.isoformat()}/{(day + timedelta(days=draw(st.integers(1, 400)))).isoformat()}"


@given(periods())
def test_every_period_parses_to_its_own_notation_and_a_real_span(text):
    period = parse_period(text)
    assert period.text == text
    assert period.start <= period.end
    assert period.label and period.name


@given(periods(), st.sampled_from(["monthly", "bi-monthly", "quarterly", "annual"]))
def test_rolling_periods_step_by_the_frequency_and_back(text, frequency):
    """A run of months or a duration steps by the frequency, keeps its length, and steps back again."""
    period = parse_period(text)
    if period.kind not in ("months", "duration"):
        return
    following = parse_period(period.next(frequency))
    assert following.length_months == period.length_months
    assert following.previous(frequency) == text
    assert following.end > period.end


@given(periods())
def test_next_and_previous_are_inverse(text):
    period = parse_period(text)
    following = period.next()
    if following is not None:
        assert parse_period(following).previous() == text
        assert parse_period(following).start == period.end + timedelta(days=1)


@given(st.text(min_size=1, max_size=12).filter(lambda t: not t.strip().isdigit()))
def test_text_that_is_not_a_period_is_refused_or_means_itself(text):
    try:
        period = parse_period(text)
    except ValueError:
        return
    assert period.text == text


text_cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
numbers = st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=200)
@given(st.lists(st.tuples(text_cells, numbers), max_size=20))
def test_csv_writer_round_trips_numbers_exactly_and_text_safely(rows):
    fields = [Field("note", "string", "", "", ""), Field("amount", "number", "", "", "")]
    written = csv_text(fields, [[t, str(n)] for t, n in rows])
    read = list(csv.reader(io.StringIO(written, newline="")))
    assert read[0] == ["note", "amount"]
    assert [r[1] for r in read[1:]] == [str(n) for _, n in rows]                 # numbers never altered
    assert [r[0] for r in read[1:]] == [neutralise(t) if t else t for t, _ in rows]   # text only neutralised
    assert all(not r[0].startswith(("=", "+", "-", "@", "\t", "\r")) for r in read[1:])


@given(numbers)
def test_amounts_written_as_finance_systems_write_them_read_back_exactly(value):
    plain = f"{abs(value):,.2f}"
    for text in (f"£{plain}", f"({plain})" if value < 0 else plain, f"{plain} CR" if value < 0 else f"£{plain}"):
        sign = -1 if value < 0 and ("(" in text or "CR" in text) else 1
        assert parse_amount(text) == sign * abs(value).quantize(Decimal("0.01"))
