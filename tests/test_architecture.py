"""The house's structure, checked: stages that import only what lies below them, one URL map that
formats every site path, and roles, words and colours each decided in one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

GENERATOR = ROOT / "generator"
# What each stage may import (besides itself and the shared modules below it). Data flows one way:
# domain <- analysis, ingest <- publish <- site; importers write packages, and never touch the site.
LAYERS = {
    "domain": set(),
    "analysis": {"domain"},
    "ingest": {"domain"},
    "publish": {"domain", "analysis"},
    "importers": {"domain", "publish"},
    "site": {"domain", "analysis", "ingest", "publish"},
}
SHARED = {
    "domain": {"errors"},
    "analysis": {"errors"},
    "ingest": {"errors", "problems", "settings", "urls", "clock", "cache", "workers", "heap"},
    "publish": {"errors", "urls", "cache", "workers"},
    "importers": {"errors", "problems"},
    "site": {"errors", "problems", "settings", "urls", "clock", "progress", "cache", "workers"},
}


def _imports(path: Path) -> set[str]:
    """The generator modules a file imports, as dotted names (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if not node.module:           # from . import charts
                found |= {f"{module}.{a.name}" for a in node.names}
            else:
                found.add(module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m.startswith("generator.")}


def _part(module: str) -> str:
    return module.split(".")[1]


def test_each_stage_imports_only_what_lies_below_it():
    broken = []
    for path in sorted(GENERATOR.rglob("*.py")):
        part = path.relative_to(GENERATOR).parts[0]
        if part not in LAYERS:
            continue
        allowed = LAYERS[part] | SHARED[part] | {part}
        broken += [f"{path.relative_to(ROOT)} imports {m}" for m in sorted(_imports(path))
                   if _part(m) not in allowed]
    assert broken == []


def test_the_layering_check_sees_imports():
    """The check must be able to fail: analysis imports the domain, and the site imports analysis."""
    assert "generator.domain.model" in _imports(GENERATOR / "analysis" / "summary.py")
    assert "generator.site.charts" in _imports(GENERATOR / "site" / "generator.py")
    assert "generator.analysis" in _imports(GENERATOR / "site" / "generator.py")    # from ..analysis import x


def test_the_stages_are_documented():
    text = (ROOT / "docs/architecture.md").read_text()
    missing = [str(p.relative_to(ROOT)) for p in sorted(GENERATOR.rglob("*.py"))
               if p.name != "__init__.py" and f"`{p.relative_to(GENERATOR).as_posix()}`" not in text]
    assert missing == [], f"describe these modules in docs/architecture.md: {missing}"


# --- one URL map --------------------------------------------------------------------------------

SECTIONS = (r"(measures|purposes|services|localities|wider-data|reports|data|finance|feeds|calendar|search|pagefind|theme"
            r"|about|accessibility)")


def _hand_made_paths(source: str) -> list[str]:
    """String literals (and the start of f-strings) that begin with a section of the site, with or without
    a leading slash, or that name a page's own files (index.html, index.json)."""
    starts = re.compile(rf"/?{SECTIONS}/|index\.(html|json)$")
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue         # documentation may name addresses
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            text = node.values[0].value
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if starts.match(text):
            found.append(f"{node.lineno}: {text[:40]}")
    return sorted(set(found))      # an f-string's first part is a constant too


def test_no_module_but_the_url_map_formats_a_site_path():
    offenders = [f"{p.relative_to(ROOT)}:{hit}" for p in sorted(GENERATOR.rglob("*.py")) if p.name != "urls.py"
                 for hit in _hand_made_paths(p.read_text())]
    assert offenders == []


# A link into the site: SITEURL, then a call of the URL map or a path a view got from it (no literals).
SITE_LINK = re.compile(r"\{\{ SITEURL \}\}/\{\{ (urls\.[a-z_]+\([^}~]*\)|[a-z_.]+(\[[a-z_. +\-0-9]+\])?) \}\}")
# Addresses the templates are given whole: the twin beside the page (the generator asks the URL map), a
# licence's or the council's own form's address (from the data and the settings: outside the site).
MADE_ELSEWHERE = {"{{ json_twin }}", "{{ l.path }}", "{{ DEFAULT_LICENSE.path }}", "{{ REPORT_PROBLEM_URL }}"}


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "theme/templates").as_posix()
                                            for p in (ROOT / "theme/templates").rglob("*.html")))
def test_no_template_formats_a_site_path(template):
    """Links are `{{ SITEURL }}/{{ urls.… }}`, a path the URL map made, a page-local file through `| here`,
    an anchor, or an address outside the site."""
    text = (ROOT / "theme/templates" / template).read_text()
    bad = []
    for value in re.findall(r'(?:href|src|srcset|action)="([^"]*)"', text):
        made = (SITE_LINK.fullmatch(value)
                or re.fullmatch(r"\{\{ [^}|]+\| here \}\}", value) or value.startswith(("#", "https://", "mailto:"))
                or value in MADE_ELSEWHERE or value.startswith("{{ urls.here("))
        if not made:
            bad.append(value)
    assert bad == []


def test_the_checks_would_see_a_hand_made_path():
    assert _hand_made_paths('path = f"measures/{m.id}/"\nother = "data/all.zip"\ntwin = "index.json"\n'
                            'root = "/finance/"') == ["1: measures/", "2: data/all.zip", "3: index.json", "4: /finance/"]
    assert SITE_LINK.fullmatch("{{ SITEURL }}/{{ urls.measure(m.id) }}") and SITE_LINK.fullmatch("{{ SITEURL }}/{{ url }}")
    for hand_made in ("{{ SITEURL }}/measures/{{ m.id }}/", "{{ SITEURL }}/{{ 'measures/' ~ m.id }}"):
        assert not SITE_LINK.fullmatch(hand_made)


# --- decided once -------------------------------------------------------------------------------

def test_roles_are_decided_once_at_load():
    """Only the vocabulary decides what a resource is; validation reads the property it checks."""
    probes = re.compile(r"""["'](dashboard|finance)["'] in |get\(["']finance["']\)|\[["']finance["']\]""")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in sorted(GENERATOR.rglob("*.py"))
                 if p.name not in ("vocabulary.py", "checks.py")
                 for n, line in enumerate(p.read_text().splitlines(), start=1) if probes.search(line)]
    assert offenders == []


# A date's words from the machine's locale (Pelican sets the system's): strftime's or a format's %B, %b, %A,
# %a, %c, %x or %p, or calendar's names; in a template, Pelican's dates in its locale or a strftime filter.
LOCALE_WORDS = re.compile(r"strftime\([^)]*%[BbAacxp]|\{[^{}]*:[^{}]*%[BbAacxp][^{}]*\}|format\([^)]*%[BbAacxp]"
                          r"|calendar\.(month|day)_(name|abbr)")
LOCALE_FILTERS = re.compile(r"locale_date|\|\s*(strftime|date)\b|%[BbAacxp]")


def test_dates_are_written_in_english_by_the_periods_module_alone():
    """The site is in English on any machine: no module or template asks the locale for a date's words; the
    site's dates are written by domain/periods.py (day_label, month_label)."""
    files = [(p, LOCALE_WORDS) for p in sorted(GENERATOR.rglob("*.py"))]
    files += [(p, LOCALE_FILTERS) for p in sorted((ROOT / "theme/templates").rglob("*.html"))]
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p, asks in files
                 for n, line in enumerate(p.read_text().splitlines(), start=1)
                 if asks.search(line) and not line.lstrip().startswith("#")]
    assert offenders == []
    for asks in ('f"{d.day} {d:%B %Y}"', 'd.strftime("%b %Y")', "calendar.month_abbr[1]", 'format(d, "%A")'):
        assert LOCALE_WORDS.search(asks), asks
    for asks in ("{{ article.locale_date }}", "{{ d | strftime('%d %B') }}", "{{ d | date }}"):
        assert LOCALE_FILTERS.search(asks), asks
    assert not LOCALE_WORDS.search('p.date.strftime("%Y-%m")') and not LOCALE_WORDS.search("datetime | date")
    assert not LOCALE_FILTERS.search("{{ d | longdate }}")


def test_colours_are_in_one_table():
    """Colours are the theme stylesheet's custom properties, in its :root rule (site/palette.py reads the
    charts' from there): no template and no other rule of the stylesheet names a colour."""
    hexes = {t.name: re.findall(r"#[0-9a-fA-F]{3,6}\b", t.read_text())
             for t in (ROOT / "theme/templates").rglob("*.html")}
    assert {name: found for name, found in hexes.items() if found} == {}
    css = (ROOT / "theme/static/css/site.css").read_text()
    outside = css[css.index("}", css.index(":root")):]
    assert re.findall(r"#[0-9a-fA-F]{3,6}\b|rgba?\(", outside) == []


def test_the_theme_travels_with_the_tool():
    """An installed `dashboard` carries the theme (generator/theme/): a project builds without a copy, and
    every file of the theme is in the package data (a wheel of this repository holds them all)."""
    import fnmatch
    import tomllib

    from generator.settings import Settings, shipped_theme
    assert Settings().theme_dir == shipped_theme() == ROOT / "theme"
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert setuptools["package-dir"]["generator.theme"] == "theme" and "generator.theme" in setuptools["packages"]
    globs = setuptools["package-data"]["generator.theme"]
    unpackaged = [p.relative_to(ROOT / "theme").as_posix() for p in (ROOT / "theme").rglob("*") if p.is_file()
                  and not any(fnmatch.fnmatch(p.relative_to(ROOT / "theme").as_posix(), g) for g in globs)]
    assert unpackaged == []
    assert "\nTHEME =" not in (ROOT / "pelicanconf.py").read_text()   # the example uses the theme the tool ships
