"""Chart specs with Altair, drawn to static SVG with vl-convert.

One registered theme ("dashboard") holds every colour, font and stroke, its colours read from the
theme's stylesheet (palette.py); the builders only say what is drawn, naming marks by style
("measure-line", "target-rule", ...). Altair makes each shape of chart once, as a template
(chart_templates.py, the one module that imports Altair), kept in the cache; a chart is its template
with its texts and rows filled in. Drawing is the slow part of a build, so charts are drawn in worker
processes and kept in a cache keyed by a hash of the spec and the renderer's version: an unchanged
chart is never drawn twice.

Each chart is drawn twice: wide, for a computer's screen, and narrow, for a phone's. A browser shrinks
an image to fit the screen, text and all, so the wide drawing on a phone would have text a few pixels
high; the narrow one is drawn at a phone's width (NARROW_WIDTH, axes and labels included), so the
browser shows it at its own size and its text at the theme's. The pages choose between them with
`<picture>` (NARROW_MEDIA).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, Future
from importlib.metadata import version
from pathlib import Path

from ..analysis.capability import chart_rows
from .. import cache, workers as worker_processes
from ..analysis.spc import Analysis
from ..domain.geography import Boundaries, centroid
from ..domain.model import Measure
from ..domain.vocabulary import AnnotationKind
from ..settings import shipped_theme
from . import drawing
from .palette import read_palette

THEME = "dashboard"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Each kind of annotation has its own dash, so the kinds differ without colour; the chart's key on the
# measure page draws the same dashes and names them.
ANNOTATION_DASHES = {AnnotationKind.SERVICE: (2, 3), AnnotationKind.DEFINITION: (8, 4),
                     AnnotationKind.EVENT: (1, 3, 6, 3)}
ANNOTATION_LINES = {AnnotationKind.SERVICE: "dotted", AnnotationKind.DEFINITION: "dashed",
                    AnnotationKind.EVENT: "dot-dash"}
# A phone's screen is at least 320 CSS px wide, and the page's margins and the image's border take 34:
# a narrow chart this wide, axes and labels included, is shown at its own size, never shrunk.
NARROW_WIDTH = 280
WIDE_WIDTH = 640      # a wide chart's plot, for a computer's screen
# Below this screen width the wide chart (about 700 px, plus the page's margins) would be shrunk; on paper the
# wide one is always shown, scaled to the page (print.css).
NARROW_MEDIA = "screen and (max-width: 48em)"
MAP_HEIGHT = 560      # the most a map's shapes take down the page
SHAPES = "shapes"     # a map's dataset of GeoJSON features
MAP_LABELS = "places" # ... and of its areas' labels


def theme(palette: dict[str, str]) -> dict:
    """Every colour, font and stroke of every chart; the colours from the theme's one table (palette.py).
    Meaning is also carried by shape or dash, never by colour alone."""
    ink, secondary, paper = palette["chart-ink"], palette["chart-secondary"], palette["chart-paper"]
    annotation_label = {"color": ink, "fontSize": 12, "align": "left", "baseline": "top", "dx": 4, "dy": 2}
    benchmark_label = {"color": ink, "fontSize": 12, "align": "left", "dx": 4}
    return {
        "config": {
            "font": FONT,
            "background": paper,
            "padding": 8,
            "view": {"stroke": None, "continuousWidth": WIDE_WIDTH, "continuousHeight": 280},
            "axis": {"labelColor": ink, "titleColor": ink, "labelFontSize": 12, "titleFontSize": 12,
                     "titleFontWeight": "normal", "domainColor": secondary, "tickColor": secondary,
                     "gridColor": palette["chart-grid"], "labelOverlap": "greedy",
                     # wide apart: a browser may draw labels in a wider font than vl-convert measured
                     "labelSeparation": 12},
            "axisX": {"labelAngle": 0, "grid": False},
            "legend": {"labelColor": ink, "titleColor": ink, "labelFontSize": 12, "titleFontSize": 12,
                       "titleFontWeight": "normal"},
            "style": {
                "measure-line": {"color": ink, "strokeWidth": 2},
                "measure-point": {"color": ink, "filled": True, "size": 30, "shape": "circle"},
                "mean-line": {"color": secondary, "strokeWidth": 1.5},
                "limit-line": {"color": secondary, "strokeWidth": 1.5, "strokeDash": [6, 4]},
                "target-rule": {"color": palette["chart-target"], "strokeWidth": 2, "strokeDash": [12, 3, 3, 3]},
                "signal-improvement": {"color": palette["chart-improvement"], "filled": True, "size": 140,
                                       "shape": "diamond", "stroke": paper, "strokeWidth": 1},
                "signal-concern": {"color": palette["chart-concern"], "filled": True, "size": 110, "shape": "square",
                                   "stroke": paper, "strokeWidth": 1},
                "signal-neutral": {"color": palette["chart-neutral"], "filled": True, "size": 130,
                                   "shape": "triangle-up", "stroke": paper, "strokeWidth": 1},
                **{f"annotation-rule-{kind}": {"color": secondary, "strokeWidth": 1.5, "strokeDash": list(dash)}
                   for kind, dash in ANNOTATION_DASHES.items()},
                "annotation-label": annotation_label,
                "annotation-label-end": {**annotation_label, "align": "right", "dx": -4},   # left of its line
                "money-bar": {"color": palette["chart-money"]},
                # a comparison: the group's range a pale band, its median dashed, benchmarks dash-dotted
                "group-band": {"color": palette["chart-grid"], "opacity": 0.9},
                "group-median": {"color": secondary, "strokeWidth": 1.5, "strokeDash": [6, 4]},
                "benchmark-line": {"color": secondary, "strokeWidth": 1.5, "strokeDash": [2, 2]},
                "benchmark-label": benchmark_label,
                "benchmark-label-inside": {**benchmark_label, "align": "right", "baseline": "bottom",
                                           "dx": -4, "dy": -4},      # above its line's end
                "bar-label": {"color": ink, "fontSize": 12, "align": "left", "baseline": "top", "dy": 2},
                # a map: wards outlined in ink, so neighbours of one shade stay apart; a ward without a figure
                # blank with a dashed edge; each label on a halo of paper, readable on any shade
                "map-area": {"stroke": ink, "strokeWidth": 0.75},
                "map-gap": {"color": paper, "stroke": ink, "strokeWidth": 0.75, "strokeDash": [3, 2]},
                "map-plain": {"color": palette["map-1"], "stroke": ink, "strokeWidth": 0.75},
                "map-highlight": {"color": palette["map-5"], "stroke": ink, "strokeWidth": 1.5},
                "map-halo": {"color": paper, "stroke": paper, "strokeWidth": 3, "strokeJoin": "round", "fontSize": 12},
                "map-label": {"color": ink, "fontSize": 12},
            },
            # the shades of a map, lightest (lowest) to darkest (highest)
            "range": {"ramp": [palette[f"map-{n}"] for n in range(1, 6)]},
        }
    }


# What makes a spec besides its inputs: this module, the templates' shapes, and the Altair that makes them.
_CODE = cache.code(__file__, str(Path(__file__).with_name("chart_templates.py")), versions=(version("altair"),))
_palette: dict[str, str] = {}
_kept_templates: Path | None = None     # where the build's cache keeps the templates (use_palette)
_spec_code = ""                         # what makes a spec besides its inputs and renderer: _CODE and the palette
_templates: list = []


def use_palette(palette: dict[str, str], cache_dir: Path | None = None) -> None:
    """Draw the charts in these colours (the build's theme's; at import, the shipped one's), their templates
    kept in `cache_dir` (a build's cache; None: made in memory only)."""
    global _palette, _kept_templates, _spec_code
    _palette = dict(palette)
    _spec_code = cache.key(_CODE, _palette)
    _kept_templates = cache_dir / "chart-templates" / _spec_code if cache_dir else None
    for made in _templates:         # they hold the theme's config
        made.cache_clear()
    # Each stays kept while its palette and code do, made into a chart or not: a build that makes no chart
    # would otherwise leave them to be pruned, and the next that makes one to make them again. (A template
    # is of a shape, never of one chart's data, so these are few.)
    for kept in _kept_templates.glob("[0-9a-f]*.json") if _kept_templates else ():
        cache.hit(kept)


def current_theme() -> dict:
    """The theme in the colours in use: the one Altair registers (chart_templates)."""
    return theme(_palette)


def _template(shape: str) -> Callable[..., dict]:
    """The template of a shape of chart (chart_templates.<shape>), made once for each shape (its arguments)
    while the palette stays the same, and kept in the build's cache with the palette and the code that makes
    it. Read back from its JSON whether kept or just made, so that a rebuild's charts are a cold build's."""
    def template(*args) -> dict:
        path = _kept_templates / f"{cache.key(shape, args)}.json" if _kept_templates else None
        return json.loads(cache.kept(path, lambda: json.dumps(_shapes().made(shape, args)).encode()))
    made = functools.cache(template)
    _templates.append(made)
    return made


def _shapes():
    from . import chart_templates       # Altair, imported only to make a template the cache lacks
    return chart_templates


_capability_template = _template("capability")
_comparison_template = _template("comparison")
_small_multiples_template = _template("small_multiples")
_bars_template = _template("bars")
_across_bars_template = _template("across_bars")
_ward_map_template = _template("ward_map")
_locator_template = _template("locator")
use_palette(read_palette(shipped_theme() / "static" / "css" / "site.css"))


def _axis_title(measure: Measure) -> str:
    return unit_title(measure.unit)


def unit_title(unit: str) -> str:
    """A unit as an axis's or a key's title: "Percentage (%)", "Incidents"."""
    return "Percentage (%)" if unit == "%" else unit[:1].upper() + unit[1:]


def cached_measure_chart(measure: Measure, analysis: Analysis, cache_dir: Path | None, narrow: bool = False,
                         made_from: str | None = None) -> dict:
    """measure_chart, kept in the cache (measure_charts)."""
    return measure_charts(measure, lambda: analysis, cache_dir, made_from)(narrow)


def measure_charts(measure: Measure, analysed: Callable[[], Analysis], cache_dir: Path | None,
                   made_from: str | None = None) -> Callable[[bool], dict]:
    """The wide or the narrow capability chart of a measure, kept in the cache (with the code that makes it,
    Altair's version and the palette) by `made_from`, a hash of all the measure and its analysis are made from
    (context.made_from), or else by a hash of the chart's arguments: building a spec with Altair costs as
    much as drawing it, and an unchanged measure needs neither. Its arguments are worked out only for a chart
    the cache lacks, once for both (and let go once both are made: a thousand measures' rows held to the end
    of drawing cost 50 MB). Its analysis is had from `analysed()` only then too (a rebuild's unchanged
    measures' stay pickled: context.Worked)."""
    args = functools.cache(lambda: _chart_args(measure, analysed()))
    key = functools.cache(lambda: ["capability chart", made_from] if made_from else [cache.key(*args())])
    made: set[bool] = set()

    def chart(narrow: bool) -> dict:
        spec = cached_spec(cache_dir, [*key(), narrow] if cache_dir else [], lambda: capability_chart(*args(), narrow))
        made.add(narrow)
        if len(made) == 2:
            args.cache_clear()
        return spec
    return chart


class KeptSpec(Mapping):
    """A spec as the cache keeps it: its description (which its page shows) and its drawing's key (_key_of its
    text), on the first line of its file, then its text as spec_text writes it (which is drawn and published).
    A rebuild's thousands of unchanged charts are carried over (publish/carried.py) by the drawing's key, so
    for each only that line is read: the text is read when asked for (`read`), and the spec parsed from it
    only when asked for."""

    def __init__(self, description: str, drawing: str, read: Callable[[], str], spec: dict | None = None):
        self.description, self.drawing, self._read = description, drawing, read
        if spec is not None:        # just made: not parsed again
            self.__dict__["_spec"] = spec

    @functools.cached_property
    def text(self) -> str:
        return self._read()

    @functools.cached_property
    def _spec(self) -> dict:
        return json.loads(self.text)

    def __getitem__(self, key):
        return self._spec[key]

    def __iter__(self):
        return iter(self._spec)

    def __len__(self) -> int:
        return len(self._spec)


class _FirstLines:
    """The first lines (description, drawing key) of the kept specs a build used, by their names in the cache,
    kept in the output's record (cache.output_record) for the next build into it: there they are read from one
    file rather than from thousands. Each is a fact about a file named by the hash of all it is made from, so
    any build's are right for any other's; a file gone from the cache is made again whatever the record says."""

    def __init__(self, record: Path | None = None):
        self.record, self.used = record, {}
        self.known: dict[str, list] = _read_record(record) if record else {}

    def save(self) -> None:
        if self.record:
            cache.keep(self.record, json.dumps(self.used, ensure_ascii=False, sort_keys=True).encode())


def _read_record(record: Path) -> dict[str, list]:
    """A record of first lines; nothing when there is none, or it is cut short or not one (each is checked)."""
    try:
        known = json.loads(record.read_bytes())
    except (OSError, ValueError):
        return {}
    return {name: first for name, first in known.items() if isinstance(first, list) and len(first) == 2
            and all(isinstance(part, str) for part in first)} if isinstance(known, dict) else {}


_first_lines = _FirstLines()


def read_first_lines(record: Path | None) -> None:
    """Read the kept specs' first lines from the record the last build into this output left (None: none)."""
    global _first_lines
    _first_lines = _FirstLines(record)


def save_first_lines() -> None:
    """Keep the first lines of the specs this build used, in its record, for the next build."""
    _first_lines.save()


def cached_spec(cache_dir: Path | None, inputs: list, make: Callable[[], dict]) -> KeptSpec:
    """The spec `make` returns, kept in the cache by a hash of `inputs` (everything it reads), this module
    and chart_templates.py, Altair's version, the palette and the renderer (whose drawing key is kept with
    it): its description and drawing key on the first line, then its text."""
    if cache_dir is None:
        return _made(make())
    name = cache.key(_spec_code, RENDERER, *inputs)
    path = cache_dir / "specs" / f"{name}.json"
    first = None
    if cache.hit(path):         # marked used; what the record says of it, else its file's first line
        first = _first_lines.known.get(name)
        if first is None and (line := _first_line(path)) is not None:
            first = json.loads(line)
    if first is not None:
        _first_lines.used[name] = first
        described, drawing = first
        # Gone since (pruned by another build sharing the cache): made again, the same.
        return KeptSpec(described, drawing, lambda: _kept_text(path) or spec_text(make()))
    made = _made(make())
    _first_lines.used[name] = [made.description, made.drawing]
    cache.keep(path, f"{json.dumps(_first_lines.used[name], ensure_ascii=False)}\n{made.text}".encode())
    return made


def _made(spec: dict) -> KeptSpec:
    text = spec_text(spec)
    return KeptSpec(description(spec), _key_of(text), lambda: text, spec)


def _first_line(path: Path) -> str | None:
    """The first line of a spec the cache keeps at `path` (the caller has marked it used), without reading the
    rest; None when it is gone."""
    try:
        with open(path, encoding="utf-8") as kept:
            return kept.readline()
    except FileNotFoundError:
        return None


def _kept_text(path: Path) -> str | None:
    """A kept spec's text (after its first line); None when it is gone."""
    found = cache.found(path)
    return found.decode().partition("\n")[2] if found is not None else None


def description(spec: Mapping) -> str:
    """A spec's description: what its chart shows, in words (its page says it beside the image)."""
    return spec.description if isinstance(spec, KeptSpec) else spec.get("description", "")


def measure_chart(measure: Measure, analysis: Analysis, narrow: bool = False, validate: bool = False) -> dict:
    """The Vega-Lite spec of a measure's capability chart (published as <id>.vl.json; the narrow one, for
    a phone, is only drawn).

    Checking a spec against the Vega-Lite schema takes longer than drawing it, so builds skip
    it; the tests check every example chart (`validate=True`).
    """
    return capability_chart(*_chart_args(measure, analysis), narrow, validate)


def _chart_args(measure: Measure, analysis: Analysis) -> tuple:
    """What a capability chart is drawn from (capability_chart's arguments before `narrow`)."""
    return (chart_rows(measure, analysis), bool(analysis.phases), measure.has_target,
            _axis_title(measure), measure.title, [(a.period, a.label, a.kind) for a in measure.annotations])


def capability_chart(rows: list[dict], phases: bool, has_target: bool, axis_title: str, title: str,
                     annotations: list[tuple[str, str, AnnotationKind]], narrow: bool = False,
                     validate: bool = False) -> dict:
    """A capability chart from its rows (analysis.capability.chart_rows: a measure's now, or as a report's
    snapshot kept them) and its annotations ((period, label, kind))."""
    order = [r["label"] for r in rows]
    short = {r["period"]: r["label"] for r in rows}
    # On a phone an annotation is labelled with its kind alone (the key names it; the caption says what
    # happened); one in the later half of the chart is labelled to the left of its line, inside the chart.
    notes = [{"label": short[period], "kind": kind.value,
              "text": kind.short if narrow else f"{kind.short}: {label}",
              "end": order.index(short[period]) > len(order) / 2}
             for period, label, kind in annotations if period in short]
    signals = tuple(d for d in ("improvement", "concern", "neutral") if any(r["signal"] == d for r in rows))
    template = _capability_template(phases, has_target, signals, tuple(dict.fromkeys(n["kind"] for n in notes)),
                                    tuple(dict.fromkeys(n["end"] for n in notes)), narrow)
    return _filled(template, {ORDER: order, LABELLED: _labelled(order, narrow), AXIS_TITLE: axis_title,
                              DESCRIPTION: f"{title}: {len(rows)} periods"},
                   {ROWS: rows, **({NOTES: notes} if notes else {})}, validate)


def cached_comparison_chart(measure: Measure, band: list, benchmarks: list[tuple[str, list]], title: str,
                            cache_dir: Path | None, narrow: bool = False, made_from: list | None = None) -> dict:
    """comparison_chart, kept by a hash of what it draws, or by `made_from` when the caller knows all it is
    made from (the measure's context.made_from, and the group with what works out its band): an unchanged
    measure's band and benchmarks are not even read to be hashed (0.7 s at a thousand measures)."""
    if made_from:
        inputs = ["comparison made from", *made_from]
    else:
        order, datasets = _comparison(measure, band, benchmarks)
        inputs = ["comparison", order, datasets, _axis_title(measure)]
    return cached_spec(cache_dir, [*inputs, title, narrow],
                       lambda: comparison_chart(measure, band, benchmarks, title, narrow))


def _comparison(measure: Measure, band: list, benchmarks: list[tuple[str, list]]
                ) -> tuple[list[str], dict[str, list[dict]]]:
    """What a comparison chart draws: the periods in order, and its datasets (the group's band, the
    council's figures, and each benchmark area's figures in those periods, as "benchmark-<n>")."""
    order = [o.period.short_label for o in measure.observations]
    datasets = {"group": [{"label": b.period.short_label, "low": b.low, "high": b.high, "median": b.median}
                          for b in band],
                ROWS: [{"label": o.period.short_label, "value": o.number} for o in measure.observations]}
    shown = set(order)
    for n, (name, observations) in enumerate(benchmarks):
        rows = [{"label": o.period.short_label, "value": o.number, "name": name} for o in observations
                if o.period.short_label in shown and o.number is not None]
        if rows:
            datasets[f"benchmark-{n}"] = rows
    return order, datasets


def comparison_chart(measure: Measure, band: list, benchmarks: list[tuple[str, list]], title: str,
                     narrow: bool = False, validate: bool = False) -> dict:
    """The council's figures against a comparator group's median and range, period by period, with
    benchmark areas as reference lines (`band`: BandPoints; `benchmarks`: (name, observations))."""
    order, datasets = _comparison(measure, band, benchmarks)
    lines = tuple(name for name in datasets if name.startswith("benchmark-"))
    ends = {f"{name}-end": datasets[name][-1:] for name in lines}     # where each benchmark's name stands
    return _filled(_comparison_template(lines, narrow),
                   {ORDER: order, LABELLED: _labelled(order, narrow), AXIS_TITLE: _axis_title(measure),
                    DESCRIPTION: title}, {**datasets, **ends}, validate)


def _panels(measure: Measure, parts: list[tuple[str, list]]) -> tuple[list[str], list[dict], list[str]]:
    """What small multiples draw: the periods in order, a row per figure of each part, the parts' labels."""
    order = [o.period.short_label for o in measure.observations]
    rows = [{"part": label, "label": o.period.short_label, "value": o.number}
            for label, observations in parts for o in observations if o.number is not None]
    return order, rows, [label for label, _ in parts]


def cached_small_multiples(measure: Measure, parts: list[tuple[str, list]], title: str, cache_dir: Path | None,
                           narrow: bool = False, made_from: list | None = None) -> dict:
    """small_multiples, kept by a hash of what it draws, or by `made_from` when the caller knows all it is
    made from (the measure's context.made_from and its parts' keys and labels): an unchanged breakdown is not
    built again, nor, then, are its panels worked out to be hashed (half a second at a thousand measures)."""
    inputs = ["small multiples made from", *made_from] if made_from else ["small_multiples", *_panels(measure, parts)]
    return cached_spec(cache_dir, [*inputs, title, narrow], lambda: small_multiples(measure, parts, title, narrow))


def small_multiples(measure: Measure, parts: list[tuple[str, list]], title: str, narrow: bool = False,
                    validate: bool = False) -> dict:
    """One compact panel per part (a ward, an age band), all in one chart on one scale, so a page with
    many parts stays light (`parts`: (label, observations)). On a phone, one panel to a row."""
    order, rows, labels = _panels(measure, parts)
    return _filled(_small_multiples_template(narrow), {ORDER: order, PARTS: labels, DESCRIPTION: title},
                   {ROWS: rows}, validate)


def bar_chart(rows: list[dict], y_title: str, description: str, narrow: bool = False, validate: bool = False) -> dict:
    """Bars of one amount per label ({"label", "value"} rows, in order): spending by month, say."""
    return _filled(_bars_template(narrow), {ORDER: [r["label"] for r in rows], AXIS_TITLE: y_title,
                                            DESCRIPTION: description}, {ROWS: rows}, validate)


def hbar_chart(rows: list[dict], x_title: str, description: str, narrow: bool = False,
               validate: bool = False) -> dict:
    """Horizontal bars, largest first, for labels too long to stand under a bar (services, categories)."""
    return _filled(_across_bars_template(narrow), {ORDER: [r["label"] for r in rows], AXIS_TITLE: x_title,
                                                   DESCRIPTION: description}, {ROWS: rows}, validate)


def ward_map(boundaries: Boundaries, figures: dict[str, tuple[float | None, str]], legend_title: str,
             description: str, narrow: bool = False, validate: bool = False) -> dict:
    """A choropleth: each ward shaded by its figure in five equal steps from lowest to highest, and the
    figure written in it (`figures`: area code -> (value, label)); a ward without one blank, marked [x].
    On a phone the labels leave off a % sign, which the key gives, so neighbouring wards' fit."""
    features = boundaries.features({code: {"value": value} for code, (value, _) in figures.items()})
    places = _places(boundaries, {code: label.removesuffix("%") if narrow else label
                                  for code, (_, label) in figures.items()})
    return _filled(_ward_map_template(*_map_size(boundaries, narrow), bool(places)),
                   {LEGEND_TITLE: legend_title, DESCRIPTION: description}, _map_datasets(features, places), validate)


def locator_map(boundaries: Boundaries, labels: dict[str, str], highlight: str | None, description: str,
                narrow: bool = False, validate: bool = False) -> dict:
    """The wards outlined: one shaded dark (`highlight`, a place's own), or each labelled (a key to a table)."""
    places = _places(boundaries, labels)
    fills = {DESCRIPTION: description, HIGHLIGHTED: f"datum.properties.code === {json.dumps(highlight)}"}
    return _filled(_locator_template(*_map_size(boundaries, narrow), bool(places), bool(highlight)), fills,
                   _map_datasets(boundaries.features(), places), validate)


def _map_size(boundaries: Boundaries, narrow: bool) -> tuple[int, int]:
    """A map as wide as a chart's plot (on a phone, the narrow width; a tall area, narrower), as tall as
    the shapes need."""
    aspect = boundaries.aspect()
    width = min(NARROW_WIDTH - 16 if narrow else 480, round(MAP_HEIGHT / aspect))
    return width, round(width * aspect)


def _places(boundaries: Boundaries, labels: dict[str, str]) -> list[dict]:
    """Each labelled area's label (`labels`: area code -> text), at its middle."""
    return [{"lon": lon, "lat": lat, "label": labels[code]} for code, shape in boundaries.shapes.items()
            if labels.get(code) for lon, lat in [centroid(shape.geometry)]]


def _map_datasets(features: list[dict], places: list[dict]) -> dict[str, list]:
    """A map's shapes and labels, put in its spec's `datasets` after Altair has made it: passed through
    Altair, their thousands of coordinates would cost more than drawing the map."""
    return {SHAPES: features, **({MAP_LABELS: places} if places else {})}


ROWS = "rows"                   # the name of a chart's own rows in its spec's `datasets`
NOTES = "notes"                 # ... and of a capability chart's annotations
# A chart's template holds these in place of what differs from chart to chart: Altair's deep copies, schema
# hashes and checks at each step cost as much as drawing the chart, so it makes each shape of chart once.
ORDER = "(periods in order)"
LABELLED = "(periods labelled)"
PARTS = "(parts in order)"
AXIS_TITLE = "(axis title)"
LEGEND_TITLE = "(legend title)"
DESCRIPTION = "(description)"
HIGHLIGHTED = "(the highlighted area)"   # a locator map's test of an area: is it the one shaded
# How many periods apart the x axis's labels may stand: months, quarters or years in round steps.
LABEL_STEPS = (1, 2, 4, 6, 12, 24, 36, 48, 60, 120)


def _labelled(order: list[str], narrow: bool) -> list[str]:
    """The periods a chart's x axis labels: every step-th, counted back from the latest so the latest is
    always labelled, in the smallest step of LABEL_STEPS that gives each label room. Vega would hide
    overlapping labels itself (labelOverlap, still on, in case a label is wider than guessed), but only
    after measuring every one: ten years of months measured 120 labels to show 9."""
    room = NARROW_WIDTH - 80 if narrow else WIDE_WIDTH          # the narrow plot, less the y axis
    # An axis label at 12 px is about 6.5 px a character, and the theme keeps 12 px between labels.
    fits = max(1, room // (6.5 * max(map(len, order), default=1) + 12))
    step = next((s for s in LABEL_STEPS if math.ceil(len(order) / s) <= fits), math.ceil(len(order) / fits))
    return order[::-1][::step][::-1]


def _filled(template: dict, fills: dict[str, object], datasets: dict[str, list], validate: bool) -> dict:
    """A chart's spec: its template with each placeholder filled in (a placeholder stands alone, as a
    text or as a list's one item), and its datasets put in."""
    spec = _fill(template, fills)
    spec.setdefault("datasets", {}).update(datasets)
    if validate:            # the spec as published, against Vega-Lite's schema
        from altair.utils.schemapi import validate_jsonschema
        from altair.vegalite.v6.schema.core import load_schema
        validate_jsonschema(spec, load_schema())
    return spec


def _fill(node, fills: dict[str, object]):
    if isinstance(node, dict):
        return {k: _fill(v, fills) for k, v in node.items()}
    if isinstance(node, list):
        if len(node) == 1 and isinstance(node[0], str) and node[0] in fills:
            return fills[node[0]]
        return [_fill(v, fills) for v in node]
    if isinstance(node, str):
        return fills.get(node, node)
    return node


# --- drawing ------------------------------------------------------------------------------

def _renderer() -> str:
    """The drawing engine's version: vl-convert bundles Vega and Vega-Lite, so a new one may draw the
    same spec differently, and every cached SVG must then be drawn again; and its fonts (drawing.engine)."""
    return f"vl-convert {version('vl-convert-python')}, its own fonts"


RENDERER = _renderer()


def size(svg: str) -> tuple[str, str]:
    """A drawn chart's width and height, for its <img> (so the page does not move as it loads): whole
    pixels, as HTML wants them."""
    found = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    return (str(math.ceil(float(found[1]))), str(math.ceil(float(found[2])))) if found else ("640", "240")


def spec_text(spec: Mapping) -> str:
    """A spec as its drawing is keyed and as it is published: keys sorted, compact, UTF-8 text as it is (as
    every JSON file of the site)."""
    return spec.text if isinstance(spec, KeptSpec) else json.dumps(spec, sort_keys=True, separators=(",", ":"),
                                                                    ensure_ascii=False)


def _key_of(text: str) -> str:
    """The cache key of a drawn chart: its spec (as spec_text writes it) and the renderer that draws it."""
    return hashlib.sha256(f"{RENDERER}\n{text}".encode()).hexdigest()


def drawing_key(spec: Mapping) -> str:
    """_key_of a spec's text: a kept one's as kept beside it, its text not even read."""
    return spec.drawing if isinstance(spec, KeptSpec) else _key_of(spec_text(spec))


def _draw(spec_json: str) -> str:
    return drawing.draw(spec_json)


def draw_all(specs: dict[str, dict], cache_dir: Path | None, workers: int) -> dict[str, str]:
    """SVG for every spec, by id; cached by spec hash, misses drawn in `workers` processes (0: one a core)."""
    pool = worker_processes.pool(workers)
    try:
        svgs: dict[str, str] = {}
        make_and_draw(((cid, lambda spec=spec: spec) for cid, spec in specs.items()), len(specs), cache_dir, pool,
                      lambda cid, svg, key: svgs.__setitem__(cid, svg))
        return svgs
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def make_and_draw(jobs: Iterable[tuple[str, Callable[[], dict]]], total: int, cache_dir: Path | None,
                  workers: Executor | None, put: Callable[[str, str, str], None],
                  drawn: Callable[[int, int], None] | None = None,
                  made: Callable[[str, Mapping, str], None] | None = None,
                  meanwhile: Callable[[], None] | None = None, carry: Callable[[str, str], bool] | None = None) -> None:
    """Each job's spec, made by its function in this process, goes to `made(id, spec, key)`; its SVG to
    `put(id, svg, key)` as soon as it is drawn (`key`: the drawing's, a hash of the spec's text and the
    renderer). A chart kept in the cache is first offered to `carry(id, key)`: True when it is in the output
    already (carried.py), so its SVG is not even read. Nothing is held for the caller: thousands of specs, or of SVGs
    waiting to be collected, cost hundreds of megabytes. A spec missing from the cache goes to a worker
    process (of the caller's pool) as soon as it is made, so the charts are drawn while the rest are being
    made rather than after; a few charts are drawn here (starting a process costs more). A worker's SVG is
    put from the pool's thread, one put at a time, and its future let go (a future holds its result: kept
    to the end, the SVGs of thousands of charts). `drawn(n, total)` hears of each chart done (for a
    progress line). `meanwhile()`: work for this process while the workers draw (it would otherwise wait)."""
    pool = workers if total > 4 else None
    pending: set[Future] = set()    # until its callback has run to its end; for cancelling, and waiting for, the rest
    done: list[str] = []            # appended to by the pool's thread too: a list's append is atomic
    failed: list[BaseException] = []
    one_at_a_time = threading.Condition()

    def finished(cid: str, svg: str | None, key: str, new: bool) -> None:
        """`new`: a drawing to keep in the cache (else it came from there); `svg` None: carried over."""
        with one_at_a_time:
            if cache_dir and new:
                cache.keep(cache_dir / f"{key}.svg", svg.encode("utf-8"))
            if svg is not None:
                put(cid, svg, key)
            done.append(cid)
            one_at_a_time.notify_all()
        if drawn:
            drawn(len(done), total)

    def arrived(future: Future, cid: str, key: str) -> None:
        try:
            if not future.cancelled():
                finished(cid, future.result(), key, True)
        except BaseException as exc:           # raised in the caller's thread, below
            with one_at_a_time:
                failed.append(exc)
        finally:
            with one_at_a_time:
                pending.discard(future)
                one_at_a_time.notify_all()
    made_count = 0
    try:
        for cid, make in jobs:
            spec = make()
            made_count += 1
            key = drawing_key(spec)
            if made:
                made(cid, spec, key)
            cached = cache_dir / f"{key}.svg" if cache_dir else None
            if cache.hit(cached):
                carried = carry is not None and carry(cid, key)
                finished(cid, None if carried else cached.read_text(encoding="utf-8"), key, False)
            elif pool:
                # Queued specs wait in this process until a worker is free: compressed, a tenth the size.
                future = pool.submit(drawing.draw_packed, zlib.compress(spec_text(spec).encode(), 1))
                with one_at_a_time:
                    pending.add(future)         # before its callback, which may run at once
                future.add_done_callback(functools.partial(arrived, cid=cid, key=key))
            else:
                finished(cid, _draw(spec_text(spec)), key, True)
        if meanwhile:
            meanwhile()
        with one_at_a_time:
            one_at_a_time.wait_for(lambda: failed or len(done) == made_count)
        if failed:
            raise failed[0]
    finally:
        for future in list(pending):
            future.cancel()         # a spec that failed leaves the rest undrawn
        # A chart a worker was drawing still arrives, and is put: wait for it, so that nothing is written
        # after this returns (on an error the caller removes what the build wrote).
        with one_at_a_time:
            one_at_a_time.wait_for(lambda: not pending)
