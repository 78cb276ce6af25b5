"""Links and page structure of the built example site, checked without a browser.

Every relative href/src resolves to a file in the output and every #fragment to an id in the target
page; no page links to the build machine; every page has one <h1>, <main id="main">, lang="en-GB",
a title, and no inline script or style (design §5: strict CSP, relative links everywhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.xdist_group("site")

URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "cite", "formaction"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", "[::1]"}
EXTERNAL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Page:
    path: Path
    ids: list[str] = field(default_factory=list)
    urls: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, tag, attribute, value)
    h1: int = 0
    mains: list[str | None] = field(default_factory=list)
    lang: str | None = None
    title: str = ""
    inline_scripts: list[int] = field(default_factory=list)
    style_elements: list[int] = field(default_factory=list)
    style_attributes: list[tuple[int, str]] = field(default_factory=list)
    handler_attributes: list[tuple[int, str, str]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_title = False
        self.script_line: int | None = None  # line of an open <script> without src
        self.script_text = ""

    def handle_starttag(self, tag, attrs):
        page, line = self.page, self.getpos()[0]
        attributes = dict(attrs)
        for name, value in attrs:
            if name == "id" and value is not None:
                page.ids.append(value)
            elif name == "style":
                page.style_attributes.append((line, tag))
            elif name.startswith("on"):
                page.handler_attributes.append((line, tag, name))
            if name in URL_ATTRIBUTES and value is not None:
                page.urls.append((line, tag, name, value))
            elif name == "srcset" and value:
                page.urls.extend((line, tag, name, c.strip().split()[0]) for c in value.split(",") if c.strip())
        if tag == "html":
            page.lang = attributes.get("lang")
        elif tag == "h1":
            page.h1 += 1
        elif tag == "main":
            page.mains.append(attributes.get("id"))
        elif tag == "title":
            self.in_title = True
        elif tag == "style":
            page.style_elements.append(line)
        elif tag == "script" and not attributes.get("src"):
            # JSON data blocks are not scripts; anything else without src is inline script.
            if (attributes.get("type") or "").lower() not in ("application/json", "application/ld+json"):
                self.script_line, self.script_text = line, ""

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "script" and self.script_line is not None:
            self.page.inline_scripts.append(self.script_line)
            self.script_line = None

    def handle_data(self, data):
        if self.in_title:
            self.page.title += data


@pytest.fixture(scope="module")
def pages(site) -> dict[Path, Page]:
    """Every HTML page of the site, parsed once, keyed by its resolved path."""
    parsed = {}
    for path in sorted(site.rglob("*.html")):
        page = Page(path.resolve())
        parser = _Parser(page)
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        parsed[page.path] = page
    assert len(parsed) > 20, "the example site has too few pages"
    return parsed


def _name(site: Path, path: Path) -> str:
    return str(path.relative_to(site.resolve()))


def _report(problems: list[str], limit: int = 40) -> str:
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s):\n" + "\n".join(problems[:limit]) + more


def _resolve(site: Path, page: Page, url: str) -> tuple[Path | None, str]:
    """The file a relative URL points to (None if missing or outside the site) and its fragment."""
    parts = urlsplit(url)
    target = page.path if parts.path == "" else (page.path.parent / unquote(parts.path)).resolve()
    root = site.resolve()
    if target != root and root not in target.parents:
        return None, parts.fragment
    if target.is_dir():
        target = target / "index.html"
    return (target if target.is_file() else None), unquote(parts.fragment)


def test_relative_links_resolve_to_files_and_ids(site, pages):
    problems = []
    for page in pages.values():
        where = _name(site, page.path)
        for line, tag, attribute, url in page.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # absolute URLs are checked below
            if url.strip() == "":
                problems.append(f"{where}:{line}: <{tag} {attribute}> is empty")
                continue
            if parts.path.startswith("/"):
                problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> is root-relative: the site "
                                "must work from any folder, so links are relative")
                continue
            target, fragment = _resolve(site, page, url)
            if target is None:
                problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> points to no file in the site")
                continue
            if "#" in url:
                if not fragment:
                    problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> has an empty fragment")
                elif target.suffix == ".html" and fragment not in pages[target].ids:
                    problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}>: no id={fragment!r} "
                                    f"in {_name(site, target)}")
    assert problems == [], _report(problems)


def test_absolute_links_are_allowed_schemes_and_not_local(site, pages):
    problems = []
    for page in pages.values():
        where = _name(site, page.path)
        for line, tag, attribute, url in page.urls:
            parts = urlsplit(url.strip())
            if not (parts.scheme or parts.netloc):
                continue
            if parts.scheme.lower() not in EXTERNAL_SCHEMES:
                problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}>: scheme {parts.scheme!r} "
                                "is not allowed (only relative, http(s) and mailto links)")
            elif parts.scheme.lower() == "mailto":
                if not parts.path or "@" not in parts.path:
                    problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> has no address")
            elif (parts.hostname or "").lower() in LOCAL_HOSTS or not parts.hostname:
                problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> points to the build machine")
            elif tag not in ("a", "area"):
                # <img src>, <script src>, <link href> etc. would load from another website (design §5).
                problems.append(f"{where}:{line}: <{tag} {attribute}={url!r}> loads from another website")
    assert problems == [], _report(problems)


def test_every_page_has_the_required_structure(site, pages):
    problems = []
    for page in pages.values():
        where = _name(site, page.path)
        if page.lang != "en-GB":
            problems.append(f"{where}: <html lang={page.lang!r}>, expected 'en-GB'")
        if page.h1 != 1:
            problems.append(f"{where}: {page.h1} <h1> elements, expected exactly one")
        if page.mains != ["main"]:
            problems.append(f"{where}: <main> elements with ids {page.mains}, expected one <main id=\"main\">")
        if not page.title.strip():
            problems.append(f"{where}: empty or missing <title>")
        duplicates = sorted({i for i in page.ids if page.ids.count(i) > 1})
        if duplicates:
            problems.append(f"{where}: duplicate ids {duplicates}")
    assert problems == [], _report(problems)


def test_no_inline_script_or_style(site, pages):
    problems = []
    for page in pages.values():
        where = _name(site, page.path)
        problems += [f"{where}:{line}: inline <script>" for line in page.inline_scripts]
        problems += [f"{where}:{line}: <{tag}> has an on* event-handler attribute {name}"
                     for line, tag, name in page.handler_attributes]
        problems += [f"{where}:{line}: <style> element" for line in page.style_elements]
        problems += [f"{where}:{line}: <{tag}> has a style= attribute" for line, tag in page.style_attributes]
    assert problems == [], _report(problems)
