"""Each shape of chart, made with Altair: a template holding all that charts of that shape share, its texts,
periods and rows left as charts.py's placeholders, which charts.py fills in for each chart.

Imported only to make a template the cache lacks (charts._template): a rebuild finds every template it needs
kept, so it neither makes them (half a second) nor imports Altair (a third of a second). Every colour, font
and stroke is the registered theme's (charts.theme); these only say what is drawn, naming marks by style.
"""

from __future__ import annotations

import altair as alt

from . import charts
from .charts import (AXIS_TITLE, DESCRIPTION, HIGHLIGHTED, LABELLED, LEGEND_TITLE, MAP_LABELS, NARROW_WIDTH, NOTES,
                     ORDER, PARTS, ROWS, SHAPES, THEME, WIDE_WIDTH)

alt.theme.register(THEME, enable=True)(charts.current_theme)


def made(shape: str, args: tuple) -> dict:
    """The template of `shape` (one of TEMPLATES) for these arguments, in the registered theme: enabled here
    too, in case anything has enabled another since, as the template is kept."""
    with alt.theme.enable(THEME):
        return TEMPLATES[shape](*args)


def capability(phases: bool, has_target: bool, signals: tuple[str, ...], note_kinds: tuple[str, ...],
               note_ends: tuple[bool, ...], narrow: bool) -> dict:
    """What every capability chart of this shape holds, its texts and periods left as placeholders."""
    x = _period_x()
    y = alt.Y("value:Q", title=AXIS_TITLE, scale=alt.Scale(zero=False, nice=True))
    base = alt.Chart()              # the layers draw the chart's rows (ROWS), but for the annotations' own
    layers = []
    if phases:
        for name in ("lower", "upper"):
            layers.append(base.mark_line(style="limit-line").encode(x=x, y=f"{name}:Q", detail="phase:N"))
        layers.append(base.mark_line(style="mean-line").encode(x=x, y="mean:Q", detail="phase:N"))
    if has_target:
        layers.append(base.mark_line(style="target-rule").encode(x=x, y="target:Q"))
    layers.append(base.mark_line(style="measure-line").encode(x=x, y=y))
    layers.append(base.mark_point(style="measure-point").encode(x=x, y=y))
    for direction in signals:
        layers.append(base.transform_filter(alt.datum.signal == direction)
                      .mark_point(style=f"signal-{direction}").encode(x=x, y=y))
    at = alt.X("label:O", scale=_in_order())
    notes = alt.Chart(alt.Data(name=NOTES))
    for kind in note_kinds:          # a rule style per kind: its own dash
        layers.append(notes.transform_filter(alt.datum.kind == kind)
                      .mark_rule(style=f"annotation-rule-{kind}").encode(x=at))
    for end in note_ends:
        layers.append(notes.transform_filter(alt.datum.end == end)
                      .mark_text(style="annotation-label-end" if end else "annotation-label")
                      .encode(x=at, y=alt.value(0), text="text:N"))
    chart = alt.layer(*layers, data=alt.Data(name=ROWS)).properties(height=280, description=DESCRIPTION)
    return _sized(chart, narrow).to_dict(validate=False)


def comparison(lines: tuple[str, ...], narrow: bool) -> dict:
    """What every comparison chart with these benchmark lines holds, its texts and periods left as placeholders."""
    x = _period_x()
    y = alt.Y("value:Q", title=AXIS_TITLE, scale=alt.Scale(zero=False, nice=True))
    group, own = alt.Chart(alt.Data(name="group")), alt.Chart(alt.Data(name=ROWS))
    layers = [group.mark_area(style="group-band").encode(x=x, y=alt.Y("low:Q", title=AXIS_TITLE), y2="high:Q"),
              group.mark_line(style="group-median").encode(x=x, y="median:Q")]
    for name in lines:
        layers.append(alt.Chart(alt.Data(name=name)).mark_line(style="benchmark-line").encode(x=x, y=y))
        # On a phone the name stands above the line's end, inside the chart: beside it, it would take the
        # chart's width.
        layers.append(alt.Chart(alt.Data(name=f"{name}-end"))
                      .mark_text(style="benchmark-label-inside" if narrow else "benchmark-label")
                      .encode(x=x, y=y, text="name:N"))
    layers += [own.mark_line(style="measure-line").encode(x=x, y=y),
               own.mark_point(style="measure-point").encode(x=x, y=y)]
    chart = alt.layer(*layers).properties(height=280, description=DESCRIPTION)
    return _sized(chart, narrow).to_dict(validate=False)


def small_multiples(narrow: bool) -> dict:
    """Small multiples: a panel per part, in PARTS's order."""
    x = alt.X("label:O", scale=_in_order(), title=None, axis=alt.Axis(labels=False, ticks=False))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(zero=False, nice=True), axis=alt.Axis(tickCount=3))
    # A grid of panels cannot be fitted to a width (autosize): on a phone one column, its width leaving room
    # for the y axis's labels within NARROW_WIDTH.
    width, columns = (NARROW_WIDTH - 80, 1) if narrow else (140, 4)
    panel = alt.Chart().mark_line(style="measure-line").encode(x=x, y=y).properties(width=width, height=70)
    chart = alt.layer(panel, data=alt.Data(name=ROWS)).facet(
        facet=alt.Facet("part:N", title=None, sort=[PARTS],
                        header=alt.Header(labelFontSize=12, labelLimit=width)),
        columns=columns).properties(description=DESCRIPTION)
    return chart.to_dict(validate=False)


def bars(narrow: bool) -> dict:
    """Bars of one amount per label, the labels in ORDER along the bottom."""
    chart = alt.Chart(alt.Data(name=ROWS)).mark_bar(style="money-bar").encode(
        x=alt.X("label:O", sort=[ORDER], title=None),
        y=alt.Y("value:Q", title=AXIS_TITLE, axis=alt.Axis(format="~s")))
    return _sized(chart.properties(height=240, description=DESCRIPTION), narrow).to_dict(validate=False)


def across_bars(narrow: bool) -> dict:
    """Horizontal bars, the labels in ORDER down the side; on a phone each label on its own line above its
    bar, so the bars have the screen's width."""
    x = alt.X("value:Q", title=AXIS_TITLE, axis=alt.Axis(format="~s"))
    base = alt.Chart(alt.Data(name=ROWS))
    if narrow:
        # Each label at the top of its row (bandPosition 0), its bar in the row's lower half.
        y = alt.Y("label:N", sort=[ORDER], title=None, axis=None)
        top = alt.Y("label:N", sort=[ORDER], bandPosition=0, axis=None)
        chart = alt.layer(base.mark_bar(style="money-bar", height={"band": 0.45}, yOffset=10).encode(y=y, x=x),
                          base.mark_text(style="bar-label", limit=NARROW_WIDTH - 16).encode(
                              y=top, x=alt.value(0), text="label:N"))
        return _narrow(chart.properties(height={"step": 40}, description=DESCRIPTION)).to_dict(validate=False)
    chart = base.mark_bar(style="money-bar").encode(
        y=alt.Y("label:N", sort=[ORDER], title=None, axis=alt.Axis(labelLimit=260)), x=x)
    # Browsers may draw the labels in a wider font than vl-convert measured: leave room on the left.
    return chart.properties(width=360, height={"step": 18}, description=DESCRIPTION,
                            padding={"left": 48, "top": 8, "right": 8, "bottom": 8}).to_dict(validate=False)


def ward_map(width: int, height: int, labelled: bool) -> dict:
    """What every ward map of this size holds, its texts left as placeholders."""
    base = alt.Chart(alt.Data(name=SHAPES))
    layers = [base.transform_filter("isValid(datum.properties.value)").mark_geoshape(style="map-area").encode(
                  color=alt.Color("properties.value:Q", title=LEGEND_TITLE,
                                  scale=alt.Scale(type="quantize", range="ramp", nice=True, zero=False),
                                  legend=alt.Legend(orient="bottom", format=",~f", labelOverlap="greedy"))),
              base.transform_filter("!isValid(datum.properties.value)").mark_geoshape(style="map-gap")]
    return _map(layers, width, height, labelled)


def locator(width: int, height: int, labelled: bool, highlighted: bool) -> dict:
    """The wards outlined, one shaded dark if `highlighted` (the one HIGHLIGHTED tests for)."""
    base = alt.Chart(alt.Data(name=SHAPES))
    layers = [base.mark_geoshape(style="map-plain")]
    if highlighted:
        layers.append(base.transform_filter(HIGHLIGHTED).mark_geoshape(style="map-highlight"))
    return _map(layers, width, height, labelled)


def _map(layers: list, width: int, height: int, labelled: bool) -> dict:
    """A map's spec: its layers, each area's label over them if `labelled`, its description a placeholder."""
    if labelled:
        where = alt.Chart(alt.Data(name=MAP_LABELS))
        at = {"longitude": "lon:Q", "latitude": "lat:Q", "text": "label:N"}
        layers = [*layers, where.mark_text(style="map-halo").encode(**at), where.mark_text(style="map-label").encode(**at)]
    return alt.layer(*layers).project(type="mercator").properties(
        width=width, height=height, description=DESCRIPTION).to_dict(validate=False)


def _period_x():
    """The x axis of a chart over periods: in order, labelled at LABELLED."""
    return alt.X("label:O", scale=_in_order(), title=None, axis=alt.Axis(values=[LABELLED]))


def _in_order():
    """The periods, in ORDER, as the x scale's domain. (Not `sort=ORDER`: Vega-Lite turns a sort list into a
    chain of one comparison per period, run on every row of every layer: 120 months made 14,400 a layer,
    40 % of the time to draw the chart.)"""
    return alt.Scale(domain=[ORDER])


def _sized(chart, narrow: bool):
    """The chart at a phone's width (_narrow) or at a computer's (its plot WIDE_WIDTH)."""
    return _narrow(chart) if narrow else chart.properties(width=WIDE_WIDTH)


def _narrow(chart):
    """The chart for a phone: NARROW_WIDTH wide in all, its axes and labels included, its plot what is left."""
    return chart.properties(width=NARROW_WIDTH, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


# Each shape's maker, by the name charts._template gives it.
TEMPLATES = {shape.__name__: shape for shape in (capability, comparison, small_multiples, bars, across_bars,
                                                 ward_map, locator)}
