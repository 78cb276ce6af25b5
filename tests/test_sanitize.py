"""Officer Markdown cannot run, fetch or frame anything: one test per attack vector."""

import pytest

from generator.domain.sanitize import render_inline, render_markdown


@pytest.mark.parametrize("markdown, forbidden", [
    ("Hello <script>alert(1)</script>", "<script"),
    ("[click](javascript:alert(1))", "javascript:"),
    ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "javascript"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<p onclick="alert(1)">x</p>', "onclick"),
    ('<iframe src="https://example.com"></iframe>', "<iframe"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("![chart](https://tracker.example/pixel.gif)", "<img"),
    ('<object data="x.swf"></object>', "<object"),
    ('<style>body{display:none}</style>', "<style"),
    ('<span style="color:red">x</span>', "style="),
    ('<form action="https://evil.example"><input></form>', "<form"),
])
def test_dangerous_markup_is_removed(markdown, forbidden):
    assert forbidden.lower() not in render_markdown(markdown).lower()


def test_ordinary_markdown_survives():
    html = render_markdown("**Stable** since April, see [the report](https://example.gov.uk/r).\n\n- one\n- two")
    assert "<strong>Stable</strong>" in html
    assert '<a href="https://example.gov.uk/r" rel="noopener noreferrer">the report</a>' in html
    assert "<li>one</li>" in html


def test_inline_drops_the_paragraph():
    assert render_inline("Revenues *system*") == "Revenues <em>system</em>"
    assert render_inline("") == ""
