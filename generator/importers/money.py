"""Amounts and dates as finance systems export them, read exactly or refused with a reason.

Every rule is deliberate: "£1,234.50" is 1234.50; "(1,234.50)" and "1,234.50 CR" are credits
(negative); a comma that is not a thousands separator ("1,23") is refused rather than
guessed. Dates are ISO (2024-03-31), day-month-name (31-Mar-2024) or numeric with the
order given (dmy or mdy): "01/02/2024" alone cannot say which it is.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from ..domain.periods import MONTH_NAMES, month_number


class ValueProblem(ValueError):
    """A cell that cannot be read; the message says why and what would be read."""


_AMOUNT = re.compile(r"(?P<digits>\d{1,3}(,\d{3})+|\d+)?(?P<fraction>\.\d+)?")


def parse_amount(text: str) -> Decimal:
    """Pounds as an exact Decimal, credits negative."""
    raw = text
    s = text.replace("\u00a0", " ").replace("£", "").strip()
    s = s.removeprefix("GBP").strip()
    signs = 0                                        # one way of saying "credit", not two
    if s.startswith("(") and s.endswith(")"):
        signs, s = signs + 1, s[1:-1].strip()        # accounting style: (1,234.50)
    if s.upper().endswith("CR"):
        signs, s = signs + 1, s[:-2].strip()         # 1,234.50 CR
    if s.startswith("-"):
        signs, s = signs + 1, s[1:].strip()
    elif s.endswith("-"):
        signs, s = signs + 1, s[:-1].strip()         # 1234.50- from some ledgers
    if signs > 1:
        raise ValueProblem(f"'{raw}' marks a credit more than once")
    negative = signs == 1
    match = _AMOUNT.fullmatch(s)
    if not s or not match or not (match["digits"] or match["fraction"]):
        hint = " (a comma must separate thousands: 1,234.50)" if "," in s else ""
        raise ValueProblem(f"'{raw}' is not an amount in pounds{hint}")
    if match["fraction"] and len(match["fraction"]) > 3:
        # Pounds have pence, not thousandths: "1.234" is likely 1,234 written the European way.
        raise ValueProblem(f"'{raw}' has more than two decimal places, and pounds have pence: if the point "
                           "separates thousands (1.234 for 1,234), write 1,234 or 1234")
    try:
        value = Decimal((match["digits"] or "0").replace(",", "") + (match["fraction"] or ""))
    except InvalidOperation:
        raise ValueProblem(f"'{raw}' is not an amount in pounds") from None
    return -value if negative else value


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_NAMED = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})")


def numeric_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a dd/mm/yyyy-like date, to tell the file's order from its dates."""
    match = _NUMERIC.fullmatch(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def date_order(texts) -> tuple[str | None, str | None]:
    """('dmy' | 'mdy' | None, conflicting example): the order the numeric dates prove, if any."""
    day_first = month_first = None
    for text in texts:
        parts = numeric_parts(text)
        if parts is None:
            continue
        if parts[0] > 12 >= parts[1] and day_first is None:
            day_first = text
        if parts[1] > 12 >= parts[0] and month_first is None:
            month_first = text
    if day_first and month_first:
        return None, f"'{day_first}' is day first but '{month_first}' is month first"
    return ("dmy" if day_first else "mdy" if month_first else None), None


def parse_date(text: str, order: str | None) -> date:
    s = text.strip()
    try:
        if match := _ISO.fullmatch(s):
            return _checked(date(int(match[1]), int(match[2]), int(match[3])), text)
        if match := _NAMED.fullmatch(s):
            word = match[2].lower()
            month = month_number(word[:3])     # a month's name, or its start ("Sept")
            if month and MONTH_NAMES[month - 1].lower().startswith(word):
                return _checked(date(int(match[3]), month, int(match[1])), text)
        if match := _NUMERIC.fullmatch(s):
            if order is None:
                raise ValueProblem(f"'{text}' could be day/month or month/day; say which with --dates dmy or mdy")
            first, second = int(match[1]), int(match[2])
            day, month = (first, second) if order == "dmy" else (second, first)
            return _checked(date(int(match[3]), month, day), text)
    except ValueError as exc:
        if isinstance(exc, ValueProblem):
            raise
        raise ValueProblem(f"'{text}' is not a real date ({exc})") from None
    raise ValueProblem(f"'{text}' is not a date; write 2024-03-31 or 31/03/2024")


def _checked(d: date, text: str) -> date:
    """A year of 0024 is a spreadsheet's two-digit year gone wrong, not a payment in Roman Britain."""
    if d.year < 1900:
        raise ValueProblem(f"'{text}' is in the year {d.year}; write the year in full, such as 2024")
    return d
