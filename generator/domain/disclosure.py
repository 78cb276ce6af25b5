"""What is never published, decided once: personal fields, small counts, payments to individuals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

REDACTED = "Redacted personal data"
# What councils write in place of an individual's name (matched ignoring case, whole cell).
REDACTION_MARKERS = re.compile(r"(redacted|withheld|personal (data|information)|private individual|individual)"
                               r"([\s:,-]*(personal )?(data|information|details)?( redacted| withheld)?)?",
                               re.IGNORECASE)


# Published for a payment to an individual; everything else in the row (name, id, purpose, extra
# columns) is blanked, because any free text could name them.
KEPT_FOR_INDIVIDUALS = {"body", "transaction_date", "transaction_number", "service", "expenditure_category",
                        "expenditure_code", "capital_or_revenue", "amount", "irrecoverable_vat"}


def is_individual(value: object) -> bool:
    """The `individual` flag as a CSV or a typed schema writes it."""
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes", "y", "1"))


def is_individual_name(name: str) -> bool:
    return bool(name.strip()) and bool(REDACTION_MARKERS.fullmatch(name.strip()))


def is_personal(cells: dict[str, str], rules: dict[str, list[str]]) -> bool:
    """A payment to a private individual: flagged, already redacted at source, or matched by one of
    DASHBOARD_PERSONAL_DATA_RULES (regular expressions per column, whole cell, any case)."""
    if is_individual(cells.get("individual")) or is_individual_name(cells.get("supplier_name") or ""):
        return True
    return any(re.fullmatch(rule, (cells.get(column) or "").strip(), re.IGNORECASE)
               for column, patterns in (rules or {}).items() for rule in patterns)


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
