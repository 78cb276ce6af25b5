"""A section of a page is kept in the build cache by all it reads, and read from there by the next build
(site/sections.py): a package's page renders again only the tables that changed."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from generator.site.sections import kept_sections

SECTION = '<section><a href="{{ SITEURL }}/t/{{ r }}/">{{ r }} of {{ COUNCIL }}</a>{{ note(r) }}</section>'


def _env(cache_dir, site_wide, rendered: list, section: str = SECTION) -> Environment:
    """A build's environment: a page of sections, each section's inputs given by the page; COUNCIL from what
    every page is given."""
    env = Environment(autoescape=True, loader=DictLoader({
        "section.html": section,
        "page.html": "{% for r in tables %}{{ kept_section('section.html', inputs[r], r=r) }}\n{% endfor %}"}))
    env.globals["note"] = lambda r: rendered.append(r) or ""
    env.globals["kept_section"] = kept_sections(env, {"COUNCIL": "A & B", "SITEURL": "/"}, cache_dir, site_wide)
    return env


def _page(env: Environment, inputs: dict, siteurl: str = "..") -> str:
    return env.get_template("page.html").render(tables=list(inputs), inputs=inputs, SITEURL=siteurl, COUNCIL="A & B")


def test_a_section_reads_nothing_of_its_page_but_what_it_is_passed(tmp_path):
    """What the page's context holds besides (its own title, say) is not there for the section to read, kept or
    not: so nothing it reads can be missing from its key."""
    env = _env(tmp_path, "site 1", [], section="{{ r }} {{ page_title | default('none') }}")
    text = env.get_template("page.html").render(tables=["homes"], inputs={"homes": "h1"}, SITEURL="..",
                                                page_title="Homes")
    assert text == "homes none\n"


def test_a_section_is_read_from_the_cache_while_its_inputs_are_the_same(tmp_path):
    first: list[str] = []
    built = _page(_env(tmp_path, "site 1", first), {"homes": "h1", "bins": "b1"})
    assert first == ["homes", "bins"]
    assert built == ('<section><a href="../t/homes/">homes of A &amp; B</a></section>\n'
                     '<section><a href="../t/bins/">bins of A &amp; B</a></section>\n')
    # The next build: one table changed. Only its section is rendered; the other is read, and shows the
    # SITEURL of the page it is on (here from deeper down, and one that must be escaped).
    again: list[str] = []
    env = _env(tmp_path, "site 1", again)
    assert _page(env, {"homes": "h2", "bins": "b1"}) == built
    assert again == ["homes"]
    assert _page(env, {"bins": "b1"}, siteurl="https://example.org/a&b") == (
        '<section><a href="https://example.org/a&amp;b/t/bins/">bins of A &amp; B</a></section>\n')
    assert again == ["homes"]


def test_a_section_is_rendered_again_when_the_site_wide_context_changed(tmp_path):
    """A change to the theme, the settings or the code (the site-wide key) renders every section again."""
    _page(_env(tmp_path, "site 1", []), {"homes": "h1"})
    rendered: list[str] = []
    changed = _env(tmp_path, "site 2", rendered, section=SECTION.replace("<section>", '<section class="new">'))
    assert _page(changed, {"homes": "h1"}).startswith('<section class="new">')
    assert rendered == ["homes"]


def test_a_section_without_inputs_or_without_a_cache_is_rendered_each_time(tmp_path):
    rendered: list[str] = []
    for cache_dir, site_wide, inputs in ((tmp_path, "site 1", None), (None, "site 1", "h1"), (tmp_path, None, "h1")):
        env = _env(cache_dir, site_wide, rendered)
        _page(env, {"homes": inputs})
        _page(env, {"homes": inputs})
    assert rendered == ["homes"] * 6
    assert not (tmp_path / "sections").exists()


def test_a_tables_section_is_keyed_by_all_it_shows():
    """views/catalogue.py's key for a table's section: another rows_key (its rows, descriptor or package), file,
    number of rows shown, or link gives another; no rows_key, no key (rendered each time)."""
    from types import SimpleNamespace

    from generator.site.views.catalogue import _section_inputs
    homes = SimpleNamespace(name="homes", rows_key="k1", relpath="homes.csv")
    measures, tables = {"homes": "measures/homes/"}, {"homes": "data/p/homes/"}
    first = _section_inputs(homes, 10, measures, tables)
    others = [_section_inputs(SimpleNamespace(**{**vars(homes), "rows_key": "k2"}), 10, measures, tables),
              _section_inputs(SimpleNamespace(**{**vars(homes), "relpath": "h.csv"}), 10, measures, tables),
              _section_inputs(homes, 20, measures, tables),
              _section_inputs(homes, 10, {}, tables),
              _section_inputs(homes, 10, measures, {"homes": "data/q/homes/"})]
    assert first == _section_inputs(homes, 10, dict(measures), dict(tables))
    assert len({first, *others}) == 6
    assert _section_inputs(SimpleNamespace(**{**vars(homes), "rows_key": None}), 10, measures, tables) is None
