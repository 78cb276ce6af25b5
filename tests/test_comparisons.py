"""Councils like us: ranks counting the council itself, ties sharing a rank, "better" from polarity, a
neutral measure ordered by value, and a rank only for a period every member has a figure for."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EPOCH, dashboard_property, make_measure_package, make_project, make_registers, settings_for
from generator.analysis.comparisons import sentence, standing
from generator.ingest.pipeline import load

OWN = "E08000009"
MEMBERS = {"E06000001": "Hartlepool", "E06000002": "Middlesbrough", "E06000003": "Redcar", "E06000004": "Stockton"}


def data(tmp_path: Path, rows: str, polarity: str = "lower-is-better", **prop) -> Path:
    root = tmp_path / "data"
    organisation = make_registers(root)
    (organisation / "comparators.csv").write_text("id,title,source\nnear,Nearest neighbours,CIPFA 2021\n")
    (organisation / "comparator_members.csv").write_text(
        "comparator,area_code,area_name\n" + "".join(f"near,{c},{n}\n" for c, n in MEMBERS.items()))
    descriptor = json.loads((organisation / "datapackage.json").read_text())
    descriptor["resources"] += [
        {"name": "comparators", "path": "comparators.csv", "schema": {"fields": [
            {"name": n, "type": "string"} for n in ("id", "title", "source")], "primaryKey": ["id"]}},
        {"name": "comparator_members", "path": "comparator_members.csv", "schema": {"fields": [
            {"name": n, "type": "string"} for n in ("comparator", "area_code", "area_name")]}}]
    (organisation / "datapackage.json").write_text(json.dumps(descriptor))
    pkg = make_measure_package(root, {"rate": "period,area_code,area_name,value\n" + rows},
                               {"rate": dashboard_property(unit="%", polarity=polarity, area=OWN,
                                                           comparators=["near"], **prop)})
    measures = json.loads((pkg / "datapackage.json").read_text())
    measures["resources"][0]["schema"]["fields"] = [{"name": n, "type": "number" if n == "value" else "string"}
                                                    for n in ("period", "area_code", "area_name", "value")]
    (pkg / "datapackage.json").write_text(json.dumps(measures))
    return root


def rows(period: str, own: str, *values: str) -> str:
    return f"{period},{OWN},Own,{own}\n" + "".join(f"{period},{c},{MEMBERS[c]},{v}\n"
                                                   for c, v in zip(MEMBERS, values))


def the_standing(root: Path):
    loaded = load(settings_for(root))
    assert loaded.report.errors == []
    m = loaded.site.measures["rate"]
    return standing(m, loaded.site.comparators["near"])


def test_lower_is_better_ranks_the_lowest_first_and_ties_share_a_rank(tmp_path):
    s = the_standing(data(tmp_path, rows("2024-01", "3", "1", "3", "5", "2")))
    assert [(f.area.name, f.rank) for f in s.figures] == [
        ("Hartlepool", 1), ("Stockton", 2), ("Middlesbrough", 3), ("Own", 3), ("Redcar", 5)]
    assert (s.rank, s.size, s.tied, s.quartile) == (3, 5, True, 2)
    assert sentence(s) == "Own is joint 3rd of 5 for January 2024 (1st is best), in the second-best quarter."


def test_a_neutral_measure_is_ordered_by_value_and_never_called_better(tmp_path):
    s = the_standing(data(tmp_path, rows("2024-01", "3", "1", "4", "5", "2"), polarity="neutral"))
    assert (s.rank, s.by_value) == (3, True)
    words = sentence(s)
    assert "3rd highest figure of 5" in words and "best" not in words and "worse" not in words


def test_the_rank_is_for_the_latest_period_every_member_has_a_figure_for(tmp_path):
    text = rows("2024-01", "3", "1", "3", "5", "2") + rows("2024-02", "4", "1", "3", "5", "2").replace(
        "2024-02,E06000004,Stockton,2\n", "")
    s = the_standing(data(tmp_path, text))
    assert (s.period.text, s.latest.text, s.reporting, s.rank) == ("2024-01", "2024-02", 4, 3)
    assert "Only 4 of the 5 have a figure for February 2024, so this is for January 2024" in sentence(s)


def test_no_shared_period_gives_no_rank_and_says_so(tmp_path):
    text = rows("2024-01", "3", "1", "3", "5", "[x]")
    s = the_standing(data(tmp_path, text))
    assert s.rank is None and "no rank is given" in sentence(s)


def test_the_group_median_and_range_by_period(tmp_path):
    s = the_standing(data(tmp_path, rows("2024-01", "3", "1", "3", "5", "2")))
    [b] = s.band
    assert (b.median, b.low, b.high, b.members) == (3, 1, 5, 5)


@pytest.mark.parametrize("change, problem", [
    ({"comparators": ["far"]}, ["measures/datapackage.json", None, "dashboard.comparators", "unknown-comparator"]),
    ({"benchmarks": ["E92000001"]}, ["measures/datapackage.json", None, "dashboard.benchmarks",
                                     "benchmark-not-in-table"]),
])
def test_groups_and_benchmarks_must_be_declared_and_present(tmp_path, change, problem):
    root = data(tmp_path, rows("2024-01", "3", "1", "3", "5", "2"), **{k: v for k, v in change.items()
                                                                       if k != "comparators"})
    if "comparators" in change:
        path = root / "measures/datapackage.json"
        descriptor = json.loads(path.read_text())
        descriptor["resources"][0]["dashboard"]["comparators"] = change["comparators"]
        path.write_text(json.dumps(descriptor))
    report = load(settings_for(root)).report
    assert [[os.path.relpath(p.path, root), p.row, p.field, p.type] for p in report.errors] == [problem]


def test_a_measures_standings_are_kept_until_the_measure_or_its_groups_change(tmp_path, monkeypatch):
    """site/context.compared keeps the standings in the cache by the measure (made_from) and its groups: a
    rebuild reads them, a group with another member works them out again."""
    from dataclasses import replace
    from generator.site import context
    loaded = load(settings_for(data(tmp_path, rows("2024-01", "3", "1", "3", "5", "2"))))
    m, group = loaded.site.measures["rate"], loaded.site.comparators["near"]
    made, worked = "made_from's hash of the measure", []
    monkeypatch.setattr(context, "standing", lambda *a: worked.append(a) or standing(*a))
    first = context.compared(m, [group], tmp_path / "cache", made)
    assert context.compared(m, [group], tmp_path / "cache", made) == first == [standing(m, group)]
    assert len(worked) == 1                                                         # the second read from the cache
    smaller = replace(group, members=group.members[1:])
    assert context.compared(m, [smaller], tmp_path / "cache", made) == [standing(m, smaller)] != first
    assert len(worked) == 2
    assert context.compared(m, [], tmp_path / "cache", made) == [] and len(worked) == 2


def test_a_rebuild_after_a_group_lost_a_member_draws_its_comparison_chart_again(tmp_path, monkeypatch):
    """A comparison chart is kept by what its measure is made from and its group (site/generator.py): the
    measure's table unchanged, a group with one member fewer is another band, so another chart."""
    from generator import cli
    from generator.analysis.comparisons import benchmarks
    from generator.site import charts
    project = make_project(tmp_path)
    data(project, rows("2024-01", "3", "1", "3", "5", "2") + rows("2024-02", "4", "2", "2", "6", "1"))
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert cli.main(["build", "--output", "output"]) == 0
    members = project / "data/organisation/comparator_members.csv"
    members.write_text("".join(line for line in members.read_text().splitlines(keepends=True)
                               if "Stockton" not in line))
    assert cli.main(["build", "--output", "output"]) == 0
    loaded = load(settings_for(project / "data"))
    m, group = loaded.site.measures["rate"], loaded.site.comparators["near"]
    s = standing(m, group)
    assert [b.members for b in s.band] == [4, 4]
    drawn = charts.comparison_chart(m, s.band, benchmarks(m), f"{m.title}: {s.own.name} against {group.title}")
    spec = project / "output" / settings_for(project / "data").urls().comparison_chart("rate", "near", "vl.json")
    assert spec.read_text() == charts.spec_text(drawn) + "\n"
