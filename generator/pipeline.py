"""Load → validate → model, once per build, shared by the CLI and the Pelican plugin."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import ConfigError, DataError, Problem
from .history import last_changed
from .load import build_site, read_commentary, read_sources
from .model import Site
from .validate import check, errors_in


@dataclass
class Loaded:
    site: Site | None
    problems: list[Problem]


def now() -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except ValueError:
            raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{epoch}'.") from None
    return datetime.fromtimestamp(time.time(), tz=timezone.utc)


def today() -> date:
    return now().date()


_memo: dict[tuple, Loaded] = {}


def _fingerprint(*folders: Path | None) -> tuple:
    """Every file's path, size and mtime: a load is reused only while nothing changed."""
    out = []
    for folder in folders:
        if folder and folder.is_dir():
            out.extend((str(p), st.st_size, st.st_mtime_ns) for p in sorted(folder.rglob("*"))
                       if p.is_file() and (st := p.stat()))
    return tuple(out)


def load(data_dir: Path, commentary_dir: Path | None, default_license: dict, strict: bool = False) -> Loaded:
    """Validate everything; build the model only when there is no error.

    The CLI validates before Pelican starts and the plugin asks again inside Pelican;
    the second call is answered from memory when no file changed.
    """
    if not data_dir.is_dir():
        raise ConfigError(f"Data folder '{data_dir}' does not exist.")
    key = (str(data_dir.resolve()), str(commentary_dir.resolve()) if commentary_dir else None, strict,
           repr(default_license), _fingerprint(data_dir, commentary_dir))
    if key not in _memo:
        _memo.clear()
        _memo[key] = _load(data_dir, commentary_dir, default_license, strict)
    return _memo[key]


def _load(data_dir: Path, commentary_dir: Path | None, default_license: dict, strict: bool) -> Loaded:
    sources = read_sources(data_dir)
    commentary, problems = read_commentary(commentary_dir) if commentary_dir else ([], [])
    problems = problems + check(sources, commentary, strict=strict)
    problems.sort(key=lambda p: (p.warning, p.path, p.row or 0, p.field or "", p.type))
    if errors_in(problems):
        return Loaded(None, problems)
    site = build_site(sources, commentary, default_license)
    changed = last_changed(data_dir, today())
    for measure in site.measures.values():
        measure.updated = changed.get(measure.source_path.resolve())
    return Loaded(site, problems)


def load_or_raise(data_dir: Path, commentary_dir: Path | None, default_license: dict, strict: bool = False) -> Loaded:
    loaded = load(data_dir, commentary_dir, default_license, strict)
    if loaded.site is None:
        raise DataError(errors_in(loaded.problems))
    return loaded
