"""Sign-off: a manager's confirmation of a period's figure and commentary, kept in the signoffs register
with hashes of both, lapsing when either changes; DASHBOARD_REQUIRE_SIGNOFF makes --strict ask for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import (ROOT, dashboard_property, make_measure_package, make_project, make_registers, run_dashboard,
                      snapshot)

MONTHS = "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"
APRIL = {"SOURCE_DATE_EPOCH": "1712707200"}     # 10 April 2024: March's figures are in, none is overdue


def project(tmp_path: Path) -> Path:
    """Two strategic measures and an operational one; commentary on homes' March figure."""
    root = make_project(tmp_path)
    data = root / "data"
    make_registers(data)
    make_measure_package(data, {"homes": MONTHS, "repairs": MONTHS, "calls": MONTHS},
                         {"homes": dashboard_property(), "repairs": dashboard_property(),
                          "calls": dashboard_property(kind="operational", purposes=[])})
    notes = root / "content/commentary"
    notes.mkdir(parents=True)
    (notes / "homes-2024-04-02.md").write_text("Measure: homes\nAuthor: Head of Housing\nDate: 2024-04-02\n"
                                               "Period: 2024-03\n\nMarch was steady.\n")
    (notes / "repairs-2024-04-03.md").write_text("Measure: repairs\nAuthor: Head of Housing\nDate: 2024-04-03\n\n"
                                                 "Repairs kept pace.\n")
    return root


def sign(root: Path, measure: str, period: str = "2024-03", by: str = "A. Patel", role: str = "the Head of Housing"):
    return run_dashboard("signoff", measure, "--period", period, "--by", by, "--role", role, cwd=root, env=APRIL)


def validate(root: Path, *args: str):
    return run_dashboard("validate", *args, cwd=root, env=APRIL)


def problems(result) -> list[list]:
    """Each problem line flattened as [file, row, field, type] (the type without its warning: prefix)."""
    out = []
    for line in result.stdout.splitlines():
        where, kind = line.split(": [", 1)
        parts = where.split(":")
        out.append([Path(parts[0]).name, *(parts[1:] + [None, None])[:2], kind.split("]")[0]])
    return out


def test_a_signoff_is_recorded_with_hashes_and_holds_until_the_figure_or_commentary_changes(tmp_path):
    root = project(tmp_path)
    made = sign(root, "homes")
    assert made.returncode == 0, made.stderr
    register = (root / "data/organisation/signoffs.csv").read_text().splitlines()
    assert register[0] == "measure,period,by,role,date,figure_sha256,commentary_sha256"
    row = register[1].split(",")
    assert row[:5] == ["homes", "2024-03", "A. Patel", "the Head of Housing", "2024-04-10"]
    assert all(len(h) == 64 for h in row[5:])
    descriptor = json.loads((root / "data/organisation/datapackage.json").read_text())
    assert "signoffs" in [r["name"] for r in descriptor["resources"]]
    assert validate(root).returncode == 0 and validate(root).stdout == ""
    # The commentary on March changes: the sign-off lapses.
    note = root / "content/commentary/homes-2024-04-02.md"
    note.write_text(note.read_text().replace("steady", "busy"))
    assert problems(validate(root)) == [["signoffs.csv", "2", "period", "warning:signoff-lapsed"]]
    note.write_text(note.read_text().replace("busy", "steady"))
    assert validate(root).stdout == ""
    # The figure changes: it lapses too.
    csv = root / "data/measures/homes.csv"
    csv.write_text(csv.read_text().replace("2024-03,6", "2024-03,8"))
    assert ["signoffs.csv", "2", "period", "warning:signoff-lapsed"] in problems(validate(root))


def test_the_measure_page_says_who_checked_it_and_its_twin_lists_the_signoffs(tmp_path):
    root = project(tmp_path)
    assert sign(root, "homes").returncode == 0
    built = run_dashboard("build", "--output", "out", cwd=root, env=APRIL)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (root / "out/measures/homes/index.html").read_text()
    assert ('Checked by the Head of Housing on <time datetime="2024-04-10">10 April 2024</time>: the figure '
            "for March 2024 and its commentary.") in page
    assert "Checked by" not in (root / "out/measures/repairs/index.html").read_text()
    twin = json.loads((root / "out/measures/homes/homes.json").read_text())
    assert [(s["period"], s["role"], s["date"]) for s in twin["signoffs"]] == [
        ("2024-03", "the Head of Housing", "2024-04-10")]


def test_require_signoff_makes_strict_ask_for_every_strategic_measures_latest_figure(tmp_path):
    root = project(tmp_path)
    with open(root / "pelicanconf.py", "a") as fh:
        fh.write("\nDASHBOARD_REQUIRE_SIGNOFF = True\n")
    assert sign(root, "homes").returncode == 0
    strict = validate(root, "--strict")
    assert strict.returncode == 1
    assert problems(strict) == [["repairs.csv", None, None, "not-signed-off"]]     # calls is operational
    assert validate(root).returncode == 0                                          # a warning without --strict
    assert sign(root, "repairs", period="2024-02").returncode == 0                # not its latest: still asked
    assert problems(validate(root, "--strict")) == [["repairs.csv", None, None, "not-signed-off"]]
    assert sign(root, "repairs").returncode == 0
    assert validate(root, "--strict").returncode == 0


@pytest.mark.parametrize("args, code, line", [
    (("homes", "2024-03", " ", "the Head of Housing"), 2, None),                 # by nobody
    (("homes", "2024-03", "A. Patel", ""), 2, None),                               # in no role
    (("house", "2024-03", "A. Patel", "r"), 1, "dashboard signoff:measure: [unknown-measure]"),
    (("homes", "2024-04", "A. Patel", "r"), 1, "data/measures/homes.csv:period: [not-next-period]"),
])
def test_a_refused_signoff_changes_no_file(tmp_path, args, code, line):
    root = project(tmp_path)
    before = snapshot(root)
    refused = sign(root, *args)
    assert refused.returncode == code
    assert line is None or refused.stdout.startswith(line)
    assert snapshot(root) == before


@pytest.mark.xdist_group("site")
def test_every_strategic_measure_of_the_example_is_signed_off_for_its_latest_figure(site):
    measures = json.loads((site / "measures/index.json").read_text())["measures"]
    strategic = [m for m in measures if m["kind"] == "strategic"]
    assert len(strategic) >= 10
    for m in strategic:
        twin = json.loads((site / f"measures/{m['id']}/{m['id']}.json").read_text())
        assert twin["latest"]["period"] in [s["period"] for s in twin["signoffs"]], m["id"]
    assert "publishconf.py" and "DASHBOARD_REQUIRE_SIGNOFF = True" in (ROOT / "publishconf.py").read_text()
    page = (site / "measures/council-tax-collected/index.html").read_text()
    assert "Checked by the Revenues Manager on" in page
