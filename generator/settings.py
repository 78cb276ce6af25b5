"""Every DASHBOARD_* setting, declared once with its default and help text.

Pelican settings files (pelicanconf.py, publishconf.py) override them; docs/settings.md
is checked against this table by a test, so a setting cannot go undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: list[Setting] = [
    Setting("DASHBOARD_ROOT", ".",
            "Folder that relative DASHBOARD_* paths start from. `dashboard build` sets it to the "
            "settings file's folder."),
    Setting("DASHBOARD_DATA_PATH", "data",
            "Folder holding one sub-folder per data package (each with a datapackage.json), "
            "relative to DASHBOARD_ROOT."),
    Setting("DASHBOARD_COMMENTARY_PATH", "commentary",
            "Folder under the content folder holding officer commentary as Markdown files."),
    Setting("DASHBOARD_COUNCIL", "Example Borough Council",
            "The council's name, shown in the header, footer, citations and feeds."),
    Setting("DASHBOARD_ILLUSTRATIVE", False,
            "True when the figures are invented sample data: every page then says so plainly."),
    Setting("DASHBOARD_SITE_URL", "http://127.0.0.1:8000",
            "Absolute address where the site is published; used only where an absolute URL is "
            "required (sitemap, feeds, citations). Links inside the site stay relative."),
    Setting("DASHBOARD_DATA_CONTACT", "data@example.gov.uk",
            "Email address for questions about the data, shown in every page's footer."),
    Setting("DASHBOARD_REPORT_PROBLEM_URL", "",
            "Address of a form for reporting a problem with the data; when empty, the footer "
            "offers an email to DASHBOARD_DATA_CONTACT instead."),
    Setting("DASHBOARD_LICENSE", {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                                  "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"},
            "Licence of data packages that declare none (Open Government Licence v3.0 by default)."),
    Setting("DASHBOARD_HEADLINE_LIMIT", 8,
            "Most headline measures shown on the home page."),
    Setting("DASHBOARD_UPDATES_LIMIT", 10,
            "Most entries in 'latest updates' on the home page."),
    Setting("DASHBOARD_FEED_LIMIT", 50,
            "Most entries in each Atom feed (all updates, and one per strategic purpose)."),
    Setting("DASHBOARD_PREVIEW_ROWS", 10,
            "Rows of each table shown on a dataset's page; the whole table is in its downloads."),
    Setting("DASHBOARD_TABLE_PAGE_ROWS", 100,
            "Rows per page when a long table is shown a page at a time under /data/<package>/tables/."),
    Setting("DASHBOARD_TABLE_PAGES_MAX", 100,
            "Most pages per table; rows beyond them are in the downloads only, and the last page says so."),
    Setting("DASHBOARD_PUBLICATION_LAG_DAYS", 30,
            "Days after a period ends by which its figure is due; gives 'next update due', the release "
            "calendar and the overdue flags."),
    Setting("DASHBOARD_SPC_MIN_POINTS", 15,
            "Fewest figures a measure (and each phase after a system change) needs before its capability "
            "chart shows an average and limits; with fewer it is a plain run chart and the page says why."),
    Setting("DASHBOARD_SPC_SHIFT_RUN", 7,
            "Figures in a row on one side of the average that signal a shift (special cause)."),
    Setting("DASHBOARD_SPC_TREND_RUN", 7,
            "Figures in a row, each higher (or each lower) than the one before, that signal a trend."),
    Setting("DASHBOARD_CHART_WORKERS", 0,
            "Processes that draw charts in parallel; 0 means one per CPU."),
    Setting("DASHBOARD_CACHE_PATH", ".cache/charts",
            "Folder of chart specs keyed by a hash of their inputs, and of drawn charts keyed by a hash of "
            "their spec, so an unchanged chart is neither built nor drawn again. Empty string turns the "
            "cache off."),
    Setting("DASHBOARD_SEARCH", True,
            "Build the static search index (Pagefind) and the /search/ page's results; when False the "
            "search page only links to the A to Z list."),
    Setting("DASHBOARD_SPENDING_ALIASES", {},
            "Extra headings the spending importer maps onto its columns, as {column: [heading, ...]}, "
            "added to the alias table in docs/finance.md (headings compare ignoring case, spaces and _)."),
    Setting("DASHBOARD_PERSONAL_DATA_RULES", {"supplier_name": [r"redacted.*", r"(a )?private individual",
                                                                r"individual"]},
            "Payments to private individuals, as {column: [regular expression, ...]} matched against whole "
            "cells ignoring case: matching spending rows are imported, and published, as payments to "
            "individuals ('Redacted personal data', no id, purpose or other text). Rows with individual = "
            "true, or a supplier already written as redacted, always are."),
    Setting("DASHBOARD_MAX_FILE_MB", 100,
            "Largest data file, in megabytes, the build reads; a larger one is refused with a clear "
            "message before it is opened (every row is held in memory)."),
    Setting("DASHBOARD_BASE_PATH", "/",
            "The path the site is served under (such as /dashboard/), for the `_headers` file that hosts "
            "like Netlify and Cloudflare Pages read; pages themselves use relative links and need nothing."),
    Setting("DASHBOARD_STRICT", False,
            "Turn warnings (missing commentary, overdue data) into problems that fail the build. "
            "`--strict` on the command line sets it."),
]

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def resolve(pelican_settings: dict) -> dict[str, Any]:
    """Our settings from Pelican's, with defaults filled in; unknown DASHBOARD_* names refused."""
    unknown = sorted(k for k in pelican_settings if k.startswith("DASHBOARD_") and k not in DEFAULTS)
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(unknown)}. Known settings are listed in docs/settings.md.")
    return {name: pelican_settings.get(name, default) for name, default in DEFAULTS.items()}
