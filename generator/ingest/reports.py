"""Reports to councillors as written: `content/reports/<slug>.md` (Type, Title, As-at, Meeting, Focus and
Author lines, then the narrative in Markdown) beside its snapshot `<slug>.json`, which `dashboard new
report` wrote and the council committed. A report renders only from its snapshot, so one without it, or
with a snapshot that lacks a measure it shows, is refused here with a problem naming the file.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import markdown

from ..domain.reports import SNAPSHOT_VERSION, Report, ReportType
from ..domain.sanitize import clean_html
from ..problems import INVALID_REPORT, REPORT_SNAPSHOT, UNWRITTEN_PAGE, Problem
from .pages import SCAFFOLD_MARK

REPORT_KEYS = ("type", "title", "as-at")


def read_reports(folder: Path, types: dict[str, ReportType]) -> tuple[list[Report], list[Problem]]:
    """Every report in the folder, oldest first, and the problems of those that cannot be shown."""
    reports, problems = [], []
    if not folder.is_dir():
        return reports, problems
    for path in sorted(folder.glob("*.md")):
        found, why = _read(path, types)
        problems.extend(why)
        if found is not None:
            reports.append(found)
    return sorted(reports, key=lambda r: (r.as_at, r.slug)), problems


def _read(path: Path, types: dict[str, ReportType]) -> tuple[Report | None, list[Problem]]:
    md = markdown.Markdown(extensions=["meta"])
    try:
        html = md.convert(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [INVALID_REPORT(str(path), None, None, "The file is not UTF-8.")]
    meta = {k: " ".join(v).strip() for k, v in md.Meta.items()}
    missing = [k for k in REPORT_KEYS if not meta.get(k)]
    if missing:
        return None, [INVALID_REPORT(str(path), None, missing[0],
                                     f"Add a '{missing[0].capitalize()}:' line to the header.")]
    if meta["type"] not in types:
        known = ", ".join(types) or "none: declare them in DASHBOARD_REPORT_TYPES"
        return None, [INVALID_REPORT(str(path), None, "type", f"No report type '{meta['type']}' (known: {known}).")]
    try:
        as_at = date.fromisoformat(meta["as-at"])
    except ValueError:
        return None, [INVALID_REPORT(str(path), None, "as-at", f"'{meta['as-at']}' is not a date; write YYYY-MM-DD.")]
    focus = tuple(m.strip() for m in meta.get("focus", "").split(",") if m.strip())
    snapshot, problems = _snapshot(path.with_suffix(".json"), as_at,
                                   list(dict.fromkeys(focus + types[meta["type"]].standard)))
    if snapshot is None:
        return None, problems
    return Report(path.stem, types[meta["type"]], meta["title"], as_at, meta.get("meeting", ""), focus,
                  meta.get("author", ""), clean_html(html), snapshot, path), _unwritten(path)


def _unwritten(path: Path) -> list[Problem]:
    """A warning (so --strict refuses it) while the narrative holds the line `dashboard new report` wrote."""
    return [UNWRITTEN_PAGE(str(path), number, None, "The report's narrative is still the placeholder `dashboard new "
                           "report` wrote: write what the figures show and what is being done, then delete this line.")
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if line.startswith(SCAFFOLD_MARK)]


def _snapshot(path: Path, as_at: date, shown: list[str]) -> tuple[dict | None, list[Problem]]:
    """The report's snapshot, checked: its version, its date (the report's), and every measure it shows."""
    if not path.is_file():
        return None, [REPORT_SNAPSHOT(str(path), None, None,
                                      "The report has no snapshot beside it: make reports with `dashboard new "
                                      "report`, which writes both, and commit the .json with the .md.")]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [REPORT_SNAPSHOT(str(path), None, None, f"The snapshot is not JSON ({exc}).")]
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION or not isinstance(data.get("measures"), dict):
        return None, [REPORT_SNAPSHOT(str(path), None, "version",
                                      f"This is not a version {SNAPSHOT_VERSION} snapshot; make it again with "
                                      "`dashboard new report`.")]
    if data.get("as_at") != as_at.isoformat():
        return None, [REPORT_SNAPSHOT(str(path), None, "as_at", f"The snapshot is as at {data.get('as_at')}, the "
                                      f"report as at {as_at.isoformat()}: they must agree.")]
    absent = [m for m in shown if m not in data["measures"]]
    if absent:
        return None, [REPORT_SNAPSHOT(str(path), None, "measures",
                                      f"The report shows '{absent[0]}', which its snapshot does not have: check "
                                      "the Focus line, or the report type's standard measures.")]
    return data, []
