"""Load → validate → model, once per build, shared by the CLI and the Pelican plugin."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .. import heap
from ..clock import today
from ..domain.model import Site, history_day
from ..errors import ConfigError, DataError
from ..problems import SHALLOW_HISTORY, Problem, Report
from ..settings import Settings
from .build import build_site
from .checks import check, overdue_warnings, revision_warnings
from .commentary import read_commentary
from .reports import read_reports
from .history import file_dates, head_commit, is_shallow
from .pages import page_problems
from .read import read_sources
from .revisions import Tracked, find_history
from .signoffs import signoff_problems
from .spill import Spill
from .assessments import assessment_problems


@dataclass
class Loaded:
    site: Site | None
    report: Report
    spill: Spill | None = None      # where the site's long tables wait (a build's), closed when it is forgotten

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.report.problems


_memo: dict[tuple, Loaded] = {}


def _fingerprint(*folders: Path | None) -> tuple:
    """Every file's path, size and mtime: a load is reused only while nothing changed."""
    out = []
    for folder in folders:
        if folder and folder.is_dir():
            # Relative names: the CLI and the plugin name the same folder differently.
            out.extend((str(p.relative_to(folder)), st.st_size, st.st_mtime_ns) for p in sorted(folder.rglob("*"))
                       if p.is_file() and (st := p.stat()))
    return tuple(out)


def load(settings: Settings, keep: bool = False) -> Loaded:
    """Validate everything; build the model only when there is no error (`keep`: a build, which keeps the
    validated rows in the cache; a command that only checks writes nothing).

    The CLI validates before Pelican starts and the plugin asks again inside Pelican; the second
    call is answered from memory while no file, commit or setting the load reads has changed.
    """
    data_dir = settings.data_dir
    if not data_dir.is_dir():
        raise ConfigError(f"Data folder '{data_dir}' does not exist.")
    commentary_dir = settings.commentary_dir if settings.commentary_dir.is_dir() else None
    key = (str(data_dir.resolve()), str(commentary_dir.resolve()) if commentary_dir else None,
           repr([getattr(settings, name) for name in READ_SETTINGS]), today(),
           head_commit(data_dir), _fingerprint(data_dir, commentary_dir, settings.content / "pages",
                                               settings.reports_dir))
    if key not in _memo:
        _memo.clear()
        heap.let_go()
        _memo[key] = _load(data_dir, commentary_dir, settings, keep)
    return _memo[key]


def forget() -> None:
    """Let the remembered load go (its model is most of a large build's memory, its long tables a file on
    disk), once nothing will ask again."""
    for loaded in _memo.values():
        if loaded.spill:
            loaded.spill.close()
    _memo.clear()
    heap.let_go()


READ_SETTINGS = ("strict", "license", "publication_lag_days", "max_file_mb", "personal_data_rules", "report_types",
                 "reports_path", "require_signoff", "quality_tests")


def _load(data_dir: Path, commentary_dir: Path | None, settings: Settings, keep: bool) -> Loaded:
    sources = read_sources(data_dir, settings.max_file_mb, settings.cache_dir, keep, settings.chart_workers)
    commentary, problems = read_commentary(commentary_dir) if commentary_dir else ([], [])
    reports, unfit = read_reports(settings.reports_dir, settings.reports)
    report = Report(tuple(problems + unfit + check(sources, commentary, settings.urls(), settings.cache_dir if keep
                                                   else None)), settings.strict)
    if not report.ok:
        return Loaded(None, report)
    # A build holds its model to the end: meanwhile its long tables' rows wait on disk (ingest/spill.py).
    spill = Spill(settings.cache_dir) if keep and settings.cache_dir else None
    with heap.long_lived():     # the model: held to the end of the build
        site = build_site(sources, commentary, dict(settings.license), settings.personal_data_rules, spill,
                          settings.cache_dir if keep else None)
    site.reports = reports
    _add_history(site, data_dir, settings.cache_dir if keep else None)    # only a build writes the cache
    history = (revision_warnings(site) + overdue_warnings(site, today(), settings.publication_lag_days)
               + signoff_problems(site, settings.require_signoff, settings.cache_dir if keep else None)
               + assessment_problems(site, settings.quality)
               + page_problems(settings.content / "pages", settings.introduction_file))
    if is_shallow(data_dir):
        history.append(SHALLOW_HISTORY(str(data_dir), None, None,
                                       "This is a shallow git clone, so revisions made before its oldest commit "
                                       "cannot be found; in CI, fetch the whole history (actions/checkout: "
                                       "fetch-depth: 0)."))
    report = Report(report.problems + tuple(history), settings.strict)
    return Loaded(site if report.ok else None, report, spill)


def _add_history(site: Site, data_dir: Path, cache_dir: Path | None) -> None:
    """Dates and revisions from git: when files were added and changed, and what changed."""
    delimiters = {m.id: site.datasets[m.package].resource(m.id).delimiter for m in site.measures.values()}
    found = find_history([Tracked(m.id, m.source_path, m.suppress_below, delimiters[m.id], m.key_columns,
                                  m.area, m.history_from)
                          for m in site.measures.values() if delimiters[m.id]], today(), cache_dir)
    for m in site.measures.values():
        history = found.get(m.id)
        revised = history.revisions if history else []
        # A reason written in the row later explains an earlier revision too (but not the note it had).
        notes = {(o.period.text, *o.series): (o.note or "").strip() for o in m.every_observation()} \
            if any(not r.reason for r in revised) else {}
        m.revisions = [r if r.reason or notes.get((r.period, *r.series), "") in ("", r.prior_note)
                       else replace(r, reason=notes[(r.period, *r.series)]) for r in revised]
        first, headline = history.first_published if history else {}, m.headline_key
        m.published = {period: day for period in m.periods if (day := first.get((period, *headline))) is not None}
    dates = file_dates(data_dir, today())
    for measure in site.measures.values():
        changed = dates.changed.get(measure.source_path.resolve())
        since = history_day(measure.history_from)
        # A file older than the measure it now is was last changed when it became this measure.
        measure.updated = max(changed, since) if changed and since else changed
    for dataset in site.datasets.values():
        files = [dataset.directory / "datapackage.json"] + [r.path for r in dataset.resources if r.path]
        changed = [d for f in files if (d := dates.changed.get(f.resolve()))]
        dataset.updated = max(changed) if changed else None
        dataset.added = dates.added.get((dataset.directory / "datapackage.json").resolve())


def load_or_raise(settings: Settings) -> Loaded:
    loaded = load(settings)
    if loaded.site is None:
        raise DataError(loaded.report.errors)
    return loaded
