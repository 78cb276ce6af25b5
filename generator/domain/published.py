"""What publishing needs of the data, known before anything is written: where each file of a package
goes, and how much text a download can hold. Validation refuses what could not be published; the
writers rely on it."""

from __future__ import annotations

from pathlib import PurePosixPath

# Excel holds at most this many characters in a cell, and every table is also published as Excel.
MAX_CELL_TEXT = 32_767


def path_in_package(relpath: str, tabular: bool) -> str | None:
    """Where a resource's file goes inside its published package: tables always as .csv."""
    if not relpath:
        return None
    rel = PurePosixPath(relpath.replace("\\", "/"))
    return str(rel if not tabular or rel.suffix.lower() == ".csv" else rel.with_suffix(".csv"))


def package_own_files(package: str) -> set[str]:
    """Files a published package folder holds besides its tables: no resource may be published as one."""
    return {"datapackage.json", f"{package}.json", f"{package}.xlsx", "index.html", "index.json"}
