"""A section of a page kept in the build cache by all it is made from: a package's page shows each of its tables
(its description, columns and first rows), a thousand of them in a large package, and a rebuild that changed
one table renders that table's section again, not the thousand (a quarter of a second at 1,000 tables).

A section is rendered with the page's context, so its key is what the view says it reads of the page (a
hash: the table's rows_key, say) with the site-wide context's key (site/kept_pages.py: the settings, the
theme's files, the generator's code). SITEURL, which differs from page to page, is put in as it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, pass_context
from markupsafe import Markup

from .. import cache
from .rows import SITEURL_MARK, with_siteurl


def kept_sections(env: Environment, cache_dir: Path | None, site_wide: str | None) -> Callable[..., Markup]:
    """The `kept_section(template, made_from, **values)` the templates call: `template` rendered with the page's
    context and `values`, from the cache when a section of the same `made_from` (a hash of all the section
    reads besides the site-wide context) was kept; rendered, not kept, when `made_from` is None."""
    @pass_context
    def kept_section(context, template: str, made_from: str | None, **values) -> Markup:
        path = (cache_dir / "sections" / f"{cache.key(site_wide, template, made_from)}.html"
                if cache_dir and site_wide and made_from else None)
        found = cache.found(path)
        if found is not None:
            return with_siteurl(found.decode("utf-8"), context)
        made = env.get_template(template).render({**context.get_all(), **values, "SITEURL": SITEURL_MARK})
        if path is not None:
            cache.keep(path, made.encode("utf-8"))
        return with_siteurl(made, context)
    return kept_section
