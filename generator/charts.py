"""Chart specs with Altair, drawn to static SVG with vl-convert.

One registered theme ("dashboard") holds every colour, font and stroke; the builders
only say what is drawn, naming marks by style ("measure-line", "target-rule", ...).
Drawing is the slow part of a build, so charts are drawn in worker processes and kept
in a cache keyed by a hash of the spec: an unchanged chart is never drawn twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import altair as alt

from .model import Measure

THEME = "dashboard"
INK = "#0b0c0c"
SECONDARY_INK = "#505a5f"
LINE = "#1d70b8"
TARGET = "#b10e1e"
ANNOTATION = "#505a5f"


@alt.theme.register(THEME, enable=True)
def dashboard_theme() -> alt.theme.ThemeConfig:
    font = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
    return {
        "config": {
            "font": font,
            "background": "#ffffff",
            "padding": 8,
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 280},
            "axis": {"labelColor": INK, "titleColor": INK, "labelFontSize": 12, "titleFontSize": 12,
                     "titleFontWeight": "normal", "domainColor": SECONDARY_INK, "tickColor": SECONDARY_INK,
                     "gridColor": "#dcdcdc", "labelOverlap": "greedy", "labelSeparation": 6},
            "axisX": {"labelAngle": 0, "grid": False},
            "style": {
                "measure-line": {"color": LINE, "strokeWidth": 2.5},
                "measure-point": {"color": LINE, "filled": True, "size": 36, "shape": "circle"},
                "target-rule": {"color": TARGET, "strokeWidth": 2, "strokeDash": [8, 4]},
                "annotation-rule": {"color": ANNOTATION, "strokeWidth": 1.5, "strokeDash": [2, 3]},
                "annotation-label": {"color": INK, "fontSize": 11, "align": "left", "baseline": "top",
                                     "dx": 4, "dy": 2},
            },
        }
    }


def _axis_title(measure: Measure) -> str:
    return "Percentage (%)" if measure.unit == "%" else measure.unit[:1].upper() + measure.unit[1:]


def measure_chart(measure: Measure) -> dict:
    """The Vega-Lite spec of a measure's chart (published as <id>.vl.json)."""
    rows = [{"period": o.period.text, "label": o.period.short_label, "value": o.number,
             "target": float(measure.target_for(o)) if measure.target_for(o) is not None else None}
            for o in measure.observations]
    order = [r["label"] for r in rows]
    x = alt.X("label:O", sort=order, title=None)
    y = alt.Y("value:Q", title=_axis_title(measure), scale=alt.Scale(zero=False, nice=True))
    base = alt.Chart(alt.Data(values=rows))
    layers = [
        base.mark_line(style="measure-line").encode(x=x, y=y),
        base.mark_point(style="measure-point").encode(x=x, y=y),
    ]
    if measure.has_target:
        layers.append(base.mark_line(style="target-rule").encode(x=x, y="target:Q"))
    marks = [{"label": _short(measure, a.period), "text": a.label}
             for a in measure.annotations if _short(measure, a.period)]
    if marks:
        notes = alt.Chart(alt.Data(values=marks))
        layers.append(notes.mark_rule(style="annotation-rule").encode(x=alt.X("label:O", sort=order)))
        layers.append(notes.mark_text(style="annotation-label").encode(
            x=alt.X("label:O", sort=order), y=alt.value(0), text="text:N"))
    chart = alt.layer(*layers).properties(
        width=640, height=280,
        description=f"{measure.title}: {len(rows)} periods",
    )
    return chart.to_dict()


def _short(measure: Measure, period_text: str) -> str | None:
    return next((o.period.short_label for o in measure.observations if o.period.text == period_text), None)


# --- drawing ------------------------------------------------------------------------------

def spec_key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _draw(spec_json: str) -> str:
    import vl_convert as vlc  # imported in the worker: each process has its own engine
    return vlc.vegalite_to_svg(json.loads(spec_json))


def draw_all(specs: dict[str, dict], cache_dir: Path | None, workers: int = 0) -> dict[str, str]:
    """SVG for every spec, by id; cached by spec hash, misses drawn in worker processes."""
    keys = {cid: spec_key(spec) for cid, spec in specs.items()}
    out: dict[str, str] = {}
    todo: dict[str, str] = {}
    for cid, key in keys.items():
        cached = cache_dir / f"{key}.svg" if cache_dir else None
        if cached and cached.is_file():
            out[cid] = cached.read_text(encoding="utf-8")
        else:
            todo[cid] = key
    if todo:
        jobs = [json.dumps(specs[cid], sort_keys=True) for cid in todo]
        n = workers or os.cpu_count() or 1
        if n > 1 and len(jobs) > 4:
            with ProcessPoolExecutor(max_workers=min(n, len(jobs))) as pool:
                drawn = list(pool.map(_draw, jobs, chunksize=max(1, len(jobs) // (4 * n))))
        else:
            drawn = [_draw(j) for j in jobs]
        for (cid, key), svg in zip(todo.items(), drawn):
            out[cid] = svg
            if cache_dir:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
                tmp.write_text(svg, encoding="utf-8")
                os.replace(tmp, cache_dir / f"{key}.svg")
    return out
