"""Figures typed in by officers (`dashboard add`): the next period of one series, appended in place with
every other byte kept; a published figure changed only with a reason; refusals named by file, row and
field, and a refused command changes no file."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import dashboard_property, git, make_project, make_registers, run_dashboard, settings_for, snapshot
from generator.entry import Figure, enter
from generator.errors import ImportFailed
from generator.ingest.pipeline import load
from generator.workbooks import sheet_names, template

FIELDS = [{"name": "period", "type": "string", "constraints": {"required": True}},
          {"name": "area_code", "type": "string"}, {"name": "area_name", "type": "string"},
          {"name": "value", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
          {"name": "status", "type": "string", "constraints": {"enum": ["provisional", "revised"]}},
          {"name": "note", "type": "string"}]
# The headline, then a ward's rows: a file grouped by series, with Windows line endings.
RATE = ("period,area_code,area_name,value,status,note\r\n2024-01,,,40.5,,\r\n2024-02,,,41,,\r\n"
        "2024-03,,,39.5,provisional,\r\n2024-01,E05000001,Abbey,38,,\r\n2024-02,E05000001,Abbey,44,,\r\n")
COUNT = '"period","value"\n"2024/25-Q1","12"\n"2024/25-Q2","15"'       # quoted, no final line ending


def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    data = root / "data"
    make_registers(data)
    pkg = data / "measures"
    pkg.mkdir(parents=True)
    (pkg / "rate.csv").write_bytes(RATE.encode())
    (pkg / "cases.csv").write_bytes(COUNT.encode())
    resources = [
        {"name": "rate", "path": "rate.csv", "title": "Rate", "schema": {"fields": FIELDS, "missingValues":
                                                                         ["", "[x]", "[c]", "[z]"]},
         "dashboard": dashboard_property(unit="%", area="E07000001")},
        {"name": "cases", "path": "cases.csv", "title": "Cases", "schema": {"fields": [
            {"name": "period", "type": "string"}, {"name": "value", "type": "integer"}], "missingValues": ["", "[x]"]},
         "dashboard": dashboard_property(unit="cases", frequency="quarterly")}]
    (pkg / "datapackage.json").write_text(json.dumps({"name": "measures", "resources": resources}, indent=1))
    return root


def site_of(root: Path):
    loaded = load(settings_for(root / "data"))
    assert loaded.site is not None, [p.line() for p in loaded.problems]
    return loaded.site


def test_the_next_figure_goes_after_its_series_with_every_other_byte_kept(tmp_path):
    root = project(tmp_path)
    done = enter(site_of(root), [Figure("rate", "2024-04", "42.25", status="provisional"),
                                 Figure("rate", "2024-03", "45", area_code="E05000001"),
                                 Figure("cases", "2024/25-Q3", "[x]")])
    assert [(e.measure.id, e.period, e.series, e.value, e.was) for e in done] == [
        ("rate", "April 2024", "headline", "42.25%", None),
        ("rate", "March 2024", "E05000001", "45%", None),
        ("cases", "2024/25 quarter 3 (October to December 2024)", "headline", "[x]", None)]
    assert (root / "data/measures/rate.csv").read_bytes() == (
        "period,area_code,area_name,value,status,note\r\n2024-01,,,40.5,,\r\n2024-02,,,41,,\r\n"
        "2024-03,,,39.5,provisional,\r\n2024-04,,,42.25,provisional,\r\n2024-01,E05000001,Abbey,38,,\r\n"
        "2024-02,E05000001,Abbey,44,,\r\n2024-03,E05000001,Abbey,45,,\r\n").encode()
    assert (root / "data/measures/cases.csv").read_bytes() == \
        b'"period","value"\n"2024/25-Q1","12"\n"2024/25-Q2","15"\n"2024/25-Q3","[x]"'
    assert site_of(root).measures["rate"].latest.value == 42.25


@pytest.mark.parametrize("figure, problem", [
    (Figure("rates", "2024-04", "1"), ["dashboard add", None, "measure", "unknown-measure"]),
    (Figure("rate", "2024-05", "1"), ["rate.csv", None, "period", "not-next-period"]),
    (Figure("rate", "2024-03", "1"), ["rate.csv", None, "period", "not-next-period"]),      # published already
    (Figure("rate", "April 2024", "1"), ["rate.csv", None, "period", "not-next-period"]),
    (Figure("rate", "2024-04", "1,042"), ["rate.csv", None, "value", "invalid-figure"]),
    (Figure("rate", "2024-04", "42%"), ["rate.csv", None, "value", "invalid-figure"]),
    (Figure("rate", "2024-04", "142"), ["rate.csv", 5, "value", "constraint-error"]),      # the schema's maximum
    (Figure("cases", "2024/25-Q3", "12.5"), ["cases.csv", None, "value", "invalid-figure"]),  # a whole number
    (Figure("cases", "2024/25-Q3", "12", note="Late"), ["cases.csv", None, "note", "invalid-figure"]),
    (Figure("rate", "2024-03", "1", area_code="E05000002"), ["rate.csv", None, "area_code", "unknown-series"]),
    (Figure("rate", "2024-04", "1", breakdown=(("age", "16-24"),)), ["rate.csv", None, "age", "unknown-series"]),
    (Figure("rate", "2024-02", "43", revise=True), ["rate.csv", None, "reason", "revision-reason"]),
    (Figure("rate", "2024-02", "41.0", revise=True, reason="r"), ["rate.csv", None, "value", "revision-reason"]),
    (Figure("rate", "2024-09", "41", revise=True, reason="r"), ["rate.csv", None, "period", "not-next-period"]),
    (Figure("cases", "2024/25-Q1", "13", revise=True, reason="r"), ["cases.csv", None, "note", "revision-reason"]),
])
def test_a_refused_figure_is_named_by_file_row_and_field_and_changes_nothing(tmp_path, figure, problem):
    root = project(tmp_path)
    site, before = site_of(root), snapshot(root)
    good = Figure("cases", "2024/25-Q3", "20")         # in the same run: all or nothing
    with pytest.raises(ImportFailed) as refused:
        enter(site, [good, figure])
    flat = [[Path(p.path).name if p.path != "dashboard add" else p.path, p.row, p.field, p.type]
            for p in refused.value.problems]
    assert flat == [problem]
    assert snapshot(root) == before


def test_a_revision_keeps_its_reason_as_the_rows_note_and_git_records_it(tmp_path):
    root = project(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first", when="2024-05-01T09:00:00+00:00")
    done = enter(site_of(root), [Figure("rate", "2024-02", "43", revise=True, reason="Late returns counted")])
    assert [(e.period, e.value, e.was) for e in done] == [("February 2024", "43%", "41%")]
    assert "2024-02,,,43,revised,Late returns counted\r\n" in (root / "data/measures/rate.csv").read_bytes().decode()
    git(root, "commit", "-qam", "revised", when="2024-05-02T09:00:00+00:00")
    revisions = site_of(root).measures["rate"].revisions
    assert [(r.period, r.old, r.new, r.reason) for r in revisions] == [("2024-02", "41", "43", "Late returns counted")]


def test_the_command_says_what_it_did_and_exits_1_on_a_refusal(tmp_path):
    root = project(tmp_path)
    added = run_dashboard("add", "rate", "2024-04", "42", "--settings", "pelicanconf.py", cwd=root)
    assert added.returncode == 0, added.stderr
    assert "Rate (rate), April 2024, headline: added: 42%, in data/measures/rate.csv." in added.stderr
    before = snapshot(root)
    again = run_dashboard("add", "rate", "2024-04", "42", cwd=root)
    assert again.returncode == 1 and again.stdout.startswith("data/measures/rate.csv:period: [not-next-period] "
                                                             "2024-04 already has a figure (42)")
    assert "The next period of this series is 2024-05 (May 2024)." in again.stdout
    typo = run_dashboard("add", "rates", "2024-05", "1", cwd=root)
    assert typo.returncode == 1 and "[unknown-measure] No measure 'rates': did you mean 'rate'?" in typo.stdout
    assert run_dashboard("add", "rate", "2024-05", "1", "--reason", "why", cwd=root).returncode == 2
    assert run_dashboard("add", "rate", "2024-05", "1", "--breakdown", "age", cwd=root).returncode == 2
    assert snapshot(root) == before


# --- Excel: a template to fill in, read back by the same rules -------------------------------------------

def filled_template(root: Path, tmp_path: Path) -> Path:
    """The template for both measures as at 15 May 2024, filled in as an officer would in Excel."""
    book = template(site_of(root), ["rate", "cases"], date(2024, 5, 15))
    rate, cases = book["Rate"], book["Cases"]
    assert rate["B1"].value == "rate" and [c.value for c in rate[5]] == \
        ["period", "area_code", "area_name", "value", "status", "note"]
    rows = [[c.value for c in r[:2]] for r in rate.iter_rows(min_row=6)]
    assert rows == [["2024-04", None], ["2024-03", "E05000001"], ["2024-04", "E05000001"]]
    assert rate["A6"].number_format == "@"                     # periods are text: Excel leaves them be
    assert [r[0].value for r in cases.iter_rows(min_row=6)] == ["2024/25-Q3"]     # none has ended: the next
    rate["D6"] = 42.25                                         # a number
    rate["E6"] = "provisional"
    rate["A9"], rate["D9"] = datetime(2024, 5, 1), 43          # a month Excel turned into a date
    rate["D7"] = "[x]"                                         # a missing-value symbol
    rate["D8"] = 39                                            # the ward's April: after its March
    cases["B6"] = 17
    rate.append(["2024-06"])                                   # a row with no value: skipped
    path = tmp_path / "figures.xlsx"
    book.save(path)
    return path


def test_a_workbook_round_trip_publishes_exactly_what_was_typed(tmp_path):
    root = project(tmp_path)
    path = filled_template(root, tmp_path)
    imported = run_dashboard("import", "xlsx", str(path), cwd=root)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "5 figure(s) from figures.xlsx." in imported.stderr
    built = run_dashboard("build", "--output", "out", cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    published = (root / "out/measures/rate/rate.csv").read_text()
    for row in ("2024-04,,,42.25,provisional,", "2024-05,,,43,,", "2024-03,E05000001,Abbey,[x],,", "2024-04,E05000001,Abbey,39,,"):
        assert row in published, row
    assert "2024/25-Q3,17" in (root / "out/measures/cases/cases.csv").read_text()


@pytest.mark.parametrize("cell, typed, problem", [
    ("D6", "42.25", [6, "Rate!D", "invalid-figure"]),                # a number stored as text
    ("D6", datetime(2024, 4, 1), [6, "Rate!D", "invalid-figure"]),   # a date in a value cell
    ("D6", "4O", [6, "Rate!D", "invalid-figure"]),                   # not a number (a letter O)
    ("A6", "2024-06", [6, "Rate!A", "not-next-period"]),
    ("B1", "rates", [1, "Rate!B", "unknown-measure"]),
])
def test_a_bad_cell_names_its_sheet_row_and_column_and_nothing_is_imported(tmp_path, cell, typed, problem):
    root = project(tmp_path)
    path = filled_template(root, tmp_path)
    book = load_workbook(path)
    book["Rate"][cell] = typed
    book.save(path)
    before = snapshot(root)
    imported = run_dashboard("import", "xlsx", str(path), cwd=root)
    assert imported.returncode == 1
    assert [line.split(": [")[0].split(":")[1:] + [line.split("[")[1].split("]")[0]]
            for line in imported.stdout.splitlines()] == [[str(problem[0]), problem[1], problem[2]]]
    assert snapshot(root) == before


def test_sheet_names_fit_excel():
    names = sheet_names(["A very long measure title that runs past thirty-one characters",
                         "A very long measure title that runs past thirty-one characters", "What? [draft]: a/b",
                         "instructions"])
    assert names == ["A very long measure title that", "A very long measure title t (2)", "What draft a b",
                     "instructions (2)"]
    assert all(len(n) <= 31 for n in names)


# --- a new measure -----------------------------------------------------------------------------------------

NEW = ["new", "measure", "garden-waste", "--title", "Garden waste subscribers", "--description",
       "Households subscribed on the last day of the month.", "--kind", "operational", "--service", "housing",
       "--unit", "households", "--polarity", "higher-is-better", "--frequency", "monthly", "--owner",
       "Waste Services Manager", "--source", "Subscriptions system", "--period", "2024-03", "--value", "812"]


def test_a_new_measure_from_flags_validates_and_takes_its_next_figure(tmp_path):
    root = project(tmp_path)
    made = run_dashboard(*NEW, cwd=root)
    assert made.returncode == 0, made.stdout + made.stderr
    assert (root / "data/measures/garden-waste.csv").read_text() == "period,value,status,note\n2024-03,812,,\n"
    resource = next(r for r in json.loads((root / "data/measures/datapackage.json").read_text())["resources"]
                    if r["name"] == "garden-waste")
    assert resource["dashboard"]["owner"] == "Waste Services Manager" and resource["schema"]["primaryKey"] == ["period"]
    site = site_of(root)
    assert site.measures["garden-waste"].latest.value == 812
    assert run_dashboard("add", "garden-waste", "2024-04", "830", cwd=root).returncode == 0
    assert site_of(root).measures["garden-waste"].latest.period.text == "2024-04"


@pytest.mark.parametrize("change, words", [
    (("garden-waste", "Garden_Waste"), "lower-case words joined by hyphens"),
    (("garden-waste", "rate"), "There is a measure 'rate' already"),
    (("housing", "waste"), "--service: no service 'waste'"),
    (("monthly", "daily"), "--frequency must be one of"),
    (("2024-03", "2024/25"), "--period: '2024/25' is a financial year"),
    (("812", "8,120"), "--value is a plain number"),
])
def test_a_new_measure_that_will_not_do_is_refused_and_nothing_is_written(tmp_path, change, words):
    root = project(tmp_path)
    before = snapshot(root)
    args = [change[1] if a == change[0] else a for a in NEW]
    refused = run_dashboard(*args, cwd=root)
    assert refused.returncode == 2 and words in refused.stderr, refused.stderr
    assert snapshot(root) == before


def test_a_new_measure_asks_on_a_terminal_for_what_the_flags_left_out(tmp_path):
    """A pseudo-terminal as standard input: the command asks for the missing answers, one a line."""
    root = project(tmp_path)
    given = NEW[:NEW.index("--unit")]           # unit, polarity, frequency, owner, source, period, value left out
    answers = "households\nhigher-is-better\nmonthly\nWaste Services Manager\nSubscriptions system\n2024-03\n812\n"
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", *given], cwd=root, stdin=follower,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.write(leader, answers.encode())
    out, err = process.communicate(timeout=120)
    os.close(leader)
    os.close(follower)
    assert process.returncode == 0, err.decode()
    assert (root / "data/measures/garden-waste.csv").read_text() == "period,value,status,note\n2024-03,812,,\n"
