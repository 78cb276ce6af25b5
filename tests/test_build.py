"""`dashboard build`: the example site end to end, and builds that must not replace a good site."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from frictionless import Package

from conftest import (EPOCH, ROOT, example_settings, make_measure_package, make_project, make_registers, run_dashboard,
                      snapshot)

site_group = pytest.mark.xdist_group("site")


@site_group
@pytest.mark.parametrize("page", [
    "index.html", "about/index.html", "accessibility/index.html", "measures/index.html",
    "measures/benefit-new-claim-time/index.html", "purposes/somewhere-to-live/index.html",
    "purposes/enabling/index.html", "services/index.html", "services/benefits/index.html",
    "localities/index.html", "localities/abbey/index.html", "data/index.html", "data/measures/index.html",
    "how-to-read-charts/index.html",
    "sitemap.xml", "feeds/all.atom.xml", "theme/css/site.css",
])
def test_every_page_type_is_built(site, page):
    assert (site / page).is_file()


@site_group
def test_every_measure_has_its_page_and_downloads(site):
    descriptor = json.loads((ROOT / "data/measures/datapackage.json").read_text())
    for resource in descriptor["resources"]:
        mid = resource["name"]
        for suffix in ("/index.html", f"/{mid}.csv", f"/{mid}.json", f"/{mid}.vl.json", f"/{mid}.svg",
                       f"/{mid}.narrow.svg"):
            assert (site / "measures" / f"{mid}{suffix}").is_file(), mid + suffix


@site_group
def test_every_purpose_service_and_locality_has_a_page(site):
    for register, folder in (("purposes", "purposes"), ("services", "services"), ("localities", "localities")):
        with open(ROOT / "data/organisation" / f"{register}.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert (site / folder / row["id"] / "index.html").is_file(), (register, row["id"])


@site_group
def test_published_packages_are_valid_frictionless(site):
    descriptors = sorted((site / "data").glob("*/datapackage.json"))
    assert {d.parent.name for d in descriptors} >= {"measures", "organisation", "demographics"}
    for descriptor in descriptors:
        report = Package(str(descriptor)).validate()
        assert report.valid, (descriptor, report.flatten(["rowNumber", "fieldName", "type", "message"]))


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _thresholds() -> dict[str, int | None]:
    descriptor = json.loads((ROOT / "data/measures/datapackage.json").read_text())
    return {r["name"]: r["dashboard"].get("suppress_below") for r in descriptor["resources"]}


def _expected_cell(source_cell: str, column: str, threshold: int | None) -> str:
    """The one deliberate change: small counts are published as [c]."""
    if column == "value" and threshold and source_cell not in ("[x]", "[c]", "[z]", ""):
        if 0 < float(source_cell) < threshold:
            return "[c]"
    return source_cell


@site_group
def test_measure_csv_holds_exactly_the_source_values(site):
    thresholds = _thresholds()
    for source in sorted((ROOT / "data/measures").glob("*.csv")):
        source_rows = _rows(source)
        header = source_rows[0]
        expected = [header] + [[_expected_cell(c, header[i], thresholds[source.stem]) for i, c in enumerate(row)]
                               for row in source_rows[1:]]
        for published in (site / "measures" / source.stem / f"{source.stem}.csv",
                          site / "data/measures" / source.name):
            assert _rows(published) == expected, published
            assert published.read_bytes().count(b"\r\n") == len(expected)  # RFC 4180 line ends


@site_group
def test_small_counts_are_suppressed_everywhere(site):
    suppressed = {mid: t for mid, t in _thresholds().items() if t}
    assert suppressed, "the example data should show suppression"
    for mid, threshold in suppressed.items():
        source = _rows(ROOT / "data/measures" / f"{mid}.csv")
        small = [row[0] for row in source[1:] if row[1] not in ("[x]", "[c]", "[z]") and 0 < float(row[1]) < threshold]
        assert small
        data = json.loads((site / "measures" / mid / f"{mid}.json").read_text())["data"]
        for row in data:
            if row["period"] in small:
                assert row["value"] is None and row["symbol"] == "[c]"
        spec = json.loads((site / "measures" / mid / f"{mid}.vl.json").read_text())
        plotted = [v for rows in spec["datasets"].values() for v in rows if v.get("period") in small]
        assert len(plotted) == len(small) and all(v["value"] is None for v in plotted)


@site_group
def test_measure_json_values_equal_the_source(site):
    for source in sorted((ROOT / "data/measures").glob("*.csv")):
        data = json.loads((site / "measures" / source.stem / f"{source.stem}.json").read_text())
        source_rows = _rows(source)
        header, body = source_rows[0], source_rows[1:]
        # every row: the headline series, and each other area's or part's (a blank area is the council's own)
        own = data["area"] or ""
        by_key = {(row["period"], own): row for row in data["data"]}
        by_key |= {(row["period"], s["area_code"] or own): row for s in data["series"] for row in s["data"]}
        assert len(by_key) == len(body)
        for cells in body:
            row = dict(zip(header, cells))
            published = by_key[(row["period"], row.get("area_code") or own)]
            cell = _expected_cell(row["value"], "value", _thresholds()[source.stem])
            if cell in ("[x]", "[c]", "[z]"):
                assert published["value"] is None and published["symbol"] == cell
            else:
                assert published["value"] == float(row["value"]), (source.name, row)


@site_group
def test_measure_page_follows_the_anatomy(site):
    html = (site / "measures/benefit-new-claim-time/index.html").read_text()
    order = ['<h1>', 'id="latest-heading"', 'id="chart-heading"', '<figure', 'id="table-heading"', "<details",
             'id="about-heading"', 'id="commentary-heading"', 'id="downloads-heading"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "The latest figure is" in html
    assert 'aria-label="Breadcrumb"' in html
    assert 'href="benefit-new-claim-time.csv"' in html and 'href="benefit-new-claim-time.json"' in html
    assert 'href="benefit-new-claim-time.vl.json"' in html
    assert 'type="application/json"' in html
    assert "<script" not in html


@site_group
def test_every_page_says_the_data_is_illustrative_and_has_the_footer(site):
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert "Illustrative data." in html, page
        assert "Report a problem with this data" in html, page
        assert "Cite as:" in html and "Open Government Licence" in html, page
        assert "sets no cookies" in html, page


@site_group
def test_sitemap_lists_every_page(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in root.findall("s:url/s:loc", ns)}
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    expected = {"http://127.0.0.1:8000/" + ("" if p == "." else p + "/") for p in pages}
    assert locs == expected


@site_group
def test_atom_feed_is_well_formed(site):
    root = ET.parse(site / "feeds/all.atom.xml").getroot()
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert 1 <= len(entries) <= 50   # DASHBOARD_FEED_LIMIT


@site_group
def test_measure_page_weight(site):
    """A typical measure page (HTML + CSS + SVG) stays well under 40 KB gzipped."""
    import gzip
    folder = site / "measures/benefit-new-claim-time"
    total = sum(len(gzip.compress(p.read_bytes())) for p in
                (folder / "index.html", folder / "benefit-new-claim-time.svg", site / "theme/css/site.css"))
    assert total < 40 * 1024


# --- builds that fail must not replace a good site ---------------------------------------------

def _project(tmp_path: Path) -> Path:
    """A copy of the project with a tiny data folder."""
    project = make_project(tmp_path)
    data = project / "data"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"})
    return project


def test_build_then_failed_build_leaves_output_untouched(tmp_path):
    project = _project(tmp_path)
    first = run_dashboard("build", "--output", "output", cwd=project)
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(project / "output")
    assert "measures/homes/index.html" in before
    (project / "data/measures/homes.csv").write_text("period,value\n2024-01,5\n2024-02,seven\n")
    second = run_dashboard("build", "--output", "output", cwd=project)
    assert second.returncode == 1
    assert "data/measures/homes.csv:3:value: [type-error]" in second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".output")] == []


def test_failure_inside_pelican_leaves_output_untouched(tmp_path):
    project = _project(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    before = snapshot(project / "output")
    shutil.copytree(ROOT / "theme", project / "theme")        # the council's own theme, with a broken template
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write('\nTHEME = "theme"\n')
    (project / "theme/templates/measure.html").write_text("{% extends 'base.html' %}{% block content %}{{ 1 / 0 }}{% endblock %}")
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 1
    assert "previous output is unchanged" in result.stderr
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".output")] == []



_EVERYTHING_FAILS = """
import sys
from generator import cli
from generator.publish import packages

def fails(*args, **kwargs):
    raise OSError("No space left on device")
packages.publish_everything = fails
sys.exit(cli.main(["build", "--output", "output"]))
"""


def test_a_failure_writing_the_whole_sites_downloads_fails_the_build(tmp_path):
    """all.sqlite and all.zip are written in a thread while the pages are rendered: its error still fails the
    build, says what it was, and leaves the output as it was."""
    project = _project(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    before = snapshot(project / "output")
    (project / "data/measures/homes.csv").write_text("period,value\n2024-01,5\n2024-02,7\n2024-03,9\n")
    result = subprocess.run([sys.executable, "-c", _EVERYTHING_FAILS], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert "the build failed (OSError: No space left on device); the previous output is unchanged." in result.stderr
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".output")] == []


_EVERYTHING_BESIDE_THE_PAGES = """
import json
import sys
import threading
from generator import cli
from generator.publish import packages
from generator.site import generator

measure_page, overlapped = threading.Event(), []
render = generator.DashboardGenerator._render

def rendered(self, writer, out, page):
    if page.path.startswith("measures/"):
        measure_page.set()
    return render(self, writer, out, page)
generator.DashboardGenerator._render = rendered
write = packages.publish_everything

def written(*args, **kwargs):
    overlapped.append(measure_page.wait(timeout=30))
    return write(*args, **kwargs)
packages.publish_everything = written
code = cli.main(["build", "--output", "output"])
print(json.dumps({"code": code, "overlapped": overlapped}))
"""


def test_the_whole_sites_downloads_are_written_while_the_measures_pages_are_rendered(tmp_path):
    """The catalogue's page, which lists all.sqlite and all.zip, is made when it is rendered, after the
    measures' pages: until then the thread writing them runs beside the pages (here it waits for one)."""
    project = _project(tmp_path)
    result = subprocess.run([sys.executable, "-c", _EVERYTHING_BESIDE_THE_PAGES], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"code": 0, "overlapped": [True]}
    assert "all.sqlite" in (project / "output/data/index.html").read_text()


_DIGESTS_READ = """
import json
import sys
from generator import cache, cli

read = []
digest = cache.file_digest

def counted(path):
    read.append(str(path))
    return digest(path)
cache.file_digest = counted
code = cli.main(["build", "--output", "output"])
print(json.dumps({"code": code, "read": read}))
"""


def test_a_rebuild_reads_no_unchanged_packages_files_again_for_the_whole_sites_downloads(tmp_path):
    """all.zip and all.sqlite are kept by the SHA-256 of every package file, and /data/SHA256SUMS lists them:
    a file carried over from the last site has its digest in the record (publish/carried.py), so a rebuild
    after one measure's CSV changed reads none of another package's tables to hash them, and the changed
    table once."""
    project = _project(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    (project / "data/measures/homes.csv").write_text("period,value\n2024-01,5\n2024-02,7\n2024-03,9\n")
    result = subprocess.run([sys.executable, "-c", _DIGESTS_READ], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["code"] == 0
    site_files = [path.split("/.output-building-", 1)[1].split("/", 1)[1] for path in found["read"]
                  if "/.output-building-" in path]
    assert site_files.count("data/measures/homes.csv") == 1        # changed: read, once for the zip and the sums
    assert [path for path in site_files if path.startswith("data/organisation/") and path.endswith(".csv")] == []
    # ... which are in the site all the same, their digests listed and their entries in the zip.
    sums = (project / "output/data/SHA256SUMS").read_text()
    assert all(f"  organisation/{name}.csv\n" in sums for name in ("purposes", "services", "localities"))
    with zipfile.ZipFile(project / "output/data/all.zip") as z:
        assert "organisation/purposes.csv" in z.namelist()


def test_rebuild_replaces_the_site_whole(tmp_path):
    project = _project(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    (project / "output" / "stale.html").write_text("left over")
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,9\n"})
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    assert not (project / "output" / "stale.html").exists()
    assert _rows(project / "output/measures/homes/homes.csv")[-1] == ["2024-03", "9"]


def test_the_old_site_is_removed_in_the_background_after_the_switch(tmp_path, monkeypatch):
    """(An imported package's folder.) The new folder is in place at once; the old one goes in a thread the
    caller joins, and nothing of it is left."""
    from generator.publish import atomic
    output, stage = tmp_path / "output", atomic.staging_dir(tmp_path / "output")
    output.mkdir()
    (output / "old.html").write_text("old")
    (stage / "new.html").write_text("new")
    removing, rmtree = threading.Event(), shutil.rmtree
    monkeypatch.setattr(atomic.shutil, "which", lambda name: None)      # no rm: removed by rmtree, held here
    monkeypatch.setattr(atomic.shutil, "rmtree", lambda folder, *a, **k: removing.wait(10) and rmtree(folder))
    removal = atomic.switch_into_place(stage, output)
    assert (output / "new.html").read_text() == "new" and removal.is_alive()      # in place while the old goes
    removing.set()
    removal.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@pytest.mark.parametrize("rm", [True, False], ids=["rm", "rmtree"])
def test_the_old_site_is_removed_whole_and_nothing_it_links_to(tmp_path, monkeypatch, rm):
    """With rm in a process of its own (or, without rm, shutil.rmtree): every file and folder of the old site
    goes, but nothing a link in it points to."""
    from generator.publish import atomic
    if not rm:
        monkeypatch.setattr(atomic.shutil, "which", lambda name: None)
    elif shutil.which("rm") is None:
        pytest.skip("no rm here")
    else:
        monkeypatch.setattr(atomic.shutil, "rmtree", lambda *a, **k: pytest.fail("rm failed: removed by rmtree"))
    old, elsewhere = tmp_path / ".output-old", tmp_path / "elsewhere"
    (old / "measures" / "homes").mkdir(parents=True)
    (old / "measures" / "homes" / "index.html").write_text("old")
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("kept")
    (old / "linked").symlink_to(elsewhere, target_is_directory=True)
    atomic._remove(old)
    assert not old.exists() and (elsewhere / "keep.txt").read_text() == "kept"


def _set_aside(project: Path) -> list[Path]:
    return sorted(p for p in project.iterdir() if p.name.startswith(".output-set-aside-"))


def test_a_rebuild_leaves_the_old_site_to_be_removed_after_it_ends(tmp_path, monkeypatch):
    """The build does not wait for the old site to go: it is renamed aside, whole and apart from the new one,
    and left to a removal that goes on after the build. What that removal leaves (interrupted, say), the next
    build removes; a folder of the output's name that no build set aside stays."""
    from generator import cli
    from generator.publish import atomic
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert cli.main(["build", "--output", "output"]) == 0
    assert _set_aside(project) == []                # nothing to set aside after the first build
    first = snapshot(project / "output")
    left = []
    monkeypatch.setattr(atomic, "_remove_after_exit", lambda folder: left.append(folder) or True)
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,9\n"})
    assert cli.main(["build", "--output", "output"]) == 0
    assert _set_aside(project) == left and snapshot(left[0]) == first
    assert snapshot(project / "output") != first
    stranger = project / ".output-set-aside-notes"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,8\n"})
    assert cli.main(["build", "--output", "output"]) == 0
    assert not left[0].exists() and _set_aside(project) == sorted([left[1], stranger])
    assert (stranger / "notes.txt").read_text() == "mine"


def test_the_removal_after_the_build_goes_on_without_it(tmp_path):
    """The `rm` is not waited for: the call returns at once, and the folder goes meanwhile."""
    from generator.publish import atomic
    if shutil.which("rm") is None or shutil.which("sh") is None:
        pytest.skip("no rm here")
    old = tmp_path / ".output-set-aside-1-0123abcd"
    (old / "measures" / "homes").mkdir(parents=True)
    (old / "measures" / "homes" / "index.html").write_text("old")
    assert atomic._remove_after_exit(old)
    for _ in range(100):
        if not old.exists():
            break
        time.sleep(0.1)
    assert not old.exists()


def test_a_failed_build_still_waits_for_the_old_sites_removal(tmp_path, monkeypatch):
    """A build ends only once what it set about removing is gone, even when it fails: the next build (under
    `dashboard serve`, in the same process) would set about removing it again."""
    from generator import cache, cli
    from generator.errors import BuildError
    from generator.publish import atomic
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert cli.main(["build", "--output", "output"]) == 0
    monkeypatch.setattr(atomic, "_remove_after_exit", lambda folder: True)      # left as if interrupted
    assert cli.main(["build", "--output", "output", "--rebuild"]) == 0
    [old] = _set_aside(project)
    remove, failing = atomic._remove, threading.Event()

    def slowly(folder):             # still at work when the build fails
        failing.wait(30)
        time.sleep(0.5)
        remove(folder)

    def failed(*args):
        failing.set()
        raise BuildError("the cache could not be pruned")
    monkeypatch.setattr(atomic, "_remove", slowly)
    monkeypatch.setattr(cache, "prune", failed)
    assert cli.main(["build", "--output", "output", "--rebuild"]) == BuildError.exit_code
    assert not old.exists()
    assert (project / "output/index.html").is_file()


def test_markdown_from_data_is_sanitized(tmp_path):
    project = _project(tmp_path)
    notes = project / "content" / "commentary"
    notes.mkdir(parents=True)
    (notes / "homes.md").write_text(
        "Measure: homes\nAuthor: Sam <script>alert(1)</script>\nDate: 2024-04-02\n\n"
        "Hello <script>alert(2)</script> <img src=x onerror=alert(3)> [link](javascript:alert(4)) "
        "<iframe src='https://example.com'></iframe>\n")
    pkg = project / "data" / "measures"
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["description"] = "Defined <script>alert(5)</script> here."
    descriptor["resources"][0]["title"] = "Homes <b>bold</b>"
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "output/measures/homes/index.html").read_text()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<img src=x"):
        assert bad not in html, bad
    assert "Homes &lt;b&gt;bold&lt;/b&gt;" in html  # titles are text, escaped
    assert "Hello" in html and "Defined" in html


def test_settings_unknown_name_is_a_configuration_error(tmp_path):
    project = _project(tmp_path)
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write("\nDASHBOARD_COUNCL = 'typo'\n")
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 2
    assert "DASHBOARD_COUNCL" in result.stderr and "Traceback" not in result.stderr


def test_downloaded_csv_is_utf8_rfc4180(tmp_path):
    project = _project(tmp_path)
    make_measure_package(project / "data", {"homes": 'period,value\n2024-01,5\n2024-02,7\n'})
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    raw = (project / "output/measures/homes/homes.csv").read_bytes()
    assert raw == b"period,value\r\n2024-01,5\r\n2024-02,7\r\n"
    assert list(csv.reader(io.StringIO(raw.decode("utf-8")))) == [["period", "value"], ["2024-01", "5"], ["2024-02", "7"]]


# --- the output folder is replaced whole, so only an earlier build may be replaced ---------------

def test_build_without_output_option_writes_to_output_beside_the_settings(tmp_path):
    project = _project(tmp_path)
    result = run_dashboard("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output/index.html").is_file()
    assert (project / "pelicanconf.py").is_file() and (project / "data").is_dir()


@pytest.mark.parametrize("output", [".", "..", "data", "content", "theme"])
def test_output_that_would_replace_the_project_is_refused(tmp_path, output):
    project = _project(tmp_path)
    if output == "theme":       # a council's own theme, named in its settings
        shutil.copytree(ROOT / "theme", project / "theme")
        with open(project / "pelicanconf.py", "a") as fh:
            fh.write('\nTHEME = "theme"\n')
    before = snapshot(project)
    result = run_dashboard("build", "--output", output, cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "choose a folder of its own" in result.stderr
    assert snapshot(project) == before


def test_output_holding_other_files_is_refused(tmp_path):
    project = _project(tmp_path)
    mine = project / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("precious")
    result = run_dashboard("build", "--output", "mine", cwd=project)
    assert result.returncode == 2
    assert (mine / "notes.txt").read_text() == "precious"
    # an earlier build is recognised by its marker and replaced
    assert run_dashboard("build", "--output", "site", cwd=project).returncode == 0
    assert run_dashboard("build", "--output", "site", cwd=project).returncode == 0


@site_group
def test_capability_chart_is_explained_in_text(site):
    html = (site / "measures/missed-bins/index.html").read_text()
    assert "What the chart shows" in html and "usual range" in html
    assert "Signals of real change" in html and "January 2025: above the usual range (a concern)" in html
    assert 'href="../../how-to-read-charts/"' in html
    assert "Variation:</span>" in html and "Target:</span>" in html
    # the icons carry words, not colour alone
    for label in ("No significant change", "Hit and miss"):
        assert label in html


@site_group
@pytest.mark.parametrize("page", ["index.html", "purposes/enabling/index.html", "measures/index.html"])
def test_lists_show_variation_and_assurance(site, page):
    html = (site / page).read_text()
    assert '<th scope="col">Variation</th>' in html and '<th scope="col">Target</th>' in html
    assert html.count('class="status status-') >= 2


@site_group
def test_every_measure_page_links_to_how_to_read_the_chart(site):
    assert (site / "how-to-read-charts/index.html").is_file()
    for page in (site / "measures").glob("*/index.html"):
        assert "how-to-read-charts/" in page.read_text(), page


def test_a_build_killed_at_any_moment_leaves_the_previous_site_whole(tmp_path):
    import signal

    project = _project(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    before = snapshot(project / "output")
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,99\n"})
    assert run_dashboard("build", "--output", str(tmp_path / "reference"), cwd=project).returncode == 0
    after_success = snapshot(tmp_path / "reference")      # what a finished build would publish
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for delay in (0.2, 0.5, 0.8, 1.1):      # validating, drawing, writing pages, indexing for search
        build = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", "--output", "output"],
                                 cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        # The old site, whole, or (if the switch had already happened) the new one, whole: never a mix.
        assert snapshot(project / "output") in (before, after_success), delay
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0
    assert snapshot(project / "output") == after_success
    # The killed builds' folders are cleared; at most the last old site may be left, still being removed.
    assert len([p for p in project.iterdir() if p.name.startswith(".output")]) <= len(_set_aside(project)) <= 1


def test_the_same_inputs_give_byte_identical_sites(tmp_path):
    settings = str(example_settings(tmp_path))      # the second build draws from the first's cache
    first = run_dashboard("build", "--settings", settings, "--output", str(tmp_path / "one"))
    second = run_dashboard("build", "--settings", settings, "--output", str(tmp_path / "two"))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
