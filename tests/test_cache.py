"""The build cache (generator/cache.py): what a build finds is marked used, and what it did not use goes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator import cache


def _name(word: str, suffix: str) -> str:
    """A name as the cache gives one: a hash, then its suffix."""
    return f"{hashlib.sha256(word.encode()).hexdigest()}.{suffix}"


def _old(path: Path, text: str = "x") -> Path:
    """A file last used a day ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (path.stat().st_atime - 86400, path.stat().st_mtime - 86400))
    return path


def test_a_file_found_is_marked_used_and_prune_removes_only_what_no_build_since_used(tmp_path):
    kept = tmp_path / "cache"
    unused, used = _old(kept / "rows" / _name("a", "pickle"), "abc"), _old(kept / "specs" / _name("b", "json"))
    half = _old(kept / "xlsx" / f".{_name('c', 'xlsx')}.4242.tmp", "half")      # a killed build's
    record = _old(kept / "builds/0123456789abcdef.json")
    since = cache.started(kept)
    assert list((kept / "builds").iterdir()) == [record]                       # the build's mark is gone
    assert cache.hit(used) and not cache.hit(kept / "specs/missing.json") and not cache.hit(None)
    assert not cache.hit(kept / "specs")                                  # a folder is not a kept file
    made = kept / "xlsx" / _name("d", "xlsx")
    cache.keep(made, b"new")
    assert cache.kept(kept / "pdf" / _name("e", "pdf"), lambda: b"made") == b"made"    # made now: kept
    assert cache.prune(kept, since) == (2, 7)
    assert not unused.exists() and not half.exists() and used.exists() and made.exists()
    assert record.exists()                  # another output folder's record of its last build
    assert cache.prune(kept, since) == (0, 0) and cache.prune(None, since) == (0, 0)
    assert cache.prune(tmp_path / "none", since) == (0, 0) and cache.started(None) == 0.0


def test_prune_removes_only_files_named_as_the_cache_names_them(tmp_path):
    """A cache folder set by mistake to the project's own loses none of the project's files."""
    project = tmp_path / "project"
    others = [_old(project / "data/measures/homes.csv"), _old(project / "pelicanconf.py"),
              _old(project / ".git/objects/ab" / _name("f", "pack")), _old(project / "notes" / "draft.json")]
    ours = _old(project / "specs" / _name("g", "json"))
    assert cache.prune(project, cache.started(project)) == (1, 1)
    assert not ours.exists() and all(p.exists() for p in others)


def test_kept_and_copied_mark_what_they_find_and_make_what_went_meanwhile(tmp_path, monkeypatch):
    kept = tmp_path / "cache"
    found, copied = _old(kept / "analyses" / _name("a", "pickle"), "a"), _old(kept / "everything" / _name("b", "zip"), "b")
    since = cache.started(kept)
    assert cache.kept(found, lambda: b"never made") == b"a"
    cache.copied(copied, tmp_path / "out/b.zip", lambda target: target.write_text("never made"))
    assert (tmp_path / "out/b.zip").read_text() == "b"
    assert cache.prune(kept, since) == (0, 0)
    # Another build sharing the cache removed a file between its hit and its reading: it is made again.
    monkeypatch.setattr(cache, "hit", lambda path: True)
    found.unlink()
    copied.unlink()
    assert cache.kept(found, lambda: b"again") == b"again" and found.read_bytes() == b"again"
    cache.copied(copied, tmp_path / "out/b.zip", lambda target: target.write_text("again"))
    assert copied.read_text() == "again"


def test_slotted_values_pickle_as_their_class_called_with_their_values():
    """Observations, payments and SPC phases and signals are kept in the cache by the thousand: each comes back
    equal, made by its class (no field lost, none out of order)."""
    import copy
    import pickle
    from datetime import date
    from decimal import Decimal
    from fractions import Fraction
    from generator.analysis.spc import Phase, Signal
    from generator.domain.model import Observation
    from generator.domain.periods import parse_period
    from generator.domain.spending import Payment
    values = [Observation(parse_period("2024-01"), Decimal("5.5"), "5.5", None, "provisional", Decimal(6), "a note", 3,
                          ("E05007859", "16-24")),
              Phase(0, 11, 12, Fraction(7, 3), Fraction(1, 9)), Signal(4, "shift", "concern", True, 2, 9),
              Payment(date(2025, 4, 2), "housing", "Repairs", "S1", "Acme Ltd", Decimal("1200.50"), "T1", "revenue",
                      False, "spending", 2)]
    for value in values:
        again = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(again) is type(value) and again == value and copy.copy(value) == value
        assert [getattr(again, f) for f in value.__slots__] == [getattr(value, f) for f in value.__slots__]


class _Loud:
    """A filter that is an object (as Pelican's strftime is): the same in every build, whatever its address."""

    def __init__(self, mark: str):
        self.mark = mark

    def __call__(self, text: str) -> str:
        return text.upper() + self.mark


def test_a_template_is_compiled_once_and_again_when_what_compiles_it_changes(tmp_path, monkeypatch):
    """Jinja's compiled code is kept (site/compiled.py): another build reads it, but a template changed, or
    compiled with other options (a council's Pelican settings may turn autoescaping off) or another filter
    (one given a constant runs as the template compiles: its result is in the code), is compiled again."""
    from jinja2 import Environment, FileSystemLoader
    from generator.site.compiled import KeptTemplates
    page = tmp_path / "templates/page.html"
    page.parent.mkdir()
    page.write_text('<p>{{ x }} {{ "abc"|loud }}</p>')

    def rendered(loud=_Loud("!"), **options) -> str:
        env = Environment(loader=FileSystemLoader(page.parent), **options)     # a build's own
        env.filters["loud"] = loud
        env.bytecode_cache = KeptTemplates(tmp_path / "cache/templates", env)
        return env.get_template("page.html").render(x="<b>")
    compiled, compile_ = [], Environment.compile
    monkeypatch.setattr(Environment, "compile", lambda self, *a, **k: compiled.append(1) or compile_(self, *a, **k))
    assert rendered(autoescape=True) == rendered(autoescape=True) == "<p>&lt;b&gt; ABC!</p>"
    assert len(compiled) == 1
    assert rendered(autoescape=False) == "<p><b> ABC!</p>" and len(compiled) == 2
    assert rendered(_Loud("?"), autoescape=True) == "<p>&lt;b&gt; ABC?</p>" and len(compiled) == 3
    assert rendered(lambda t: t.lower(), autoescape=True) == "<p>&lt;b&gt; abc</p>" and len(compiled) == 4
    page.write_text("<p>{{ x }}.</p>")
    assert rendered(autoescape=True) == rendered(autoescape=True) == "<p>&lt;b&gt;.</p>" and len(compiled) == 5


def test_every_template_a_build_could_load_keeps_its_compiled_code(tmp_path):
    """A build whose pages of a kind were all kept never loads their template: its compiled code is marked
    used all the same (the next build may need it), and only what no template needs any longer is pruned."""
    from jinja2 import Environment, FileSystemLoader
    from generator.site.compiled import KeptTemplates
    folder, kept = tmp_path / "templates", tmp_path / "cache"
    folder.mkdir()
    for name in ("a.html", "b.html"):
        (folder / name).write_text(f"<p>{name}</p>")

    def environment(**options) -> Environment:
        env = Environment(loader=FileSystemLoader(folder), **options)
        env.bytecode_cache = KeptTemplates(kept / "templates", env)
        return env
    first = environment(autoescape=True)
    first.get_template("a.html"), first.get_template("b.html")
    environment(autoescape=False).get_template("a.html")            # compiled otherwise, once
    for path in (kept / "templates").iterdir():
        os.utime(path, (0, 0))
    since = cache.started(kept)
    environment(autoescape=True).get_template("a.html")
    assert cache.prune(kept, since)[0] == 1                         # the other options' a.html
    assert len(list((kept / "templates").iterdir())) == 2


def test_two_threads_keeping_one_file_at_once_both_succeed(tmp_path):
    """Two threads of a build may keep the same file at once: each writes its own temporary file."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    path, both_written = tmp_path / _name("template", "json"), threading.Barrier(2)

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"{}")
        both_written.wait(5)        # neither renames its file before the other has written its own
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: cache.written(path, write), range(2)))
    assert path.read_bytes() == b"{}" and [p.name for p in tmp_path.iterdir()] == [path.name]
