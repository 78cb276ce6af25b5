"""A measure's row in the lists of measures is rendered once a build, whatever lists and depths of page it
stands on (site/rows.py)."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import DictLoader, Environment

from generator.site.pages import MeasureRow
from generator.site.rows import TEMPLATE, measure_rows


def _env(rendered: list) -> Environment:
    env = Environment(autoescape=True, loader=DictLoader({
        TEMPLATE: '<tr><a href="{{ SITEURL }}/m/{{ row.measure.id }}/">{{ row.measure.title }}</a> '
                  '{{ row.summary.latest }} {{ COUNCIL }}</tr>{{ note(row) }}',
        "list.html": "{% for row in rows %}{{ measure_row(row) }}\n{% endfor %}"}))
    env.globals["note"] = lambda row: rendered.append(row.measure.id) or ""
    env.globals["measure_row"] = measure_rows(env)
    return env


def _row(id: str, latest: str, measure=None) -> MeasureRow:
    return MeasureRow(measure or SimpleNamespace(id=id, title=f"{id} & co"), SimpleNamespace(latest=latest),
                      SimpleNamespace())


def test_a_row_is_rendered_once_and_each_page_puts_its_own_siteurl_in():
    rendered: list[str] = []
    env = _env(rendered)
    homes, bins = _row("homes", "12"), _row("bins", "3")
    page = env.get_template("list.html")
    deep = page.render(rows=[homes, bins], SITEURL="../../..", COUNCIL="Borough")
    shallow = page.render(rows=[bins, homes], SITEURL="..", COUNCIL="Borough")
    absolute = page.render(rows=[homes], SITEURL="https://example.org/a&b", COUNCIL="Borough")
    assert rendered == ["homes", "bins"]            # once each, for three pages at three depths
    assert deep.splitlines()[0] == '<tr><a href="../../../m/homes/">homes &amp; co</a> 12 Borough</tr>'
    assert shallow.splitlines()[0] == '<tr><a href="../m/bins/">bins &amp; co</a> 3 Borough</tr>'
    # escaped as the template escapes what it is given
    assert absolute == '<tr><a href="https://example.org/a&amp;b/m/homes/">homes &amp; co</a> 12 Borough</tr>\n'
    # What a fresh environment renders, page by page, is the same.
    for rows, siteurl, text in (([homes, bins], "../../..", deep), ([bins, homes], "..", shallow)):
        assert _env([]).get_template("list.html").render(rows=rows, SITEURL=siteurl, COUNCIL="Borough") == text


def test_a_row_made_of_other_figures_for_the_same_measure_is_rendered_for_itself():
    rendered: list[str] = []
    env = _env(rendered)
    homes = _row("homes", "12")
    as_reported = _row("homes", "9", measure=homes.measure)
    page = env.get_template("list.html")
    assert "12" in page.render(rows=[homes], SITEURL="..") and " 9 " in page.render(rows=[as_reported], SITEURL="..")
    assert "12" in page.render(rows=[homes], SITEURL="..")
    assert rendered == ["homes", "homes"]


def test_let_go_drops_the_rows_held():
    """Once the pages are written the rows go with the model: a template's context that took `measure_row` in
    may outlive the build in a cycle, and must not hold every measure through it."""
    rendered: list[str] = []
    env = _env(rendered)
    homes = _row("homes", "12")
    page = env.get_template("list.html")
    page.render(rows=[homes], SITEURL="..")
    page.render(rows=[homes], SITEURL="..")
    env.globals["measure_row"].let_go()
    page.render(rows=[homes], SITEURL="..")          # none held: rendered again, as on a first page
    assert rendered == ["homes", "homes"]
