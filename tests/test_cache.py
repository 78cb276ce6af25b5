"""The build cache (generator/cache.py): what a build finds is marked used, and what it did not use goes."""

from __future__ import annotations

import os
from pathlib import Path

from generator import cache


def _old(path: Path, text: str = "x") -> Path:
    """A file last used a day ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (path.stat().st_atime - 86400, path.stat().st_mtime - 86400))
    return path


def test_a_file_found_is_marked_used_and_prune_removes_only_what_no_build_since_used(tmp_path):
    kept = tmp_path / "cache"
    unused, used = _old(kept / "rows/a.pickle", "abc"), _old(kept / "specs/b.json")
    record = _old(kept / "builds/output.json")
    since = cache.started()
    assert cache.hit(used) and not cache.hit(kept / "specs/missing.json") and not cache.hit(None)
    assert not cache.hit(kept / "specs")                                  # a folder is not a kept file
    made = kept / "xlsx/c.xlsx"
    cache.keep(made, b"new")
    assert cache.kept(kept / "pdf/d.pdf", lambda: b"made") == b"made"    # made now: kept
    assert cache.prune(kept, since) == (1, 3)
    assert not unused.exists() and used.exists() and made.exists() and (kept / "pdf/d.pdf").exists()
    assert record.exists()                  # another output folder's record of its last build
    assert cache.prune(kept, since) == (0, 0) and cache.prune(None, since) == (0, 0)
    assert cache.prune(tmp_path / "none", since) == (0, 0)


def test_kept_and_copied_mark_what_they_find(tmp_path):
    kept = tmp_path / "cache"
    found, copied = _old(kept / "analyses/a.pickle", "a"), _old(kept / "everything/b.zip", "b")
    since = cache.started()
    assert cache.kept(found, lambda: b"never made") == b"a"
    cache.copied(copied, tmp_path / "out/b.zip", lambda target: target.write_text("never made"))
    assert (tmp_path / "out/b.zip").read_text() == "b"
    assert cache.prune(kept, since) == (0, 0)
