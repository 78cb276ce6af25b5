"""A section of a page kept in the build cache by all it is made from: a package's page shows each of its tables
(its description, columns and first rows), a thousand of them in a large package, and a rebuild that changed
one table renders that table's section again, not the thousand (a quarter of a second at 1,000 tables).

A section is rendered from what every page is given (the site-wide context, hashed whole by
site/kept_pages.py: the settings, the theme's files, the generator's code) and the values its page passes,
never from the rest of its page's context: so its key is those values' hash (`made_from`, which the view
makes: a table's rows_key, say) with the site-wide key, and nothing it reads can be left out of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from jinja2 import Environment, pass_context
from markupsafe import Markup

from .. import cache
from .pieces import on_page, render_piece


def kept_sections(env: Environment, site: Mapping, cache_dir: Path | None,
                  site_wide: str | None) -> Callable[..., Markup]:
    """The `kept_section(template, made_from, **values)` the templates call: `template` rendered with `site` (the
    site-wide context) and `values`, from the cache when a section of the same `made_from` (a hash of the
    values) and `site_wide` (the site-wide context's key) was kept; rendered, not kept, when either is None."""
    @pass_context
    def kept_section(context, template: str, made_from: str | None, **values) -> Markup:
        path = (cache_dir / "sections" / f"{cache.key(site_wide, template, made_from)}.html"
                if cache_dir and site_wide and made_from else None)
        made = cache.kept(path, lambda: render_piece(env, template, {**site, **values}).encode("utf-8"))
        return on_page(made.decode("utf-8"), context)
    return kept_section
