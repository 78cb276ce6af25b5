"""`dashboard diff`: what a change to the data would publish, in words a manager can read to approve it.

Compares the project as it is now (uncommitted edits included) with a git revision: by default what was
last published, the merge-base of HEAD with origin/main, or `main` when there is no remote. It lists new
figures, revised figures with their reasons, new or changed commentary, sign-offs, and measures added or
removed. Each measure table is compared row by row on its key (period, area, breakdown parts), so moving
rows about is no change.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .domain.figures import printed
from .domain.model import Site
from .domain.vocabulary import Role, role_of
from .errors import ConfigError
from .ingest.history import run_git
from .ingest.revisions import table_rows


@dataclass(frozen=True)
class Change:
    kind: str        # new-figure | revised | commentary | signoff | new-measure | removed-measure
    text: str


def default_ref(root: Path) -> str:
    """What was last published: the merge-base with origin/main, else main."""
    for upstream in ("origin/main", "main"):
        found = run_git(root, ["merge-base", "HEAD", upstream])
        if found:
            return found.decode().strip()
    raise ConfigError("No revision to compare with: there is no origin/main or main branch; give --against REF.")


def _old(root: Path, ref: str, path: Path) -> str | None:
    """A file's text at `ref` (None when it did not exist then)."""
    out = run_git(root, ["show", f"{ref}:{path.resolve().relative_to(_top(root)).as_posix()}"])
    return None if out is None else out.decode("utf-8-sig")


def _top(root: Path) -> Path:
    out = run_git(root, ["rev-parse", "--show-toplevel"])
    if out is None:
        raise ConfigError(f"{root} is not in a git repository: `dashboard diff` compares with its history.")
    return Path(out.decode().strip()).resolve()


def diff(site: Site, root: Path, data_dir: Path, commentary_dir: Path, ref: str) -> list[Change]:
    if run_git(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]) is None:
        raise ConfigError(f"No revision '{ref}' in this repository.")
    out: list[Change] = []
    before = _measures_at(root, data_dir, ref)
    for mid in sorted(set(before) - set(site.measures)):
        out.append(Change("removed-measure", f"Measure removed: {before[mid]} ({mid})."))
    for m in site.measures.values():
        delimiter = site.datasets[m.package].resource(m.id).delimiter
        old = _old(root, ref, m.source_path)
        if mid_new := (m.id not in before):
            out.append(Change("new-measure", f"New measure: {m.title} ({m.id})."))
        if old is None or mid_new:
            continue
        then, now = (table_rows(text, delimiter, m.key_columns, m.area) or {}
                     for text in (old.encode(), m.source_path.read_bytes()))
        for key, (value, note) in now.items():
            parts = [m.area_names.get(k, k) for k in key[1:] if k and k != m.area]    # the headline has none
            where = f"{m.title}, {m.period(key[0]).label}" + (f" ({', '.join(parts)})" if parts else "")
            if key not in then:
                out.append(Change("new-figure", f"New figure: {where}: {printed(value, m.unit)}."))
            elif then[key][0] != value:
                reason = f" Reason: {note}" if note else " No reason given."
                out.append(Change("revised", f"Revised: {where}: {printed(then[key][0], m.unit)} to "
                                             f"{printed(value, m.unit)}.{reason}"))
    out += _commentary(site, root, commentary_dir, ref)
    out += _signoffs(site, root, ref)
    return out


def _measures_at(root: Path, data_dir: Path, ref: str) -> dict[str, str]:
    """Measure id -> title in the data packages at `ref`."""
    prefix = data_dir.resolve().relative_to(_top(root)).as_posix()
    listed = run_git(root, ["ls-tree", "-r", "--name-only", ref, "--", prefix]) or b""
    out = {}
    for name in listed.decode().splitlines():
        if not name.endswith("datapackage.json"):
            continue
        try:
            descriptor = json.loads(run_git(root, ["show", f"{ref}:{name}"]) or b"{}")
        except ValueError:
            continue
        for r in descriptor.get("resources", []) if isinstance(descriptor, dict) else []:
            if isinstance(r, dict) and role_of(str(r.get("name", "")), r) is Role.MEASURE:
                out[r.get("name", "")] = r.get("title", r.get("name", ""))
    return out


def _commentary(site: Site, root: Path, folder: Path, ref: str) -> list[Change]:
    out = []
    if folder.is_dir():
        prefix = folder.resolve().relative_to(_top(root)).as_posix()
        listed = (run_git(root, ["ls-tree", "-r", "--name-only", ref, "--", prefix]) or b"").decode().splitlines()
        out += [Change("commentary", f"Removed commentary: {Path(name).name}.") for name in listed
                if name.endswith(".md") and not (_top(root) / name).is_file()]
    for m in site.measures.values():
        for c in sorted(m.commentary, key=lambda c: c.source):
            old = _old(root, ref, Path(c.source))
            if old is None:
                out.append(Change("commentary", f"New commentary: {m.title}, by {c.author}"
                                                f"{', ' + c.role if c.role else ''} ({c.date.isoformat()})."))
            elif old != Path(c.source).read_bytes().decode("utf-8-sig"):
                out.append(Change("commentary", f"Changed commentary: {m.title}, by {c.author} "
                                                f"({c.date.isoformat()})."))
    return out


def _signoffs(site: Site, root: Path, ref: str) -> list[Change]:
    if not site.signoffs:
        return []
    old = _old(root, ref, Path(site.signoffs[0].source)) or ""
    had = {tuple(r.get(k, "") for k in ("measure", "period", "date", "by")) for r in csv.DictReader(io.StringIO(old))}
    out = []
    for s in site.signoffs:
        if (s.measure, s.period, s.date.isoformat() if s.date else "", s.by) not in had:
            m = site.measures.get(s.measure)
            title = m.title if m else s.measure
            label = m.period(s.period).label if m else s.period
            out.append(Change("signoff", f"Signed off: {title}, {label}, by {s.by} ({s.role}) on "
                                         f"{s.date.isoformat() if s.date else '?'}."))
    return out

