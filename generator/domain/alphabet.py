"""The A to Z: the letter a name is listed under, for every A to Z list (measures, suppliers)."""

from __future__ import annotations

import re
import unicodedata


def letter(label: str) -> str:
    """The A to Z letter: accents folded (É under E), leading quotes and brackets ignored, and a name
    that starts with a digit under "0-9" (a letter or "0-9" is also a safe fragment of a web address)."""
    start = re.sub(r"^[^0-9A-Za-z\u00c0-\u024f]+", "", label)
    first = unicodedata.normalize("NFKD", start[:1])[:1].upper()
    return first if "A" <= first <= "Z" else "0-9"
