"""Revisions of values already published, read from the git history of the measure CSVs.

The Code of Practice for Statistics asks that every revision be shown with the value as
published before, the value now and the reason. Each committed version of a CSV is a
publication, so git already holds that record: one `git log` finds the commits that touched
the files and one `git cat-file --batch` reads their contents (never the network). The
reason is the row's `note` in the version that made the change. Without git, or outside a
repository, every measure simply has no revisions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from .. import cache
from ..domain.disclosure import suppressed
from ..domain.figures import published_number, revises
from ..domain.model import history_day, row_key
from ..domain.vocabulary import CONFIDENTIAL
from .history import run_git

Key = tuple[str, ...]                 # (period, area_code, *breakdowns): the measure table's primary key
Rows = dict[Key, tuple[str, str]]     # key -> (value text, note text)


@dataclass(frozen=True)
class Revision:
    period: str
    old: str                 # as published before: always a number (or [c] when suppressed)
    new: str                 # a number or a GSS symbol; "" when the row was removed
    reason: str | None       # the newer version's note; None when it gives none
    when: date               # committer date (UTC); `today` for an uncommitted edit
    commit: str | None       # 12-character hash; None for an uncommitted edit
    prior_note: str = ""     # the row's note before the change (a reason must be new to count)
    series: tuple[str, ...] = ()   # the row's area and breakdown parts (its key after the period)
    area: str = ""                 # the measure's own area, which a label leaves unsaid

    @property
    def anchor(self) -> str:
        """A fragment id, unique even for two revisions of one period (of one series) on one day; only
        letters, digits and hyphens, so it is a valid id and fragment."""
        words = "-".join([self.period, *self.series, self.commit or "uncommitted"])
        return "revision-" + re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-")

    @property
    def series_label(self) -> str:
        """'' for the council's own area with no breakdown, else its area and parts: 'E06000030, Female'."""
        return ", ".join(p for p in self.series if p and p != self.area)


@dataclass(frozen=True)
class Tracked:
    id: str
    path: Path
    suppress_below: int | None = None
    delimiter: str = ","
    key: tuple[str, ...] = ()     # the key columns after period: area_code and the breakdowns
    area: str = ""                # the measure's own area: a blank area_code is it (model.area_of)
    since: str = ""               # dashboard.history_from: a date or a commit; older versions are not its history


def _shown(text: str, number: Decimal | None, suppress_below: int | None) -> str:
    """The value as readers see it: small counts are [c], so a revision must not leak them."""
    return CONFIDENTIAL if suppressed(number, suppress_below) else text


def compare(old_rows: Rows, new_rows: Rows,
            suppress_below: int | None) -> list[tuple[Key, str, str, str | None, str]]:
    """(key, old, new, reason, prior note) for each published number the newer version changed.

    The reason is the newer version's note only when the change wrote it: a note that was already
    there explains something else.
    """
    found = []
    for key, (old_text, old_note) in old_rows.items():
        new_text, note = new_rows.get(key, ("", ""))
        if not revises(old_text, new_text):
            continue
        old, new = published_number(old_text), published_number(new_text)
        shown_new = _shown(new_text.strip(), new, suppress_below)
        # A figure withdrawn as confidential must not reappear as the "old" side of a revision.
        shown_old = CONFIDENTIAL if shown_new == CONFIDENTIAL else _shown(old_text.strip(), old, suppress_below)
        if shown_old != shown_new:   # [c] -> [c] is no visible change
            reason = note.strip() if note.strip() and note.strip() != old_note.strip() else None
            found.append((key, shown_old, shown_new, reason, old_note.strip()))
    return found


def table_rows(data: bytes, delimiter: str = ",", key: tuple[str, ...] = (), area: str = "") -> Rows | None:
    """(period, *key) -> (value, note); None for a file that is not a usable measure table.
    A key column a version lacks reads as blank: the headline series, as the table had before."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    header = [name.strip() for name in table[0]] if table else []
    if "period" not in header or "value" not in header:
        return None
    names = ("period", "value", "note", *key)
    at = [header.index(name) if name in header else None for name in names]
    rows: Rows = {}
    for row in table[1:]:
        cells = {n: row[i].strip() for n, i in zip(names, at) if i is not None and i < len(row)}
        if cells.get("period"):
            rows[(cells["period"], *row_key(cells, key, area))] = (cells.get("value", ""), cells.get("note", ""))
    return rows


def _blobs(out: bytes, count: int) -> list[bytes | None]:
    """Split `cat-file --batch` output: `<sha> <type> <size>\\n<content>\\n` or `<request> missing\\n`."""
    blobs: list[bytes | None] = []
    pos = 0
    while len(blobs) < count and (end := out.find(b"\n", pos)) >= 0:
        header = out[pos:end].split(b" ")
        pos = end + 1
        if len(header) == 3 and header[2].isdigit():     # found; anything else is "missing" etc.
            size = int(header[2])
            blobs.append(out[pos:pos + size] if header[1] == b"blob" else None)
            pos += size + 1
        else:
            blobs.append(None)
    return blobs + [None] * (count - len(blobs))


def _history(top: Path, rels: list[str]) -> dict[str, list[tuple[str, date, bytes | None]]]:
    """Repo-relative path -> its committed versions, oldest first: (hash, date, content)."""
    # First-parent history: a merge is the moment a branch's edits were published.
    log = run_git(top, ["log", "--first-parent", "--reverse", "--no-renames", "--no-show-signature", "-z",
                     "--format=%x01%H %ct", "--name-only", "--", *rels])
    if log is None:
        return {}
    commits: dict[str, list[tuple[str, date]]] = {rel: [] for rel in rels}
    current = None
    for raw in log.split(b"\0"):
        token = raw.removeprefix(b"\n")
        if token.startswith(b"\x01"):
            sha, stamp = token[1:].decode().split()
            current = (sha, datetime.fromtimestamp(int(stamp), tz=UTC).date())
        elif current and os.fsdecode(token) in commits:
            commits[os.fsdecode(token)].append(current)
    # cat-file reads one request a line, so a name with a newline cannot be asked for.
    wanted = [(rel, sha) for rel, versions in commits.items() if "\n" not in rel for sha, _ in versions]
    out = run_git(top, ["cat-file", "--batch"],
               b"".join(os.fsencode(f"{sha}:{rel}\n") for rel, sha in wanted)) if wanted else b""
    if out is None:
        return {}
    contents = dict(zip(wanted, _blobs(out, len(wanted)), strict=True))
    return {rel: [(sha, when, contents.get((rel, sha))) for sha, when in versions]
            for rel, versions in commits.items()}


def _kept_walk(item: Tracked, versions: list[tuple[str, date, bytes | None]], today: date,
               cache_dir: Path | None) -> tuple[list[Revision], dict[Key, date]]:
    """_walk, kept in the cache by a hash of every version it compares and how it reads them: a republish
    changes few of a site's tables, and reading every version of every one was a tenth of a rebuild. The
    day counts only when the work tree differs from the last commit (its edit is dated today)."""
    try:
        work = item.path.read_bytes()
    except OSError:
        work = None
    if cache_dir is None:
        return _walk(item, versions, work, today)
    digests = [(sha, when.isoformat(), hashlib.sha256(data).hexdigest() if data is not None else None)
               for sha, when, data in versions]
    own = hashlib.sha256(work).hexdigest() if work is not None else None
    dated = today if own is not None and (not digests or digests[-1][2] != own) else None
    key = cache.key(_CODE, item.suppress_below, item.delimiter, item.key, item.area, item.since, digests, own, dated)
    path = cache_dir / "history" / f"{key}.pickle"
    return cache.kept_object(path, lambda: _walk(item, versions, work, today))


_CODE = cache.code(__file__)


def _walk(item: Tracked, versions: list[tuple[str, date, bytes | None]], work: bytes | None,
          today: date) -> tuple[list[Revision], dict[Key, date]]:
    """Compare consecutive usable versions, then the work tree (`work`, its file's bytes) with the last one.
    Also when each row was first committed, for rows added after the first usable version (those in it
    were there when the history starts: when they were first published is not known)."""
    if work is not None:
        versions = [*versions, ("", today, work)]
    revisions: list[Revision] = []
    first_seen: dict[Key, date] = {}
    before = None
    for sha, when, data in _since(versions, item.since):
        rows = table_rows(data, item.delimiter, item.key, item.area) if data is not None else None
        if rows is None:
            continue     # deleted or malformed: never published as a table, so skip over it
        if before is not None:
            revisions += [Revision(key[0], old, new, reason, when, sha[:12] or None, prior, key[1:], item.area)
                          for key, old, new, reason, prior in compare(before, rows, item.suppress_below)]
            if sha:      # committed: published (an edit not yet committed is not)
                first_seen.update({key: when for key in rows if key not in before and key not in first_seen})
        before = rows
    return revisions, first_seen


def _since(versions: list[tuple[str, date, bytes | None]], since: str) -> list[tuple[str, date, bytes | None]]:
    """The versions from `since` on: a date keeps those committed that day or later, a commit keeps it
    and those after it (a commit not in the history keeps them all)."""
    if not since:
        return versions
    day = history_day(since)
    if day is not None:
        return [v for v in versions if v[1] >= day]
    start = next((i for i, (sha, _, _) in enumerate(versions) if sha and sha.startswith(since)), 0)
    return versions[start:]


@dataclass(frozen=True)
class History:
    revisions: list[Revision]          # oldest first
    first_published: dict[Key, date]   # (period, *key) -> the day its row was first committed


def find_history(tracked: list[Tracked], today: date, cache_dir: Path | None = None) -> dict[str, History]:
    """id -> its revisions and when its rows were first published. Every id is present; empty when git or
    the repository is unavailable. Each table's is kept in `cache_dir` by a hash of its versions."""
    revisions: dict[str, list[Revision]] = {item.id: [] for item in tracked}
    published: dict[str, dict[Key, date]] = {item.id: {} for item in tracked}
    tops: dict[Path, Path | None] = {}
    by_repo: dict[Path, list[tuple[Tracked, str]]] = {}
    for item in tracked:
        folder = item.path.parent
        if folder not in tops:
            out = run_git(folder, ["rev-parse", "--show-toplevel"])
            tops[folder] = Path(os.fsdecode(out.rstrip(b"\n"))).resolve() if out else None
        top = tops[folder]
        if top is None:
            continue
        try:
            rel = item.path.resolve().relative_to(top).as_posix()
        except ValueError:
            continue
        by_repo.setdefault(top, []).append((item, rel))
    for top, items in by_repo.items():
        history = _history(top, sorted({rel for _, rel in items}))
        if not history:
            continue     # git failed part way: report nothing rather than a half-read history
        for item, rel in items:
            found, seen = _kept_walk(item, history[rel], today, cache_dir)
            revisions[item.id] += found
            published[item.id].update(seen)
    for found in revisions.values():
        found.sort(key=lambda r: (r.when, r.period, r.series))
    return {i: History(revisions[i], published[i]) for i in revisions}


def find_revisions(tracked: list[Tracked], today: date) -> dict[str, list[Revision]]:
    """id -> revisions, oldest first (find_history without the publication dates)."""
    return {i: h.revisions for i, h in find_history(tracked, today).items()}
