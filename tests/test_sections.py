"""A section of a page is kept in the build cache by all it reads, and read from there by the next build
(site/sections.py): a package's page renders again only the tables that changed."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from generator.site.sections import kept_sections

SECTION = '<section><a href="{{ SITEURL }}/t/{{ r }}/">{{ r }} of {{ COUNCIL }}</a>{{ note(r) }}</section>'


def _env(cache_dir, site_wide, rendered: list, section: str = SECTION) -> Environment:
    """A build's environment: a page of sections, each section's inputs given by the page."""
    env = Environment(autoescape=True, loader=DictLoader({
        "section.html": section,
        "page.html": "{% for r in tables %}{{ kept_section('section.html', inputs[r], r=r) }}\n{% endfor %}"}))
    env.globals["note"] = lambda r: rendered.append(r) or ""
    env.globals["kept_section"] = kept_sections(env, cache_dir, site_wide)
    return env


def _page(env: Environment, inputs: dict, siteurl: str = "..") -> str:
    return env.get_template("page.html").render(tables=list(inputs), inputs=inputs, SITEURL=siteurl, COUNCIL="A & B")


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
