"""Officer commentary: Markdown files with Measure, Author, Role, Date and Period metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown

from ..domain.model import Commentary
from ..domain.sanitize import clean_html
from ..problems import INVALID_COMMENTARY, Problem


COMMENTARY_KEYS = ("measure", "author", "date")


def read_commentary(folder: Path) -> tuple[list[Commentary], list[Problem]]:
    """Officer commentary: Markdown files with Measure/Author/Role/Date/Period metadata."""
    notes, problems = [], []
    if not folder.is_dir():
        return notes, problems
    md = markdown.Markdown(extensions=["meta"])     # one, reset for each file: made for each, a third of the time
    for path in sorted(folder.rglob("*.md")):
        md.reset()
        try:
            html = md.convert(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(INVALID_COMMENTARY(str(path), None, None, "The file is not UTF-8."))
            continue
        meta = {k: " ".join(v).strip() for k, v in md.Meta.items()}
        missing = [k for k in COMMENTARY_KEYS if not meta.get(k)]
        if missing:
            problems.append(INVALID_COMMENTARY(str(path), None, missing[0],
                                               f"Add a '{missing[0].capitalize()}:' line to the header."))
            continue
        try:
            when = date.fromisoformat(meta["date"])
        except ValueError:
            problems.append(INVALID_COMMENTARY(str(path), None, "date",
                                               f"'{meta['date']}' is not a date; write YYYY-MM-DD."))
            continue
        notes.append(Commentary(meta["measure"], meta["author"], meta.get("role", ""), when,
                                meta.get("period") or None, clean_html(html), str(path)))
    return notes, problems
