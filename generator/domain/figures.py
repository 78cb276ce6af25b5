"""Figures as readers see them: thousands separators, units, pounds and pence, the source's precision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PENNY = Decimal("0.01")


def format_number(value: Decimal) -> str:
    """Thousands separators, the source's own precision (Decimal keeps it)."""
    return f"{value:,}"


def with_unit(value: Decimal, unit: str) -> str:
    number = format_number(value)
    if unit == "%":
        return f"{number}%"
    if unit.startswith("£"):
        return f"£{number}{unit[1:]}"
    if value == 1 and unit.endswith("s"):
        unit = unit[:-1]
    return f"{number} {unit}" if unit else number


def printed(text: str, unit: str) -> str:
    """A figure as written in a CSV, with its unit when it is a number ([c] and [x] stay as they are)."""
    try:
        return with_unit(Decimal(text), unit)
    except (InvalidOperation, ValueError):
        return text


# Units that measure an amount (time, distance, weight, volume, energy): "12 days" is not a count of days.
# A unit of several words is judged by its last ("working days").
MEASUREMENT_UNITS = frozenset("""
    seconds minutes hours days weeks months years
    mm cm m km metres meters kilometres miles feet yards hectares acres
    g kg mg grams kilograms tonnes tons litres liters ml
    kwh mwh gwh kw mw watts degrees
""".split())


def is_count(unit: str) -> bool:
    """Whether a unit counts things (households, visits, people): plain words, none of them a unit of
    measurement, no symbol (%, £, µg/m3, mg/l) and no rate (per 1,000 people)."""
    words = unit.lower()
    return (bool(words) and all(c.isalpha() or c in " -'" for c in words) and not words.startswith("per ")
            and words.split()[-1] not in MEASUREMENT_UNITS)


def unit_words(unit: str) -> str:
    """What the figures are, for a chart's subtitle: 'Number of households', 'Percentage', 'Rate per 1,000
    people', 'Amount in £', 'Measured in µg/m3'."""
    if unit == "%":
        return "Percentage"
    if unit.startswith("per "):
        return f"Rate {unit}"
    if unit.startswith("£"):
        return f"Amount in {unit}"
    return f"Number of {unit}" if is_count(unit) else f"Measured in {unit}"


def difference(delta: Decimal, unit: str) -> str:
    """The size of a gap: percentages differ by percentage points, not by per cent."""
    if unit == "%":
        return f"{format_number(abs(delta))} percentage points"
    return with_unit(abs(delta), unit)


def money(value: Decimal) -> str:
    """£1,234.50 and -£12.00: pence always shown, extra precision kept if the source had it."""
    shown = abs(value).quantize(PENNY) if value.as_tuple().exponent >= -2 else abs(value)
    return f"{'-' if value < 0 else ''}£{shown:,}"


def published_number(text: str) -> Decimal | None:
    """A figure as written, as a number; None for a symbol, a blank or anything else."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def revises(old_text: str, new_text: str) -> bool:
    """Whether a new version of a figure revises the published one: a number was published and now reads
    as another number, a symbol or nothing. 5 to 5.0 is the same figure, and filling in a symbol revises
    nothing (a symbol published no figure). The one rule, for git history and for re-imports alike."""
    old = published_number(old_text)
    return old is not None and published_number(new_text) != old
