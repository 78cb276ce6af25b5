"""`dashboard init`: a new council's project in an empty folder builds at once, passes the accessibility
and HTML checks, carries nothing of the example's, and passes `validate --strict` once its pages are
its own."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, assert_accessible, html_pages, run_dashboard, vnu_errors, vnu_report

COUNCIL = "Borsetshire District Council"
EXAMPLE_WORDS = ["Redditch", "Batchley", "Winyates", "Matchborough", "Greenlands", "Headless Cross",
                 "Astwood Bank", "Crabbs Cross", "Lodge Park", "Church Hill", "Help me", "customer’s point of view",
                 "six tests", "2013 ward boundaries"]


def no_git_identity(home: Path) -> dict:
    """An environment in which git knows no user: no global or system config, no identity variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, "HOME": str(home), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
            "EMAIL": ""}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("init")
    folder = base / "borsetshire"
    folder.mkdir()                                     # an empty folder is fine, as is a new one
    made = run_dashboard("init", str(folder), "--council", COUNCIL, "--area-code", "E07000999",
                         "--purpose", "fairer=A fairer district", "--purpose", "greener=A greener district",
                         "--site-url", "https://dashboard.borsetshire.example", "--tool-path", str(ROOT),
                         cwd=base, env=no_git_identity(base))
    assert made.returncode == 0, made.stdout + made.stderr
    return folder


@pytest.fixture(scope="module")
def built(project) -> Path:
    result = run_dashboard("build", "--output", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "out"


def test_the_project_is_a_repository_of_its_own_with_one_commit(project):
    log = subprocess.run(["git", "-C", str(project), "log", "--format=%an|%s"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert log == [f"Dashboard|A new Dashboard for {COUNCIL} (dashboard init)"]
    status = subprocess.run(["git", "-C", str(project), "status", "--porcelain"], capture_output=True, text=True,
                            check=True).stdout
    assert status == ""
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file() and ".git/" not in
             p.relative_to(project).as_posix() + "/"}
    assert {"pelicanconf.py", "publishconf.py", "README.md", "Makefile", "requirements.txt", ".gitignore",
            ".github/workflows/publish.yml", "content/pages/about.md", "content/pages/accessibility.md",
            "data/organisation/datapackage.json", "data/organisation/purposes.csv",
            "data/organisation/services.csv", "data/organisation/localities.csv"} <= files
    assert not (project / "theme").exists()            # it builds with the theme the tool carries


def test_settings_registers_and_pin_are_the_councils(project):
    conf = (project / "pelicanconf.py").read_text()
    assert f"DASHBOARD_COUNCIL = '{COUNCIL}'" in conf and "DASHBOARD_AREA_CODE = 'E07000999'" in conf
    assert "https://dashboard.borsetshire.example" in (project / "publishconf.py").read_text()
    assert (project / "data/organisation/purposes.csv").read_text() == (
        "id,title,description\nfairer,A fairer district,\ngreener,A greener district,\n")
    assert (project / "data/organisation/services.csv").read_text().count("\n") == 1     # headings, no rows
    assert (project / "requirements.txt").read_text().splitlines()[-1] == f"council-dashboard @ {ROOT.as_uri()}"
    readme = (project / "README.md").read_text()
    assert "make html" in readme and "make test" in readme and COUNCIL in readme


def test_the_new_site_builds_and_has_nothing_of_the_example(built):
    pages = [p for p in built.rglob("*") if p.suffix in (".html", ".json", ".xml", ".csv")]
    assert len(pages) > 10
    found = {(w, p.relative_to(built).as_posix()) for p in pages for w in EXAMPLE_WORDS
             if w in p.read_text(encoding="utf-8")}
    assert found == set()
    home = (built / "index.html").read_text()
    assert "A fairer district" in home and COUNCIL in home
    assert (built / "about/index.html").is_file() and (built / "how-to-read-charts/index.html").is_file()


def test_the_new_site_is_valid_html(built):
    errors = vnu_errors(built, *html_pages(built))
    assert errors == [], vnu_report(built, errors)


@pytest.mark.browser
def test_the_new_site_passes_axe(built, browser):
    assert_accessible(browser, built, ["/", "/about/", "/accessibility/", "/purposes/fairer/", "/measures/", "/data/",
                                       "/data/organisation/", "/search/", "/how-to-read-charts/"])


def test_strict_validation_passes_once_the_pages_are_the_councils_own(tmp_path, project):
    copy = tmp_path / "copy"
    subprocess.run(["git", "clone", "-q", str(project), str(copy)], check=True)
    before = run_dashboard("validate", "--strict", cwd=copy)
    assert before.returncode == 1
    assert [line.split(" [")[1].split("]")[0] for line in before.stdout.splitlines()] == ["unwritten-page"] * 2
    for page in ("about.md", "accessibility.md"):
        path = copy / "content/pages" / page
        path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                                if not line.startswith("Scaffold:")))
    after = run_dashboard("validate", "--strict", cwd=copy)
    assert after.returncode == 0, after.stdout + after.stderr


def test_init_refuses_a_folder_that_is_not_empty_and_a_bad_purpose(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    taken = run_dashboard("init", str(tmp_path / "taken"), "--council", COUNCIL, "--tool-path", str(ROOT),
                          cwd=tmp_path)
    assert taken.returncode == 2 and "not empty" in taken.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    bad = run_dashboard("init", str(tmp_path / "new"), "--council", COUNCIL, "--purpose", "Fairer District",
                        "--tool-path", str(ROOT), cwd=tmp_path)
    assert bad.returncode == 2 and "ID=TITLE" in bad.stderr and not (tmp_path / "new").exists()


def test_copy_theme_builds_with_the_projects_own_copy(tmp_path):
    folder = tmp_path / "themed"
    made = run_dashboard("init", str(folder), "--council", COUNCIL, "--copy-theme", "--tool-path", str(ROOT),
                         cwd=tmp_path, env=no_git_identity(tmp_path))
    assert made.returncode == 0, made.stderr
    css = folder / "theme/static/css/site.css"
    css.write_text(css.read_text() + "\n/* the council's own change */\n")
    result = run_dashboard("build", "--output", "out", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the council's own change" in (folder / "out/theme/css/site.css").read_text()


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "afile").write_text("mine")
    result = run_dashboard("init", str(tmp_path / "afile"), "--council", COUNCIL, "--tool-path", str(ROOT),
                           cwd=tmp_path)
    assert result.returncode == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr


def test_its_make_install_installs_what_the_pdfs_of_reports_need(project):
    """A council that adds reports needs Pango for their PDFs: its Makefile installs the same Debian
    packages as the tool's own (`make -n` shows the recipe as make will run it)."""
    from generator.publish.pdf import DEBIAN_PACKAGES
    makefile = (project / "Makefile").read_text()
    assert re.search(r"^PDF_PACKAGES := (.+)$", makefile, re.M)[1].split() == DEBIAN_PACKAGES.split()
    ours = re.search(r"^PDF_PACKAGES := (.+)$", (ROOT / "Makefile").read_text(), re.M)[1].split()
    assert ours == DEBIAN_PACKAGES.split()
    assert re.search(r"^install: .*\bsystem-packages\b", makefile, re.M)
    dry = subprocess.run(["make", "-n", "system-packages"], cwd=project, capture_output=True, text=True, check=False)
    assert dry.returncode == 0, dry.stderr
    assert "dpkg-query -W -f='${Status}' $p" in dry.stdout and "apt-get install -y -qq $missing" in dry.stdout
