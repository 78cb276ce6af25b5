"""A measure's row in the lists of measures (partials/measure_row.html), rendered once a build for each measure:
each of a thousand measures stands on several lists (the A to Z, its purpose's, service's,
kind's and verdict's, its localities'), and a rebuild that changed one measure renders every list it is on
again, each a thousand rows. A row reads only its measure, summary and verdicts, the page's SITEURL (links are
relative to the page: put in for each page) and what every page is given."""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment, pass_context
from markupsafe import Markup

from .pages import MeasureRow
from .pieces import on_page, render_piece

TEMPLATE = "partials/measure_row.html"


def measure_rows(env: Environment) -> Callable[..., Markup]:
    """The `measure_row(row)` the templates call: the row rendered by TEMPLATE, or as rendered already from the
    same measure, summary and verdicts (the same objects: a row made of others, which a page could pass, is
    rendered for itself), with the page's SITEURL put in. Its `let_go()` drops the rows it holds: a template's
    context that took it in may live on in a cycle (a macro and its context) until the collector finds it,
    and with it every measure's model."""
    rendered: dict[str, tuple[MeasureRow, str]] = {}

    @pass_context
    def measure_row(context, row: MeasureRow) -> Markup:
        found = rendered.get(row.measure.id)
        if found and _same(found[0], row):
            made = found[1]
        else:
            made = render_piece(env, TEMPLATE, {**context.get_all(), "row": row})
            rendered.setdefault(row.measure.id, (row, made))
        return on_page(made, context)
    measure_row.let_go = rendered.clear
    return measure_row


def _same(kept: MeasureRow, row: MeasureRow) -> bool:
    """Made of the same objects (which the kept row holds, so none is another's once let go)."""
    return kept.measure is row.measure and kept.summary is row.summary and kept.verdicts is row.verdicts
