"""What is never published, decided once: personal fields, small counts, payments to individuals."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .spending import KEPT_FOR_INDIVIDUALS, REDACTED


def is_personal_field(f: dict) -> bool:
    return f.get("personal") is True


def suppressed(value: Decimal | None, threshold: int | None) -> bool:
    """Small counts (above zero, below a measure's `suppress_below`) could identify people: they are
    published as [c] everywhere, and never shown in a revision either."""
    return threshold is not None and value is not None and 0 < value < threshold


def redaction(columns: Iterable[str]) -> dict[str, str]:
    """What a payment to a private individual is published as, column by column: never their name, nor
    an id, purpose or any other text that could lead to them; the amount, date, service and category
    stay (KEPT_FOR_INDIVIDUALS), and the row says it was paid to an individual."""
    columns = list(columns)
    out = {c: "" for c in columns if c not in KEPT_FOR_INDIVIDUALS}
    if "supplier_name" in out:
        out["supplier_name"] = REDACTED
    if "individual" in columns:
        out["individual"] = "true"
    return out
