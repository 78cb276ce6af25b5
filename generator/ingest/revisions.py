"""Revisions of values already published, read from the git history of the measure CSVs.

The Code of Practice for Statistics asks that every revision be shown with the value as
published before, the value now and the reason. Each committed version of a CSV is a
publication, so git already holds that record: one `git log` finds the commits that touched
the files, naming each version by its blob id, and one `git cat-file --batch` reads the versions
of the tables whose history the cache lacks (never the network). The
reason is the row's `note` in the version that made the change. Without git, or outside a
repository, every measure simply has no revisions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
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


Version = tuple[str, date, str | None]      # a commit, its day, and the file's blob id there (None: deleted)


def _log(top: Path, rels: list[str]) -> dict[str, list[Version]] | None:
    """Repo-relative path -> the commits that changed it, oldest first, each with git's id of the file's
    bytes there (its blob id): which versions differ is known without reading any. None when git fails."""
    # First-parent history: a merge is the moment a branch's edits were published.
    log = run_git(top, ["log", "--first-parent", "--reverse", "--no-renames", "--no-show-signature", "-z",
                        "--format=%x01%H %ct", "--raw", "--no-abbrev", "--", *rels])
    if log is None:
        return None
    versions: dict[str, list[Version]] = {rel: [] for rel in rels}
    current, blob = None, None
    for raw in log.split(b"\0"):
        if blob is not None:            # the path of the change line just before
            if current and (rel := os.fsdecode(raw)) in versions:
                versions[rel].append((*current, None if blob.strip("0") == "" else blob))
            blob = None
            continue
        token = raw.removeprefix(b"\n")
        if token.startswith(b"\x01"):
            sha, stamp = token[1:].decode().split()
            current = (sha, datetime.fromtimestamp(int(stamp), tz=UTC).date())
        elif token.startswith(b":"):    # ":<old mode> <new mode> <old blob> <new blob> <status>"
            blob = token.split()[3].decode()
    return versions


def _contents(top: Path, blobs: list[str]) -> dict[str, bytes | None] | None:
    """Each blob's bytes (None: not a blob git has), read in one `git cat-file --batch`; None when git fails."""
    if not blobs:
        return {}
    out = run_git(top, ["cat-file", "--batch"], "".join(f"{blob}\n" for blob in blobs).encode())
    return None if out is None else dict(zip(blobs, _blobs(out, len(blobs)), strict=True))


def _blob_id(data: bytes, like: str) -> str:
    """git's id of a blob holding `data`, hashed as `like` is (SHA-1, or SHA-256 in a repository using it)."""
    return (hashlib.sha1 if len(like) == 40 else hashlib.sha256)(b"blob %d\0%b" % (len(data), data)).hexdigest()


def _read_work(item: Tracked) -> bytes | None:
    try:
        return item.path.read_bytes()
    except OSError:
        return None


def _kept_path(item: Tracked, versions: list[Version], work: bytes | None, today: date,
               cache_dir: Path | None) -> Path | None:
    """Where _walk's result is kept in the cache: by every version it compares (by blob id) and how it reads
    them. A republish changes few of a site's tables, and reading every version of every one was a tenth of
    a rebuild. The day counts only when the work tree differs from the last commit (its edit is dated today)."""
    if cache_dir is None:
        return None
    last = versions[-1][2] if versions else None
    edited = work is not None and (last is None or _blob_id(work, last) != last)
    own = hashlib.sha256(work).hexdigest() if work is not None else None
    key = cache.key(_CODE, item.suppress_below, item.delimiter, item.key, item.area, item.since,
                    [(sha, when.isoformat(), blob) for sha, when, blob in versions], own, today if edited else None)
    return cache_dir / "history" / f"{key}.pickle"


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
        walked = _walked(top, items, today, cache_dir)
        if walked is None:
            continue     # git failed part way: report nothing rather than a half-read history
        for item, (found, seen) in walked:
            revisions[item.id] += found
            published[item.id].update(seen)
    for found in revisions.values():
        found.sort(key=lambda r: (r.when, r.period, r.series))
    return {i: History(revisions[i], published[i]) for i in revisions}


def _walked(top: Path, items: list[tuple[Tracked, str]], today: date, cache_dir: Path | None
            ) -> list[tuple[Tracked, tuple[list[Revision], dict[Key, date]]]] | None:
    """_walk of each item (with its path in the repository at `top`), kept in the cache (_kept_path): the
    versions of only those the cache lacks are read, all in one `git cat-file`. None when git fails."""
    log = _log(top, sorted({rel for _, rel in items}))
    if log is None:
        return None
    done, missing = [], []
    for item, rel in items:
        work = _read_work(item)
        path = _kept_path(item, log[rel], work, today, cache_dir)
        if (kept := cache.found(path)) is not None:
            done.append((item, pickle.loads(kept)))
        else:
            missing.append((item, log[rel], work, path))
    contents = _contents(top, sorted({blob for _, versions, _, _ in missing for _, _, blob in versions if blob}))
    if contents is None:
        return None
    for item, versions, work, path in missing:
        read = [(sha, when, contents.get(blob) if blob else None) for sha, when, blob in versions]
        # Kept only when every version could be read: one git lacks now (a partial clone's, say) may come
        # back under the same id, and the history must then be worked out with it.
        whole = all(data is not None for (_, _, blob), (_, _, data) in zip(versions, read) if blob)
        done.append((item, cache.kept_object(path if whole else None, lambda: _walk(item, read, work, today))))
    return done


def find_revisions(tracked: list[Tracked], today: date) -> dict[str, list[Revision]]:
    """id -> revisions, oldest first (find_history without the publication dates)."""
    return {i: h.revisions for i, h in find_history(tracked, today).items()}
