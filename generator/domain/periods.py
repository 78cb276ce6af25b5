"""The period grammar: every period a council reports by, parsed once into dates.

Notation (ISO 8601 where it can be):

    2024-03                 month
    2024-Q1                 calendar quarter (January to March)
    2024/25                 financial year (April 2024 to March 2025)
    2024/25-Q1              financial quarter (April to June 2024)
    2024                    calendar year
    2024-W05                ISO week
    2024-03-31              day
    2024-04/2024-05         a run of months: two (a bi-month), twelve (2020-07/2021-06), any n
    P12M/2021-06-30         months (PnM) or years (PnY) ending on a day: 1 July 2020 to 30 June 2021
    2024-03-01/2024-04-30   any other interval of days

On a measure whose years are academic (``parse_period(text, years="academic")``), ``2024/25``
is September 2024 to August 2025.

Runs of months and durations may overlap (12 months to June, then 12 months to September): where
their next figure ends is a step of the measure's frequency, not of the period's own length.

Spreadsheet-mangled and ambiguous forms (``Mar-24``, ``2024/2025``, ``01/03/2024``)
are refused with a hint naming the right notation.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .vocabulary import Frequency, Years

# The site is in English whatever the language of the machine that builds it: Pelican sets the system's
# locale, whose month names (calendar's, strftime's %B) would put "Dezember" on one council's pages and in
# the cache's kept summaries and pages, which no key tells apart. Every date the site writes is written here.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
_ABBR = ("", *(name[:3] for name in MONTH_NAMES))       # _ABBR[1] is "Jan"
_MONTH_ABBR = {name.lower(): m for m, name in enumerate(_ABBR) if name}
_MONTH_ABBR.update({name.lower(): m for m, name in enumerate(MONTH_NAMES, start=1)})
_MONTH_ABBR["sept"] = 9


def month_number(name: str) -> int | None:
    """The month a name or its short form means, in any case ("Mar", "march", "Sept"), or None."""
    return _MONTH_ABBR.get(name.lower())


class PeriodError(ValueError):
    """A period that is not in the grammar; ``hint`` suggests the right notation."""

    def __init__(self, text: str, message: str, hint: str | None = None):
        self.text = text
        self.hint = hint
        super().__init__(message + (f" {hint}" if hint else ""))


# Kinds whose figures may overlap: their step comes from the measure's frequency.
ROLLING = ("months", "duration")


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

    @property
    def kind_words(self) -> str:
        """What kind of period it is, for messages: 'a financial year', 'a run of 12 months'."""
        if self.kind in ROLLING:
            return f"a {'duration' if self.kind == 'duration' else 'run'} of {_length_words(self)}"
        return KIND_NAMES[self.kind].split(" such as ")[0]

    @property
    def years(self) -> Years:
        """Which years its `YYYY/YY` means, so that a period worked out from it is read the same way."""
        return Years.ACADEMIC if self.kind == Years.ACADEMIC.kind else Years.FINANCIAL

    @property
    def length_months(self) -> int | None:
        """How many months a run of months or a duration covers; None for other kinds."""
        if self.kind == "months":
            return _months_between(self.start, self.end) + 1
        if self.kind == "duration":
            return _duration(self.text)[0]
        return None

    def shifted_years(self, years: int) -> str:
        """The same period ``years`` earlier or later, in the same notation."""
        return _SHIFTERS[self.kind](self, years)

    def previous(self, frequency: str | None = None) -> str | None:
        """The notation of the period just before, where the kind has a fixed step.

        A run of months or a duration steps by its measure's `frequency` (12 months to June 2021,
        quarterly: 12 months to March 2021); without one, by its own length (back to back)."""
        return self._step(-1, frequency)

    def next(self, frequency: str | None = None) -> str | None:
        """The notation of the period just after (see `previous`)."""
        return self._step(1, frequency)

    def _step(self, n: int, frequency: str | None) -> str | None:
        if self.kind in ROLLING:
            months = Frequency(frequency).months if frequency else self.length_months
            return _ROLLERS[self.kind](self, n * months) if months else None
        step = _STEPPERS.get(self.kind)
        return step(self, n) if step else None

    @property
    def months(self) -> str:
        """The months it covers: 'April to June 2024'."""
        return _range_label(self)


def financial_quarter_of(day: date) -> Period:
    """The financial quarter a day falls in: 2024-05-01 is in 2024/25-Q1 (April to June 2024)."""
    start = day.year if day.month >= 4 else day.year - 1
    return parse_period(f"{_fy_text(start)}-Q{(day.month - 4) % 12 // 3 + 1}")


def overlapping(periods: list[Period]) -> bool:
    """Whether any period starts on or before the end of the one before it (in time order): such
    figures share months, so neighbouring figures are not independent of each other."""
    ordered = sorted(periods)
    return any(b.start <= a.end for a, b in zip(ordered, ordered[1:]))


KIND_NAMES = {
    "month": "a month such as 2024-03",
    "quarter": "a calendar quarter such as 2024-Q1",
    "financial-year": "a financial year such as 2024/25",
    "academic-year": "an academic year such as 2024/25 (September 2024 to August 2025)",
    "financial-quarter": "a financial quarter such as 2024/25-Q1",
    "year": "a calendar year such as 2024",
    "week": "an ISO week such as 2024-W05",
    "day": "a day such as 2024-03-31",
    "months": "a run of months such as 2024-04/2024-05 or 2020-07/2021-06",
    "duration": "months or years ending on a day such as P12M/2021-06-30",
    "interval": "an interval such as 2024-03-01/2024-04-30",
}


def expected_notation(frequency: str, years: str = Years.FINANCIAL) -> str:
    """Name the notations a frequency allows, for messages."""
    return " or ".join(KIND_NAMES[k] for k in _allowed_kinds(frequency, years))


@functools.lru_cache(maxsize=None)      # asked for every row of every measure; few frequencies and years
def _allowed_kinds(frequency: str, years: str) -> tuple[str, ...]:
    other = Years.FINANCIAL if Years(years) is Years.ACADEMIC else Years.ACADEMIC
    kinds = [k for k in Frequency(frequency).kinds if k != other.kind]
    # academic years have no quarters in the notation
    return tuple(k for k in kinds if not (k == "financial-quarter" and Years(years) is Years.ACADEMIC))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _day_months_later(day: date, n: int) -> date:
    """The same day of the month n months later (or earlier); a month's last day stays its last day."""
    y, m = _add_months(day.year, day.month, n)
    last = calendar.monthrange(y, m)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(y, m, last if at_end else min(day.day, last))


def _make_month(year: int, month: int, text: str) -> Period:
    return Period(date(year, month, 1), _month_end(year, month), "month", text)


def _make_quarter(year: int, q: int, text: str) -> Period:
    first = 3 * (q - 1) + 1
    return Period(date(year, first, 1), _month_end(year, first + 2), "quarter", text)


def _make_year_of(years: Years, year: int, text: str) -> Period:
    ey, em = _add_months(year, years.first_month, 11)
    return Period(date(year, years.first_month, 1), _month_end(ey, em), years.kind, text)


def _make_fq(year: int, q: int, text: str) -> Period:
    y, m = _add_months(year, 4, 3 * (q - 1))
    ey, em = _add_months(y, m, 2)
    return Period(date(y, m, 1), _month_end(ey, em), "financial-quarter", text)


def _check_fy(text: str, start: int, end2: str, years: Years = Years.FINANCIAL) -> int:
    """A financial (or academic) year's second part must be the next year's last two digits."""
    if (start + 1) % 100 != int(end2):
        first, last = MONTH_NAMES[years.first_month - 1], MONTH_NAMES[(years.first_month + 10) % 12]
        raise PeriodError(
            text,
            f"'{text}' is not {'an academic' if years is Years.ACADEMIC else 'a financial'} year: "
            "the second year must follow the first.",
            f"Write {start}/{(start + 1) % 100:02d} for {first} {start} to {last} {start + 1}.",
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
    (re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$"), "months"),
    (re.compile(r"^P(\d{1,3})([MY])/(\d{4})-(\d{2})-(\d{2})$"), "duration"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$"), "interval"),
]


def parse_period(text: str, *, years: str = Years.FINANCIAL) -> Period:
    """Parse one period; raise PeriodError (with a hint where we can guess) otherwise.

    `years` is the measure's `dashboard.years`: whether `2024/25` is a financial year (April to
    March) or an academic one (September to August)."""
    if not isinstance(text, str):
        raise PeriodError(str(text), f"'{text}' is not a period.")
    return _parsed(text, Years(years))


@functools.lru_cache(maxsize=1 << 16)
def _parsed(text: str, years: Years) -> Period:
    """parse_period's work, once for each text: a table repeats its periods on every row and every
    measure names the same months, so a large site parses the same few hundred texts a million times
    (Periods are frozen: every row may share one). A PeriodError is raised each time, never kept."""
    if text != text.strip():
        raise PeriodError(text, f"'{text}' has spaces around it.", f"Write '{text.strip()}'.")
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return _BUILDERS[kind](text, years, *match.groups())
            except ValueError as exc:
                if isinstance(exc, PeriodError):
                    raise
                words = KIND_NAMES[years.kind if kind == "financial-year" else kind].split(" such as ")[0]
                words = words.split(" ", 1)[1]     # without its article
                raise PeriodError(text, f"'{text}' is not a real {words}: {exc}.", suggest(text, years)) from None
    raise PeriodError(text, f"'{text}' is not a period in the Dashboard's notation.",
                      suggest(text, years) or NOTATIONS)


def _build_month(text, years, y, m):
    return _make_month(int(y), int(m), text)


def _build_quarter(text, years, y, q):
    return _make_quarter(int(y), int(q), text)


def _build_fy(text, years, y, e):
    return _make_year_of(years, _check_fy(text, int(y), e, years), text)


def _build_fq(text, years, y, e, q):
    if years is Years.ACADEMIC:
        raise PeriodError(text, f"'{text}' is a financial quarter, but this measure's years are academic "
                                "(September to August), which have no quarters in the notation.",
                          f"Write calendar quarters such as {int(y) + 1}-Q1, or runs of months such as "
                          f"{y}-09/{y}-11.")
    return _make_fq(_check_fy(text, int(y), e), int(q), text)


def _build_year(text, years, y):
    return Period(date(int(y), 1, 1), date(int(y), 12, 31), "year", text)


def _build_week(text, years, y, w):
    start = date.fromisocalendar(int(y), int(w), 1)
    return Period(start, start + timedelta(days=6), "week", text)


def _build_day(text, years, y, m, d):
    day = date(int(y), int(m), int(d))
    return Period(day, day, "day", text)


def _build_months(text, years, y1, m1, y2, m2):
    start, last = date(int(y1), int(m1), 1), date(int(y2), int(m2), 1)  # range checks
    if last < start:
        raise PeriodError(text, f"'{text}' ends before it starts: the first month comes first.",
                          f"Write {y2}-{m2}/{y1}-{m1}.")
    return Period(start, _month_end(last.year, last.month), "months", text)


def _build_duration(text, years, n, unit, y, m, d):
    end = date(int(y), int(m), int(d))
    months = int(n) * (12 if unit == "Y" else 1)
    if months == 0:
        raise PeriodError(text, f"'{text}' lasts no time at all.", "Write P1M or longer, e.g. P12M/2021-06-30.")
    after = end + timedelta(days=1)      # the duration runs back from the day after its end
    y, m = _add_months(after.year, after.month, -months)
    return Period(date(y, m, min(after.day, calendar.monthrange(y, m)[1])), end, "duration", text)


def _build_interval(text, years, a, b):
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
    "months": _build_months,
    "duration": _build_duration,
    "interval": _build_interval,
}


def _duration(text: str) -> tuple[int, str]:
    """(months, designator) of a duration's text: P12M/... is (12, 'M'), P1Y/... is (12, 'Y')."""
    n, unit = re.match(r"^P(\d+)([MY])/", text).groups()
    return int(n) * (12 if unit == "Y" else 1), unit


_MONTH_WORD = r"([A-Za-z]{3,9})[\s.'-]*(\d{4}|\d{2})"


def suggest(text: str, years: str = Years.FINANCIAL) -> str | None:
    """Guess what a mangled period meant, as a hint; None when we cannot tell."""
    t = text.strip()
    for guess in (_suggest_month, _suggest_months, _suggest_duration, _suggest_years, _suggest_other):
        hint = guess(t, Years(years))
        if hint:
            return hint
    return None


def _month_of(name: str, yy: str) -> tuple[int, int] | None:
    month = month_number(name)
    return (int(yy) + (2000 if len(yy) == 2 else 0), month) if month else None


def _suggest_month(t: str, years: Years) -> str | None:
    # Mar-24, Mar 2024, March 2024, 24-Mar (Excel's favourite re-formattings)
    m = re.match(r"^([A-Za-z]{3,9})[-\s/.']*(\d{2}|\d{4})$", t) or re.match(r"^(\d{2})-([A-Za-z]{3,9})$", t)
    if m:
        a, b = m.groups()
        found = _month_of(*((a, b) if a[0].isalpha() else (b, a)))
        if found:
            return f"Write months as YYYY-MM: {found[0]}-{found[1]:02d} (a spreadsheet may have re-formatted it)."
    return None


def _suggest_months(t: str, years: Years) -> str | None:
    """Jan 2021-Dec 2021, January 2021 to December 2021, 2021-01 to 2021-12: a run of months."""
    m = re.match(rf"^{_MONTH_WORD}\s*(?:-|–|to|/)\s*{_MONTH_WORD}$", t, re.IGNORECASE)
    pair = None
    if m:
        first, last = _month_of(m.group(1), m.group(2)), _month_of(m.group(3), m.group(4))
        pair = (first, last) if first and last else None
    m = re.match(r"^(\d{4})-(\d{2})\s*(?:-|–|to|/)\s*(\d{4})-(\d{2})$", t, re.IGNORECASE)
    if m and not pair:
        pair = ((int(m.group(1)), int(m.group(2))), (int(m.group(3)), int(m.group(4))))
    if not pair:
        return None
    (y1, m1), (y2, m2) = sorted(pair)
    return f"Write a run of months as YYYY-MM/YYYY-MM, first month first: {y1}-{m1:02d}/{y2}-{m2:02d}."


def _suggest_duration(t: str, years: Years) -> str | None:
    """Durations: P12M/2021-06-30 only (months or years, then the last day)."""
    m = re.match(r"^(\d{4}-\d{2}-\d{2})/[Pp](\d+)([MmYy])$", t)           # start/duration
    if m:
        months = int(m.group(2)) * (12 if m.group(3).upper() == "Y" else 1)
        try:
            start = date.fromisoformat(m.group(1))
        except ValueError:
            return None
        end = _day_months_later(start, months) - timedelta(days=1)
        return f"Write the duration before the day it ends: P{m.group(2)}{m.group(3).upper()}/{end.isoformat()}."
    m = re.match(r"^[Pp](\d+)([MmYy])/(\d{4})-(\d{2})$", t)                # ends on a month, not a day
    if m:
        n, unit, y, mo = int(m.group(1)), m.group(2).upper(), int(m.group(3)), int(m.group(4))
        if 1 <= mo <= 12 and n:
            months = n * (12 if unit == "Y" else 1)
            sy, sm = _add_months(y, mo, 1 - months)
            return (f"A duration ends on a day: write P{n}{unit}/{_month_end(y, mo).isoformat()}, "
                    f"or the run of months {sy}-{sm:02d}/{y}-{mo:02d}.")
    m = re.match(r"^[Pp](\d+)([MmYy])/(\d{4}-\d{2}-\d{2})$", t)            # lower case
    if m:
        return f"Write durations in capitals: P{m.group(1)}{m.group(2).upper()}/{m.group(3)}."
    m = re.match(r"^[Pp](?:(\d+)[Yy])?(?:(\d+)[Mm])?/(\d{4}-\d{2}-\d{2})$", t)  # P1Y6M
    if m and m.group(1) and m.group(2):
        return f"Write the duration in months alone: P{int(m.group(1)) * 12 + int(m.group(2))}M/{m.group(3)}."
    m = re.match(r"^[Pp](\d+)([WwDd])/(\d{4}-\d{2}-\d{2})$", t)              # weeks or days
    if m:
        try:
            end = date.fromisoformat(m.group(3))
        except ValueError:
            return None
        days = int(m.group(1)) * (7 if m.group(2).upper() == "W" else 1)
        start = end - timedelta(days=days - 1)
        return ("Durations are written in months (PnM) or years (PnY); for a span of weeks or days write the "
                f"interval {start.isoformat()}/{end.isoformat()}.")
    m = re.match(r"^(\d+)\s+months?\s+(?:to|ending)\s+" + _MONTH_WORD + "$", t, re.IGNORECASE)
    if m:
        found = _month_of(m.group(2), m.group(3))
        if found:
            n, (y, mo) = int(m.group(1)), found
            sy, sm = _add_months(y, mo, 1 - n)
            return (f"Write {n} months to {MONTH_NAMES[mo - 1]} {y} as the run of months {sy}-{sm:02d}/{y}-{mo:02d}, "
                    f"or as P{n}M/{_month_end(y, mo).isoformat()}.")
    return None


def _suggest_years(t: str, years: Years) -> str | None:
    word = "academic" if years is Years.ACADEMIC else "financial"
    m = re.match(r"^(\d{4})\s*[/-]\s*(\d{4})$", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if b == a + 1:
            return f"Write {word} years as YYYY/YY: {a}/{b % 100:02d}."
        return f"Write {word} years as YYYY/YY, the second year following the first, e.g. 2024/25."
    m = re.match(r"^(\d{4})-(\d{2})$", t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if (a + 1) % 100 == b:
            return f"'{t}' reads as a month; for {'an academic' if years is Years.ACADEMIC else 'a financial'} year " \
                   f"write {a}/{b:02d}."
    return None


def _suggest_other(t: str, years: Years) -> str | None:
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


NOTATIONS = ("Use one of: 2024-03 (month), 2024-Q1 (quarter), 2024/25 (financial or academic year), "
             "2024/25-Q1 (financial quarter), 2024 (year), 2024-W05 (week), 2024-03-31 (day), "
             "2024-04/2024-05 or 2020-07/2021-06 (a run of months), P12M/2021-06-30 (months to a day), "
             "2024-03-01/2024-04-30 (interval).")


def frequency_mismatch(period: Period, frequency: str, years: str = Years.FINANCIAL) -> str | None:
    """Why a period cannot be a figure of a measure published at this frequency; None when it can.

    A run of months or a duration fits any frequency with a step in months, as long as it is at
    least one step long: figures may overlap, but no month between them may go uncounted."""
    f = Frequency(frequency)
    if period.kind not in _allowed_kinds(f, years):
        return (f"'{period.text}' is {period.kind_words}, but the measure is {f.value}: "
                f"write {expected_notation(f, years)}.")
    if period.kind in ROLLING and f.months and period.length_months < f.months:
        return (f"'{period.text}' covers {_length_words(period)}, but the measure is {f.value}: each figure must "
                f"cover at least {_count(f.months, 'month')}, or the months between figures go uncounted.")
    return None


def matches_frequency(period: Period, frequency: str, years: str = Years.FINANCIAL) -> bool:
    return frequency_mismatch(period, frequency, years) is None


def step_mismatch(before: Period, after: Period, frequency: str) -> str | None:
    """Why `after` cannot follow `before` in one series of runs of months or durations; None when it can.

    The next figure has the same length and ends a whole number of steps of the frequency later
    (a missing figure is a gap, written as a row with [x], or left out)."""
    f = Frequency(frequency)
    if before.kind not in ROLLING or after.kind not in ROLLING or not f.months:
        return None
    following = before
    while following.end < after.end:
        following = parse_period(following.next(f))
    if (following.start, following.end) != (after.start, after.end):
        return (f"'{after.text}' does not follow '{before.text}' in a {f.value} series: the next figure is for "
                f"{before.next(f)} (the same length, ending {_count(f.months, 'month')} later).")
    return None


# --- labels -------------------------------------------------------------------------------

def _fy_text(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _length_words(p: Period) -> str:
    """'12 months', or '2 years' for a duration written in years."""
    months = p.length_months
    if p.kind == "duration" and _duration(p.text)[1] == "Y":
        return _count(months // 12, "year")
    return _count(months, "month")


def _range_label(p: Period) -> str:
    s, e = p.start, p.end
    if s.year == e.year:
        return f"{MONTH_NAMES[s.month - 1]} to {MONTH_NAMES[e.month - 1]} {e.year}"
    return f"{MONTH_NAMES[s.month - 1]} {s.year} to {MONTH_NAMES[e.month - 1]} {e.year}"


def day_label(d: date) -> str:
    """A day as the site writes it: "4 December 2026"."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def month_label(d: date) -> str:
    """A month as the site writes it: "March 2026"."""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def _short_month_range(p: Period) -> str:
    s, e = p.start, p.end
    if s.year == e.year:
        return f"{_ABBR[s.month]}–{_ABBR[e.month]} {e.year}"
    return f"{_ABBR[s.month]} {s.year}–{_ABBR[e.month]} {e.year}"


def _months_name(p: Period) -> str:
    """A run of months inside a sentence: 'March 2024', 'April to May 2024' (a bi-month, as ever),
    'the 12 months to June 2021'."""
    n = p.length_months
    if n == 1:
        return month_label(p.end)
    if n == 2:
        return _range_label(p)
    return f"the {n} months to {month_label(p.end)}"


def _months_label(p: Period) -> str:
    n = p.length_months
    return _months_name(p) if n <= 2 else f"{n} months to {month_label(p.end)} ({_range_label(p)})"


def _duration_name(p: Period) -> str:
    """'the 12 months to 30 June 2021', 'the year to 30 June 2021'."""
    length = _length_words(p)
    return f"the {length[2:] if length.startswith('1 ') else length} to {day_label(p.end)}"


_LABELLERS = {
    "month": lambda p: month_label(p.start),
    "quarter": lambda p: f"{p.start.year} quarter {(p.start.month - 1) // 3 + 1} ({_range_label(p)})",
    "financial-year": lambda p: f"{p.text} (April {p.start.year} to March {p.end.year})",
    "academic-year": lambda p: f"academic year {p.text} (September {p.start.year} to August {p.end.year})",
    "financial-quarter": lambda p: f"{p.text[:7]} quarter {p.text[-1]} ({_range_label(p)})",
    "year": lambda p: p.text,
    "week": lambda p: f"week {int(p.text[-2:])} of {p.text[:4]} (starting {day_label(p.start)})",
    "day": lambda p: day_label(p.start),
    "months": _months_label,
    "duration": lambda p: f"{_length_words(p)} to {day_label(p.end)} ({day_label(p.start)} to {day_label(p.end)})",
    "interval": lambda p: f"{day_label(p.start)} to {day_label(p.end)}",
}

_NAMERS = {
    "quarter": lambda p: f"{p.start.year} quarter {(p.start.month - 1) // 3 + 1}",
    "financial-year": lambda p: p.text,
    "academic-year": lambda p: f"academic year {p.text}",
    "financial-quarter": lambda p: f"{p.text[:7]} quarter {p.text[-1]}",
    "week": lambda p: f"week {int(p.text[-2:])} of {p.text[:4]}",
    "months": _months_name,
    "duration": _duration_name,
}

_WHEN = {
    "day": lambda p: f"on {p.name}",
    "interval": lambda p: f"from {day_label(p.start)} to {day_label(p.end)}",
}

_SHORT_LABELLERS = {
    "month": lambda p: f"{_ABBR[p.start.month]} {p.start.year}",
    "quarter": lambda p: p.text,
    "financial-year": lambda p: p.text,
    "academic-year": lambda p: p.text,
    "financial-quarter": lambda p: p.text,
    "week": lambda p: p.text,
    "day": lambda p: p.text,
    "months": lambda p: (f"{_ABBR[p.end.month]} {p.end.year}" if p.length_months == 1
                         # a bi-month as it has always read on chart axes: Dec–Jan 2025
                         else f"{_ABBR[p.start.month]}–{_ABBR[p.end.month]} {p.end.year}"
                         if p.length_months == 2 else _short_month_range(p)),
    "duration": lambda p: f"to {p.end.day} {_ABBR[p.end.month]} {p.end.year}",
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


def _roll_months(p: Period, n: int) -> str:
    """The run of the same length, n months later."""
    y1, m1 = _add_months(p.start.year, p.start.month, n)
    y2, m2 = _add_months(p.end.year, p.end.month, n)
    return f"{y1}-{m1:02d}/{y2}-{m2:02d}"


def _roll_duration(p: Period, n: int) -> str:
    """The same duration, ending n months later (a month's last day stays its last day)."""
    return f"{p.text.split('/')[0]}/{_day_months_later(p.end, n).isoformat()}"


def _shift_week(p: Period, n: int) -> str:
    y, w, _ = (p.start + timedelta(weeks=n)).isocalendar()
    return f"{y}-W{w:02d}"


_STEPPERS = {
    "month": _shift_months,
    "quarter": _shift_quarter,
    "financial-year": lambda p, n: _fy_text(p.start.year + n),
    "academic-year": lambda p, n: _fy_text(p.start.year + n),
    "financial-quarter": _shift_fq,
    "year": lambda p, n: str(p.start.year + n),
    "week": _shift_week,
}

_ROLLERS = {"months": _roll_months, "duration": _roll_duration}


def _shift_day_years(p: Period, years: int) -> str:
    try:
        return p.start.replace(year=p.start.year + years).isoformat()
    except ValueError:  # 29 February
        return date(p.start.year + years, 2, 28).isoformat()


_SHIFTERS = {
    "month": lambda p, y: _shift_months(p, 12 * y),
    "quarter": lambda p, y: _shift_quarter(p, 4 * y),
    "financial-year": lambda p, y: _fy_text(p.start.year + y),
    "academic-year": lambda p, y: _fy_text(p.start.year + y),
    "financial-quarter": lambda p, y: _shift_fq(p, 4 * y),
    "year": lambda p, y: str(p.start.year + y),
    "week": lambda p, y: f"{int(p.text[:4]) + y}-W{p.text[-2:]}",
    "day": _shift_day_years,
    "months": lambda p, y: _roll_months(p, 12 * y),
    "duration": lambda p, y: _roll_duration(p, 12 * y),
    "interval": lambda p, y: f"{_shift_day_years(Period(p.start, p.start, 'day', ''), y)}/"
                             f"{_shift_day_years(Period(p.end, p.end, 'day', ''), y)}",
}


def span_label(first: Period, last: Period) -> str:
    """'April 2019 to September 2026' for a statistical subtitle."""
    if first.kind in ("month",):
        return f"{first.label} to {last.label}"
    if first.kind in ROLLING and first.length_months != 2 and first.kind == last.kind:
        if first.kind == "duration":
            return f"{_length_words(first)} ending {day_label(first.end)} to {day_label(last.end)}"
        if first.length_months == 1:
            return f"{month_label(first.end)} to {month_label(last.end)}"
        return f"{_length_words(first)} ending {month_label(first.end)} to {month_label(last.end)}"
    return f"{first.text} to {last.text}"
