"""The `dashboard` command: validate and build.

Exit codes: 0 all well; 1 data problems (one line each) or a failed build; 2 bad usage
or configuration. Data mistakes never print a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from pathlib import Path

from . import settings as settings_module
from .errors import BuildError, ConfigError, DashboardError, DataError, ImportFailed
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
    return settings_module.read(path if path.is_file() else None, **overrides)


def cmd_validate(args) -> int:
    from .ingest.pipeline import load
    settings = _settings(args)
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
    from pelican import Pelican

    from .ingest.pipeline import load
    from .publish.atomic import check_output, staging_dir, switch_into_place

    started = time.perf_counter()
    settings = _settings(args, required=True)
    # Validate first, printing every problem, so a build never starts on bad data.
    loaded = load(settings)
    _print(loaded.report.lines(relative_to=os.getcwd()))
    if loaded.site is None:
        print("The site was not built: fix the problems above. The previous output is unchanged.", file=sys.stderr)
        return 1
    output = settings.output
    check_output(output, protected=[Path.cwd(), settings.root, settings.data_dir, settings.content,
                                    settings.theme_dir, Path(args.settings)])
    stage = staging_dir(output)
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        Pelican(settings.for_pelican(OUTPUT_PATH=str(stage))).run()
        if errors.count:
            raise BuildError(f"Pelican reported {errors.count} error(s) (above); the previous output is unchanged.")
        switch_into_place(stage, output)
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
    pages = sum(1 for _ in output.rglob("*.html"))
    print(f"Built {pages} pages for {len(loaded.site.measures)} measures into {_relative(output)} "
          f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    return 0


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
    p = argparse.ArgumentParser(prog="dashboard", description="Validate data packages and build the Dashboard site.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every data package; one line per problem")
    v.add_argument("data_dir", nargs="?", help="folder of data packages (default: DASHBOARD_DATA_PATH)")
    v.add_argument("--content", help="content folder holding commentary (default: PATH in the settings)")
    v.add_argument("--settings", help=SETTINGS_HELP)
    v.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="validate, then build the site; the old site stays on any failure")
    b.add_argument("--data", help="folder of data packages (default: DASHBOARD_DATA_PATH)")
    b.add_argument("--content", help="content folder (default: PATH in the settings)")
    b.add_argument("--output", help="output folder (default: output)")
    b.add_argument("--settings", default=DEFAULT_SETTINGS, help=SETTINGS_HELP)
    b.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    b.set_defaults(func=cmd_build)
    i = sub.add_parser("import", help="import council spending exports (CSV) into the canonical spending package")
    i.add_argument("kind", choices=["spending"], help="what the files hold")
    i.add_argument("files", nargs="+", metavar="FILE", help="CSV exports, one resource each")
    i.add_argument("--into", required=True, help="the spending package folder, such as data/spending")
    i.add_argument("--card", action="store_true", help="the files are purchase-card transactions")
    i.add_argument("--dates", choices=["dmy", "mdy"], help="order of numeric dates when the file cannot tell")
    i.add_argument("--replace", action="store_true", help="replace a quarter imported before")
    i.add_argument("--settings", help=SETTINGS_HELP)
    i.set_defaults(func=cmd_import)
    return p


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
