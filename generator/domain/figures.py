"""Figures as readers see them: thousands separators, units, pounds and pence, the source's precision."""

from __future__ import annotations

from decimal import Decimal

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
    return f"{number} {unit}"


def difference(delta: Decimal, unit: str) -> str:
    """The size of a gap: percentages differ by percentage points, not by per cent."""
    if unit == "%":
        return f"{format_number(abs(delta))} percentage points"
    return with_unit(abs(delta), unit)


def money(value: Decimal) -> str:
    """£1,234.50 and -£12.00: pence always shown, extra precision kept if the source had it."""
    shown = abs(value).quantize(PENNY) if value.as_tuple().exponent >= -2 else abs(value)
    return f"{'-' if value < 0 else ''}£{shown:,}"
