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


def test_one_text_leaves_nothing_behind_for_the_next():
    """A thread's one converter is reset for each text: a link reference defined in one does not make a link
    in the next, and a table renders as it would on its own."""
    import threading
    defined = "See [the guide][g].\n\n[g]: https://example.org/guide\n"
    assert 'href="https://example.org/guide"' in render_markdown(defined)
    assert render_markdown("See [the guide][g].") == "<p>See [the guide][g].</p>"
    table = "| a | b |\n|---|---|\n| 1 | 2 |\n"
    alone: list[str] = []
    thread = threading.Thread(target=lambda: alone.append(render_markdown(table)))
    thread.start()
    thread.join()
    assert render_markdown(table) == alone[0] and "<td>1</td>" in alone[0]
