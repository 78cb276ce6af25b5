"""What is never published, decided once: personal fields, small counts, payments to individuals."""

from __future__ import annotations


def is_personal_field(f: dict) -> bool:
    return f.get("personal") is True
