"""Data quality: the council's tests as a setting, a measure's assessment against them, and timeliness
measured from the history (the share of figures first published by their due date)."""

from __future__ import annotations

import json

import pytest

from conftest import dashboard_property, git, make_measure_package, make_project, make_registers, run_dashboard
from generator.domain.quality import quality_tests
from generator.errors import ConfigError
from generator.settings import from_mapping

TESTS = {"timely": {"name": "Timely", "asks": "Is it ready soon enough to act on?"},
         "accurate": {"name": "Accurate", "asks": "Is it right?"}}
APRIL_TO_JULY = {"SOURCE_DATE_EPOCH": "1721001600"}     # 15 July 2024
APRIL = {"SOURCE_DATE_EPOCH": "1712707200"}             # 10 April 2024: nothing is overdue


@pytest.mark.parametrize("bad, words", [
    ({"Timely": {"name": "T", "asks": "?"}}, "lower-case"),
    ({"timely": {"name": "T"}}, "name and what it asks"),
    ({"timely": {"name": "T", "asks": "?", "weight": 2}}, "unknown key(s) weight"),
    (["timely"], "a dict of data-quality tests"),
])
def test_a_wrong_quality_test_names_the_setting(bad, words):
    with pytest.raises(ConfigError) as refused:
        from_mapping({"DASHBOARD_QUALITY_TESTS": bad})
    assert "DASHBOARD_QUALITY_TESTS" in str(refused.value) and words in str(refused.value)
    assert list(quality_tests(TESTS)) == ["timely", "accurate"]


def project(tmp_path, assessment: dict | None):
    root = make_project(tmp_path)
    data = root / "data"
    make_registers(data)
    prop = dashboard_property(kind="operational", purposes=[]) | ({"assessment": assessment} if assessment else {})
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"}, {"homes": prop})
    with open(root / "pelicanconf.py", "a") as fh:
        fh.write(f"\nDASHBOARD_QUALITY_TESTS = {TESTS!r}\n")
    return root


def flat(result) -> list[list]:
    return [[line.split(":")[0].rsplit("/", 1)[-1], line.split(": [")[0].split(":")[-1], line.split("[")[1].split("]")[0]]
            for line in result.stdout.splitlines()]


@pytest.mark.parametrize("assessment, problem", [
    ({"by": "Policy Team", "date": "2024-02-30", "ratings": {"timely": {"rating": "meets", "evidence": "e"}}},
     ["datapackage.json", "dashboard.assessment.date", "dashboard-property"]),
    ({"by": "Policy Team", "date": "2024-02-01", "ratings": {"timley": {"rating": "meets", "evidence": "e"}}},
     ["datapackage.json", "dashboard.assessment.ratings.timley", "unknown-quality-test"]),
    ({"by": "Policy Team", "date": "2024-02-01", "ratings": {"timely": {"rating": "good", "evidence": "e"}}},
     ["datapackage.json", "dashboard.assessment.ratings.timely.rating", "dashboard-property"]),
])
def test_a_wrong_assessment_is_named(tmp_path, assessment, problem):
    result = run_dashboard("validate", cwd=project(tmp_path, assessment), env=APRIL)
    assert result.returncode == 1
    assert flat(result) == [problem]


def test_timeliness_counts_figures_first_published_by_their_due_date(tmp_path):
    """January to March were there when the history starts (not counted); April came by its due date
    (30 May), May after its due date (30 June)."""
    root = project(tmp_path, {"by": "Policy Team", "date": "2024-06-01", "review_by": "2024-07-01",
                              "ratings": {"timely": {"rating": "partly", "evidence": "One month late in two."}}})
    csv = root / "data/measures/homes.csv"
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first", when="2024-04-02T09:00:00+00:00")
    csv.write_text(csv.read_text() + "2024-04,8\n")
    git(root, "commit", "-qam", "April", when="2024-05-10T09:00:00+00:00")
    csv.write_text(csv.read_text() + "2024-05,9\n")
    git(root, "commit", "-qam", "May", when="2024-07-03T09:00:00+00:00")
    built = run_dashboard("build", "--output", "out", cwd=root, env=APRIL_TO_JULY)
    assert built.returncode == 0, built.stdout + built.stderr
    twin = json.loads((root / "out/measures/homes/homes.json").read_text())["quality"]
    assert twin["published_on_time"] == {"on_time": 1, "counted": 2}
    assert twin["assessment"]["due_for_review"] is True and twin["assessment"]["ratings"] == [
        {"test": "timely", "rating": "partly", "evidence": "One month late in two."}]
    page = (root / "out/measures/homes/index.html").read_text()
    assert "Of the 2 figures whose first publication the history of the data shows, 1 came out by the date" in page
    assert "<strong>The assessment is due for review</strong>" in page
    listing = json.loads((root / "out/data-quality/index.json").read_text())
    assert [q["measure"] for q in listing["due"]] == ["homes"] and listing["unassessed"] == []
    assert [t["id"] for t in listing["tests"]] == ["timely", "accurate"]
    checklist = json.loads(run_dashboard("status", "--json", cwd=root, env=APRIL_TO_JULY).stdout)["measures"]
    assert [(m["quality_review_by"], m["quality_review_due"]) for m in checklist] == [("2024-07-01", True)]


@pytest.mark.xdist_group("site")
def test_the_example_assesses_at_least_ten_measures_against_the_six_tests(site):
    listing = json.loads((site / "data-quality/index.json").read_text())
    assert [t["name"] for t in listing["tests"]] == ["Relevant", "Well defined", "Timely", "Reliable", "Verifiable",
                                                    "Accurate"]
    assert len(listing["assessed"]) >= 10
    assert {q["measure"] for q in listing["due"]} == {"anti-social-behaviour", "foi-answered-in-time"}
    page = (site / "measures/temporary-accommodation/index.html").read_text()
    assert "assessed this measure’s data on 30 June 2026: it meets 5 of the 6 tests and partly meets 1." in page
