"""Chart specs: styling lives in the registered theme; drawing is cached by spec hash."""

from __future__ import annotations

import json
import os
import weakref
from concurrent.futures import Executor, Future

import altair as alt
import pytest

from conftest import ROOT, dashboard_property, make_measure_package, make_registers, settings_for, spc_settings
from generator.analysis import capability
from generator.analysis.comparisons import BandPoint
from generator import workers
from generator.site import charts
from generator.ingest.pipeline import load


def _measure(tmp_path, **prop):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,[x]\n2024-04,6\n"},
                         {"homes": dashboard_property(**prop)})
    return load(settings_for(root)).site.measures["homes"]


def _chart(measure, min_points=3):
    analysis = capability.analyse_measure(measure, spc_settings(min_points=min_points))
    return charts.measure_chart(measure, analysis)


def test_theme_is_registered_and_enabled():
    from generator.site import chart_templates      # noqa: F401 (Altair, with the theme, comes with the shapes)
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME


def test_builders_name_styles_and_hold_no_colours(tmp_path):
    spec = _chart(_measure(tmp_path, target=6, annotations=[{"period": "2024-02", "label": "Trial", "rebase": True}]))
    layers = spec["layer"]
    styles = [layer["mark"]["style"] for layer in layers]
    assert styles == ["limit-line", "limit-line", "mean-line", "target-rule", "measure-line", "measure-point",
                      "annotation-rule-service", "annotation-label"]
    for layer in layers:
        assert not {"color", "stroke", "strokeDash", "fill", "font"} & set(layer["mark"])
    assert set(styles) <= set(spec["config"]["style"])


def test_missing_values_are_gaps_not_zeros(tmp_path):
    spec = _chart(_measure(tmp_path))
    values = {row["period"]: row["value"] for row in spec["datasets"][charts.ROWS]}
    assert values == {"2024-01": 5.0, "2024-02": 7.0, "2024-03": None, "2024-04": 6.0}


def test_draw_all_caches_by_spec(tmp_path, monkeypatch):
    spec = _chart(_measure(tmp_path))
    cache = tmp_path / "cache"
    first = charts.draw_all({"homes": spec}, cache, 0)
    assert first["homes"].lstrip().startswith("<svg")
    assert len(list(cache.glob("*.svg"))) == 1

    def fail(_):
        raise AssertionError("a cached chart was drawn again")
    monkeypatch.setattr(charts, "_draw", fail)
    assert charts.draw_all({"homes": json.loads(json.dumps(spec))}, cache, 0) == first


def _tiny_spec(n: int) -> dict:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": f"chart {n}",
            "data": {"values": [{"x": i, "y": i * n} for i in range(4)]}, "mark": "line",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}


def test_workers_svgs_are_put_as_they_come_not_held_for_the_end(tmp_path):
    """Thousands of SVGs waiting to be collected cost hundreds of megabytes: each is put once drawn, while
    this process is still busy with its own work."""
    import threading
    pool = workers.pool(2)
    put, made, seen_meanwhile = {}, [], []
    arrived = threading.Event()

    def on_put(cid, svg, key):
        put[cid] = svg
        arrived.set()

    def meanwhile():
        seen_meanwhile.append(arrived.wait(timeout=120) and len(put))
    try:
        jobs = ((f"c{n}", lambda n=n: _tiny_spec(n)) for n in range(6))
        charts.make_and_draw(jobs, 6, tmp_path / "cache", pool, on_put,
                             made=lambda cid, spec, key: made.append((cid, spec["description"])), meanwhile=meanwhile)
    finally:
        pool.shutdown()
    assert seen_meanwhile[0] >= 1                     # drawn and put while this process was busy
    assert sorted(put) == [f"c{n}" for n in range(6)] and all(s.lstrip().startswith("<svg") for s in put.values())
    assert made == [(f"c{n}", f"chart {n}") for n in range(6)]
    assert len(list((tmp_path / "cache").glob("*.svg"))) == 6


class _Drawer(Executor):
    """Draws at once, in this process, and remembers each future it gave (weakly: to see who keeps it)."""

    def __init__(self):
        self.futures = []

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_result("<svg>" + "x" * 10_000 + "</svg>")
        self.futures.append(weakref.ref(future))
        return future


def test_a_drawn_charts_future_is_let_go_as_its_svg_is_put(tmp_path):
    """A future holds its result: kept until the end, thousands of futures held every SVG of the build
    (hundreds of megabytes at 2,000 measures). Only the last future made is still referenced (by the loop)."""
    pool, put, alive = _Drawer(), [], []
    jobs = ((f"c{n}", lambda n=n: _tiny_spec(n)) for n in range(6))
    charts.make_and_draw(jobs, 6, None, pool, lambda cid, svg, key: put.append(cid),
                         meanwhile=lambda: alive.append(sum(ref() is not None for ref in pool.futures)))
    assert put == [f"c{n}" for n in range(6)] and len(pool.futures) == 6
    assert alive == [1]


def test_on_an_error_a_chart_still_being_drawn_is_put_before_the_drawing_returns(tmp_path, monkeypatch):
    """On an error the build removes what it wrote: a chart a worker was drawing meanwhile must not arrive,
    and be written into the site, after that. The queued charts are not drawn at all."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from generator.site import drawing
    drawing_one, let_it_finish = threading.Event(), threading.Event()

    def slow(packed: bytes) -> str:
        drawing_one.set()
        let_it_finish.wait(10)
        return "<svg></svg>"
    monkeypatch.setattr(drawing, "draw_packed", slow)

    def fails() -> None:
        drawing_one.wait(10)
        threading.Timer(0.3, let_it_finish.set).start()
        raise RuntimeError("a page could not be written")
    put: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        jobs = ((f"c{n}", lambda n=n: _tiny_spec(n)) for n in range(6))
        with pytest.raises(RuntimeError):
            charts.make_and_draw(jobs, 6, None, pool, lambda cid, svg, key: put.append(cid), meanwhile=fails)
        assert put == ["c0"]


def test_a_chart_a_worker_cannot_draw_fails_the_drawing(tmp_path):
    pool = workers.pool(2)
    broken = {**_tiny_spec(1), "mark": "no-such-mark"}
    try:
        jobs = [(f"c{n}", lambda n=n: _tiny_spec(n)) for n in range(5)] + [("broken", lambda: broken)]
        with pytest.raises(Exception):
            charts.make_and_draw(iter(jobs), 6, None, pool, lambda cid, svg, key: None)
    finally:
        pool.shutdown()


_FONT_PROBE = """
import json, os, sys
from generator.site import drawing
spec = {"data": {"values": [{"t": "iiiiiiiiiiiiiiii"}]},
        "mark": {"type": "text", "font": sys.argv[1], "fontSize": 12, "limit": 60}, "encoding": {"text": {"field": "t"}}}
svg = drawing.draw(json.dumps(spec))
print(json.dumps({"whole": ">iiiiiiiiiiiiiiii<" in svg, "fontconfig": os.environ.get("FONTCONFIG_FILE")}))
"""


def test_charts_are_measured_with_the_engines_own_font_whatever_fonts_the_machine_has():
    """Sixteen i's are about 43 px wide in Liberation Sans, the font vl-convert carries (its sans-serif), and
    115 px in Liberation Mono, a font of the machine's (installed with the PDFs' fonts): a text limited to
    60 px is drawn whole only if the engine did not find the machine's font first in the list. And the setting
    that hides the machine's fonts from the engine is put back (the PDFs' renderer, in the same process,
    reads it)."""
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    for font in ("'Liberation Mono', sans-serif", "sans-serif"):
        probe = subprocess.run([sys.executable, "-c", _FONT_PROBE, font], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=True)
        assert json.loads(probe.stdout) == {"whole": True, "fontconfig": None}, font


def test_a_new_renderer_draws_every_chart_again(tmp_path, monkeypatch):
    spec = _chart(_measure(tmp_path))
    cache = tmp_path / "cache"
    charts.draw_all({"homes": spec}, cache, 0)
    drawn = []
    monkeypatch.setattr(charts, "_draw", lambda spec_json: drawn.append(spec_json) or "<svg>new</svg>")
    charts.draw_all({"homes": spec}, cache, 0)
    assert drawn == []                                          # same renderer: from the cache
    monkeypatch.setattr(charts, "RENDERER", "vl-convert 99.0.0")
    assert charts.draw_all({"homes": spec}, cache, 0) == {"homes": "<svg>new</svg>"} and len(drawn) == 1
    assert len(list(cache.glob("*.svg"))) == 2                  # the old drawing is not reused


def test_a_kept_spec_is_keyed_and_published_as_kept_and_never_encoded_or_parsed_again(tmp_path, monkeypatch):
    """A spec read from the cache carries its text and its description: its drawing's key and the file
    published are that text (keys sorted, compact), its page's words the description, and nothing encodes
    or parses it again unless the spec itself is asked for."""
    spec = {"title": "£ spent", "$schema": "v5", "description": "Spending by month"}
    made = charts.cached_spec(tmp_path, ["a spec"], lambda: spec)
    assert made == spec and charts.description(made) == "Spending by month" == charts.description(spec)
    assert made.text == charts.spec_text(spec) == '{"$schema":"v5","description":"Spending by month","title":"£ spent"}'

    dumps, loads = json.dumps, json.loads

    def encoded(value, *args, **kwargs):
        assert "$schema" not in value, "a kept spec was encoded again"
        return dumps(value, *args, **kwargs)

    def parsed(text, *args, **kwargs):
        assert "$schema" not in text, "a kept spec was parsed"
        return loads(text, *args, **kwargs)
    monkeypatch.setattr(json, "dumps", encoded)         # the cache's key of the inputs is still encoded
    monkeypatch.setattr(json, "loads", parsed)
    again = charts.cached_spec(tmp_path, ["a spec"], lambda: pytest.fail("made again"))
    assert charts.spec_text(again) == made.text and charts.description(again) == "Spending by month"
    monkeypatch.undo()
    assert again == spec and again["title"] == "£ spent"


def test_a_kept_specs_text_is_read_only_when_asked_for(tmp_path, monkeypatch):
    """A rebuild carries a thousand unchanged charts over by their drawings' keys: a kept spec's description and
    drawing key are read from the first line of its file, and its text (tens of kilobytes) only when asked for;
    should the file go meanwhile (another build sharing the cache pruned it), the spec is made again."""
    spec = {"description": "Homes built", "mark": "line"}
    made = charts.cached_spec(tmp_path, ["a spec"], lambda: spec)
    assert charts.drawing_key(made) == charts._key_of(charts.spec_text(spec))
    monkeypatch.setattr(charts, "_kept_text", lambda path: pytest.fail("the text was read"))
    again = charts.cached_spec(tmp_path, ["a spec"], lambda: pytest.fail("made again"))
    assert charts.drawing_key(again) == charts.drawing_key(made) and charts.description(again) == "Homes built"
    monkeypatch.undo()
    assert again.text == charts.spec_text(spec)
    gone = charts.cached_spec(tmp_path, ["a spec"], lambda: spec)
    for kept in (tmp_path / "specs").iterdir():
        kept.unlink()
    assert gone.text == charts.spec_text(spec) and gone == spec


def test_a_rebuild_reads_its_kept_specs_first_lines_from_one_record(tmp_path, monkeypatch):
    """A rebuild's thousands of kept specs' descriptions and drawing keys come from one record the last build
    into the output left, not from each spec's file; a spec gone from the cache is made again whatever the
    record says, and a record cut short is read as none."""
    monkeypatch.setattr(charts, "_first_lines", charts._first_lines)       # put back after the test
    record, cache_dir = tmp_path / "builds" / "output.specs", tmp_path / "cache"
    spec = {"description": "Homes built", "mark": "line"}
    charts.read_first_lines(record)
    made = charts.cached_spec(cache_dir, ["a spec"], lambda: spec)
    charts.save_first_lines()
    charts.read_first_lines(record)
    with monkeypatch.context() as m:
        m.setattr(charts, "_first_line", lambda path: pytest.fail("a first line was read from its file"))
        again = charts.cached_spec(cache_dir, ["a spec"], lambda: pytest.fail("made again"))
    assert (charts.description(again), charts.drawing_key(again)) == (charts.description(made), charts.drawing_key(made))
    assert again.text == made.text
    charts.save_first_lines()           # what this build used, for the next
    charts.read_first_lines(record)
    for kept in (cache_dir / "specs").iterdir():
        kept.unlink()
    remade = []
    gone = charts.cached_spec(cache_dir, ["a spec"], lambda: remade.append(1) or spec)
    assert remade == [1] and gone == spec and charts.drawing_key(gone) == charts.drawing_key(made)
    record.write_text('{"' + "0" * 64 + '": ["Homes bu')
    charts.read_first_lines(record)
    assert charts._first_lines.known == {}


def test_too_few_points_draws_a_plain_run_chart(tmp_path):
    spec = _chart(_measure(tmp_path), min_points=15)
    styles = [layer["mark"]["style"] for layer in spec["layer"]]
    assert styles == ["measure-line", "measure-point"]


def test_signals_are_drawn_with_their_own_shape(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    rows = "".join(f"2024-{m:02d},{v}\n" for m, v in zip(range(1, 13), [10, 11] * 5 + [10, 30]))
    make_measure_package(root, {"homes": "period,value\n" + rows},
                         {"homes": dashboard_property(polarity="lower-is-better")})
    measure = load(settings_for(root)).site.measures["homes"]
    spec = _chart(measure, min_points=10)
    styles = [layer["mark"]["style"] for layer in spec["layer"]]
    # the 30 is above the limit (concern); the eleven figures before it sit below the mean (a shift,
    # an improvement when lower is better)
    assert "signal-concern" in styles and "signal-improvement" in styles and "signal-neutral" not in styles
    assert spec["config"]["style"]["signal-concern"]["shape"] == "square"
    last = spec["datasets"][charts.ROWS][-1]
    assert last["signal"] == "concern" and last["upper"] < 30


def test_every_example_chart_is_valid_vega_lite():
    """Builds skip Altair's schema check for speed; here every example spec gets it."""
    site = load(settings_for(ROOT / "data")).site
    settings = spc_settings()
    for measure in site.measures.values():
        analysis = capability.analyse_measure(measure, settings)
        for narrow in (False, True):
            assert (charts.measure_chart(measure, analysis, narrow, validate=True)
                    == charts.measure_chart(measure, analysis, narrow))


def test_a_spec_is_built_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    measure = _measure(tmp_path)
    analysis = capability.analyse_measure(measure, spc_settings(min_points=3))
    first = charts.cached_measure_chart(measure, analysis, tmp_path / "cache")
    assert first == charts.measure_chart(measure, analysis)
    monkeypatch.setattr(charts, "capability_chart", lambda *a, **k: pytest.fail("built again"))
    assert charts.cached_measure_chart(measure, analysis, tmp_path / "cache") == first
    other = _measure(tmp_path / "other", target=6)        # different inputs: a different key
    monkeypatch.undo()
    assert charts.cached_measure_chart(other, analysis, tmp_path / "cache") != first


def test_a_measures_chart_kept_by_what_the_measure_is_made_from_is_found_without_working_out_its_rows(
        tmp_path, monkeypatch):
    """A build knows a hash of all a measure is made from (context.made_from): a chart kept under it is found
    without its arguments (the chart's rows, a thousand measures' of them) being worked out at all."""
    measure = _measure(tmp_path)
    analysis = capability.analyse_measure(measure, spc_settings(min_points=3))
    first = charts.measure_charts(measure, lambda: analysis, tmp_path / "cache", "made-from-1")
    wide, narrow = first(False), first(True)
    assert wide == charts.measure_chart(measure, analysis) and narrow == charts.measure_chart(measure, analysis, True)
    monkeypatch.setattr(charts, "_chart_args", lambda *a: pytest.fail("worked out again"))
    again = charts.measure_charts(measure, lambda: pytest.fail("its analysis read"), tmp_path / "cache", "made-from-1")
    assert again(False) == wide and again(True) == narrow
    with pytest.raises(pytest.fail.Exception):
        charts.measure_charts(measure, lambda: analysis, tmp_path / "cache", "made-from-2")(False)   # made again


def test_small_multiples_are_built_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    measure = _measure(tmp_path)
    parts = [("Abbey", measure.observations[:3]), ("Batchley", measure.observations[1:])]
    first = charts.cached_small_multiples(measure, parts, "By ward", tmp_path / "cache")
    assert first == charts.small_multiples(measure, parts, "By ward")
    monkeypatch.setattr(charts, "small_multiples", lambda *a, **k: pytest.fail("built again"))
    assert charts.cached_small_multiples(measure, parts, "By ward", tmp_path / "cache") == first
    monkeypatch.undo()
    changed = [("Abbey", measure.observations[:1]), ("Batchley", measure.observations[1:])]     # one figure fewer
    assert charts.cached_small_multiples(measure, changed, "By ward", tmp_path / "cache") != first


def test_small_multiples_kept_by_what_they_are_made_from_are_found_without_working_out_their_panels(
        tmp_path, monkeypatch):
    measure, cache_dir = _measure(tmp_path), tmp_path / "cache"
    parts = [("Abbey", measure.observations[:3]), ("Batchley", measure.observations[1:])]
    made = ["made-from-1", "ward", [("E05007868", "Abbey"), ("E05007869", "Batchley")]]
    first = charts.cached_small_multiples(measure, parts, "By ward", cache_dir, made_from=made)
    assert first == charts.small_multiples(measure, parts, "By ward")
    monkeypatch.setattr(charts, "_panels", lambda *a: pytest.fail("worked out again"))
    assert charts.cached_small_multiples(measure, parts, "By ward", cache_dir, made_from=made) == first
    with pytest.raises(pytest.fail.Exception):       # a ward renamed: made again
        charts.cached_small_multiples(measure, parts, "By ward", cache_dir,
                                      made_from=[*made[:2], [("E05007868", "Abbey"), ("E05007869", "Batchley North")]])


def test_a_measures_analysis_is_worked_out_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    from generator.site.context import analysed
    measure, rules, cache_dir = _measure(tmp_path), spc_settings(min_points=3), tmp_path / "cache"
    first = analysed(measure, rules, cache_dir)
    assert first == capability.analyse_measure(measure, rules) and first.phases
    monkeypatch.setattr(capability, "analyse_measure", lambda *a: pytest.fail("worked out again"))
    assert analysed(measure, rules, cache_dir) == first
    monkeypatch.undo()
    assert analysed(measure, spc_settings(min_points=4), cache_dir) != first      # other rules: another key
    assert analysed(_measure(tmp_path / "other", target=6), rules, cache_dir) != first
    assert len(list((cache_dir / "analyses").iterdir())) == 3


def test_a_measures_analysis_and_its_words_kept_by_what_the_measure_is_made_from_are_found_without_reading_it(
        tmp_path, monkeypatch):
    """A build knows a hash of all a measure is made from (context.made_from, the rules among it): the
    analysis kept under it, with its summary but for the due date, is found without the measure's series
    being read and hashed again, or its limits put in words again."""
    from dataclasses import replace
    from generator.analysis.summary import described
    from generator.site.context import made_from, worked
    measure = replace(_measure(tmp_path), rows_key="its rows")          # as a build with a cache reads it
    rules, cache_dir = spc_settings(min_points=3), tmp_path / "cache"
    made = made_from(measure, rules)
    assert made is not None and made != made_from(measure, spc_settings(min_points=4))
    first = worked(measure, rules, cache_dir, made)
    assert first.analysis == capability.analyse_measure(measure, rules)
    said = described(measure, capability.sentences(measure, first.analysis, 3),
                     capability.outlook(measure, first.analysis), first.analysis.verdicts.assurance)
    assert first.said == said and said.sentences and said.timing is None     # dated by each build
    assert worked(measure, rules, None, None) == first                   # the same without a cache
    for name in ("series_of", "analyse_measure", "sentences", "outlook"):
        monkeypatch.setattr(capability, name, lambda *a, name=name: pytest.fail(f"{name} again"))
    import pickle
    unpickled = []
    loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: unpickled.append(1) or loads(data))
    again = worked(measure, rules, cache_dir, made)
    # Its verdicts and words read without its analysis, which is unpickled when first read, once.
    assert (again.verdicts, again.said, unpickled) == (first.analysis.verdicts, first.said, [1])
    assert again == first and again.analysis is again.analysis and unpickled == [1, 1]
    with pytest.raises(pytest.fail.Exception):
        worked(measure, rules, cache_dir, "made from something else")


def test_comparison_charts_are_built_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    measure = _measure(tmp_path)
    figures = [o for o in measure.observations if o.number is not None]
    band = [BandPoint(o.period, o.number, o.number - 1, o.number + 1, 3) for o in figures]
    benchmarks = [("Nearby", figures[:2])]
    first = charts.cached_comparison_chart(measure, band, benchmarks, "Against its group", tmp_path / "cache")
    assert first == charts.comparison_chart(measure, band, benchmarks, "Against its group")
    monkeypatch.setattr(charts, "comparison_chart", lambda *a, **k: pytest.fail("built again"))
    assert charts.cached_comparison_chart(measure, band, benchmarks, "Against its group", tmp_path / "cache") == first
    monkeypatch.undo()
    wider = [BandPoint(o.period, o.number, o.number - 2, o.number + 1, 3) for o in figures]    # a lower low
    assert charts.cached_comparison_chart(measure, wider, benchmarks, "Against its group", tmp_path / "cache") != first
    assert charts.cached_comparison_chart(measure, band, [], "Against its group", tmp_path / "cache") != first


def test_comparison_charts_kept_by_what_they_are_made_from_are_found_without_working_out_their_band(
        tmp_path, monkeypatch):
    """A build knows a hash of all a measure is made from (context.made_from): with the group, a comparison
    chart kept under it is found without the band and benchmarks being read and hashed; a group with another
    member is another chart."""
    from generator.domain.model import Area, Comparator
    from generator.site.context import comparison_inputs
    measure, cache_dir = _measure(tmp_path), tmp_path / "cache"
    figures = [o for o in measure.observations if o.number is not None]
    band = [BandPoint(o.period, o.number, o.number - 1, o.number + 1, 3) for o in figures]
    group = Comparator("near", "Nearest neighbours", "CIPFA", "", (Area("E07000221", "Stratford-on-Avon"),))
    made = ["made-from-1", *comparison_inputs(group)]
    first = charts.cached_comparison_chart(measure, band, [], "Against its group", cache_dir, made_from=made)
    assert first == charts.comparison_chart(measure, band, [], "Against its group")
    monkeypatch.setattr(charts, "_comparison", lambda *a: pytest.fail("worked out again"))
    assert charts.cached_comparison_chart(measure, band, [], "Against its group", cache_dir, made_from=made) == first
    bigger = Comparator("near", "Nearest neighbours", "CIPFA", "", (*group.members, Area("E07000222", "Warwick")))
    with pytest.raises(pytest.fail.Exception):       # a member more: made again
        charts.cached_comparison_chart(measure, band, [], "Against its group", cache_dir,
                                       made_from=["made-from-1", *comparison_inputs(bigger)])


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_chart_theme_takes_its_colours_from_the_theme_stylesheet(tmp_path):
    from generator.settings import shipped_theme
    from generator.site.palette import read_palette
    palette = read_palette(shipped_theme() / "static/css/site.css")
    config = charts.theme(palette)["config"]
    assert config["style"]["target-rule"]["color"] == palette["chart-target"]
    assert config["style"]["signal-concern"]["color"] == palette["chart-concern"]
    paper = palette["chart-paper"]
    assert _contrast(palette["chart-ink"], paper) >= 4.5                     # axis labels are text
    for name in ("chart-secondary", "chart-target", "chart-improvement", "chart-concern", "chart-neutral",
                 "chart-money", "chart-pass", "chart-fail"):
        assert _contrast(palette[name], paper) >= 3, name                    # graphics: WCAG 1.4.11


def test_a_theme_without_a_chart_colour_is_a_configuration_error(tmp_path):
    from generator.errors import ConfigError
    from generator.site.palette import read_palette
    css = tmp_path / "site.css"
    css.write_text(":root {\n  --chart-ink: #000000;\n}\n")
    with pytest.raises(ConfigError, match="--chart-secondary"):
        read_palette(css)


# --- on a phone ---------------------------------------------------------------------------------

def test_a_narrow_chart_is_drawn_at_a_phones_width_whatever_its_labels(tmp_path):
    """A phone shows the narrow image at its own size, its text unshrunk, only if the whole drawing (axes,
    labels, an annotation at the end of the chart, a benchmark's name) is no wider than NARROW_WIDTH."""
    measure = _measure(tmp_path, target=6, annotations=[
        {"period": "2024-04", "label": "A long description of what changed in the service", "rebase": False}])
    analysis = capability.analyse_measure(measure, spc_settings(min_points=3))
    figures = [o for o in measure.observations if o.number is not None]
    band = [BandPoint(o.period, o.number, o.number - 1, o.number + 1, 3) for o in figures]
    months = [{"label": f"{m} 25", "value": 1.5e6} for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")] * 2
    names = [{"label": "A service with a name far longer than a phone's screen is wide", "value": 7.4e6},
             {"label": "Policy", "value": 2.0e5}]
    specs = {"measure": charts.measure_chart(measure, analysis, narrow=True, validate=True),
             "compared": charts.comparison_chart(measure, band, [("A benchmark area with a long name", figures)],
                                                 "Against its group", narrow=True, validate=True),
             "parts": charts.small_multiples(measure, [("Batchley and Brockhill ward, a long name", figures)] * 3,
                                             "By ward", narrow=True, validate=True),
             "months": charts.bar_chart(months, "Spending (£)", "By month", narrow=True, validate=True),
             "names": charts.hbar_chart(names, "Spending (£)", "By service", narrow=True, validate=True)}
    # One at a time: more than four at once are drawn in worker processes, forked from this one.
    drawn = {name: charts.draw_all({name: spec}, None, 0)[name] for name, spec in specs.items()}
    wider = {name: width for name, svg in drawn.items() if float(width := charts.size(svg)[0]) > charts.NARROW_WIDTH}
    assert wider == {}


def test_on_a_phone_an_annotation_is_labelled_with_its_kind_inside_the_chart(tmp_path):
    measure = _measure(tmp_path, annotations=[{"period": "2024-04", "label": "Trial", "rebase": False}])
    spec = _chart(measure)
    narrow = charts.measure_chart(measure, capability.analyse_measure(measure, spc_settings(min_points=3)), narrow=True)
    label, = (layer for layer in narrow["layer"] if layer["mark"]["type"] == "text")
    assert label["data"]["name"] == charts.NOTES
    assert [m["text"] for m in narrow["datasets"][charts.NOTES]] == [measure.annotations[0].kind.short]
    assert label["mark"]["style"] == "annotation-label-end"     # the last period's: to the left of its line
    assert narrow["width"] == charts.NARROW_WIDTH and spec["width"] == 640


def test_the_narrow_spec_is_cached_apart_from_the_wide_one(tmp_path):
    measure = _measure(tmp_path)
    analysis = capability.analyse_measure(measure, spc_settings(min_points=3))
    wide = charts.cached_measure_chart(measure, analysis, tmp_path / "cache")
    narrow = charts.cached_measure_chart(measure, analysis, tmp_path / "cache", narrow=True)
    assert narrow == charts.measure_chart(measure, analysis, narrow=True) != wide
    assert len(list((tmp_path / "cache" / "specs").glob("*.json"))) == 2


def _x_encodings(node):
    if isinstance(node, dict):
        if isinstance(node.get("x"), dict) and "field" in node["x"]:
            yield node["x"]
        for value in node.values():
            yield from _x_encodings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _x_encodings(value)


def test_a_charts_rows_are_in_its_spec_once_and_every_x_scale_holds_the_periods_in_order(tmp_path):
    """In order as the scale's domain, never as a sort list: Vega-Lite makes a sort list one comparison per
    period for every row of every layer (half the time to draw ten years of months)."""
    measure = _measure(tmp_path, annotations=[{"period": "2024-04", "label": "Trial", "rebase": False}])
    analysis = capability.analyse_measure(measure, spc_settings(min_points=3))
    figures = [o for o in measure.observations if o.number is not None]
    band = [BandPoint(o.period, o.number, o.number - 1, o.number + 1, 3) for o in figures]
    order = [o.period.short_label for o in measure.observations]
    specs = [charts.measure_chart(measure, analysis),
             charts.comparison_chart(measure, band, [("Benchmark", figures)], "Against its group"),
             charts.small_multiples(measure, [("Abbey", figures), ("Central", figures)], "By ward")]
    for spec in specs:
        text = json.dumps(spec)
        assert text.count('"period": "2024-01"') <= 2            # once a part, not once per layer
        assert charts.ORDER not in text
        xs = list(_x_encodings(spec))
        assert xs and all("sort" not in x and x["scale"]["domain"] == order for x in xs), spec["description"]


# --- the period axis ------------------------------------------------------------------------------

def _months(n):
    return [f"{m} {2015 + i // 12}" for i, m in zip(range(n), ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                              "Aug", "Sep", "Oct", "Nov", "Dec"] * 20)]


@pytest.mark.parametrize("periods, narrow, step", [(4, False, 1), (48, False, 6), (120, False, 12),
                                                   (48, True, 24), (120, True, 48)])
def test_the_period_axis_labels_the_latest_period_and_every_step_before_it(periods, narrow, step):
    """Vega measures every label before hiding those that overlap: a chart labels only what has room."""
    order = _months(periods)
    assert charts._labelled(order, narrow) == order[::-1][::step][::-1]


def test_a_capability_chart_labels_its_periods_in_round_steps_from_the_latest():
    rows = [{"period": f"{2015 + i // 12}-{i % 12 + 1:02}", "label": label, "value": float(i), "signal": None}
            for i, label in enumerate(_months(120))]
    spec = charts.capability_chart(rows, False, False, "Homes", "Homes", [], validate=True)
    labelled = {json.dumps(layer["encoding"]["x"]["axis"]["values"]) for layer in spec["layer"]}
    assert labelled == {json.dumps(_months(120)[11::12])}       # every December, to the latest period's


def test_a_new_palette_is_in_the_next_chart_made(tmp_path):
    """Chart templates hold the theme's config: a build with another theme's colours must not reuse them."""
    measure = _measure(tmp_path)
    before = _chart(measure)["config"]["style"]["target-rule"]["color"]
    palette = dict(charts._palette, **{"chart-target": "#123456"})
    try:
        charts.use_palette(palette)
        assert _chart(measure)["config"]["style"]["target-rule"]["color"] == "#123456" != before
    finally:
        charts.use_palette({**palette, "chart-target": before})


_KEPT_TEMPLATE = """
import json, sys
from pathlib import Path
from generator.site import charts
charts.use_palette({**charts._palette, **json.loads(sys.argv[2])}, Path(sys.argv[1]))
rows = [{"period": f"2024-{m:02}", "label": f"M{m}", "value": float(m), "signal": None} for m in range(1, 13)]
spec = charts.capability_chart(rows, False, True, "Homes", "Homes", [])
print(json.dumps({"altair": "altair" in sys.modules, "spec": charts.spec_text(spec)}))
"""


def test_a_template_kept_in_the_cache_is_filled_in_without_altair(tmp_path):
    """A rebuild finds its charts' templates in the cache: it does not import Altair to make them again, and
    fills in the same spec. A template is kept with the palette: another theme's colours make it again."""
    import subprocess
    import sys

    def made(palette: dict) -> dict:
        run = subprocess.run([sys.executable, "-c", _KEPT_TEMPLATE, str(tmp_path / "cache"), json.dumps(palette)],
                             check=True, capture_output=True, text=True, cwd=ROOT)
        return json.loads(run.stdout)
    first, again, recoloured = made({}), made({}), made({"chart-target": "#123456"})
    assert first["altair"] and not again["altair"] and again["spec"] == first["spec"]
    assert recoloured["altair"] and '"#123456"' in recoloured["spec"] and '"#123456"' not in first["spec"]


def test_the_kept_templates_stay_kept_by_a_build_that_makes_no_chart(tmp_path):
    """A rebuild whose charts were all kept makes no template, but it keeps its palette's: else the cache
    would lose them, and the next build to make a chart would make them (and import Altair) again."""
    from generator import cache
    palette = dict(charts._palette)
    try:
        charts.use_palette(palette, tmp_path)
        charts.bar_chart([{"label": "April", "value": 1.0}], "Spending (£)", "By month")
        kept = list((tmp_path / "chart-templates").rglob("*.json"))
        assert len(kept) == 1
        os.utime(kept[0], (1, 1))               # made long ago
        since = cache.started(tmp_path)
        charts.use_palette(palette, tmp_path)   # the next build, which makes no chart
        cache.prune(tmp_path, since)
        assert kept[0].is_file()
    finally:
        charts.use_palette(palette)


def test_every_template_charts_asks_for_is_one_chart_templates_makes():
    """charts.py names the shapes it asks for; without Altair imported, a name it misspelt would only fail
    on a build with an empty cache."""
    import re
    from pathlib import Path
    from generator.site import chart_templates
    asked = set(re.findall(r'_template\("(\w+)"\)', Path(charts.__file__).read_text()))
    assert asked and asked == set(chart_templates.TEMPLATES)
