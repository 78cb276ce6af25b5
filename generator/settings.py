"""Every setting, declared once with its default, type and help text, and read once into one object.

`Settings` is a frozen dataclass: each DASHBOARD_* setting is a field whose name is the setting's
name without its prefix (`DASHBOARD_MAX_FILE_MB` is `settings.max_file_mb`), whose annotation is its
type and whose metadata holds its help text. A settings file (Pelican's: `pelicanconf.py`,
`publishconf.py`) is read once by `read()`; every value is checked against its type, and a wrong one
stops the command with exit code 2 naming the setting. Every command takes `--settings` and passes
the one object on: no module keeps a default of its own. docs/settings.md is checked against this
table by a test, so a setting cannot go undocumented.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .domain.quality import QualityTest, quality_tests
from .domain.reports import ReportType, report_types
from .errors import ConfigError
from .urls import Urls

PREFIX = "DASHBOARD_"
# Where the CLI leaves the object in Pelican's settings, so that the plugin uses the same one.
PELICAN_KEY = "dashboard_settings"

# Pelican's settings as every Dashboard needs them, under whatever a project's settings file says:
# the tool writes the home page, feeds and indexes, so Pelican's blog pages are off, and a project's
# own words live in content/pages.
PELICAN_DEFAULTS: dict[str, Any] = {
    "PLUGINS": ["generator"], "PLUGIN_PATHS": [], "RELATIVE_URLS": True, "THEME_STATIC_DIR": "theme",
    "TIMEZONE": "Europe/London", "DEFAULT_LANG": "en-GB",
    "PAGE_PATHS": ["pages"], "PAGE_URL": "{slug}/", "PAGE_SAVE_AS": "{slug}/index.html",
    "ARTICLE_PATHS": ["news"], "ARTICLE_EXCLUDES": ["commentary"], "STATIC_PATHS": [],
    "DIRECT_TEMPLATES": [], "ARCHIVES_SAVE_AS": "", "AUTHOR_SAVE_AS": "", "AUTHORS_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "", "CATEGORIES_SAVE_AS": "", "TAG_SAVE_AS": "", "TAGS_SAVE_AS": "",
    "FEED_ALL_ATOM": None, "CATEGORY_FEED_ATOM": None, "TRANSLATION_FEED_ATOM": None,
    "AUTHOR_FEED_ATOM": None, "AUTHOR_FEED_RSS": None, "DISPLAY_PAGES_ON_MENU": False,
    "DISPLAY_CATEGORIES_ON_MENU": False, "DEFAULT_PAGINATION": False,
    "LOAD_CONTENT_CACHE": False,        # same input, same bytes: no build-time "now" beyond SOURCE_DATE_EPOCH
}


def setting(default: Any, help: str, minimum: int | None = None, patterns: bool = False) -> Any:
    """A field of Settings that is one of the council's settings (documented in docs/settings.md);
    `patterns`: its texts are regular expressions, each checked when the settings are read."""
    metadata = {"help": help, "minimum": minimum, "patterns": patterns}
    if isinstance(default, dict):      # read-only, and a fresh object per instance as dataclasses require
        return field(default_factory=lambda: _frozen(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def _frozen(value: Any) -> Any:
    """Mappings and lists as read-only equivalents, so that the settings object cannot change."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


OGL = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
       "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}

License = Mapping[str, str]                  # {"name": ..., "title": ..., "path": ...}
Aliases = Mapping[str, tuple[str, ...]]      # {column: [heading or pattern, ...]}
ReportTypes = Mapping[str, Mapping[str, Any]]  # {type id: {"title": ..., "meeting": ..., ...}}
QualityTests = Mapping[str, Mapping[str, str]]  # {test id: {"name": ..., "asks": ...}}


@dataclass(frozen=True)
class Settings:
    """The settings of one run of a command: the council's DASHBOARD_* settings, and Pelican's."""

    root: Path = setting(Path("."),
        "Folder that relative DASHBOARD_* paths start from. `dashboard` commands set it to the "
        "settings file's folder.")
    data_path: str = setting("data",
        "Folder holding one sub-folder per data package (each with a datapackage.json), relative to "
        "DASHBOARD_ROOT.")
    commentary_path: str = setting("commentary",
        "Folder under the content folder holding officer commentary as Markdown files.")
    council: str = setting("Example Council",
        "The council's name, shown in the header, footer, citations and feeds.")
    purposes_label: str = setting("purposes",
        "What the council calls the aims its strategic measures serve (the purposes register), plural and "
        "in lower case unless a name, such as 'priorities' or 'outcomes'. Shown in headings and lists, on "
        "measure pages and in the catalogue.")
    purpose_label: str = setting("purpose",
        "The same word in the singular, such as 'priority' or 'outcome'.")
    introduction_path: str = setting("introduction.md",
        "Markdown file under the content folder introducing the home page in the council's own words; "
        "without it the home page says in neutral words what the Dashboard holds.")
    illustrative: bool = setting(False,
        "True when the figures are invented sample data: every page then says so plainly.")
    site_url: str = setting("http://127.0.0.1:8000",
        "Absolute address where the site is published; used only where an absolute URL is required "
        "(sitemap, feeds, citations). Links inside the site stay relative.")
    data_contact: str = setting("data@example.gov.uk",
        "Email address for questions about the data, shown in every page's footer.")
    report_problem_url: str = setting("",
        "Address of a form for reporting a problem with the data; when empty, the footer offers an "
        "email to DASHBOARD_DATA_CONTACT instead.")
    license: License = setting(OGL,
        "Licence of data packages that declare none (Open Government Licence v3.0 by default), as "
        "{\"name\": ..., \"title\": ..., \"path\": ...}.")
    headline_limit: int = setting(8, "Most headline measures shown on the home page.", minimum=0)
    updates_limit: int = setting(10, "Most entries in 'latest updates' on the home page.", minimum=0)
    feed_limit: int = setting(50,
        "Most entries in each Atom feed (all updates, and one per purpose).", minimum=1)
    preview_rows: int = setting(10,
        "Rows of each table shown on a dataset's page; the whole table is in its downloads.", minimum=1)
    table_page_rows: int = setting(100,
        "Rows per page when a long table is shown a page at a time under /data/<package>/tables/.",
        minimum=1)
    table_pages_max: int = setting(100,
        "Most pages per table; rows beyond them are in the downloads only, and the last page says so.",
        minimum=1)
    publication_lag_days: int = setting(30,
        "Days after a period ends by which its figure is due; gives 'next update due', the release "
        "calendar and the overdue flags.", minimum=0)
    spc_min_points: int = setting(15,
        "Fewest figures a measure (and each phase after a system change) needs before its capability "
        "chart shows an average and limits; with fewer it is a plain run chart and the page says why.",
        minimum=2)
    spc_shift_run: int = setting(7,
        "Figures in a row on one side of the average that signal a shift (special cause).", minimum=2)
    spc_trend_run: int = setting(7,
        "Figures in a row, each higher (or each lower) than the one before, that signal a trend.",
        minimum=2)
    chart_workers: int = setting(0, "Processes that draw charts (and validate a large amount of new data, and "
                                 "print the reports' PDFs) in parallel; 0 means one per CPU.", minimum=0)
    cache_path: str = setting(".cache/charts",
        "The build cache: chart specs, workbooks and PDFs keyed by a hash of their inputs, drawn charts by a "
        "hash of their spec and the renderer's version, so nothing unchanged is made again; and the last "
        "build's record of what it read, so a build with nothing changed does not run. A build that succeeds "
        "removes what it did not use, so the cache holds one build's worth. Safe to delete, and "
        "to keep between CI runs (a key never matches different inputs). While a build runs, its long tables' "
        "rows wait here in an unnamed file, gone when the build ends (hundreds of megabytes at 500,000 "
        "payments). Empty string turns the cache off, and keeps those rows in memory.")
    search: bool = setting(True,
        "Build the static search index (Pagefind) and the /search/ page's results; when False the "
        "search page only links to the A to Z list.")
    spending_aliases: Aliases = setting({},
        "Extra headings the spending importer maps onto its columns, as {column: [heading, ...]}, "
        "added to the alias table in docs/finance.md (headings compare ignoring case, spaces and _).")
    statistics_aliases: Aliases = setting({},
        "Extra headings the statistics importer reads as a column role, as {role: [heading, ...]} "
        "(roles: area_code, area_name, period, value, indicator, measure, unit, unit_multiplier, "
        "observation_status), added to the table in docs/statistics.md (headings compare ignoring "
        "case, spaces and _).")
    area_code: str = setting("",
        "The GSS code of the council's own area (E07000236, say): the headline series of a measure "
        "imported from statistics that cover many areas, unless `--area-code` says otherwise.")
    personal_data_rules: Aliases = setting(
        {"supplier_name": [r"redacted.*", r"(a )?private individual", r"individual"]},
        "Payments to private individuals, as {column: [regular expression, ...]} matched against whole "
        "cells ignoring case: matching spending rows are imported, and published, as payments to "
        "individuals ('Redacted personal data', no id, purpose or other text). Rows with individual = "
        "true, or a supplier already written as redacted, always are.", patterns=True)
    quality_tests: QualityTests = setting({},
        "The council's tests of its data's quality, in order, as {id: {\"name\": ..., \"asks\": ...}} (the "
        "question each asks of a measure's data); a measure's dashboard.assessment rates it against each. "
        "None: no data-quality page.")
    preview: bool = setting(False,
        "Mark every page 'Preview: not the published Dashboard' (a banner), for a build to check before "
        "publishing: `dashboard build --preview`, `dashboard serve` and a pull request's build set it; the "
        "publishing settings never do.")
    require_signoff: bool = setting(False,
        "Require a manager's sign-off (`dashboard signoff`) of the latest period of every strategic "
        "measure: without one, a `not-signed-off` warning, which `--strict` (CI) makes a failure.")
    reports_path: str = setting("reports",
        "Folder of reports to councillors (Markdown and their snapshots), inside the content folder.")
    report_types: ReportTypes = setting({},
        "The council's regular reports to councillors, as {id: {\"title\": ..., \"meeting\": ..., "
        "\"frequency\": \"bi-monthly\", \"standard\": [measure id, ...], \"every_strategic\": False, "
        "\"description\": ...}}: the meeting each goes to, how often, the measures every report of the "
        "type carries, and whether it covers every strategic measure. None: no reports section.")
    max_file_mb: int = setting(100,
        "Largest data file, in megabytes, the build reads; a larger one is refused with a clear "
        "message before it is opened (every row is held in memory).", minimum=1)
    base_path: str = setting("/",
        "The path the site is served under (such as /dashboard/), for the `_headers` file that hosts "
        "like Netlify and Cloudflare Pages read; pages themselves use relative links and need nothing.")
    strict: bool = setting(False,
        "Turn warnings (missing commentary, overdue data, unexplained revisions) into problems that fail "
        "validation and the build. `--strict` on the command line sets it.")

    # Pelican's own settings that the commands read too (documented in Pelican's manual).
    content: Path = Path("content")                  # PATH: the content folder (pages, commentary)
    output: Path = Path("output")                    # OUTPUT_PATH
    theme: Path | None = None                        # THEME; None means the theme the tool ships
    pelican: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # the rest, for the build

    # --- where things are ------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.root / self.data_path

    @property
    def commentary_dir(self) -> Path:
        return self.content / self.commentary_path

    @property
    def reports_dir(self) -> Path:
        return self.content / self.reports_path

    @property
    def introduction_file(self) -> Path:
        return self.content / self.introduction_path

    @functools.cached_property
    def quality(self) -> dict[str, QualityTest]:
        """The data-quality tests, typed (checked when the settings were read); worked out once, as every
        measure's page asks for them."""
        return quality_tests(self.quality_tests)

    @property
    def reports(self) -> dict[str, ReportType]:
        """The report types, typed (checked when the settings were read)."""
        return report_types(self.report_types)

    @property
    def cache_dir(self) -> Path | None:
        """Where drawn charts and chart specs are kept between builds; None when the cache is off."""
        return self.root / self.cache_path if self.cache_path else None

    @property
    def public_url(self) -> str:
        return self.site_url.rstrip("/")

    def urls(self) -> Urls:
        """The site's one URL map, as these settings (and Pelican's, with its own defaults) lay it out."""
        from pelican.settings import DEFAULT_CONFIG
        pelican = {**DEFAULT_CONFIG, **self.pelican}
        return Urls(self.public_url, pelican["PAGE_URL"], pelican["THEME_STATIC_DIR"])

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def for_pelican(self, **overrides: Any) -> dict[str, Any]:
        """Pelican's settings for a build: its own, ours as given, and this object for the plugin."""
        out = dict(self.pelican)
        out.update({"PATH": str(self.content), "OUTPUT_PATH": str(self.output), "THEME": str(self.theme_dir),
                    PELICAN_KEY: self, **overrides})
        return out

    @property
    def theme_dir(self) -> Path:
        return self.theme if self.theme is not None else shipped_theme()


def shipped_theme() -> Path:
    """The theme that comes with the tool: inside the installed package (generator/theme/), or at the top
    of a source checkout, where it is kept (pyproject.toml maps one onto the other)."""
    here = Path(__file__).resolve().parent
    return next((c for c in (here / "theme", here.parent / "theme") if (c / "templates").is_dir()), here / "theme")


@dataclass(frozen=True)
class Setting:
    """One row of the settings table (docs/settings.md)."""

    name: str
    attr: str
    default: Any
    help: str
    type: Any
    minimum: int | None
    patterns: bool


def _table() -> list[Setting]:
    hints = typing.get_type_hints(Settings)
    return [Setting(f"{PREFIX}{f.name.upper()}", f.name,
                    f.default if f.default is not dataclasses.MISSING else f.default_factory(),
                    f.metadata["help"], hints[f.name], f.metadata["minimum"], f.metadata["patterns"])
            for f in dataclasses.fields(Settings) if "help" in f.metadata]


SETTINGS: list[Setting] = _table()
BY_NAME = {s.name: s for s in SETTINGS}


# --- reading ---------------------------------------------------------------------------------

def _describe(kind: Any) -> str:
    return {bool: "True or False", int: "a whole number", str: "text in quotes", Path: "a folder path",
            License: 'a licence such as {"name": "OGL-UK-3.0", "title": "...", "path": "https://..."}',
            Aliases: 'a dict of lists of text, such as {"supplier_name": ["individual"]}',
            ReportTypes: 'a dict of report types (see docs/settings.md)',
            QualityTests: 'a dict of data-quality tests, such as {"timely": {"name": "Timely", "asks": "..."}}'}[kind]


def _checked(s: Setting, value: Any, where: str) -> Any:
    """The value as the setting's type, or ConfigError naming the setting and what it must be."""
    ok = {bool: lambda v: isinstance(v, bool),
          int: lambda v: isinstance(v, int) and not isinstance(v, bool)
                         and (s.minimum is None or v >= s.minimum),
          str: lambda v: isinstance(v, str),
          Path: lambda v: isinstance(v, (str, Path)),
          License: lambda v: isinstance(v, Mapping) and all(isinstance(k, str) and isinstance(x, str)
                                                          for k, x in v.items())
                             and bool(v.get("title") or v.get("name")),
          Aliases: lambda v: isinstance(v, Mapping) and all(
              isinstance(k, str) and isinstance(x, (list, tuple)) and all(isinstance(h, str) for h in x)
              for k, x in v.items()),
          ReportTypes: lambda v: isinstance(v, Mapping), QualityTests: lambda v: isinstance(v, Mapping)}[s.type]
    if not ok(value):
        least = f" of at least {s.minimum}" if s.type is int and s.minimum is not None else ""
        raise ConfigError(f"{where}: {s.name} must be {_describe(s.type)}{least}, not {value!r}.")
    for pattern in (p for texts in value.values() for p in texts) if s.patterns else ():
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: {s.name}: {pattern!r} is not a regular expression ({exc}).") from None
    if s.type in (ReportTypes, QualityTests):
        try:
            (report_types if s.type == ReportTypes else quality_tests)(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: {s.name}: {exc}.") from None
    return Path(value) if s.type is Path else _frozen(value)


def from_mapping(values: Mapping[str, Any], where: str = "settings", root: Path | None = None,
                 **pelican: Any) -> Settings:
    """Settings from DASHBOARD_* names (a settings file's, or Pelican's dict), each value checked."""
    unknown = sorted(k for k in values if k.startswith(PREFIX) and k not in BY_NAME)
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)}. The settings are listed in "
                          "docs/settings.md.")
    ours = {s.attr: _checked(s, values[s.name], where) for s in SETTINGS if s.name in values}
    if root is not None:
        ours["root"] = root / ours.get("root", Path("."))
    return Settings(**ours, **pelican)


def of_pelican(pelican: Mapping[str, Any]) -> Settings:
    """The settings object of a Pelican run: the one the CLI made, or one made from Pelican's dict
    (when Pelican is run directly with the plugin)."""
    made = pelican.get(PELICAN_KEY)
    if isinstance(made, Settings):
        return made
    theme = pelican.get("THEME")
    return from_mapping(pelican, "Pelican settings", content=Path(pelican.get("PATH", "content")),
                        output=Path(pelican.get("OUTPUT_PATH", "output")),
                        theme=Path(theme) if theme else None, pelican=MappingProxyType(dict(pelican)))


def read(path: Path | None, **overrides: Any) -> Settings:
    """Read a settings file once (None: the defaults, from the current folder). Relative DASHBOARD_*
    paths start from the file's folder; `overrides` replace fields (from command-line options)."""
    if path is None:
        return Settings(root=Path.cwd(), content=Path.cwd() / "content").replace(**overrides)
    from pelican.settings import DEFAULT_CONFIG, get_settings_from_file, read_settings
    if not path.is_file():
        raise ConfigError(f"Settings file '{path}' does not exist.")
    try:
        own = get_settings_from_file(str(path))
        pelican = read_settings(str(path), override={k: v for k, v in PELICAN_DEFAULTS.items() if k not in own})
    except Exception as exc:       # a settings file is Python: any mistake in it is the user's to fix
        raise ConfigError(f"{path}: the settings file could not be read ({type(exc).__name__}: {exc}).") from None
    base = path.resolve().parent
    theme = Path(pelican["THEME"]) if "THEME" in own else None   # Pelican's default theme is not ours
    settings = from_mapping(own, str(path), root=base,
                            content=Path(pelican.get("PATH") or DEFAULT_CONFIG["PATH"]),
                            output=base / pelican.get("OUTPUT_PATH", "output"), theme=theme,
                            pelican=MappingProxyType({k: v for k, v in pelican.items() if not k.startswith(PREFIX)}))
    return settings.replace(**overrides)
