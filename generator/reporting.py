"""`dashboard new report`: a report's Markdown and its snapshot, written together.

The snapshot records every measure as it stood on the report's date (analysis/snapshot.py), so the
report never changes afterwards. The Markdown starts with the report type's standard measures and, as
suggested focus, exactly the measures that have a special-cause signal in a period after the previous
report of the type, or whose target verdict differs from that report's, each with its reason in a
comment for the Corporate Management Team to keep or change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .analysis.changes import new_signal, verdict_change
from .analysis.snapshot import snapshot, text
from .analysis.spc import SPCSettings
from .domain.model import Site
from .domain.periods import day_label
from .domain.reports import Report, ReportType, previous
from .errors import ConfigError
from .settings import Settings


@dataclass(frozen=True)
class Suggestion:
    measure: str
    reason: str


def new_report(settings: Settings, site: Site, type_id: str, as_at: date, today: date,
               meeting: str = "") -> tuple[Path, Path, list[Suggestion]]:
    """Write content/reports/<as-at>-<type>.md and .json; ConfigError for a date in the future, an unknown
    type, or a report of the type that exists already."""
    types = settings.reports
    if type_id not in types:
        raise ConfigError(f"No report type '{type_id}': DASHBOARD_REPORT_TYPES declares "
                          f"{', '.join(types) or 'none'}.")
    if as_at > today:
        raise ConfigError(f"{as_at.isoformat()} is in the future (today is {today.isoformat()}): a report shows "
                          "the figures as they stood on its date.")
    kind = types[type_id]
    folder = settings.reports_dir
    md, data = folder / f"{as_at.isoformat()}-{type_id}.md", folder / f"{as_at.isoformat()}-{type_id}.json"
    same = [r for r in site.reports if r.type.id == type_id and r.as_at == as_at]
    if same or md.exists() or data.exists():
        raise ConfigError(f"There is a {kind.title} as at {as_at.isoformat()} already: {md}.")
    spc = SPCSettings(settings.spc_min_points, settings.spc_shift_run, settings.spc_trend_run)
    made = snapshot(site, as_at, spc, settings.publication_lag_days)
    suggestions = suggest(made, previous(site.reports, type_id, as_at), kind)
    folder.mkdir(parents=True, exist_ok=True)
    data.write_text(text(made), encoding="utf-8")
    md.write_text(_markdown(kind, as_at, meeting, suggestions), encoding="utf-8")
    return md, data, suggestions


def suggest(made: dict, previous: Report | None, kind: ReportType) -> list[Suggestion]:
    """The measures to suggest as focus: a signal in a period after the previous report's date (without
    one, in the last year), or a target verdict other than that report's. Standard measures are in every
    report anyway, so they are not suggested."""
    since = previous.as_at if previous else date.fromisoformat(made["as_at"]) - timedelta(days=365)
    out = []
    for mid, m in made["measures"].items():
        if mid in kind.standard:
            continue
        before = previous.snapshot["measures"].get(mid) if previous else None
        reasons = [c.text for c in (new_signal(m, since), verdict_change(before, m)) if c]
        if reasons:
            out.append(Suggestion(mid, "; ".join(reasons)))
    return out


def _markdown(kind: ReportType, as_at: date, meeting: str, suggestions: list[Suggestion]) -> str:
    lines = [f"Type: {kind.id}", f"Title: {kind.title}, {day_label(as_at)}", f"As-at: {as_at.isoformat()}",
             f"Meeting: {meeting or kind.meeting}", f"Focus: {', '.join(s.measure for s in suggestions)}",
             "Author: ", "", "<!-- Suggested focus (keep, remove or add measure ids on the Focus line):"]
    lines += [f"     {s.measure}: {s.reason}" for s in suggestions] or ["     none: no new signal or changed verdict"]
    lines += ["-->", "", "Scaffold: write the narrative here: what the figures show, and what is being done.", ""]
    return "\n".join(lines)
