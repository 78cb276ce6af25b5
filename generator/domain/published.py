"""What publishing needs of the data, known before anything is written: where each table of a package
goes, and how much text a download can hold. Validation refuses what could not be published (with
the URL map's list of the files a package folder holds itself); the writers rely on it."""

from __future__ import annotations

from pathlib import PurePosixPath

# Excel holds at most this many characters in a cell, and every table is also published as Excel.
MAX_CELL_TEXT = 32_767
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The text as a spreadsheet will show it, never run it: a leading apostrophe where it would."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def path_in_package(relpath: str, tabular: bool) -> str | None:
    """Where a resource's file goes inside its published package: tables always as .csv."""
    if not relpath:
        return None
    rel = PurePosixPath(relpath.replace("\\", "/"))
    return str(rel if not tabular or rel.suffix.lower() == ".csv" else rel.with_suffix(".csv"))

