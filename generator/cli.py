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

from .errors import BuildError, ConfigError, DashboardError, DataError
from .settings import DEFAULTS


def _print_problems(problems, stream=sys.stdout) -> None:
    cwd = os.getcwd()
    for problem in problems:
        print(problem.line(relative_to=cwd), file=stream)


def _relative(path: Path) -> Path:
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def cmd_validate(args) -> int:
    from .ingest.pipeline import load
    data_dir = Path(args.data_dir)
    content = Path(args.content) if args.content else Path("content")
    commentary = content / DEFAULTS["DASHBOARD_COMMENTARY_PATH"]
    loaded = load(_relative(data_dir), _relative(commentary) if commentary.is_dir() else None,
                  DEFAULTS["DASHBOARD_LICENSE"], strict=args.strict)
    _print_problems(loaded.problems)
    errors = [p for p in loaded.problems if not p.warning]
    if errors:
        print(f"{len(errors)} problem(s) found in {data_dir}.", file=sys.stderr)
        return 1
    measures = len(loaded.site.measures)
    print(f"{data_dir}: {len(loaded.site.datasets)} package(s), {measures} measure(s), no problems"
          + (f" ({len(loaded.problems)} warning(s))" if loaded.problems else "") + ".", file=sys.stderr)
    return 0


def _read_settings(args):
    from pelican.settings import read_settings
    settings_file = Path(args.settings)
    if not settings_file.is_file():
        raise ConfigError(f"Settings file '{settings_file}' does not exist.")
    base = settings_file.resolve().parent
    override = {}
    if args.content:
        override["PATH"] = str(Path(args.content).resolve())
    if args.strict:
        override["DASHBOARD_STRICT"] = True
    settings = read_settings(str(settings_file), override=override)
    # Relative data paths start from the settings file's folder, unless it says otherwise.
    settings["DASHBOARD_ROOT"] = str(base / settings.get("DASHBOARD_ROOT", "."))
    if args.data:
        settings["DASHBOARD_DATA_PATH"] = str(Path(args.data).resolve())
    return settings


def cmd_build(args) -> int:
    from pelican import Pelican

    from .ingest.pipeline import load
    from .publish.atomic import check_output, staging_dir, switch_into_place
    from .settings import resolve

    started = time.perf_counter()
    settings = _read_settings(args)
    dash = resolve(settings)
    base = Path(settings["DASHBOARD_ROOT"])
    data_dir = base / dash["DASHBOARD_DATA_PATH"]
    commentary = Path(settings["PATH"]) / dash["DASHBOARD_COMMENTARY_PATH"]
    # Validate first, printing every problem, so a build never starts on bad data.
    loaded = load(_relative(data_dir), _relative(commentary) if commentary.is_dir() else None,
                  dash["DASHBOARD_LICENSE"], strict=dash["DASHBOARD_STRICT"],
                  lag_days=dash["DASHBOARD_PUBLICATION_LAG_DAYS"], max_mb=dash["DASHBOARD_MAX_FILE_MB"],
                  personal_rules=dash["DASHBOARD_PERSONAL_DATA_RULES"])
    _print_problems(loaded.problems)
    if loaded.site is None:
        print("The site was not built: fix the problems above. The previous output is unchanged.", file=sys.stderr)
        return 1
    output = Path(args.output) if args.output else Path(settings["OUTPUT_PATH"])
    check_output(output, protected=[Path.cwd(), base, data_dir, Path(settings["PATH"]),
                                    Path(settings["THEME"]), Path(args.settings)])
    stage = staging_dir(output)
    settings["OUTPUT_PATH"] = str(stage)
    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    try:
        Pelican(settings).run()
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
    print(f"Built {pages} pages for {len(loaded.site.measures)} measures into {output} "
          f"in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from .settings import DEFAULTS, resolve
    from .importers.spending import ImportFailed, aliases, describe, read_export, write_package

    dash = DEFAULTS
    if Path(args.settings).is_file():
        from pelican.settings import read_settings
        dash = resolve(read_settings(args.settings))
    elif args.settings != "pelicanconf.py":
        raise ConfigError(f"Settings file '{args.settings}' does not exist.")
    files = [Path(f) for f in args.files]
    missing = [f for f in files if not f.is_file()]
    if missing:
        raise ConfigError(f"No such file: {missing[0]}")
    table = aliases(dash["DASHBOARD_SPENDING_ALIASES"])
    kind = "card" if args.card else "spending"
    problems, imports = [], []
    for path in files:
        try:
            imports.append(read_export(_relative(path), table, args.dates, dash["DASHBOARD_PERSONAL_DATA_RULES"]))
        except ImportFailed as exc:
            problems += exc.problems
    if problems:
        _print_problems(problems)
        print(f"Nothing was imported: {len(problems)} problem(s). {args.into} is unchanged.", file=sys.stderr)
        return 1
    try:
        done = write_package(Path(args.into), imports, kind, replace=args.replace)
    except ImportFailed as exc:
        _print_problems(exc.problems)
        print(f"Nothing was imported: {len(exc.problems)} problem(s). {args.into} is unchanged.", file=sys.stderr)
        return 1
    for imported, name, replaced in done:
        print("\n".join(describe(imported, name, replaced)), file=sys.stderr)
    return 0


class _ErrorCounter(logging.Handler):
    """Counts errors Pelican logs but survives (a broken page template): they fail the build."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dashboard", description="Validate data packages and build the Dashboard site.")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every data package; one line per problem")
    v.add_argument("data_dir", nargs="?", default="data", help="folder of data packages (default: data)")
    v.add_argument("--content", help="content folder holding commentary (default: content)")
    v.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="validate, then build the site; the old site stays on any failure")
    b.add_argument("--data", help="folder of data packages (default: DASHBOARD_DATA_PATH)")
    b.add_argument("--content", help="content folder (default: PATH in the settings)")
    b.add_argument("--output", help="output folder (default: output)")
    b.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file (default: pelicanconf.py)")
    b.add_argument("--strict", action="store_true", help="treat warnings as problems (CI)")
    b.set_defaults(func=cmd_build)
    i = sub.add_parser("import", help="import council spending exports (CSV) into the canonical spending package")
    i.add_argument("kind", choices=["spending"], help="what the files hold")
    i.add_argument("files", nargs="+", metavar="FILE", help="CSV exports, one resource each")
    i.add_argument("--into", required=True, help="the spending package folder, such as data/spending")
    i.add_argument("--card", action="store_true", help="the files are purchase-card transactions")
    i.add_argument("--dates", choices=["dmy", "mdy"], help="order of numeric dates when the file cannot tell")
    i.add_argument("--replace", action="store_true", help="replace a quarter imported before")
    i.add_argument("--settings", default="pelicanconf.py", help="settings file with DASHBOARD_SPENDING_ALIASES")
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
        _print_problems(exc.problems)
        return 1
    except DashboardError as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dashboard: interrupted; the previous output is unchanged.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
