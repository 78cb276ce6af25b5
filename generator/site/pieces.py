"""A piece of a page rendered apart from it, once for many pages (a measure's row in the lists, site/rows.py) or
kept for later builds (a table's section, site/sections.py). Links in a piece are relative to the page it is
on, so it is rendered with a mark for SITEURL, and each page puts its own in."""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment
from markupsafe import Markup, escape

# Where SITEURL goes in a piece (never in any text of ours).
SITEURL_MARK = "\x00SITEURL\x00"


def render_piece(env: Environment, template: str, values: Mapping) -> str:
    """`template` rendered with `values`, SITEURL_MARK for the page's SITEURL."""
    return env.get_template(template).render({**values, "SITEURL": SITEURL_MARK})


def on_page(made: str, context: Mapping) -> Markup:
    """A piece render_piece made, with the page's (`context`'s) SITEURL put in, escaped as the template would."""
    return Markup(made.replace(SITEURL_MARK, escape(context["SITEURL"])))
