"""The council's own pages: one still as `dashboard init` wrote it is not yet the council's words."""

from __future__ import annotations

from pathlib import Path

from ..problems import UNWRITTEN_PAGE, Problem

SCAFFOLD_MARK = "Scaffold:"     # the metadata line dashboard init writes into each page it drafts


def unwritten_pages(pages: Path) -> list[Problem]:
    """A warning for each page whose metadata still holds the scaffold line (so --strict fails)."""
    out = []
    for path in sorted(pages.glob("*.md")) if pages.is_dir() else []:
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            if not line.strip():
                break                                  # metadata ends at the first blank line
            if line.startswith(SCAFFOLD_MARK):
                out.append(UNWRITTEN_PAGE(str(path), number, None, "This page still holds the words dashboard "
                                          "init wrote: write the council's own, then delete this line."))
    return out
