"""The period grammar: every period a council reports by, parsed once into dates.

Notation (ISO 8601 where it can be):

    2024-03                 month
    2024-Q1                 calendar quarter (January to March)
    2024/25                 financial year (April 2024 to March 2025)
    2024/25-Q1              financial quarter (April to June 2024)
    2024                    calendar year
    2024-W05                ISO week
    2024-03-31              day
    2024-04/2024-05         bi-month (two consecutive months)
    2024-03-01/2024-04-30   any other interval of days

Spreadsheet-mangled and ambiguous forms (``Mar-24``, ``2024/2025``, ``01/03/2024``)
are refused with a hint naming the right notation.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .vocabulary import Frequency

MONTH_NAMES = [calendar.month_name[m] for m in range(1, 13)]
_MONTH_ABBR = {calendar.month_abbr[m].lower(): m for m in range(1, 13)}
_MONTH_ABBR.update({calendar.month_name[m].lower(): m for m in range(1, 13)})
_MONTH_ABBR["sept"] = 9


class PeriodError(ValueError):
    """A period that is not in the grammar; ``hint`` suggests the right notation."""

    def __init__(self, text: str, message: str, hint: str | None = None):
        self.text = text
        self.hint = hint
        super().__init__(message + (f" {hint}" if hint else ""))


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period with inclusive start and end dates."""

    start: date
    end: date
    kind: str = field(compare=False)
    text: str = field(compare=False)

    @property
    def label(self) -> str:
        """Plain-English name, as a resident would say it."""
        return _LABELLERS[self.kind](self)

    @property
    def name(self) -> str:
        """The label without the months it covers, for use inside a sentence."""
        return _NAMERS.get(self.kind, _LABELLERS[self.kind])(self)

    @property
    def when(self) -> str:
        """The name with its preposition, inside a sentence: 'in March 2024', 'on 31 March 2024'."""
        return _WHEN.get(self.kind, lambda p: f"in {p.name}")(self)

    @property
    def short_label(self) -> str:
        """A compact name for chart axes."""
        return _SHORT_LABELLERS.get(self.kind, _LABELLERS[self.kind])(self)

    def shifted_years(self, years: int) -> str:
        """The same period ``years`` earlier or later, in the same notation."""
        return _SHIFTERS[self.kind](self, years)

    def previous(self) -> str | None:
        """The notation of the period just before, where the kind has a fixed step."""
        step = _STEPPERS.get(self.kind)
        return step(self, -1) if step else None

    def next(self) -> str | None:
        step = _STEPPERS.get(self.kind)
        return step(self, 1) if step else None

    @property
    def months(self) -> str:
        """The months it covers: 'April to June 2024'."""
        return _range_label(self)


def financial_quarter_of(day: date) -> Period:
    """The financial quarter a day falls in: 2024-05-01 is in 2024/25-Q1 (April to June 2024)."""
    start = day.year if day.month >= 4 else day.year - 1
    return parse_period(f"{_fy_text(start)}-Q{(day.month - 4) % 12 // 3 + 1}")


KIND_NAMES = {
    "month": "a month such as 2024-03",
    "quarter": "a calendar quarter such as 2024-Q1",
    "financial-year": "a financial year such as 2024/25",
    "financial-quarter": "a financial quarter such as 2024/25-Q1",
    "year": "a calendar year such as 2024",
    "week": "an ISO week such as 2024-W05",
    "day": "a day such as 2024-03-31",
    "bi-month": "a bi-month such as 2024-04/2024-05",
    "interval": "an interval such as 2024-03-01/2024-04-30",
}


def expected_notation(frequency: str) -> str:
    """Name the notations a frequency allows, for messages."""
    return " or ".join(KIND_NAMES[k] for k in Frequency(frequency).kinds)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _make_month(year: int, month: int, text: str) -> Period:
    return Period(date(year, month, 1), _month_end(year, month), "month", text)


def _make_quarter(year: int, q: int, text: str) -> Period:
    first = 3 * (q - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), "quarter", text)


def _make_fy(year: int, text: str) -> Period:
    return Period(date(year, 4, 1), date(year + 1, 3, 31), "financial-year", text)


def _make_fq(year: int, q: int, text: str) -> Period:
    y, m = _add_months(year, 4, 3 * (q - 1))
    ey, em = _add_months(y, m, 2)
    return Period(date(y, m, 1), _month_end(ey, em), "financial-quarter", text)


def _check_fy(text: str, start: int, end2: str) -> int:
    """A financial year's second part must be the next year's last two digits."""
    if (start + 1) % 100 != int(end2):
        raise PeriodError(
            text,
            f"'{text}' is not a financial year: the second year must follow the first.",
            f"Write {start}/{(start + 1) % 100:02d} for April {start} to March {start + 1}.",
        )
    return start


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})/(\d{2})$"), "financial-year"),
    (re.compile(r"^(\d{4})/(\d{2})-Q([1-4])$"), "financial-quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$"), "bi-month"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$"), "interval"),
]


def parse_period(text: str) -> Period:
    """Parse one period; raise PeriodError (with a hint where we can guess) otherwise."""
    if not isinstance(text, str):
        raise PeriodError(str(text), f"'{text}' is not a period.")
    if text != text.strip():
        raise PeriodError(text, f"'{text}' has spaces around it.", f"Write '{text.strip()}'.")
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return _BUILDERS[kind](text, *match.groups())
            except ValueError as exc:
                if isinstance(exc, PeriodError):
                    raise
                raise PeriodError(text, f"'{text}' is not a real {kind.replace('-', ' ')}: {exc}.",
                                  suggest(text)) from None
    raise PeriodError(text, f"'{text}' is not a period in the Dashboard's notation.", suggest(text) or NOTATIONS)


def _build_month(text, y, m):
    return _make_month(int(y), int(m), text)


def _build_quarter(text, y, q):
    return _make_quarter(int(y), int(q), text)


def _build_fy(text, y, e):
    return _make_fy(_check_fy(text, int(y), e), text)


def _build_fq(text, y, e, q):
    return _make_fq(_check_fy(text, int(y), e), int(q), text)


def _build_year(text, y):
    return Period(date(int(y), 1, 1), date(int(y), 12, 31), "year", text)


def _build_week(text, y, w):
    start = date.fromisocalendar(int(y), int(w), 1)
    return Period(start, start + timedelta(days=6), "week", text)


def _build_day(text, y, m, d):
    day = date(int(y), int(m), int(d))
    return Period(day, day, "day", text)


def _build_bimonth(text, y1, m1, y2, m2):
    y1, m1, y2, m2 = int(y1), int(m1), int(y2), int(m2)
    date(y1, m1, 1), date(y2, m2, 1)  # range checks
    if _add_months(y1, m1, 1) != (y2, m2):
        raise PeriodError(
            text,
            f"'{text}' is not a bi-month: the second month must follow the first.",
            f"Write {y1}-{m1:02d}/{'%d-%02d' % _add_months(y1, m1, 1)}.",
        )
    return Period(date(y1, m1, 1), _month_end(y2, m2), "bi-month", text)


def _build_interval(text, a, b):
    start, end = date.fromisoformat(a), date.fromisoformat(b)
    if end < start:
        raise PeriodError(text, f"'{text}' ends before it starts.")
    return Period(start, end, "interval", text)


_BUILDERS = {
    "month": _build_month,
    "quarter": _build_quarter,
    "financial-year": _build_fy,
    "financial-quarter": _build_fq,
    "year": _build_year,
    "week": _build_week,
    "day": _build_day,
    "bi-month": _build_bimonth,
    "interval": _build_interval,
}


def suggest(text: str) -> str | None:
    """Guess what a mangled period meant, as a hint; None when we cannot tell."""
    t = text.strip()
    # Mar-24, Mar 2024, March 2024, 24-Mar (Excel's favourite re-formattings)
    m = re.match(r"^([A-Za-z]{3,9})[-\s/.']*(\d{2}|\d{4})$", t) or re.match(r"^(\d{2})-([A-Za-z]{3,9})$", t)
    if m:
        a, b = m.groups()
        name, yy = (a, b) if a[0].isalpha() else (b, a)
        month = _MONTH_ABBR.get(name.lower())
        if month:
            year = int(yy) + (2000 if len(yy) == 2 else 0)
            return f"Write months as YYYY-MM: {year}-{month:02d} (a spreadsheet may have re-formatted it)."
    m = re.match(r"^(\d{4})\s*[/-]\s*(\d{4})$", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if b == a + 1:
            return f"Write financial years as YYYY/YY: {a}/{b % 100:02d}."
        return "Write financial years as YYYY/YY, the second year following the first, e.g. 2024/25."
    m = re.match(r"^(\d{4})-(\d{2})$", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if (a + 1) % 100 == b:
            return f"'{t}' reads as a month; for a financial year write {a}/{b:02d}."
    m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$", t)
    if m:
        d, mo, y = m.groups()
        year = int(y) + (2000 if len(y) == 2 else 0)
        return (f"Dates like {t} are ambiguous (day/month or month/day); write them as YYYY-MM-DD, "
                f"e.g. {year}-{int(mo):02d}-{int(d):02d} if it is day/month.")
    m = re.match(r"^(\d{4})-(\d)$", t)
    if m:
        return f"Write months with two digits: {m.group(1)}-{int(m.group(2)):02d}."
    m = re.match(r"^[Qq]([1-4])[\s-]*(\d{4})$", t) or re.match(r"^(\d{4})\s*-?\s*[Qq]([1-4])$", t)
    if m:
        a, b = m.groups()
        year, q = (b, a) if len(a) == 1 else (a, b)
        return f"Write calendar quarters as YYYY-Qn: {year}-Q{q}."
    m = re.match(r"^(\d{4})/(\d{2})\s*[-\s]?\s*[Qq]([1-4])$", t)
    if m:
        return f"Write financial quarters as YYYY/YY-Qn: {m.group(1)}/{m.group(2)}-Q{m.group(3)}."
    return None


NOTATIONS = ("Use one of: 2024-03 (month), 2024-Q1 (quarter), 2024/25 (financial year), "
             "2024/25-Q1 (financial quarter), 2024 (year), 2024-W05 (week), 2024-03-31 (day), "
             "2024-04/2024-05 (bi-month), 2024-03-01/2024-04-30 (interval).")


def matches_frequency(period: Period, frequency: str) -> bool:
    return period.kind in Frequency(frequency).kinds


# --- labels -------------------------------------------------------------------------------

def _fy_text(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _range_label(p: Period) -> str:
    s, e = p.start, p.end
    if s.year == e.year:
        return f"{MONTH_NAMES[s.month - 1]} to {MONTH_NAMES[e.month - 1]} {e.year}"
    return f"{MONTH_NAMES[s.month - 1]} {s.year} to {MONTH_NAMES[e.month - 1]} {e.year}"


def day_label(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


_LABELLERS = {
    "month": lambda p: f"{MONTH_NAMES[p.start.month - 1]} {p.start.year}",
    "quarter": lambda p: f"{p.start.year} quarter {(p.start.month - 1) // 3 + 1} ({_range_label(p)})",
    "financial-year": lambda p: f"{p.text} (April {p.start.year} to March {p.end.year})",
    "financial-quarter": lambda p: f"{p.text[:7]} quarter {p.text[-1]} ({_range_label(p)})",
    "year": lambda p: p.text,
    "week": lambda p: f"week {int(p.text[-2:])} of {p.text[:4]} (starting {day_label(p.start)})",
    "day": lambda p: day_label(p.start),
    "bi-month": _range_label,
    "interval": lambda p: f"{day_label(p.start)} to {day_label(p.end)}",
}

_NAMERS = {
    "quarter": lambda p: f"{p.start.year} quarter {(p.start.month - 1) // 3 + 1}",
    "financial-year": lambda p: p.text,
    "financial-quarter": lambda p: f"{p.text[:7]} quarter {p.text[-1]}",
    "week": lambda p: f"week {int(p.text[-2:])} of {p.text[:4]}",
}

_WHEN = {
    "day": lambda p: f"on {p.name}",
    "interval": lambda p: f"from {day_label(p.start)} to {day_label(p.end)}",
}

_SHORT_LABELLERS = {
    "month": lambda p: f"{calendar.month_abbr[p.start.month]} {p.start.year}",
    "quarter": lambda p: p.text,
    "financial-year": lambda p: p.text,
    "financial-quarter": lambda p: p.text,
    "week": lambda p: p.text,
    "day": lambda p: p.text,
    "bi-month": lambda p: f"{calendar.month_abbr[p.start.month]}–{calendar.month_abbr[p.end.month]} {p.end.year}",
    "interval": lambda p: p.text,
}


# --- arithmetic ---------------------------------------------------------------------------

def _shift_months(p: Period, n: int) -> str:
    y, m = _add_months(p.start.year, p.start.month, n)
    return f"{y}-{m:02d}"


def _shift_quarter(p: Period, n: int) -> str:
    index = p.start.year * 4 + (p.start.month - 1) // 3 + n
    return f"{index // 4}-Q{index % 4 + 1}"


def _shift_fq(p: Period, n: int) -> str:
    fy = int(p.text[:4])
    index = fy * 4 + int(p.text[-1]) - 1 + n
    return f"{_fy_text(index // 4)}-Q{index % 4 + 1}"


def _shift_bimonth(p: Period, n: int) -> str:
    y, m = _add_months(p.start.year, p.start.month, 2 * n)
    y2, m2 = _add_months(y, m, 1)
    return f"{y}-{m:02d}/{y2}-{m2:02d}"


def _shift_week(p: Period, n: int) -> str:
    y, w, _ = (p.start + timedelta(weeks=n)).isocalendar()
    return f"{y}-W{w:02d}"


_STEPPERS = {
    "month": _shift_months,
    "quarter": _shift_quarter,
    "financial-year": lambda p, n: _fy_text(p.start.year + n),
    "financial-quarter": _shift_fq,
    "year": lambda p, n: str(p.start.year + n),
    "week": _shift_week,
    "bi-month": _shift_bimonth,
}


def _shift_day_years(p: Period, years: int) -> str:
    try:
        return p.start.replace(year=p.start.year + years).isoformat()
    except ValueError:  # 29 February
        return date(p.start.year + years, 2, 28).isoformat()


_SHIFTERS = {
    "month": lambda p, y: _shift_months(p, 12 * y),
    "quarter": lambda p, y: _shift_quarter(p, 4 * y),
    "financial-year": lambda p, y: _fy_text(p.start.year + y),
    "financial-quarter": lambda p, y: _shift_fq(p, 4 * y),
    "year": lambda p, y: str(p.start.year + y),
    "week": lambda p, y: f"{int(p.text[:4]) + y}-W{p.text[-2:]}",
    "day": _shift_day_years,
    "bi-month": lambda p, y: _shift_bimonth(p, 6 * y),
    "interval": lambda p, y: f"{_shift_day_years(Period(p.start, p.start, 'day', ''), y)}/"
                             f"{_shift_day_years(Period(p.end, p.end, 'day', ''), y)}",
}


def span_label(first: Period, last: Period) -> str:
    """'April 2019 to September 2026' for a statistical subtitle."""
    if first.kind in ("month",):
        return f"{first.label} to {last.label}"
    return f"{first.text} to {last.text}"
