"""The council's own pages (content/pages and the home page's introduction): one still as `dashboard init`
wrote it is not yet the council's words, and one that is not UTF-8 cannot be read."""

from __future__ import annotations

from pathlib import Path

from ..problems import NOT_UTF8_PAGE, UNWRITTEN_PAGE, Problem

SCAFFOLD_MARK = "Scaffold:"     # the metadata line dashboard init writes into each page it drafts


def page_problems(pages: Path, introduction: Path) -> list[Problem]:
    """A page that is not UTF-8 (an error), and a warning for each page whose metadata still holds the
    scaffold line (so --strict fails)."""
    out = []
    for path in (sorted(pages.glob("*.md")) if pages.is_dir() else []) + ([introduction] if introduction.is_file()
                                                                           else []):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            out.append(NOT_UTF8_PAGE(str(path), path.read_bytes()[:exc.start].count(b"\n") + 1, None,
                                     "This page is not UTF-8 text: save it as UTF-8."))
            continue
        if path == introduction:
            continue                                   # Markdown alone: it has no metadata
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                break                                  # metadata ends at the first blank line
            if line.startswith(SCAFFOLD_MARK):
                out.append(UNWRITTEN_PAGE(str(path), number, None, "This page still holds the words dashboard "
                                          "init wrote: write the council's own, then delete this line."))
    return out
