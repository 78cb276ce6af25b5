"""Files carried over from the site a build replaces (generator/publish/carried.py): linked, not written again,
only while made from the same key and untouched since the build that wrote them."""

from __future__ import annotations

import errno
import os
import pickle
from pathlib import Path

import pytest

from conftest import EPOCH, committed_project, run_dashboard, snapshot, up_to_date_measures
from generator import cache
from generator.errors import BuildError
from generator.publish import carried as carried_module
from generator.publish.carried import Carried
from generator.publish.files import write_text


def _next(tmp_path: Path, files: dict[str, tuple[str, str]], record: Path) -> tuple[Path, Path]:
    """An output as _built leaves it, and an empty folder for the next build."""
    out = _built(tmp_path, files, record)
    stage = tmp_path / "next"
    stage.mkdir()
    return out, stage


def _built(tmp_path: Path, files: dict[str, tuple[str, str]], record: Path) -> Path:
    """An output folder as a build with a record leaves it: `files` (text and key, by path) written, then
    recorded."""
    out = tmp_path / "output"
    built = Carried(out, tmp_path / "stage", record)
    for path, (text, key) in files.items():
        write_text(tmp_path / "stage", path, text)
        built.wrote(path, key)
    built.save()
    (tmp_path / "stage").rename(out)
    return out


@pytest.fixture
def record(tmp_path) -> Path:
    return tmp_path / "cache" / "builds" / "record.files"


def test_a_file_made_from_the_same_key_is_linked_over(tmp_path, record):
    out, stage = _next(tmp_path, {"a/index.html": ("A", "ka"), "b.json": ("B", "kb")}, record)
    carried = Carried(out, stage, record)
    assert carried.carry({"a/index.html": "ka"})
    assert (stage / "a/index.html").stat().st_ino == (out / "a/index.html").stat().st_ino
    assert not carried.carry({"b.json": "changed"}) and not (stage / "b.json").exists()
    assert not carried.carry({"missing.txt": "ka"})
    assert not carried.carry({"a/index.html": "ka"})          # a path is carried once
    assert carried.linked == 1


def test_a_carried_files_size_facts_and_digest_are_the_records(tmp_path, record, monkeypatch):
    """A chart carried over keeps the width and height its writer noted, and a SHA256SUMS the digest worked
    out in the build that wrote it: neither file is read again."""
    out = tmp_path / "output"
    first = Carried(out, tmp_path / "stage", record)
    assert first.file("chart.svg", "k", lambda: write_text(tmp_path / "stage", "chart.svg", "<svg/>")) == 6
    first.wrote("chart.svg", "k", ("640", "240"))
    digest = first.digest("chart.svg")
    first.save()
    (tmp_path / "stage").rename(out)
    monkeypatch.setattr(cache, "file_digest", lambda path: pytest.fail(f"{path} was read"))
    stage = tmp_path / "next"
    stage.mkdir()
    carried = Carried(out, stage, record)
    assert carried.file("chart.svg", "k", lambda: pytest.fail("written again")) == 6
    assert carried.facts("chart.svg") == ("640", "240") and carried.digest("chart.svg") == digest


def test_files_are_carried_all_together_or_none(tmp_path, record):
    out, stage = _next(tmp_path, {"page.html": ("P", "k"), "page.json": ("J", "k")}, record)
    carried = Carried(out, stage, record)
    assert not carried.carry({"page.html": "k", "page.json": "other"})
    assert list(stage.iterdir()) == []


@pytest.mark.parametrize("touch", [
    lambda p: p.write_text("edited"),                                 # another size
    lambda p: p.write_text("X"),                                      # the same size, in place
    lambda p: (p.unlink(), p.write_text("P")),                        # the same bytes, another file
    lambda p: os.utime(p, ns=(0, 0)),                                 # only its time
])
def test_a_file_changed_since_its_build_is_not_carried(tmp_path, record, touch):
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    touch(out / "page.html")
    assert not Carried(out, stage, record).carry({"page.html": "k"})


def test_nothing_is_carried_without_a_record_a_cache_or_into_the_output_itself(tmp_path, record):
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    assert not Carried(out, stage, None).carry({"page.html": "k"})
    assert not Carried(out, stage, tmp_path / "no-record").carry({"page.html": "k"})
    for junk in (b"not a record", pickle.dumps((carried_module._VERSION, {"page.html": 1})),
                 pickle.dumps((carried_module._VERSION, ["page.html"])), pickle.dumps(None)):
        record.write_bytes(junk)
        assert not Carried(out, stage, record).carry({"page.html": "k"})
    assert not Carried(out, out, record).carry({"page.html": "k"})       # Pelican run alone, in place


def test_a_carried_file_keeps_its_record_so_one_written_through_is_not_carried_again(tmp_path, record):
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    carried = Carried(out, stage, record)
    assert carried.carry({"page.html": "k"})
    carried.save()
    with open(stage / "page.html", "a") as f:          # a mistake: written through the link
        f.write("more")
    os.rename(out, tmp_path / "old")
    stage.rename(out)
    again = tmp_path / "again"
    again.mkdir()
    assert not Carried(out, again, record).carry({"page.html": "k"})


def test_a_file_written_after_it_was_carried_is_recorded_as_written(tmp_path, record):
    out, stage = _next(tmp_path, {"twin.json": ("T", "k")}, record)
    carried = Carried(out, stage, record)
    assert carried.carry({"twin.json": "k"})
    old = carried.digest("twin.json")
    (stage / "twin.json").unlink()
    write_text(stage, "twin.json", "another")
    carried.wrote("twin.json", "k2")            # written again: its digest is the new file's
    assert carried.digest("twin.json") != old


def test_a_written_files_digest_is_read_once_until_it_is_written_again(tmp_path, record, monkeypatch):
    """all.zip's list and a SHA256SUMS both ask for a new file's digest: read once; written again, read again."""
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    carried = Carried(out, stage, record)
    write_text(stage, "table.csv", "a\n1\n")
    carried.wrote("table.csv", "k")
    read = []
    digest = cache.file_digest
    monkeypatch.setattr(cache, "file_digest", lambda path: read.append(path.name) or digest(path))
    first = carried.digest("table.csv")
    assert carried.digest("table.csv") == first and read == ["table.csv"]
    write_text(stage, "table.csv", "a\n2\n")
    carried.wrote("table.csv", "k2")
    assert carried.digest("table.csv") != first and read == ["table.csv", "table.csv"]


def test_a_digest_read_while_its_file_was_written_again_is_not_recorded(tmp_path, record, monkeypatch):
    """The whole site's downloads ask for digests from a thread of their own: a file written again (by the
    build's main thread) while its digest was read keeps no digest of what was there before."""
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    carried = Carried(out, stage, record)
    write_text(stage, "table.csv", "a\n1\n")
    carried.wrote("table.csv", "k")
    digest = cache.file_digest

    def read_while_written_again(path: str, text: str, key: str) -> str:
        """carried.digest(path), the file written again (a new file, as the build writes) while it is read."""
        def meanwhile(file):
            found = digest(file)
            (stage / path).unlink()
            write_text(stage, path, text)
            carried.wrote(path, key)
            return found
        monkeypatch.setattr(cache, "file_digest", meanwhile)
        try:
            return carried.digest(path)
        finally:
            monkeypatch.setattr(cache, "file_digest", digest)
    old = read_while_written_again("table.csv", "a\n2\n", "k2")
    assert carried.digest("table.csv") == digest(stage / "table.csv") != old
    # A file carried over, then written again while its digest was read: written, not carried back.
    assert carried.carry({"page.html": "k"}) and carried.linked == 1
    read_while_written_again("page.html", "Q", "k3")
    assert carried.linked == 0 and carried.digest("page.html") == digest(stage / "page.html")


def test_a_carried_file_changed_during_the_build_fails_it(tmp_path, record):
    """One file in both sites: an edit to the old site while the build runs would be in the new one."""
    out, stage = _next(tmp_path, {"page.html": ("P", "k")}, record)
    carried = Carried(out, stage, record)
    assert carried.carry({"page.html": "k"})
    with open(out / "page.html", "a") as f:
        f.write("edited while building")
    with pytest.raises(BuildError, match="was changed while the site was being built"):
        carried.save()


def test_a_file_system_that_cannot_link_turns_carrying_off_and_forgets_the_record(tmp_path, record, monkeypatch):
    out, stage = _next(tmp_path, {"a.html": ("A", "k"), "b.html": ("B", "k")}, record)

    def cannot(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(os, "link", cannot)
    carried = Carried(out, stage, record)
    assert not carried.carry({"a.html": "k"}) and not carried.carry({"b.html": "k"})
    assert carried.file("c.html", "k", lambda: write_text(stage, "c.html", "C")) == 1
    carried.save()
    assert not record.exists() and sorted(p.name for p in stage.iterdir()) == ["c.html"]


def test_writing_a_file_never_writes_through_a_link(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old/page.html").write_text("old site")
    (tmp_path / "new").mkdir()
    os.link(tmp_path / "old/page.html", tmp_path / "new/page.html")
    write_text(tmp_path / "new", "page.html", "new site")
    assert (tmp_path / "old/page.html").read_text() == "old site"
    assert (tmp_path / "new/page.html").read_text() == "new site"


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _kept_downloads(cache: Path) -> set[str]:
    """The downloads a cache keeps (tables' CSVs and JSON, workbooks and their sheets, all.zip and each file in
    it, all.sqlite's parts), by path there."""
    return {p.relative_to(cache).as_posix() for folder in ("published", "xlsx", "everything")
            for p in (cache / folder).rglob("*") if p.is_file()}


def test_a_rebuild_links_the_pages_it_would_write_again_and_makes_the_rest(tmp_path):
    """A measure's page, twin and charts are linked over from the last build, the same day; another day's page, and a
    page edited in the output by hand, are written again; the site is byte for byte a cold build's."""
    project = committed_project(tmp_path, up_to_date_measures("homes", "visits"))

    def build(output: str = "output", day: int = 0, settings: str = "pelicanconf.py") -> dict[str, int]:
        built = run_dashboard("build", "--settings", settings, "--output", output, "--rebuild", cwd=project,
                              env={"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400 * day)})
        assert built.returncode == 0, built.stdout + built.stderr
        return _inodes(project / output)

    page, twin = "measures/homes/index.html", "measures/homes/homes.json"
    first = build()
    kept = _kept_downloads(project / ".cache/charts")
    again = build()
    assert again[page] == first[page] and again[twin] == first[twin]
    assert all(again[f"measures/homes/homes.{kind}"] == first[f"measures/homes/homes.{kind}"]
               for kind in ("svg", "narrow.svg", "vl.json", "csv", "xlsx"))
    downloads = [p for p in first if p.startswith("data/measures/") and p.endswith((".csv", ".xlsx", ".json"))
                 and not p.endswith(("datapackage.json", "index.json"))]   # the package itself, and its page's twin
    assert [p for p in downloads if again[p] != first[p]] == [] and "data/measures/homes.csv" in downloads
    # What they were copied from is still kept, for a build that cannot carry them (another output folder).
    assert _kept_downloads(project / ".cache/charts") == kept != set()
    assert again["measures/visits/index.html"] == first["measures/visits/index.html"]
    with open(project / "output" / page, "a") as f:       # edited in place: the same file, another size
        f.write("<!-- edited -->")
    edited = build()
    assert edited[page] != first[page] and "edited" not in (project / "output" / page).read_text()
    assert edited["measures/visits/index.html"] == first["measures/visits/index.html"]
    tomorrow = build(day=1)
    assert tomorrow[page] != edited[page]

    (project / "cold.py").write_text("import sys\nsys.path.insert(0, '.')\nfrom pelicanconf import *  # noqa\n"
                                     "DASHBOARD_CACHE_PATH = ''\n")
    build("cold", day=1, settings="cold.py")
    one, two = snapshot(project / "output"), snapshot(project / "cold")
    assert sorted(one) == sorted(two) and [name for name in one if one[name] != two[name]] == []


_ANALYSES_PROBE = """
import json
from generator import cli
from generator.site import context

read = []
was = context._Analyses.__getitem__
context._Analyses.__getitem__ = lambda self, measure_id: (read.append(measure_id), was(self, measure_id))[1]
code = cli.main(["build", "--output", "output"])
print(json.dumps({"code": code, "read": sorted(set(read))}))
"""


def test_a_rebuild_reads_the_analyses_of_the_measures_that_changed_only(tmp_path):
    """A measure's analysis is kept pickled (context.Worked): the lists of measures read its verdicts, and a
    rebuild unpickles the analyses of the measures whose pages and charts it makes again, not the others'."""
    import json
    import subprocess
    import sys
    from conftest import ROOT
    project = committed_project(tmp_path, up_to_date_measures("homes", "visits", "bins"))

    def build() -> dict:        # each alike (PYTHONPATH adds the repository's own metadata to the cache's keys)
        probe = subprocess.run([sys.executable, "-c", _ANALYSES_PROBE], cwd=project, capture_output=True, text=True,
                               env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
        assert probe.returncode == 0, probe.stderr
        return json.loads(probe.stdout.splitlines()[-1])
    assert build() == {"code": 0, "read": ["bins", "homes", "visits"]}
    visits = project / "data/measures/visits.csv"
    visits.write_text(visits.read_text().replace("2026-10,10", "2026-10,12"))
    assert build() == {"code": 0, "read": ["visits"]}
