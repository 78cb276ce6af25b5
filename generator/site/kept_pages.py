"""Pages kept in the cache: a page whose view declares all it is made from (`Page.inputs`) is written from
the cache while that, and the whole site's context, are unchanged, rather than rendered again.

A page reads two things: what its view gives it, and the context every template is given (the settings,
the URL map, the theme's colours, the sections shown, the menu's pages...). The view declares the first
(a hash of the tables the page is made from, say); the second is hashed here whole, walking every value
in it, and a value of a kind this module does not know how to hash turns keeping pages off for the build
rather than being left out. The theme's files, the generator's modules and every installed package's
version are part of it too (cache.folder_digest, cache.installed).

The day a build is made on is the one thing every page shows that no input decides: a page is kept with
a placeholder in its place, filled in as the page is written.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePath

from .. import cache
from ..domain.pickled import PickledList
from ..settings import Settings

# Where the build's day goes in a kept page (a private-use character: never in any text of ours).
BUILD_DAY = "\ue000build-day\ue000"
# In the context, but never read by a template (a test checks): the folder being written (a new one for each
# build), what the page's own day is written from (BUILD_DAY stands in for it), and Pelican's own records of
# what it read (`generated_content`, in the order the files happened to be read: the pages are in `pages`).
NOT_READ = frozenset({"OUTPUT_PATH", "localsiteurl", "BUILD_DATE", "BUILD_DATE_TEXT", "generated_content",
                      "static_content"})

log = logging.getLogger(__name__)


class Unknown(TypeError):
    """A value in the site's context of a kind `canonical` cannot hash."""


def site_wide_key(context: Mapping, themes: list[str | Path]) -> str | None:
    """A hash of everything a template is given besides its page's own data: every value in `context` but
    NOT_READ, the files of the theme and of the folders whose templates override it (`themes`), the
    generator's modules and the installed packages' versions (not the locale: the site's dates are in English on
    any machine, domain/periods.py). None when a value cannot be hashed (then no page is kept or read from the
    cache in this build: said in the log)."""
    values = {k: v for k, v in context.items() if k not in NOT_READ}
    if isinstance(settings := values.get("dashboard_settings"), Settings):
        values["dashboard_settings"] = dataclasses.replace(settings, output=Path())   # the folder written, too
    try:
        values = canonical(values)
    except (Unknown, RecursionError) as exc:
        log.warning("No page is kept in the cache in this build: the site's context holds a %s, which the "
                    "cache cannot tell apart from another (site/kept_pages.py).", exc)
        return None
    return cache.key(cache.every_module(), cache.installed(), [(str(t), cache.folder_digest(Path(t))) for t in themes],
                     values)


def canonical(value):
    """`value` as plain JSON data, the same for the same contents in any process (sets sorted; lists and
    mappings in their order; objects by their fields), or raise Unknown."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, (date, datetime, Decimal, PurePath)):
        return str(value)
    if isinstance(value, Mapping):          # in its order, which a template listing it shows
        return [[canonical(k), canonical(v)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple, PickledList)):       # (a PickledList is read to be hashed)
        return [canonical(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, [[f.name, canonical(getattr(value, f.name))] for f in dataclasses.fields(value)]]
    if _is_pelican_content(value):
        # A page of content/pages, as the menu and the page itself read it.
        return [type(value).__name__, value.url, value.save_as, canonical(value.metadata),
                getattr(value, "_content", "")]
    raise Unknown(f"{type(value).__module__}.{type(value).__qualname__}")


def _is_pelican_content(value) -> bool:
    from pelican.contents import Content
    return isinstance(value, Content)
