"""Reports to councillors, as they stood on their date (issue 13; the pages and PDFs come next): report
types are settings, a snapshot leaves out later periods and later commentary and undoes later
revisions, `dashboard new report` writes the Markdown and its snapshot with the focus the rule picks, and
a report without its snapshot is refused."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import (ROOT, dashboard_property, git, make_measure_package, make_project, make_registers, run_dashboard,
                      settings_for)
from generator.analysis.changes import changes
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


# --- what changed between two reports (the briefings) ----------------------------------------------------

def _snap(observations, target=None, signals=(), assurance=None, polarity="higher-is-better") -> dict:
    """A snapshot measure: observations are (period, value) with value a string, a symbol such as [x], or
    a (value, target) pair."""
    rows = []
    for period, value in observations:
        row = {"period": period}
        if isinstance(value, tuple):
            row.update(value=value[0], target=value[1])
        elif value.startswith("["):
            row["symbol"] = value
        else:
            row["value"] = value
        rows.append(row)
    return {**_measure(signals, assurance), "unit": "%", "target": target, "polarity": polarity, "observations": rows}


def test_what_changed_between_two_reports_is_read_from_their_snapshots():
    since = date(2024, 5, 1)
    before = _snap([("2024-02", "70"), ("2024-03", "81.0"), ("2024-04", "78")], target="80",
                   assurance="hit-and-miss")
    now = _snap([("2024-02", "72.5"), ("2024-03", "81"), ("2024-04", "[x]"), ("2024-05", "79"), ("2024-06", "83")],
                target="80", signals=[("2024-04", "concern"), ("2024-06", "improvement")],
                assurance="consistently-passes")
    assert [(c.kind, c.text) for c in changes(before, now, since)] == [
        ("signal", "a signal of improvement in June 2024"),
        ("target-met", "its target is now met: 83% for June 2024, against a target of 80%"),
        ("revised", "the figure for February 2024 was revised from 70% to 72.5%"),   # 81.0 and 81 are one number
        ("revised", "the figure for April 2024 was revised from 78% to [x]"),
        ("verdict", "its target verdict changed from “hit and miss” to “meets target every time”")]
    # Lower is better, with a period's own target: 12 against 10 is newly missed.
    was = _snap([("2024-04", ("9", "10"))], polarity="lower-is-better")
    is_ = _snap([("2024-04", ("9", "10")), ("2024-05", ("12", "10"))], polarity="lower-is-better")
    assert [(c.kind, c.text) for c in changes(was, is_, since)] == [
        ("target-missed", "its target is now missed: 12% for May 2024, against a target of 10%")]
    assert [c.kind for c in changes(None, now, since)] == ["new-measure"]
    assert changes(now, now, date(2024, 7, 1)) == []                    # nothing new: nothing to say
    neutral = _snap([("2024-05", "79")], target="80", polarity="neutral")
    assert changes(neutral, {**neutral, "observations": [{"period": "2024-05", "value": "81"}]}, since)[0].kind \
        == "revised"                                                  # no way is better: no target verdict


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

def _report(root: Path, as_at: str, focus: str, narrative: str) -> None:
    made = run_dashboard("new", "report", "--type", "executive", "--as-at", as_at, cwd=root, env=EPOCH_SEPTEMBER)
    assert made.returncode == 0, made.stderr
    md = root / f"content/reports/{as_at}-executive.md"
    md.write_text(md.read_text().replace("Focus: ", f"Focus: {focus}").replace(
        "Scaffold: write the narrative here: what the figures show, and what is being done.", narrative))


def test_a_new_period_after_the_report_leaves_its_page_and_briefings_unchanged(tmp_path):
    """Two reports either side of March's revision (1 August): the first notes it as later revised, the
    second's briefing lists it as changed since the first; a new period changes neither, nor their PDFs."""
    root = project(tmp_path)
    _report(root, "2024-07-01", "homes", "Homes held up.")
    _report(root, "2024-08-15", "", "Homes were revised.")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "reports", when="2024-08-16T09:00:00+00:00")
    first = run_dashboard("build", "--output", "output", cwd=root, env=EPOCH_SEPTEMBER)
    assert first.returncode == 0, first.stdout + first.stderr
    out = root / "output/reports"
    kept = [out / "2024-07-01-executive/index.html", out / "2024-07-01-executive/2024-07-01-executive.pdf",
            out / "2024-07-01-executive/briefings/somewhere-to-live/index.html",
            out / "2024-08-15-executive/briefings/somewhere-to-live/index.html",
            out / "2024-08-15-executive/briefings/somewhere-to-live/index.json"]
    before = [p.read_bytes() for p in kept]
    assert before[1].startswith(b"%PDF-") and \
        b'href="../../reports/2024-07-01-executive/2024-07-01-executive.pdf"' in before[0]
    text = before[0].decode()
    assert "Later revised" in text and "March 2024 has been revised from 6 households to 16 households" in text
    assert "Homes held up." in text and "Spring was busy." in text and "Summer was quiet." not in text
    assert "None: this is the first Report to the Executive" in before[2].decode()
    briefing = json.loads(before[4])
    assert briefing["compared_with"]["report"] == "2024-07-01-executive"
    assert [(m["measure"], m["in_report"], [c["kind"] for c in m["changes"]]) for m in briefing["measures"]] == \
        [("homes", True, ["revised"])]
    assert "<strong>Homes</strong>: the figure for March 2024 was revised from 6 households to 16 households." \
        in before[3].decode()
    csv = root / "data/measures/homes.csv"
    csv.write_text(csv.read_text() + "2024-07,11,\n2024-08,12,\n")
    git(root, "commit", "-qam", "July and August", when="2024-08-30T09:00:00+00:00")
    second = run_dashboard("build", "--output", "output", cwd=root, env=EPOCH_SEPTEMBER)
    assert second.returncode == 0, second.stdout + second.stderr
    assert [p.read_bytes() for p in kept] == before
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


@pytest.mark.xdist_group("site")
def test_every_report_of_the_example_has_a_briefing_for_every_purpose(site):
    purposes = {p["id"]: p for p in json.loads((site / "index.json").read_text())["purposes"]}
    for listed in json.loads((site / "reports/index.json").read_text())["reports"]:
        report = json.loads((site / f"reports/{listed['slug']}/index.json").read_text())
        assert [b["purpose"] for b in report["briefings"]] == list(purposes)
        snap = json.loads((ROOT / f"content/reports/{listed['slug']}.json").read_text())
        in_report = {m["measure"] for m in report["measures"]}
        for b in report["briefings"]:
            twin = json.loads((site / b["url"].split("/", 3)[3] / "index.json").read_text())
            assert twin["portfolio_holder"] == purposes[b["purpose"]]["portfolio_holder"]
            assert {m["measure"] for m in twin["measures"]} == \
                {mid for mid, m in snap["measures"].items() if b["purpose"] in m["purposes"]}
            assert all(m["in_report"] == (m["measure"] in in_report) for m in twin["measures"])
    # The September Executive report's briefings, against the July one's: what changed, in words.
    said = {}
    for b in json.loads((site / "reports/2026-09-15-executive/index.json").read_text())["briefings"]:
        twin = json.loads((site / b["url"].split("/", 3)[3] / "index.json").read_text())
        assert twin["compared_with"]["report"] == "2026-07-15-executive"
        said.update({m["measure"]: [c["text"] for c in m["changes"]] for m in twin["measures"] if m["changes"]})
    assert said["temporary-accommodation"] == ["a signal of concern in August 2026"]
    assert said["anti-social-behaviour"] == ["a signal of concern in August 2026"]
    assert said["fly-tipping-incidents"] == ["a signal of concern in July 2026"]
    assert said["invoices-paid-on-time"] == ["its target is now met: 95.0% for August 2026, against a target of 95%"]
    first = (site / "reports/2026-07-15-executive/briefings/enabling/index.html").read_text()
    assert "Briefing for the Leader of the Council" in first and "this is the first Performance report" in first


@pytest.mark.xdist_group("site")
def test_a_measure_page_links_to_the_reports_that_discussed_it(site):
    twin = json.loads((site / "measures/temporary-accommodation/temporary-accommodation.json").read_text())
    assert [(r["report"], r["focus"]) for r in twin["reports"]] == [
        ("2026-10-01-scrutiny", True), ("2026-09-15-executive", True), ("2026-07-15-executive", True)]
    page = (site / "measures/temporary-accommodation/index.html").read_text()
    assert 'href="../../reports/2026-09-15-executive/#measure-temporary-accommodation"' in page
    report = (site / "reports/2026-09-15-executive/index.html").read_text()
    assert 'id="measure-temporary-accommodation"' in report
    # A strategic measure outside both Executive reports is in the scrutiny report only, not as a focus.
    other = json.loads((site / "measures/repair-time/repair-time.json").read_text())
    assert [(r["report"], r["focus"]) for r in other["reports"]] == [("2026-10-01-scrutiny", False)]


def test_a_reports_hash_for_the_pages_discussing_it_follows_its_snapshot_in_order():
    from generator.site.views.measures import _report_key
    kind = ReportType("executive", "T", "M", Frequency.BI_MONTHLY, ("standard",), False)
    snap = {"version": 1, "measures": {"a": {"value": 1.5}, "b": {"value": 2}}}
    report = Report("2026-07-15-executive", kind, "Title", date(2026, 7, 15), "Executive", ("a",), "Author",
                    "<p>Said.</p>", snap, Path("reports/2026-07-15-executive.md"))
    same = replace(report, snapshot=json.loads(json.dumps(snap)))
    reordered = replace(report, snapshot={"version": 1, "measures": {"b": {"value": 2}, "a": {"value": 1.5}}})
    changed = replace(report, snapshot={"version": 1, "measures": {"a": {"value": 1.6}, "b": {"value": 2}}})
    retitled = replace(report, title="Another title")
    assert _report_key(same) == _report_key(report)
    assert len({_report_key(r) for r in (report, reordered, changed, retitled)}) == 4
