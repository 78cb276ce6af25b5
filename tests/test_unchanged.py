"""A build that would write what the output already holds does not run (generator/unchanged.py), and a
rebuild from a warm cache writes exactly the bytes a cold build writes."""

from __future__ import annotations

import json
import os
import shutil
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from conftest import (EPOCH, ROOT, committed_project, git, make_measure_package, make_registers, run_dashboard,
                      settings_for, snapshot, up_to_date_measures)
from generator import settings as settings_module
from generator.unchanged import inputs_hash, output_hash

sys.path.insert(0, str(ROOT / "bench"))
from scale import make_council  # noqa: E402


def _project(tmp_path: Path) -> Path:
    return committed_project(tmp_path, {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"})


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_a_second_build_with_nothing_changed_leaves_the_output_alone_and_says_so(tmp_path):
    project = _project(tmp_path)
    first = run_dashboard("build", "--output", "output", cwd=project)
    assert first.returncode == 0 and "Built " in first.stderr, first.stderr
    before = _stamps(project / "output")
    second = run_dashboard("build", "--output", "output", cwd=project)
    assert second.returncode == 0, second.stderr
    assert "Nothing changed since the last build" in second.stderr
    assert "[warning:missing-commentary]" in second.stdout and first.stdout.startswith(second.stdout)   # warnings again
    assert _stamps(project / "output") == before         # not a file rewritten

    forced = run_dashboard("build", "--output", "output", "--rebuild", cwd=project)
    assert "Built " in forced.stderr
    (project / "output/index.html").write_text("edited by hand")
    assert "Built " in run_dashboard("build", "--output", "output", cwd=project).stderr
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,9\n"})
    rebuilt = run_dashboard("build", "--output", "output", cwd=project)
    assert "Built " in rebuilt.stderr
    assert (project / "output/measures/homes/homes.csv").read_text().splitlines()[-1] == "2024-03,9"


def test_downloads_are_dated_by_their_data_so_another_day_takes_them_from_the_cache(tmp_path):
    """CI builds on a new day after every update: a workbook and the zip of every package are stamped with
    the day their figures last changed (the commit), not the day of the build."""
    project = _project(tmp_path)
    days = {"one": "1795564800", "two": "1795651200"}          # 25 and 26 November 2026
    for name, epoch in days.items():
        result = run_dashboard("build", "--output", name, cwd=project, env={"SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.stdout + result.stderr
    one, two = snapshot(project / "one"), snapshot(project / "two")
    same = ["measures/homes/homes.xlsx", "data/measures/measures.xlsx", "data/all.zip", "data/all.sqlite"]
    assert [one[name] == two[name] for name in same] == [True] * len(same)
    assert one["index.html"] != two["index.html"]               # "Built on" the day of each build
    book = openpyxl.load_workbook(project / "two/measures/homes/homes.xlsx")
    assert book.properties.created == datetime(2025, 1, 15)
    notes = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert notes.get("Last updated") == "2025-01-15" and "Published" not in notes
    with zipfile.ZipFile(project / "two/data/all.zip") as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 15, 0, 0, 0)}


def _made_a_minute_ago(cache_dir: Path) -> None:
    """Every kept file timed a minute back: a build prunes only what is older than its start less a second's
    slack for the clocks, and on a fast machine the previous build's last files are not (they stayed)."""
    back = datetime.now().timestamp() - 60
    for path in cache_dir.rglob("*"):
        os.utime(path, (back, back))


def _kept_files(cache_dir: Path) -> dict[str, int]:
    """Every file in the build cache but the builds' records, with its inode (a file made again has a new one)."""
    return {p.relative_to(cache_dir).as_posix(): p.stat().st_ino for p in cache_dir.rglob("*")
            if p.is_file() and p.relative_to(cache_dir).parts[0] != "builds"}


def test_a_build_removes_from_the_cache_what_it_did_not_use_and_keeps_all_it_did(tmp_path):
    project = _project(tmp_path)
    cache_dir = project / ".cache/charts"
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    first = _kept_files(cache_dir)
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,9\n"})
    _made_a_minute_ago(cache_dir)
    changed = run_dashboard("build", "--output", "output", cwd=project)
    assert changed.returncode == 0 and "this build did not use from the cache" in changed.stderr, changed.stderr
    second = _kept_files(cache_dir)
    gone = sorted(set(first) - set(second))
    # The changed table's validated rows, chart and downloads went; the registers' rows stayed.
    assert any(name.startswith("rows/") for name in gone) and any(name.endswith(".svg") for name in gone)
    assert len([n for n in second if n.startswith("rows/")]) == len([n for n in first if n.startswith("rows/")])
    assert len(second) <= len(first)
    _made_a_minute_ago(cache_dir)
    forced = run_dashboard("build", "--output", "output", "--rebuild", cwd=project)
    assert forced.returncode == 0 and "did not use" not in forced.stderr, forced.stderr
    assert _kept_files(cache_dir) == second          # all it needed was kept: nothing made again or removed


def _change_data(project: Path) -> None:
    path = project / "data/measures/homes.csv"
    path.write_text(path.read_text().replace("2024-03,6", "2024-03,8"))    # same size


def _add_commentary(project: Path) -> None:
    (project / "content/commentary").mkdir(parents=True, exist_ok=True)
    (project / "content/commentary/homes-2024-04-02.md").write_text(
        "Measure: homes\nAuthor: A. Officer\nDate: 2024-04-02\nPeriod: 2024-03\n\nMarch was lower.\n")


def _commit_nothing(project: Path) -> None:
    git(project, "commit", "-q", "--allow-empty", "-m", "an empty commit: revisions and dates are read from history")


def _settings_changed(project: Path) -> None:
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write('\nDASHBOARD_COUNCIL = "Another Council"\n')


@pytest.mark.parametrize("change", [_change_data, _add_commentary, _commit_nothing, _settings_changed])
def test_anything_a_build_reads_changes_its_inputs(tmp_path, monkeypatch, change):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    before = inputs_hash(settings_module.read(project / "pelicanconf.py"))
    change(project)
    assert inputs_hash(settings_module.read(project / "pelicanconf.py")) != before


def test_a_council_theme_is_an_input(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    shutil.copytree(ROOT / "theme", project / "theme")
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write('\nTHEME = "theme"\n')
    before = inputs_hash(settings_module.read(project / "pelicanconf.py"))
    with open(project / "theme/static/css/site.css", "a") as fh:
        fh.write("\n/* a council's own touch */\n")
    assert inputs_hash(settings_module.read(project / "pelicanconf.py")) != before


def test_the_build_moment_and_the_command_line_are_inputs(tmp_path, monkeypatch):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    settings = settings_module.read(project / "pelicanconf.py")
    before = inputs_hash(settings)
    assert inputs_hash(settings) == before
    assert inputs_hash(settings.replace(strict=True)) != before
    assert inputs_hash(settings.replace(preview=True)) != before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564801")
    assert inputs_hash(settings) != before


def test_the_output_listing_sees_a_file_removed_or_touched(tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "a/index.html").write_text("one")
    (out / "b.txt").write_text("two")
    first = output_hash(out)
    assert output_hash(out) == first
    (out / "b.txt").unlink()
    assert output_hash(out) != first
    assert output_hash(tmp_path / "none") is None


@pytest.mark.xdist_group("incremental")
def test_a_rebuild_after_changes_writes_exactly_what_a_cold_build_writes(tmp_path):
    """The example with a few synthetic measures: built, then a CSV, a commentary file and another table's
    description changed and rebuilt from the warm cache, against a cold build of the changed project with a cache
    of its own."""
    folder = tmp_path / "council"
    folder.mkdir()
    example = len(json.loads((ROOT / "data/measures/datapackage.json").read_text())["resources"])
    make_council(folder, example + 3)
    warm = run_dashboard("build", "--settings", "pelicanconf.py", "--output", "warm", cwd=folder)
    assert warm.returncode == 0, warm.stdout + warm.stderr
    csv = folder / "data/synthetic/synthetic-0002.csv"
    csv.write_text(csv.read_text() + "2026-10,41.5,provisional,\n")
    note = folder / "content/commentary/synthetic-0002-2026-10-05.md"
    note.write_text(note.read_text() + "\nOne more sentence.\n")
    descriptor = folder / "data/synthetic/datapackage.json"        # another table's description, as shown
    package = json.loads(descriptor.read_text())
    package["resources"][2]["description"] = "A synthetic measure, described again."
    descriptor.write_text(json.dumps(package, indent=1))
    again = run_dashboard("build", "--settings", "pelicanconf.py", "--output", "warm", cwd=folder)
    assert again.returncode == 0 and "Built " in again.stderr, again.stdout + again.stderr
    (folder / "cold.py").write_text("import sys\nsys.path.insert(0, '.')\nfrom pelicanconf import *  # noqa\n"
                                    "DASHBOARD_CACHE_PATH = '.cache/cold'\n")
    cold = run_dashboard("build", "--settings", "cold.py", "--output", "cold", cwd=folder)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    one, two = snapshot(folder / "warm"), snapshot(folder / "cold")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert "2026-10,41.5" in (folder / "warm/measures/synthetic-0002/synthetic-0002.csv").read_text()


def _rows(sources) -> dict[str, list]:
    return {rr.name: [(r.number, r.cells, r.values) for r in rr.rows] for pkg in sources for rr in pkg.resources}


def test_validated_rows_are_kept_and_a_changed_file_is_validated_again(tmp_path, monkeypatch):
    from generator.ingest import read
    data, kept = tmp_path / "data", tmp_path / "cache"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n"})
    read.read_sources(data, 100, kept)
    assert not kept.exists()                                 # only a build keeps what it read
    first = read.read_sources(data, 100, kept, keep=True)
    assert first[0].problems == [] and len(list((kept / "rows").glob("*.pickle"))) == 4   # 3 registers, 1 measure

    validated = []
    monkeypatch.setattr(read, "_validate_and_read", lambda *args: validated.append(args))
    for path in kept.rglob("*.pickle"):
        os.utime(path, (0, 0))
    assert _rows(read.read_sources(data, 100, kept)) == _rows(first)         # read from the cache by a check...
    assert {p.stat().st_mtime for p in kept.rglob("*.pickle")} == {0}         # ...which writes nothing, not a time
    again = read.read_sources(data, 100, kept, keep=True)
    assert validated == [] and _rows(again) == _rows(first)                   # every resource from the cache
    assert 0 not in {p.stat().st_mtime for p in kept.rglob("*.pickle")}       # a build marks what it used

    (data / "measures/homes.csv").write_text("period,value\n2024-01,5\n2024-02,seven\n")
    monkeypatch.undo()
    changed = read.read_sources(data, 100, kept, keep=True)
    assert [(p.type, p.row, p.field) for pkg in changed for p in pkg.problems] == [("type-error", 3, "value")]
    assert len(list((kept / "rows").glob("*.pickle"))) == 4                 # a table with problems is not kept


def test_a_changed_table_is_validated_in_a_package_of_it_and_the_tables_it_refers_to(tmp_path, monkeypatch):
    """frictionless opens a package of a thousand tables in seconds: a rebuild opens one of the tables that
    changed and those their foreign keys refer to, and finds what the whole package finds."""
    from generator.ingest import read
    data, kept = tmp_path / "data", tmp_path / "cache"
    pkg = data / "p"
    pkg.mkdir(parents=True)
    plain = {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]}
    refers = {**plain, "foreignKeys": [{"fields": ["id"], "reference": {"resource": "codes", "fields": ["id"]}}]}
    tables = {"codes": plain, "uses": refers, "other": plain, "more": plain}
    for name in tables:
        (pkg / f"{name}.csv").write_text("id,n\na,1\nb,2\n")
    (pkg / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [
        {"name": name, "path": f"{name}.csv", "schema": schema} for name, schema in tables.items()]}))

    def problems(cache_dir=kept):
        sources = read.read_sources(data, 100, cache_dir, keep=True)
        return sorted((p.type, p.row, p.field) for pkg in sources for p in pkg.problems)

    assert problems() == []
    opened = []
    package = read.Package
    monkeypatch.setattr(read, "Package", lambda d, **kw: opened.append([r["name"] for r in d["resources"]])
                        or package(d, **kw))
    (pkg / "uses.csv").write_text("id,n\na,1\nz,2\n")                  # z is not among the codes
    assert problems() == [("foreign-key", 3, None)] == problems(None)
    assert opened == [["codes", "uses"], ["codes", "uses", "other", "more"]]   # the rebuild's; the cold read's
    opened.clear()
    (pkg / "more.csv").write_text("id,n\na,1\nb,two\n")
    assert problems() == [("foreign-key", 3, None), ("type-error", 3, "n")] == problems(None)
    assert opened[0] == ["codes", "uses", "more"]       # a table with problems is never kept: read again too


def test_a_table_unchanged_is_not_checked_again_and_its_problems_still_show(tmp_path, monkeypatch):
    from generator.ingest import checks, guards, read
    data, kept = tmp_path / "data", tmp_path / "cache"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-01,7\n",      # a period given twice
                                "visits": "period,value\n2024-01,50\n2024-02,51\n"})
    urls = settings_for(data).urls()

    def problems(cache_dir=kept):
        sources = read.read_sources(data, 100, kept, keep=True)
        return sorted((p.type, p.row, p.field) for p in checks.check(sources, [], urls, cache_dir))

    first = problems()
    assert ("duplicate-period", 3, "period") in first and first == problems(None)
    checked = []
    measure, guard = checks._check_measure, guards.check
    monkeypatch.setattr(checks, "_check_measure", lambda pkg, rr, reg: checked.append(rr.name) or measure(pkg, rr, reg))
    monkeypatch.setattr(guards, "check", lambda rr: checked.append(rr.name) or guard(rr))
    assert problems() == first and checked == []                  # from the cache, problems and all
    (data / "measures/visits.csv").write_text("period,value\n2024-01,50\n2024-02,\n")     # a value left blank
    again = problems()
    assert sorted(set(checked)) == ["visits"] and again == problems(None)
    assert sorted(set(again) - set(first)) == [("missing-reason", 3, "value")]
    checked.clear()
    make_registers(data, purposes=("somewhere-else",))               # the measures' purpose is gone
    moved = problems()
    assert {"homes", "visits"} <= set(checked)                      # a register is an input of every measure's
    assert ("unknown-purpose", None, "dashboard.purposes") in moved and moved == problems(None)


def test_an_unchanged_tables_model_is_kept_and_its_rows_as_read_never_unpickled(tmp_path, monkeypatch):
    """A table's model (published rows, and its measure) is kept under its rows_key and where it is: a
    rebuild models only the table that changed, and leaves the others' rows as read in the cache unread."""
    from generator.ingest import build, read
    licence = {"name": "OGL-UK-3.0"}
    data, kept = tmp_path / "data", tmp_path / "cache"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n",
                                "visits": "period,value\n2024-01,50\n2024-02,51\n"})

    def modelled(folder: Path = data, cache_dir: Path | None = kept):
        sources = read.read_sources(folder, 100, cache_dir, keep=True)
        site = build.build_site(sources, [], licence, None, None, cache_dir)
        return {rr.name: rr for pkg in sources for rr in pkg.resources}, site

    _, first = modelled()
    made = []
    measure_from = build.measure_from
    monkeypatch.setattr(build, "measure_from", lambda pkg, rr, table: made.append(rr.name) or measure_from(pkg, rr, table))
    read_as, again = modelled()
    assert made == [] and again.measures == first.measures and again.datasets == first.datasets
    assert read_as["homes"].rows._held._data is not None           # never unpickled
    (data / "measures/visits.csv").write_text("period,value\n2024-01,50\n2024-02,52\n")
    _, changed = modelled()
    assert made == ["visits"] and changed.measures == modelled(cache_dir=None)[1].measures
    assert changed.measures["homes"] == first.measures["homes"] != first.measures["visits"]
    shutil.copytree(data, tmp_path / "moved")                      # the same bytes, somewhere else
    _, moved = modelled(tmp_path / "moved")
    assert moved.measures["homes"].source_path == (tmp_path / "moved/measures/homes.csv")


def _kept_measure_pages(project: Path) -> dict[str, int]:
    """The measure pages kept in the project's build cache, by measure, with their inodes (a page rendered
    again is kept in a new file)."""
    from generator.site.generator import _read_kept
    found = {}
    for path in (project / ".cache/charts/pages").glob("*.pickle"):
        twin = json.loads(_read_kept(path)[0])
        if "spc" in twin:
            found.setdefault(twin["id"], set()).add(path.stat().st_ino)
    return found


@pytest.mark.xdist_group("incremental")
def test_a_measures_page_is_kept_while_what_it_is_made_from_is_unchanged(tmp_path):
    """Each measure's page is written from the cache, its view not even made, while the measure (its rows,
    commentary, history...), the registers and the rest it is made from are unchanged: on the next day too,
    as its summary says the same. What changes renders again only the pages it is part of, and the site is
    byte for byte a cold build's."""
    project = committed_project(tmp_path, up_to_date_measures("homes", "visits"))

    def build(output: str, day: int = 0, settings: str = "pelicanconf.py") -> dict[str, set[int]]:
        built = run_dashboard("build", "--settings", settings, "--output", output, "--rebuild", cwd=project,
                              env={"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400 * day)})
        assert built.returncode == 0, built.stdout + built.stderr
        return _kept_measure_pages(project)

    first = build("output")
    assert sorted(first) == ["homes", "visits"]
    assert build("output", day=1) == first                               # the next day: neither rendered again

    commentary = project / "content/commentary"
    commentary.mkdir(parents=True)
    (commentary / "visits--2026-11-20.md").write_text("Measure: visits\nAuthor: A Officer\nRole: Manager\n"
                                                      "Date: 2026-11-20\nPeriod: 2026-10\n\nBusier than usual.\n")
    noted = build("output", day=1)
    assert noted["homes"] == first["homes"] and noted["visits"] - first["visits"]     # its page alone
    purposes = project / "data/organisation/purposes.csv"
    purposes.write_text(purposes.read_text().replace("Somewhere-To-Live", "Somewhere to call home"))
    renamed = build("output", day=1)
    assert renamed["homes"] - noted["homes"] and renamed["visits"] - noted["visits"]   # both show its title
    assert "Somewhere to call home" in (project / "output/measures/homes/index.html").read_text()

    (project / "cold.py").write_text("import sys\nsys.path.insert(0, '.')\nfrom pelicanconf import *  # noqa\n"
                                     "DASHBOARD_CACHE_PATH = ''\n")
    build("cold", day=1, settings="cold.py")
    one, two = snapshot(project / "output"), snapshot(project / "cold")
    assert sorted(one) == sorted(two) and [name for name in one if one[name] != two[name]] == []
