"""Markdown from officers and descriptors becomes HTML that cannot run or fetch anything."""

from __future__ import annotations

import threading

import markdown
import nh3

# Enough for commentary and definitions; no images (they would fetch), no raw styling.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre", "blockquote",
    "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sub", "sup",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


def render_markdown(text: str) -> str:
    """Sanitized HTML for a Markdown string (definitions, notes, commentary)."""
    if not text:
        return ""
    return clean_html(_converter().convert(text))


_converters = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's Markdown converter, reset for a new text: making one took most of a short text's time
    (a thousand tables' descriptions on one page, 0.2 s)."""
    if (converter := getattr(_converters, "converter", None)) is None:
        converter = _converters.converter = markdown.Markdown(extensions=["tables"])
    return converter.reset()


def render_inline(text: str) -> str:
    """Markdown without the wrapping paragraph, for one-line texts."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
