"""The `dashboard` command: validate and build.

Exit codes: 0 all well; 1 data problems (one line each) or a failed build; 2 bad usage
or configuration. Data mistakes never print a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from . import settings as settings_module
from .errors import BuildError, ConfigError, DashboardError, DataError, ImportFailed
from .domain.vocabulary import Frequency, Kind, Polarity
from .settings import Settings

DEFAULT_SETTINGS = "pelicanconf.py"


def _print(lines) -> None:
    for line in lines:
        print(line)


def _settings(args, required: bool = False) -> Settings:
    """The one settings object of this run: the settings file (--settings, else pelicanconf.py in the
    current folder when there is one, else the defaults) with the command line's options applied."""
    given = getattr(args, "settings", None)
    path = Path(given or DEFAULT_SETTINGS)
    if not path.is_file() and (given or required):
        raise ConfigError(f"Settings file '{path}' does not exist.")
    overrides = {}
    data = getattr(args, "data", None) or getattr(args, "data_dir", None)
    if data:
        overrides["data_path"] = str(Path(data).resolve())
    if getattr(args, "content", None):
        overrides["content"] = Path(args.content).resolve()
    if getattr(args, "output", None):
        overrides["output"] = Path(args.output).absolute()
    if getattr(args, "strict", False):
        overrides["strict"] = True
    if getattr(args, "preview", False):
        overrides["preview"] = True
    return settings_module.read(path if path.is_file() else None, **overrides)


@contextlib.contextmanager
def _progress(words: str):
    """A spinner with what is being done, and the steps the build reports (progress.py), on a terminal only:
    quiet when piped or under CI (rich)."""
    from rich.console import Console

    from . import progress
    console = Console(stderr=True)
    if not console.is_terminal or os.environ.get("CI"):
        yield
        return
    with console.status(words) as status, progress.shown_by(status.update):
        yield


def cmd_validate(args) -> int:
    from .ingest.pipeline import load
    settings = _settings(args)
    with _progress("Checking the data and its history..."):
        loaded = load(settings)
    _print(loaded.report.lines(relative_to=os.getcwd()))
    shown = _relative(settings.data_dir)
    if not loaded.report.ok:
        print(f"{len(loaded.report.errors)} problem(s) found in {shown}.", file=sys.stderr)
        return 1
    warnings = len(loaded.report.warnings)
    print(f"{shown}: {len(loaded.site.datasets)} package(s), {len(loaded.site.measures)} measure(s), no problems"
          + (f" ({warnings} warning(s))" if warnings else "") + ".", file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from . import unchanged

    started = time.perf_counter()
    settings = _settings(args, required=True)
    # What a build would read: when the output already holds what it would write, nothing need run (and
    # nothing heavy is even imported).
    inputs = unchanged.inputs_hash(settings)
    if not getattr(args, "rebuild", False) and (last := unchanged.up_to_date(settings, inputs)):
        _print(last.lines)
        print(f"Nothing changed since the last build: {_relative(settings.output)} is up to date "
              f"({last.pages} pages for {last.measures} measures; checked in {time.perf_counter() - started:.1f} s).",
              file=sys.stderr)
        return 0

    from . import cache
    from .publish.atomic import check_output, remove_set_aside

    output = settings.output
    since = cache.started(settings.cache_dir)   # what the build uses from the cache from now is kept; the rest goes
    check_output(output, protected=[Path.cwd(), settings.root, settings.data_dir, settings.content,
                                    settings.theme_dir, Path(args.settings)])
    # What is left of old sites set aside by earlier builds goes while this one reads its data; gone before it
    # ends, even on an error (`dashboard serve` builds again in this process).
    removal = remove_set_aside(output)
    try:
        built = _build(settings, inputs, since)
    finally:
        removal.join()
    if built is None:
        return 1
    pages, measures, pruned, freed = built
    print(f"Built {pages} pages for {measures} measures into {_relative(output)} "
          f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    if pruned:
        print(f"Removed {pruned} file(s) ({freed / 1e6:.1f} MB) this build did not use from the cache.",
              file=sys.stderr)
    return 0


def _build(settings, inputs: str, since: float) -> tuple[int, int, int, int] | None:
    """cmd_build's build, once it knows one is needed: pages, measures, and the files and bytes pruned from the
    cache; None when the data has problems (printed)."""
    from pelican import Pelican

    from . import cache, unchanged
    from .ingest.pipeline import forget, load
    from .publish.atomic import staging_dir, switch_and_let_go

    output = settings.output
    # Validate first, printing every problem, so a build never starts on bad data.
    with _progress("Checking the data and its history..."):
        loaded = load(settings, keep=True)
    lines = list(loaded.report.lines(relative_to=os.getcwd()))
    _print(lines)
    if loaded.site is None:
        forget()
        print("The site was not built: fix the problems above. The previous output is unchanged.", file=sys.stderr)
        return None
    measures = len(loaded.site.measures)
    del loaded          # the plugin asks for it again (from memory), and lets it go before the search index
    stage = staging_dir(output)
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        with _progress("Building the site: charts, pages, downloads, PDFs..."):
            Pelican(settings.for_pelican(OUTPUT_PATH=str(stage))).run()
        if errors.count:
            raise BuildError(f"Pelican reported {errors.count} error(s) (above); the previous output is unchanged.")
        switch_and_let_go(stage, output)
    except DashboardError:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(stage, ignore_errors=True)
        logging.getLogger("dashboard").exception("The build failed")
        raise BuildError(f"the build failed ({type(exc).__name__}: {exc}); the previous output is unchanged.") from exc
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        logging.getLogger().removeHandler(errors)
        forget()            # the plugin forgets the load once the pages are written; a failed build, here
    pruned, freed = cache.prune(settings.cache_dir, since)
    listed, pages = unchanged.output_listing(output)
    unchanged.remember(settings, unchanged.Record(inputs, listed, lines, pages, measures))
    return pages, measures, pruned, freed


def cmd_serve(args) -> int:
    from .serving import serve

    settings = _settings(args, required=True)
    return serve(settings, Path(args.settings), args.port, lambda: cmd_build(args))


def cmd_import(args) -> int:
    from .importers.spending import aliases, describe, read_export, write_package

    settings = _settings(args)
    files = [Path(f) for f in args.files]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise ConfigError(f"No such file: {missing[0]}")
    table = aliases(settings.spending_aliases)
    kind = "card" if args.card else "spending"
    problems, imports = [], []
    for path in files:
        try:
            imports.append(read_export(_relative(path), table, args.dates, settings.personal_data_rules))
        except ImportFailed as exc:
            problems += exc.problems
    try:
        if problems:
            raise ImportFailed(problems)
        done = write_package(Path(args.into), imports, kind, replace=args.replace)
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print(f"Nothing was imported: {len(exc.problems)} problem(s). {args.into} is unchanged.", file=sys.stderr)
        return 1
    for imported, name, replaced in done:
        print("\n".join(describe(imported, name, replaced)), file=sys.stderr)
    return 0


def cmd_import_statistics(args) -> int:
    from .importers.statistics import Choices, describe, read_statistics, role_table, write_measures
    from .project import ID_PATTERN
    from .clock import today

    settings = _settings(args)
    files = [Path(f) for f in args.files]
    for path in files + ([Path(args.about)] if args.about else []):
        if not path.is_file():
            raise ConfigError(f"No such file: {path}")
    if args.id and len(files) > 1:
        raise ConfigError("--id names one measure: import one file at a time with it.")
    if args.id and not ID_PATTERN.fullmatch(args.id):
        raise ConfigError(f"--id becomes the measure's web address: lower-case words joined by hyphens "
                          f"(claimant-rate), not '{args.id}'.")
    if args.kind in (Kind.STRATEGIC, Kind.OPERATIONAL) and not (args.service and args.owner and args.polarity):
        raise ConfigError(f"A {args.kind} measure is the council's own performance: give --service, --owner and "
                          "--polarity (or leave --kind out for statistics the council watches).")
    headline = []
    for pair in args.headline:
        column, sep, value = pair.partition("=")
        if not sep or not column or not value:
            raise ConfigError(f"--headline takes COLUMN=VALUE, not '{pair}'.")
        headline.append((column, value))
    if args.next_release:
        _day(args.next_release, "--next-release")
    if bool(args.delay_reason) != bool(args.delay_until):
        raise ConfigError("--delay-reason and --delay-until go together: why the figure is late, and when it is "
                          "now expected.")
    if args.delay_until:
        _day(args.delay_until, "--delay-until")
    choices = Choices(area_code=(args.area_code or settings.area_code).upper(), measure_id=args.id or "",
                      indicator=args.indicator or "", measure_type=args.measure_type or "",
                      headline=tuple(headline), years=args.years or "", span=args.span or "",
                      title=args.title or "", unit=args.unit or "", frequency=args.frequency or "",
                      polarity=args.polarity or "", purposes=tuple(args.purpose), kind=args.kind or "",
                      comparators=tuple(args.comparators), benchmarks=tuple(args.benchmark),
                      service=args.service or "", owner=args.owner or "", source=args.source or "",
                      lag_days=args.lag_days, next_release=args.next_release or "",
                      delay_reason=args.delay_reason or "", delay_until=args.delay_until or "",
                      about=Path(args.about) if args.about else None)
    roles = role_table(settings.statistics_aliases)
    problems, read = [], []
    for path in files:
        try:
            read.append(read_statistics(_relative(path), choices, roles))
        except ImportFailed as exc:
            problems += exc.problems
    try:
        if problems:
            raise ImportFailed(problems)
        done = [(stat, *made) for stat, made in zip(read, write_measures(Path(args.into), read, choices, today()))]
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print(f"Nothing was imported: {len(exc.problems)} problem(s). {args.into} is unchanged.", file=sys.stderr)
        return 1
    for stat, name, rows, revised in done:
        print("\n".join(describe(stat, name, rows, revised)), file=sys.stderr)
    return 0


def cmd_import_comparators(args) -> int:
    from .importers.comparators import read_group, write_group
    from .importers.statistics import role_table
    from .project import ID_PATTERN

    settings = _settings(args)
    if not Path(args.file).is_file():
        raise ConfigError(f"No such file: {args.file}")
    if not ID_PATTERN.fullmatch(args.id):
        raise ConfigError(f"--id takes lower-case words joined by hyphens (cipfa-2021), not '{args.id}'.")
    try:
        group = read_group(_relative(Path(args.file)), args.id, args.title, args.source,
                           role_table(settings.statistics_aliases))
        write_group(Path(args.into), group)
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print(f"Nothing was imported: {len(exc.problems)} problem(s). {args.into} is unchanged.", file=sys.stderr)
        return 1
    print(f"{args.file}: comparator group '{args.id}' ({args.title}) with {len(group.members)} areas -> "
          f"{args.into}.", file=sys.stderr)
    return 0


def _days(text: str) -> int:
    """A whole number of days, at least 0 (argparse turns the ValueError into a usage error, exit 2)."""
    days = int(text)
    if days < 0:
        raise ValueError(text)
    return days


def _day(text: str, flag: str) -> None:
    from datetime import date
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{flag} takes a day as YYYY-MM-DD, not '{text}'.") from None


def cmd_init(args) -> int:
    from .project import init, parse_purpose

    folder = Path(args.folder)
    written = init(folder, args.council, (args.area_code or "").upper(), [parse_purpose(p) for p in args.purpose],
                   args.site_url or "", args.copy_theme, Path(args.tool_path) if args.tool_path else None,
                   args.contact or "")
    print(f"A new Dashboard for {args.council} in {folder}: {len(written)} files, committed to a new git "
          "repository.", file=sys.stderr)
    print(f"Next: cd {folder} && make html (then make serve). The README says what is where; "
          "`dashboard validate --strict` passes once the pages are the council's own.", file=sys.stderr)
    return 0


def cmd_new_report(args) -> int:
    from datetime import date
    from .clock import today
    from .ingest.pipeline import load_or_raise
    from .reporting import new_report

    settings = _settings(args)
    _day(args.as_at, "--as-at")
    site = load_or_raise(settings).site
    md, data, suggestions = new_report(settings, site, args.type, date.fromisoformat(args.as_at), today(),
                                       args.meeting or "")
    print(f"Wrote {_relative(md)} and its snapshot {_relative(data)}: commit both.", file=sys.stderr)
    for s in suggestions:
        print(f"  suggested focus: {s.measure}: {s.reason}", file=sys.stderr)
    print("Next: write the narrative, check the Focus line, then `dashboard build`.", file=sys.stderr)
    return 0


def cmd_add(args) -> int:
    from .entry import Figure, enter
    from .ingest.pipeline import load, load_or_raise

    settings = _settings(args)
    breakdown = []
    for pair in args.breakdown:
        column, sep, value = pair.partition("=")
        if not sep or not column.strip():
            raise ConfigError(f"--breakdown takes COLUMN=VALUE, not '{pair}'.")
        breakdown.append((column.strip(), value.strip()))
    if args.reason and not args.revise:
        raise ConfigError("--reason goes with --revise: it says why a published figure changed.")
    figure = Figure(args.measure, args.period, args.value, (args.area_code or "").upper(), tuple(breakdown),
                    args.note or "", args.status or "", args.revise, args.reason or "")
    try:
        done = enter(load_or_raise(settings).site, [figure])
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print("Nothing was changed.", file=sys.stderr)
        return 1
    _report_entered(done)
    # Checked again as `validate` would: the table and everything that reads it.
    written = {str(e.path) for e in done}
    report = load(settings).report
    mine = [p for p in report.problems if p.path in written]
    _print(p.line(relative_to=os.getcwd()) for p in mine)
    print("Next: commit the change" + (" (the commit is the revision's record)" if args.revise else "")
          + ", then `dashboard build`.", file=sys.stderr)
    return 1 if any(p.is_error() for p in mine) else 0


def _report_entered(done) -> None:
    for e in done:
        change = f"revised from {e.was} to {e.value}" if e.was is not None else f"added: {e.value}"
        print(f"{e.measure.title} ({e.measure.id}), {e.period}, {e.series}: {change}, in {_relative(e.path)}.",
              file=sys.stderr)


def cmd_signoff(args) -> int:
    from .clock import today
    from .ingest.pipeline import load_or_raise
    from .signing import sign_off

    settings = _settings(args)
    try:
        made, path = sign_off(load_or_raise(settings).site, args.measure, args.period, args.by or "",
                              args.role or "", today())
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print("Nothing was signed off.", file=sys.stderr)
        return 1
    print(f"Signed off {made.measure}, {made.period}, by {made.by} ({made.role}) on {made.date.isoformat()}, in "
          f"{_relative(path)}. A later change to the figure or its commentary makes it lapse. Next: commit it.",
          file=sys.stderr)
    return 0


def cmd_status(args) -> int:
    import json
    from .clock import today
    from .ingest.pipeline import load_or_raise
    from .status import rows, table, to_json

    settings = _settings(args)
    site = load_or_raise(settings).site
    for flag, value, known in (("--service", args.service, site.services), ("--purpose", args.purpose, site.purposes)):
        if value and value not in known:
            raise ConfigError(f"{flag}: no {flag[2:]} '{value}'; the register has {', '.join(known) or 'none'}.")
    found = rows(site, today(), settings.publication_lag_days, args.owner or "", args.service or "",
                 args.purpose or "")
    if args.json:
        print(json.dumps(to_json(found, today()), indent=1, ensure_ascii=False))
        return 0
    from rich.console import Console
    # Colour and a box on a terminal; plain aligned text, one line a measure, when piped or under CI.
    console = Console(no_color=bool(os.environ.get("CI")) or None)
    plain = not console.is_terminal or bool(os.environ.get("CI"))
    if plain:
        console = Console(no_color=True, width=10_000, highlight=False)
    console.print(table(found, plain))
    late = sum(1 for r in found if r.overdue_days)
    unsigned = sum(1 for r in found if r.measure.kind.value == "strategic" and not r.signed_off)
    console.print(f"{len(found)} measure(s); {late} overdue; {unsigned} strategic without a sign-off of their "
                  "latest figure.", highlight=False)
    return 0


def cmd_diff(args) -> int:
    from .diffing import default_ref, diff
    from .ingest.pipeline import load_or_raise

    settings = _settings(args)
    ref = args.against or default_ref(settings.root)
    found = diff(load_or_raise(settings).site, settings.root, settings.data_dir, settings.commentary_dir, ref)
    shown = ref[:12] if len(ref) == 40 else ref
    if not found:
        print(f"Nothing would change on the Dashboard since {shown}.", file=sys.stderr)
        return 0
    print(f"Since {shown}, {len(found)} change(s) to publish:", file=sys.stderr)
    _print(c.text for c in found)
    return 3


def cmd_new_measure(args) -> int:
    from .ingest.pipeline import load, load_or_raise
    from .scaffolding import QUESTIONS, NewMeasure, check, write

    settings = _settings(args)
    site = load_or_raise(settings).site
    answers = {name: getattr(args, name) or "" for name in QUESTIONS}
    missing = [name for name, value in answers.items() if not value]
    if missing and sys.stdin.isatty():
        for name in missing:          # on a terminal, ask for what the flags left out
            _, question, choices = QUESTIONS[name]
            hint = f" ({', '.join(choices)})" if choices else ""
            answers[name] = input(f"{question}{hint}: ").strip()
    m = NewMeasure(args.id, answers["title"], answers["description"], answers["kind"], tuple(args.purpose),
                   answers["service"], answers["unit"], answers["polarity"], answers["frequency"], answers["owner"],
                   answers["source"], answers["period"], answers["value"], args.target or "")
    check(site, m)
    folder = Path(args.package) if args.package else settings.data_dir / "measures"
    try:
        table = write(folder, m)
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print("No measure was made.", file=sys.stderr)
        return 1
    report = load(settings).report
    _print(p.line(relative_to=os.getcwd()) for p in report.problems if p.path.startswith(str(folder)))
    print(f"Made {m.title} ({m.id}): {_relative(table)} and its entry in {_relative(folder / 'datapackage.json')}. "
          f"Next: a commentary file, then commit; later figures go in with `dashboard add {m.id}`.",
          file=sys.stderr)
    return 0 if report.ok else 1


def cmd_template_xlsx(args) -> int:
    from .clock import today
    from .ingest.pipeline import load_or_raise
    from .workbooks import template

    settings = _settings(args)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise ConfigError(f"--out names an Excel workbook ending .xlsx, not '{out}'.")
    try:
        book = template(load_or_raise(settings).site, args.measures, today())
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    print(f"Wrote {_relative(out)}: {len(book.worksheets) - 1} measure sheet(s) to fill in, then "
          f"`dashboard import xlsx {out.name}`.", file=sys.stderr)
    return 0


def cmd_import_xlsx(args) -> int:
    from .entry import enter
    from .ingest.pipeline import load_or_raise
    from .workbooks import read_figures

    settings = _settings(args)
    path = Path(args.file)
    if not path.is_file():
        raise ConfigError(f"No such file: {path}")
    site = load_or_raise(settings).site
    try:
        done = enter(site, read_figures(path, site))
    except ImportFailed as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        print(f"Nothing was imported: {len(exc.problems)} problem(s). No table was changed.", file=sys.stderr)
        return 1
    _report_entered(done)
    print(f"{len(done)} figure(s) from {path.name}. Next: commit the change, then `dashboard build`.",
          file=sys.stderr)
    return 0


def _relative(path: Path) -> Path:
    """A path as a person reads it: from the current folder when it is inside it, else in full."""
    path = path.absolute()
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs but survives (a broken page template): they fail the build."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


SETTINGS_HELP = "settings file (default: pelicanconf.py in this folder, if there is one)"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dashboard", description="Validate data packages and build the Dashboard site.",
                                epilog="Every command has --help with examples. Exit codes: 0 all well; 1 problems in "
                                       "the data; 2 bad usage or settings; 3 `diff` found changes.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every data package; one line per problem",
                       epilog="examples:\n"
                              "  dashboard validate\n"
                              "  dashboard validate --strict --settings publishconf.py",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("data_dir", nargs="?", help="folder of data packages (default: DASHBOARD_DATA_PATH)")
    v.add_argument("--content", help="content folder holding commentary (default: PATH in the settings)")
    v.add_argument("--settings", help=SETTINGS_HELP)
    v.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="validate, then build the site; the old site stays on any failure",
                       epilog="examples:\n"
                              "  dashboard build\n"
                              "  dashboard build --preview --output preview\n"
                              "  dashboard build --settings publishconf.py --output public --strict",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--data", help="folder of data packages (default: DASHBOARD_DATA_PATH)")
    b.add_argument("--content", help="content folder (default: PATH in the settings)")
    b.add_argument("--output", help="output folder (default: output)")
    b.add_argument("--settings", default=DEFAULT_SETTINGS, help=SETTINGS_HELP)
    b.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    b.add_argument("--preview", action="store_true", help="mark every page as a preview, not the published site")
    b.add_argument("--rebuild", action="store_true",
                   help="build even when nothing it reads has changed since the last build into the output")
    b.set_defaults(func=cmd_build)
    sv = sub.add_parser("serve", help="build a preview, serve it on this computer, and rebuild when a file changes",
                        epilog="examples:\n  dashboard serve\n  dashboard serve --port 8001",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sv.add_argument("--port", type=int, default=8000, help="the port to serve on (default: 8000)")
    sv.add_argument("--output", help="output folder (default: output)")
    sv.add_argument("--settings", default=DEFAULT_SETTINGS, help=SETTINGS_HELP)
    sv.set_defaults(func=cmd_serve, preview=True)
    n = sub.add_parser("init", help="start a new council's Dashboard project in a new folder",
                       epilog="examples:\n  dashboard init borsetshire --council \"Borsetshire District Council\" "
                              "--area-code E07000999 --purpose \"health=Improving health and wellbeing\"",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("folder", help="the new project's folder (new, or empty)")
    n.add_argument("--council", required=True, help="the council's name, as residents know it")
    n.add_argument("--area-code", help="the GSS code of the council's area (E08000009)")
    n.add_argument("--purpose", action="append", default=[], metavar="ID=TITLE",
                   help="a purpose (priority, outcome) of the council, in display order (repeat)")
    n.add_argument("--site-url", help="the public address the site will be published at")
    n.add_argument("--contact", metavar="EMAIL", help="the address every page gives for questions about the data")
    n.add_argument("--copy-theme", action="store_true", help="copy the theme into the project to change it")
    n.add_argument("--tool-path", help="pin the tool to this local checkout instead of its released source")
    n.set_defaults(func=cmd_init)
    new = sub.add_parser("new", help="start a new report to councillors")
    made = new.add_subparsers(dest="what", required=True, metavar="{report,measure}")
    r = made.add_parser("report", help="a report's Markdown and its snapshot of every measure as at its date",
                        epilog="examples:\n"
                               "  dashboard new report --type executive --as-at 2026-09-15\n"
                               "  dashboard new report --type scrutiny --as-at 2026-10-01 "
                               "--meeting \"Overview and Scrutiny Committee, 8 October 2026\"",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("--type", required=True, help="a report type's id from DASHBOARD_REPORT_TYPES (executive)")
    r.add_argument("--as-at", required=True, metavar="YYYY-MM-DD", help="the day the report's figures stand at")
    r.add_argument("--meeting", help="the meeting it goes to (default: the report type's)")
    r.add_argument("--content", help="content folder the report goes in (default: PATH in the settings)")
    r.add_argument("--settings", help=SETTINGS_HELP)
    r.set_defaults(func=cmd_new_report)
    nm = made.add_parser("measure", help="a new measure: its table, schema and dashboard properties",
                         epilog="example:\n  dashboard new measure garden-waste-subscribers --title \"Garden waste "
                                "subscribers\" --description \"Households subscribed on the last day of the month.\" "
                                "--kind operational --service environmental-services --unit households "
                                "--polarity higher-is-better "
                                "--frequency monthly --owner \"Waste Services Manager\" --source \"Subscriptions "
                                "system\" --period 2026-10 --value 8123\n\nOn a terminal it asks for anything the "
                                "flags leave out.",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    nm.add_argument("id", help="the measure's id, which becomes its web address (lower-case words and hyphens)")
    from .scaffolding import QUESTIONS
    for name, (flag, question, choices) in QUESTIONS.items():
        nm.add_argument(flag, dest=name, help=(question.lower() + (f" ({', '.join(choices)})" if choices else ""))
                        .replace("%", "%%"))
    nm.add_argument("--purpose", action="append", default=[], metavar="ID", help="a purpose it serves (repeat)")
    nm.add_argument("--target", help="its target, a plain number")
    nm.add_argument("--package", help="the package folder (default: the data folder's measures package)")
    nm.add_argument("--settings", help=SETTINGS_HELP)
    nm.set_defaults(func=cmd_new_measure)
    a = sub.add_parser("add", help="add the next figure of a measure (or revise a published one, with a reason)",
                       description="Add the next period's figure to a measure's table, in place.",
                       epilog="examples:\n  dashboard add missed-bins 2026-10 41\n"
                              "  dashboard add recycling-rate 2026-10 43.1 --status provisional\n"
                              "  dashboard add anti-social-behaviour 2026-10 30 --area-code E05000001\n"
                              "  dashboard add homelessness-prevented 2026-07 25 --revise --reason "
                              "\"Two cases recorded late\"",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("measure", help="the measure's id, as in its web address")
    a.add_argument("period", help="the period, in the measure's notation (2026-10, 2026/27-Q2, 2026/27)")
    a.add_argument("value", help="the figure, as a plain number (41, 43.1), or a symbol such as [x]")
    a.add_argument("--area-code", metavar="GSS", help="an area's series (a ward's), not the headline")
    a.add_argument("--breakdown", action="append", default=[], metavar="COLUMN=VALUE",
                   help="a breakdown's series (repeat for several columns)")
    a.add_argument("--note", help="a note on the figure, into the row's note column")
    a.add_argument("--status", choices=["provisional"], help="mark the figure provisional")
    a.add_argument("--revise", action="store_true", help="change a figure already published (needs --reason)")
    a.add_argument("--reason", help="why a published figure changed: the revision's record shows it")
    a.add_argument("--settings", help=SETTINGS_HELP)
    a.set_defaults(func=cmd_add)
    so = sub.add_parser("signoff", help="record that a manager confirmed a period's figure and commentary",
                        epilog="example:\n  dashboard signoff missed-bins --period 2026-09 --by \"A. Patel\" "
                               "--role \"Head of Environmental Services\"",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    so.add_argument("measure", help="the measure's id")
    so.add_argument("--period", required=True, help="the period confirmed, in the measure's notation")
    so.add_argument("--by", required=True, metavar="NAME", help="who confirms it")
    so.add_argument("--role", required=True, help="their role, as the measure's page will say it")
    so.add_argument("--settings", help=SETTINGS_HELP)
    so.set_defaults(func=cmd_signoff)
    st = sub.add_parser("status", help="the checklist before a report: per measure, what is due, written and "
                        "signed off", epilog="examples:\n  dashboard status\n  dashboard status --owner "
                        "\"housing options\"\n  dashboard status --purpose somewhere-to-live --json",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    st.add_argument("--owner", metavar="TEXT", help="only measures whose owner's role contains TEXT (any case)")
    st.add_argument("--service", metavar="ID", help="only this service's measures")
    st.add_argument("--purpose", metavar="ID", help="only this purpose's measures")
    st.add_argument("--json", action="store_true", help="JSON for scripts (generator/profile/status.schema.json)")
    st.add_argument("--settings", help=SETTINGS_HELP)
    st.set_defaults(func=cmd_status)
    df = sub.add_parser("diff", help="what would change on the Dashboard, in words, to approve before publishing "
                        "(exit 3 when something would, 0 when nothing)",
                        epilog="examples:\n  dashboard diff\n  dashboard diff --against v2026-10",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    df.add_argument("--against", metavar="REF", help="the git revision to compare with (default: what was last "
                    "published: the merge-base with origin/main, else main)")
    df.add_argument("--settings", help=SETTINGS_HELP)
    df.set_defaults(func=cmd_diff)
    t = sub.add_parser("template", help="write a workbook for officers to fill in")
    made_t = t.add_subparsers(dest="kind", required=True, metavar="{xlsx}")
    tx = made_t.add_parser("xlsx", help="an Excel workbook: a sheet per measure, the periods due pre-filled",
                           epilog="examples:\n  dashboard template xlsx --out figures.xlsx\n"
                                  "  dashboard template xlsx missed-bins recycling-rate --out waste.xlsx",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    tx.add_argument("measures", nargs="*", metavar="MEASURE", help="measure ids (default: every strategic and "
                    "operational measure)")
    tx.add_argument("--out", required=True, metavar="FILE", help="the workbook to write (.xlsx)")
    tx.add_argument("--settings", help=SETTINGS_HELP)
    tx.set_defaults(func=cmd_template_xlsx)
    kinds = sub.add_parser("import", help="import spending exports, published statistics or officers' workbooks")
    what = kinds.add_subparsers(dest="kind", required=True, metavar="{spending,statistics,comparators,xlsx}")
    x = what.add_parser("xlsx", help="the figures typed into a workbook from `dashboard template xlsx`, by the "
                        "rules of `dashboard add`: all or nothing",
                        epilog="example:\n  dashboard import xlsx figures.xlsx",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    x.add_argument("file", metavar="FILE", help="the filled-in workbook")
    x.add_argument("--settings", help=SETTINGS_HELP)
    x.set_defaults(func=cmd_import_xlsx)
    i = what.add_parser("spending", help="council spending exports into the canonical spending package",
                        epilog="examples:\n"
                               "  dashboard import spending exports/2026-q2.csv --into data/spending\n"
                               "  dashboard import spending cards/*.csv --into data/spending --card",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("files", nargs="+", metavar="FILE", help="CSV exports, one resource each")
    i.add_argument("--into", required=True, help="the spending package folder, such as data/spending")
    i.add_argument("--card", action="store_true", help="the files are purchase-card transactions")
    i.add_argument("--dates", choices=["dmy", "mdy"], help="order of numeric dates when the file cannot tell")
    i.add_argument("--replace", action="store_true", help="replace a quarter imported before")
    i.add_argument("--settings", help=SETTINGS_HELP)
    i.set_defaults(func=cmd_import)
    _statistics_parser(what)
    g = what.add_parser("comparators", help="a list of similar areas (CIPFA nearest neighbours, say) into the "
                        "comparator registers, for measures to be ranked against",
                        epilog="examples:\n"
                               "  dashboard import comparators cipfa.csv --id cipfa-2021 --title \"CIPFA nearest "
                               "neighbours\" --source \"CIPFA, 2021\" --into data/organisation",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("file", metavar="FILE", help="a CSV with an area-code column and, usually, a name column")
    g.add_argument("--id", required=True, help="the group's id, named by measures in dashboard.comparators")
    g.add_argument("--title", required=True, help="the group's name as the pages show it")
    g.add_argument("--source", required=True, help="where the group comes from (who chose the areas, and when)")
    g.add_argument("--into", required=True, help="the registers' package, such as data/organisation")
    g.add_argument("--settings", help=SETTINGS_HELP)
    g.set_defaults(func=cmd_import_comparators)
    c = sub.add_parser("completion", help="print a shell completion script for dashboard",
                       epilog="examples:\n  dashboard completion bash > ~/.local/share/bash-completion/completions/"
                              "dashboard\n  dashboard completion zsh > ~/.zfunc/_dashboard",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("shell", choices=["bash", "zsh", "tcsh"], help="the shell to complete in")
    c.set_defaults(func=cmd_completion)
    return p


def cmd_completion(args) -> int:
    import shtab
    print(shtab.complete(parser(), shell=args.shell))
    return 0


def _statistics_parser(what) -> None:
    s = what.add_parser("statistics", help="published statistics (tidy CSV, one row per area, period and value) "
                        "into one measure; docs/statistics.md",
                        epilog="examples:\n"
                               "  dashboard import statistics claimants.csv --into data/statistics "
                               "--indicator \"Claimant rate\" --purpose financial-independence",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("files", nargs="+", metavar="FILE", help="tidy CSV files (several: one measure each, with --id "
                   "left out)")
    s.add_argument("--into", required=True, help="the package folder, such as data/statistics")
    s.add_argument("--area-code", help="GSS code of the council's own area (default: DASHBOARD_AREA_CODE)")
    s.add_argument("--id", help="the measure id, which becomes its web address (default: a slug of the title)")
    s.add_argument("--indicator", help="the indicator to import, where the file holds several")
    s.add_argument("--measure-type", help="the measure type (Count, Percentage) where an indicator has several")
    s.add_argument("--headline", action="append", default=[], metavar="COLUMN=VALUE",
                   help="the rows that are the headline series where the file has no total rows")
    s.add_argument("--years", choices=["financial", "academic"], help="what YYYY/YY periods are")
    s.add_argument("--span", metavar="DURATION", help="dates end a period this long (P12M), for averages")
    s.add_argument("--title", help="the measure's title in plain words")
    s.add_argument("--unit", help="what one unit of the value is, plural; %% for percentages")
    s.add_argument("--frequency", choices=[f.value for f in Frequency], help="how often a new figure comes")
    s.add_argument("--polarity", choices=[p.value for p in Polarity], help="which direction is better")
    s.add_argument("--purpose", action="append", default=[], metavar="ID", help="a purpose it informs (repeat)")
    s.add_argument("--comparators", action="append", default=[], metavar="ID",
                   help="a comparator group to rank the council in (repeat; see `import comparators`)")
    s.add_argument("--benchmark", action="append", default=[], metavar="GSS",
                   help="an area drawn as a reference line, such as England (E92000001) (repeat)")
    s.add_argument("--kind", choices=[k.value for k in Kind],
                   help="context (the default for a new measure: statistics the council watches), strategic or "
                   "operational; a measure imported before keeps its kind")
    s.add_argument("--service", help="the owning service's id (strategic and operational measures)")
    s.add_argument("--owner", help="the accountable officer role (strategic and operational measures)")
    s.add_argument("--source", help="the producer, if the file's metadata or --about does not name it")
    when = s.add_mutually_exclusive_group()
    when.add_argument("--lag-days", type=_days, help="days after a period ends that its figure is due")
    when.add_argument("--next-release", metavar="YYYY-MM-DD", help="the producer's announced next release")
    s.add_argument("--delay-reason", metavar="TEXT", help="a known delay of the next figure, in plain words")
    s.add_argument("--delay-until", metavar="YYYY-MM-DD", help="when the delayed figure is now expected")
    s.add_argument("--about", help="a metadata Markdown file: its text becomes the definition")
    s.add_argument("--settings", help=SETTINGS_HELP)
    s.set_defaults(func=cmd_import_statistics)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return args.func(args)
    except DataError as exc:
        _print(p.line(relative_to=os.getcwd()) for p in exc.problems)
        return 1
    except DashboardError as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dashboard: interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
