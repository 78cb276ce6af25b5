"""When each data file last changed, from git: the "last updated" date of a measure.

Read from the repository rather than file times, so the same commit gives the same
dates on any machine. A file changed since the last commit counts as changed "now"
(the build's time); outside a git work tree nothing is known.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path


GIT_TIMEOUT = 60   # seconds for each git call: a hung git must not hang a build


def run_git(folder: Path, args: list[str], stdin: bytes | None = None) -> bytes | None:
    """git's output, or None when git is missing, fails or hangs (the data is then simply not in git).
    Literal pathspecs: a file named "a[1].csv" means itself, not a pattern."""
    command = ["git", "--literal-pathspecs", "-C", str(folder), *args]
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _git(folder: Path, *args: str) -> str | None:
    out = run_git(folder, list(args))
    return None if out is None else out.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class FileDates:
    """When each file under a folder was first committed and last changed."""

    added: dict[Path, date]
    changed: dict[Path, date]


def file_dates(folder: Path, today: date) -> FileDates:
    """Resolved path -> dates from `git log`; files changed since the last commit count as changed today."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if not top:
        return FileDates({}, {})
    root = Path(top.strip()).resolve()
    log = _git(folder, "log", "--format=@%ct", "--name-only", "--no-renames", "--", ".")
    added: dict[Path, date] = {}
    changed: dict[Path, date] = {}
    when = None
    for line in (log or "").splitlines():
        if line.startswith("@"):
            when = datetime.fromtimestamp(int(line[1:]), tz=timezone.utc).date()
        elif line and when is not None:
            path = (root / line).resolve()
            changed.setdefault(path, when)  # newest commit comes first
            added[path] = when              # ... and the oldest last
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--", ".") or ""
    for line in status.splitlines():
        path = (root / line[3:].split(" -> ")[-1].strip('"')).resolve()
        changed[path] = today
        added.setdefault(path, today)
    return FileDates(added, changed)


def is_shallow(folder: Path) -> bool:
    """A shallow clone (CI's default) holds only recent commits: older revisions are out of sight."""
    return (_git(folder, "rev-parse", "--is-shallow-repository") or "").strip() == "true"


def head_commit(folder: Path) -> str | None:
    """The commit the folder's repository is at: a new commit changes revisions and dates even when
    no file in the work tree changes."""
    return (_git(folder, "rev-parse", "HEAD") or "").strip() or None
