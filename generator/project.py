"""`dashboard init`: a ready project for one council, in a new folder, with nothing of any other's.

The files come from templates shipped with the tool (generator/scaffold/): settings with the council's
name and area code, registers (its purposes, in order; services and localities with headings only),
its about page and accessibility statement, a README with the two commands, a Makefile, the CI
workflow and a .gitignore. The project depends on the tool pinned by version and source, builds with
the theme the tool carries (or a copy, with --copy-theme), and starts a git repository of its own
with one commit, so no other council's history comes along.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from string import Template

from .publish.pdf import DEBIAN_PACKAGES

from .errors import ConfigError
from .settings import shipped_theme

SCAFFOLD = "scaffold"
# Template name -> its path in the project (names a package cannot carry as they are).
RENAMED = {"pelicanconf.py.tmpl": "pelicanconf.py", "publishconf.py.tmpl": "publishconf.py",
           "gitignore": ".gitignore", "gitkeep": ".gitkeep", "dot-github": ".github"}
FALLBACK_AUTHOR = ("Dashboard", "dashboard@localhost")   # when the machine has no git identity
PACKAGE = "council-dashboard"
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")   # an id that becomes part of a web address


@dataclass(frozen=True)
class Purpose:
    id: str
    title: str


def parse_purpose(text: str) -> Purpose:
    """ID=TITLE from --purpose; the id becomes a web address, so it is checked here."""
    pid, sep, title = text.partition("=")
    pid, title = pid.strip(), title.strip()
    if not sep or not title or not ID_PATTERN.fullmatch(pid):
        raise ConfigError(f"--purpose takes ID=TITLE, the id in lower-case words joined by hyphens "
                          f"(tackling-poverty=Supporting people out of poverty), not '{text}'.")
    return Purpose(pid, title)


def requirement(tool_path: Path | None) -> str:
    """The tool, pinned: a local checkout (for development and tests), or its source repository at the
    installed version's tag (named in the tool's pyproject.toml [project.urls])."""
    if tool_path is not None:
        if not (tool_path / "pyproject.toml").is_file():
            raise ConfigError(f"--tool-path {tool_path} is not a checkout of the tool (no pyproject.toml there).")
        return f"{PACKAGE} @ {tool_path.resolve().as_uri()}"
    version = metadata.version(PACKAGE)
    urls = dict(u.split(", ", 1) for u in metadata.metadata(PACKAGE).get_all("Project-URL") or [])
    source = urls.get("Source")
    if not source:
        raise ConfigError("The installed tool names no source repository; give --tool-path to a checkout.")
    return f"{PACKAGE} @ git+{source}@v{version}"


def init(folder: Path, council: str, area_code: str = "", purposes: list[Purpose] | None = None,
         site_url: str = "", copy_theme: bool = False, tool_path: Path | None = None, contact: str = "") -> list[Path]:
    """Write the project; returns the files written, relative to `folder`."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} is a file: dashboard init makes a new project in a new (or empty) folder.")
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} is not empty: dashboard init makes a new project in a new (or empty) folder.")
    if area_code and not re.fullmatch(r"[A-Z][0-9]{8}", area_code):
        raise ConfigError(f"--area-code takes a GSS code such as E08000009, not '{area_code}'.")
    ids = [p.id for p in purposes or []]
    if len(set(ids)) != len(ids):
        raise ConfigError("Two --purpose flags give the same id.")
    values = _values(council, area_code, site_url, tool_path) | {"contact_literal": repr(contact)}
    # Written beside the folder and moved into place whole: a failure leaves no half-made project.
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = folder.parent / f".{folder.name}-init"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        stage.mkdir()
        written = _copy(resources.files("generator").joinpath(SCAFFOLD), stage, values | {
            "purpose_rows": _purpose_rows(purposes or [])})
        if copy_theme:
            shutil.copytree(shipped_theme(), stage / "theme", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            with (stage / "pelicanconf.py").open("a", encoding="utf-8") as f:
                f.write('\n# The council\'s own copy of the theme (dashboard init --copy-theme).\nTHEME = "theme"\n')
        _git(stage, council)
        if folder.exists():
            folder.rmdir()          # checked empty above
        stage.rename(folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(written)


def _values(council: str, area_code: str, site_url: str, tool_path: Path | None) -> dict[str, str]:
    return {"council": council, "council_literal": repr(council), "sitename": repr(f"{council} Dashboard"),
            "area_code_literal": repr(area_code), "site_url_literal": repr(site_url or "https://example.gov.uk"),
            "requirement": requirement(tool_path), "pdf_packages": DEBIAN_PACKAGES}


def _copy(source, target: Path, values: dict[str, str], relative: Path = Path()) -> list[Path]:
    written = []
    for item in sorted(source.iterdir(), key=lambda i: i.name):
        if item.name == "__pycache__":
            continue
        name = RENAMED.get(item.name, item.name)
        if item.is_dir():
            (target / name).mkdir(parents=True, exist_ok=True)
            written += _copy(item, target / name, values, relative / name)
        else:
            (target / name).write_text(Template(item.read_text(encoding="utf-8")).substitute(values),
                                       encoding="utf-8")
            written.append(relative / name)
    return written


def _purpose_rows(purposes: list[Purpose]) -> str:
    """The purposes register's rows, in the order given (a title may hold commas or quotes)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([p.id, p.title, ""] for p in purposes)
    return buffer.getvalue()


def _git(folder: Path, council: str) -> None:
    """A repository of the project's own, with one commit (a fallback author when none is set)."""
    def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, env=env,
                              check=False)
    if run("init", "-q", "-b", "main").returncode != 0 and run("init", "-q").returncode != 0:
        raise ConfigError("git could not start a repository here; is git installed?")
    run("add", "-A")
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        if run("config", f"user.{'name'}").returncode != 0 or not run("config", "user.email").stdout.strip():
            env.setdefault(f"GIT_{role}_NAME", FALLBACK_AUTHOR[0])
            env.setdefault(f"GIT_{role}_EMAIL", FALLBACK_AUTHOR[1])
    done = run("commit", "-q", "-m", f"A new Dashboard for {council} (dashboard init)", env=env)
    if done.returncode != 0:
        raise ConfigError(f"git could not make the first commit: {done.stderr.strip()}")
