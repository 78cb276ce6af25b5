"""A report's snapshot: every measure as it stood on the report's date, kept beside the report so that
later figures, later revisions and later commentary never change what the report printed.

`as_at` cuts a measure back to a date: the periods that had ended by then, each figure as published then
(a revision after the date is undone: its old value stands), the annotations of those periods and the
commentary dated on or before it; breakdowns stay on the measure pages. `snapshot` then records, for every
measure, what a report can show of it: the headline series, target, annotations, capability statistics
and verdicts (worked out on the cut series), the summary's sentences, the capability chart's rows and the
commentary. The snapshot is JSON with a version, written once by `dashboard new report` and committed.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date

from ..domain.figures import published_number
from ..domain.model import Measure, Observation, Site
from ..domain.reports import SNAPSHOT_VERSION
from . import capability
from .spc import Analysis, SPCSettings
from .summary import summarise

def as_at(measure: Measure, day: date) -> Measure:
    """The measure as it stood on `day` (its headline series only)."""
    undone = _undone(measure, day)
    kept = [undone.get(o.period.text, o) for o in measure.observations if o.period.end < day]
    periods = {o.period.text for o in kept}
    return dataclasses.replace(
        measure, observations=kept, series=[],
        annotations=[a for a in measure.annotations if a.period in periods],
        commentary=[c for c in measure.commentary if c.date <= day],
        revisions=[r for r in measure.revisions if r.when <= day and not r.series_label],
        rows_key=None)       # not its table's rows as they are now


def _undone(measure: Measure, day: date) -> dict[str, Observation]:
    """Headline figures revised after `day`, as they were before the first such revision."""
    first_after = {}
    for r in sorted(measure.revisions, key=lambda r: r.when):
        if r.when > day and not r.series_label and r.period not in first_after:
            first_after[r.period] = r
    out = {}
    for o in measure.observations:
        r = first_after.get(o.period.text)
        if r is not None:
            value = published_number(r.old)
            out[o.period.text] = dataclasses.replace(o, text=r.old, value=value,
                                                     symbol=None if value is not None else r.old, status=None)
    return out


def snapshot(site: Site, day: date, spc: SPCSettings, lag_days: int) -> dict:
    """Every measure as it stood on `day`, as a report can show it."""
    return {"version": SNAPSHOT_VERSION, "as_at": day.isoformat(),
            "measures": {m.id: measure_snapshot(as_at(m, day), day, spc, lag_days) for m in site.measures.values()}}


def measure_snapshot(m: Measure, day: date, spc: SPCSettings, lag_days: int) -> dict:
    analysis = capability.analyse_measure(m, spc)
    summary = summarise(m, day, lag_days, capability.sentences(m, analysis, spc.min_points),
                        capability.outlook(m, analysis), analysis.assurance)
    return {
        "title": m.title, "unit": m.unit, "polarity": m.polarity.value, "kind": m.kind.value,
        "purposes": list(m.purposes), "service": m.service, "frequency": m.frequency.value, "years": m.years.value,
        "target": _text(m.target),
        "observations": [_present({"period": o.period.text, "value": o.text if o.value is not None else None,
                                   "symbol": o.symbol, "status": o.status, "note": o.note,
                                   "target": _text(o.target)}) for o in m.observations],
        "annotations": [{"period": a.period, "label": a.label, "kind": a.kind.value, "description": a.description}
                        for a in m.annotations],
        "statistics": capability.to_json(m, analysis),
        # the capability chart as it stood, drawn from these rows whatever the rules become
        "chart": {"rows": [_rounded(r) for r in capability.chart_rows(m, analysis)], "phases": bool(analysis.phases),
                  "has_target": m.has_target},
        "verdicts": _verdicts(analysis, summary.assurance),
        "sentences": list(summary.sentences),
        "commentary": [{"author": c.author, "role": c.role, "date": c.date.isoformat(), "period": c.period,
                        "html": c.html} for c in m.commentary],
    }


def _present(row: dict) -> dict:
    """A row without its empty cells: a snapshot is committed beside every report, so it is kept small."""
    return {k: v for k, v in row.items() if v is not None}


def _rounded(row: dict) -> dict:
    """A chart row with its average and limits to 4 decimal places, far finer than a chart can draw."""
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}


def text(made: dict) -> str:
    """A snapshot as written: compact, one measure to a line, so a change to one shows as one line."""
    head = json.dumps({k: v for k, v in made.items() if k != "measures"}, ensure_ascii=False)[:-1]
    lines = [f"{json.dumps(mid)}:{json.dumps(m, ensure_ascii=False, separators=(',', ':'))}"
             for mid, m in made["measures"].items()]
    return head + ', "measures": {\n' + ",\n".join(lines) + "\n}}\n"


def _text(value) -> str | None:
    """A number as text, every digit kept (a report prints it as the data had it)."""
    return None if value is None else str(value)


def _verdicts(analysis: Analysis, assurance: str | None) -> dict:
    return {"variation": analysis.variation, "assurance": assurance}
