"""Reports to councillors, as they stood on their date (issue 13; the pages and PDFs come next): report
types are settings, a snapshot leaves out later periods and later commentary and undoes later
revisions, `dashboard new report` writes the Markdown and its snapshot with the focus the rule picks, and
a report without its snapshot is refused."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import (ROOT, dashboard_property, git, make_measure_package, make_project, make_registers, run_dashboard,
                      settings_for)
from generator.analysis.snapshot import as_at, snapshot
from generator.analysis.spc import SPCSettings
from generator.domain.reports import Report, ReportType, report_types
from generator.domain.vocabulary import Frequency
from generator.errors import ConfigError
from generator.ingest.pipeline import load
from generator.reporting import suggest
from generator.settings import from_mapping

SPC = SPCSettings(15, 7, 7)
TYPES = {"executive": {"title": "Report to the Executive", "meeting": "Executive", "frequency": "bi-monthly",
                       "standard": ["homes"]}}
MONTHS = "period,value,note\n" + "".join(f"2024-{m:02},{v},\n" for m, v in zip(range(1, 7), (5, 7, 6, 8, 9, 4)))
EPOCH_SEPTEMBER = {"SOURCE_DATE_EPOCH": "1725148800"}     # 1 September 2024


def project(tmp_path: Path) -> Path:
    """A council's project in git: one monthly measure committed in June, March revised in August, and two
    notes of commentary (May and July)."""
    root = make_project(tmp_path)
    data = root / "data"
    make_registers(data)
    make_measure_package(data, {"homes": MONTHS}, {"homes": dashboard_property()})
    descriptor = json.loads((data / "measures/datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"].append({"name": "note", "type": "string"})
    (data / "measures/datapackage.json").write_text(json.dumps(descriptor))
    notes = root / "content/commentary"
    notes.mkdir(parents=True)
    for day, words in (("2024-05-10", "Spring was busy."), ("2024-07-10", "Summer was quiet.")):
        (notes / f"homes-{day}.md").write_text(f"Measure: homes\nAuthor: Head of Housing\nDate: {day}\n\n{words}\n")
    with open(root / "pelicanconf.py", "a") as fh:
        fh.write(f"\nDASHBOARD_REPORT_TYPES = {TYPES!r}\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "June's figures", when="2024-06-05T09:00:00+00:00")
    (data / "measures/homes.csv").write_text(MONTHS.replace("2024-03,6,", "2024-03,16,Late returns counted"))
    git(root, "commit", "-qam", "March revised", when="2024-08-01T09:00:00+00:00")
    return root


def loaded_site(root: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_SEPTEMBER["SOURCE_DATE_EPOCH"])
    return load(settings_for(root / "data", root / "content/commentary")).site


def test_as_at_leaves_out_later_periods_and_commentary_and_undoes_later_revisions(tmp_path, monkeypatch):
    site = loaded_site(project(tmp_path), monkeypatch)
    homes = site.measures["homes"]
    july = as_at(homes, date(2024, 7, 1))
    assert [(o.period.text, o.text) for o in july.observations] == [
        ("2024-01", "5"), ("2024-02", "7"), ("2024-03", "6"), ("2024-04", "8"), ("2024-05", "9"), ("2024-06", "4")]
    assert [c.date for c in july.commentary] == [date(2024, 5, 10)]
    may = as_at(homes, date(2024, 5, 15))
    assert [o.period.text for o in may.observations] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    september = as_at(homes, date(2024, 9, 1))
    assert [o.text for o in september.observations][2] == "16"                  # the revision stands by then
    assert len(september.commentary) == 2


def test_a_snapshot_records_what_a_report_shows_as_it_stood(tmp_path, monkeypatch):
    site = loaded_site(project(tmp_path), monkeypatch)
    made = snapshot(site, date(2024, 7, 1), SPC, 30)
    assert made["version"] == 1 and made["as_at"] == "2024-07-01"
    homes = made["measures"]["homes"]
    assert [o["value"] for o in homes["observations"]] == ["5", "7", "6", "8", "9", "4"]
    assert homes["sentences"][0] == "The latest figure is 4 households, for June 2024."
    assert [c["date"] for c in homes["commentary"]] == ["2024-05-10"]
    assert homes["verdicts"] == {"variation": None, "assurance": None}           # too few figures for limits
    assert json.loads(json.dumps(made)) == made


# --- report types ---------------------------------------------------------------------------------

def test_report_types_are_typed_from_the_setting():
    types = from_mapping({"DASHBOARD_REPORT_TYPES": TYPES}).reports
    assert types == {"executive": ReportType("executive", "Report to the Executive", "Executive",
                                             Frequency.BI_MONTHLY, ("homes",), False)}


@pytest.mark.parametrize("bad, words", [
    ({"Exec": TYPES["executive"]}, "lower-case"),
    ({"executive": {**TYPES["executive"], "frequency": "fortnightly"}}, "fortnightly"),
    ({"executive": {"title": "T", "meeting": "M"}}, "frequency"),
    ({"executive": {**TYPES["executive"], "colour": "red"}}, "colour"),
])
def test_a_wrong_report_type_names_the_setting_and_the_fault(bad, words):
    with pytest.raises(ValueError, match=words):
        report_types(bad)
    with pytest.raises(ConfigError, match=f"DASHBOARD_REPORT_TYPES: .*{words}"):
        from_mapping({"DASHBOARD_REPORT_TYPES": bad})


# --- the focus the scaffold suggests ---------------------------------------------------------------

def _measure(signals=(), assurance=None) -> dict:
    return {"years": "financial", "statistics": {"signals": [{"period": p, "rule": "shift", "direction": d}
                                                             for p, d in signals]},
            "verdicts": {"variation": None, "assurance": assurance}}


def test_the_scaffold_suggests_new_signals_and_changed_verdicts_with_reasons():
    kind = ReportType("executive", "T", "M", Frequency.BI_MONTHLY, ("standard",), False)
    previous = Report("2024-05-01-executive", kind, "T", date(2024, 5, 1), "", (), "", "", {"measures": {
        "steady": _measure(assurance="hit-and-miss"), "slipping": _measure(assurance="consistently-passes"),
        "standard": _measure()}}, Path("x.md"))
    made = {"as_at": "2024-07-01", "measures": {
        "new-signal": _measure([("2024-03", "improvement"), ("2024-06", "concern")]),
        "old-signal": _measure([("2024-04", "concern")]),        # April ended before the previous report
        "steady": _measure(assurance="hit-and-miss"),
        "slipping": _measure(assurance="hit-and-miss"),
        "standard": _measure([("2024-06", "concern")]),           # in every report anyway
    }}
    assert [(s.measure, s.reason) for s in suggest(made, previous, kind)] == [
        ("new-signal", "a signal of concern in June 2024"),
        ("slipping", "its target verdict changed from “meets target every time” to “hit and miss”")]
    first = suggest(made, None, kind)          # no earlier report: signals in the year before
    assert [s.measure for s in first] == ["new-signal", "old-signal"]


# --- the command, and what validate checks -------------------------------------------------------------

def test_new_report_writes_the_report_and_its_snapshot_then_refuses_again_or_the_future(tmp_path):
    root = project(tmp_path)
    made = run_dashboard("new", "report", "--type", "executive", "--as-at", "2024-07-01", cwd=root,
                         env=EPOCH_SEPTEMBER)
    assert made.returncode == 0, made.stdout + made.stderr
    md, data = root / "content/reports/2024-07-01-executive.md", root / "content/reports/2024-07-01-executive.json"
    assert md.read_text().startswith("Type: executive\nTitle: Report to the Executive, 1 July 2024\n"
                                     "As-at: 2024-07-01\nMeeting: Executive\nFocus: \n")
    assert json.loads(data.read_text())["measures"]["homes"]["observations"][2]["value"] == "6"
    again = run_dashboard("new", "report", "--type", "executive", "--as-at", "2024-07-01", cwd=root,
                          env=EPOCH_SEPTEMBER)
    assert again.returncode == 2 and "already" in again.stderr
    future = run_dashboard("new", "report", "--type", "executive", "--as-at", "2024-10-01", cwd=root,
                           env=EPOCH_SEPTEMBER)
    assert future.returncode == 2 and "in the future" in future.stderr
    assert sorted(p.name for p in (root / "content/reports").iterdir()) == sorted([md.name, data.name])
    strict = run_dashboard("validate", "--strict", cwd=root, env=EPOCH_SEPTEMBER)
    assert strict.returncode == 1 and "2024-07-01-executive.md:12: [unwritten-page]" in strict.stdout


def flat(root: Path, monkeypatch) -> list[list]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_SEPTEMBER["SOURCE_DATE_EPOCH"])
    settings = settings_for(root / "data", root / "content/commentary", report_types=TYPES)
    return [[os.path.relpath(p.path, root), p.row, p.field, p.type] for p in load(settings).report.errors]


@pytest.mark.parametrize("change, problem", [
    (lambda md, data: data.unlink(), ["content/reports/r.json", None, None, "report-snapshot"]),
    (lambda md, data: md.write_text(md.read_text().replace("Type: executive", "Type: cabinet")),
     ["content/reports/r.md", None, "type", "invalid-report"]),
    (lambda md, data: md.write_text(md.read_text().replace("As-at: 2024-07-01", "As-at: 1 July")),
     ["content/reports/r.md", None, "as-at", "invalid-report"]),
    (lambda md, data: md.write_text(md.read_text().replace("Focus: homes", "Focus: homes, parks")),
     ["content/reports/r.json", None, "measures", "report-snapshot"]),
    (lambda md, data: data.write_text(data.read_text().replace('"as_at": "2024-07-01"', '"as_at": "2024-08-01"')),
     ["content/reports/r.json", None, "as_at", "report-snapshot"]),
])
def test_a_report_that_cannot_be_shown_from_its_snapshot_is_refused(tmp_path, monkeypatch, change, problem):
    root = project(tmp_path)
    site = loaded_site(root, monkeypatch)
    reports = root / "content/reports"
    reports.mkdir()
    md, data = reports / "r.md", reports / "r.json"
    md.write_text("Type: executive\nTitle: A report\nAs-at: 2024-07-01\nFocus: homes\n\nThe narrative.\n")
    data.write_text(json.dumps(snapshot(site, date(2024, 7, 1), SPC, 30)))
    assert flat(root, monkeypatch) == []
    change(md, data)
    assert flat(root, monkeypatch) == [problem]


# --- the pages ------------------------------------------------------------------------------------------

def test_a_new_period_after_the_report_leaves_its_page_unchanged(tmp_path):
    root = project(tmp_path)
    made = run_dashboard("new", "report", "--type", "executive", "--as-at", "2024-07-01", cwd=root,
                         env=EPOCH_SEPTEMBER)
    assert made.returncode == 0, made.stderr
    md = root / "content/reports/2024-07-01-executive.md"
    md.write_text(md.read_text().replace("Focus: ", "Focus: homes").replace("Scaffold: write the narrative here: "
                                                                             "what the figures show, and what is "
                                                                             "being done.", "Homes held up."))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "report", when="2024-08-02T09:00:00+00:00")
    first = run_dashboard("build", "--output", "output", cwd=root, env=EPOCH_SEPTEMBER)
    assert first.returncode == 0, first.stdout + first.stderr
    page = root / "output/reports/2024-07-01-executive/index.html"
    pdf = root / "output/reports/2024-07-01-executive/2024-07-01-executive.pdf"
    before, before_pdf = page.read_bytes(), pdf.read_bytes()
    assert before_pdf.startswith(b"%PDF-") and b'href="../../reports/2024-07-01-executive/2024-07-01-executive.pdf"' in before
    text = before.decode()
    assert "Later revised" in text and "March 2024 has been revised from 6 households to 16 households" in text
    assert "Homes held up." in text and "Spring was busy." in text and "Summer was quiet." not in text
    csv = root / "data/measures/homes.csv"
    csv.write_text(csv.read_text() + "2024-07,11,\n2024-08,12,\n")
    git(root, "commit", "-qam", "July and August", when="2024-08-30T09:00:00+00:00")
    second = run_dashboard("build", "--output", "output", cwd=root, env=EPOCH_SEPTEMBER)
    assert second.returncode == 0, second.stdout + second.stderr
    assert page.read_bytes() == before and pdf.read_bytes() == before_pdf
    assert "12 households" in (root / "output/measures/homes/index.html").read_text()


@pytest.mark.xdist_group("site")
def test_the_example_reports_print_their_snapshots_with_the_standard_measures(site):
    listed = json.loads((site / "reports/index.json").read_text())["reports"]
    kinds = [r["type"] for r in listed]
    assert kinds.count("executive") >= 2 and kinds.count("scrutiny") >= 1
    assert [r["as_at"] for r in listed] == sorted((r["as_at"] for r in listed), reverse=True)
    executive = [t for t in listed if t["type"] == "executive"]
    standard = ["council-tax-collected", "invoices-paid-on-time", "complaints-resolved-stage-1",
                "foi-answered-in-time", "calls-resolved-first-contact"]
    for r in executive:
        twin = json.loads((site / f"reports/{r['slug']}/index.json").read_text())
        shown = [m["measure"] for m in twin["measures"]]
        assert shown[:len(twin["focus"])] == twin["focus"] and set(standard) <= set(shown[len(twin["focus"]):])
        snap = json.loads((ROOT / f"content/reports/{r['slug']}.json").read_text())
        for m in twin["measures"]:
            last = [o for o in snap["measures"][m["measure"]]["observations"] if "value" in o or "symbol" in o][-1]
            assert m["printed"]["period"] == last["period"] and m["printed"]["value"] == last.get("value")
    only = json.loads((site / "reports/type/scrutiny/index.json").read_text())["reports"]
    assert {r["type"] for r in only} == {"scrutiny"}


@pytest.mark.xdist_group("site")
def test_a_scrutiny_report_covers_every_strategic_measure_and_notes_later_revisions(site):
    twin = json.loads((site / "reports/2026-10-01-scrutiny/index.json").read_text())
    snap = json.loads((ROOT / "content/reports/2026-10-01-scrutiny.json").read_text())
    strategic = {mid for mid, m in snap["measures"].items() if m["kind"] == "strategic"}
    assert strategic <= {m["measure"] for m in twin["measures"]}
    homeless = next(m for m in twin["measures"] if m["measure"] == "homelessness-prevented")
    assert homeless["revised_since"] == [{"period": "July 2026", "printed": "23", "now": "25"}]
    page = (site / "reports/2026-10-01-scrutiny/index.html").read_text()
    assert "the figure for July 2026 has been revised from 23 households to 25 households" in page
