"""A measure's table may hold other areas' and breakdown parts' rows beside its headline series: the
headline drives the chart and summary, every row is published, and each row is keyed by period, area
and breakdown (for duplicates and revisions alike)."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import commit_file, dashboard_property, git, make_measure_package, make_project, make_registers, run_dashboard, \
    settings_for
from generator.ingest.pipeline import load
from generator.ingest.revisions import Tracked, find_revisions

OWN, OTHER = "E08000009", "E06000030"
FIELDS = [{"name": "period", "type": "string"}, {"name": "area_code", "type": "string"},
          {"name": "area_name", "type": "string"}, {"name": "sex", "type": "string"},
          {"name": "value", "type": "number"}]
TABLE = ("period,area_code,area_name,sex,value\n"
         f"2024-01,{OWN},Own,,5.1\n2024-01,{OWN},Own,Female,2.6\n2024-01,{OTHER},Other,,7.2\n"
         f"2024-02,{OWN},Own,,5.3\n2024-02,{OWN},Own,Female,2.8\n2024-02,{OTHER},Other,,7.0\n")


def project_data(tmp_path: Path, table: str = TABLE, fields=None, **prop) -> Path:
    root = tmp_path / "data"
    make_registers(root)
    settings = {"area": OWN, "breakdowns": ["sex"]} | prop
    pkg = make_measure_package(root, {"rate": table}, {"rate": dashboard_property(unit="%", **settings)})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"] = fields or FIELDS
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    return root


def problems(data: Path) -> list[list]:
    report = load(settings_for(data)).report
    return [[os.path.relpath(p.path, data), p.row, p.field, p.type] for p in report.errors]


def test_the_headline_series_is_the_own_area_with_every_breakdown_blank(tmp_path):
    site = load(settings_for(project_data(tmp_path))).site
    m = site.measures["rate"]
    assert [(o.period.text, str(o.value)) for o in m.observations] == [("2024-01", "5.1"), ("2024-02", "5.3")]
    assert {(s.area_code, s.breakdown): [str(o.value) for o in s.observations] for s in m.series} == {
        (OWN, (("sex", "Female"),)): ["2.6", "2.8"], (OTHER, (("sex", ""),)): ["7.2", "7.0"]}
    assert len(m.every_observation()) == 6


def test_a_blank_area_code_is_the_measures_own_area(tmp_path):
    table = "period,area_code,area_name,sex,value\n2024-01,,,,5\n2024-01,E06000030,Other,,7\n"
    site = load(settings_for(project_data(tmp_path, table))).site
    assert [str(o.value) for o in site.measures["rate"].observations] == ["5"]


def test_a_period_may_repeat_across_series_but_not_within_one(tmp_path):
    assert problems(project_data(tmp_path / "ok")) == []
    twice = TABLE + f"2024-02,{OTHER},Other,,7.1\n"
    assert problems(project_data(tmp_path / "bad", twice)) == [["measures/rate.csv", 8, "period", "duplicate-period"]]


def test_an_unknown_column_is_refused_and_breakdowns_must_be_declared(tmp_path):
    undeclared = project_data(tmp_path / "a", breakdowns=[])
    assert problems(undeclared) == [["measures/datapackage.json", None, "sex", "unknown-column"]]
    no_area = project_data(tmp_path / "b", area=None)
    assert problems(no_area) == [["measures/datapackage.json", None, "area_code", "unknown-column"],
                                 ["measures/datapackage.json", None, "area_name", "unknown-column"]]
    table = "period,value,comment\n2024-01,5,fine\n"
    typo = project_data(tmp_path / "c", table, [{"name": "period", "type": "string"},
                                                {"name": "value", "type": "number"},
                                                {"name": "comment", "type": "string"}], area=None, breakdowns=[])
    assert problems(typo) == [["measures/datapackage.json", None, "comment", "unknown-column"]]
    missing = project_data(tmp_path / "d", breakdowns=["sex", "age"])
    assert ["measures/datapackage.json", None, "dashboard.breakdowns", "measure-schema"] in problems(missing)


def test_a_table_with_no_headline_rows_is_refused(tmp_path):
    table = f"period,area_code,area_name,sex,value\n2024-01,{OWN},Own,Female,2.6\n2024-01,{OTHER},Other,,7\n"
    assert problems(project_data(tmp_path, table)) == [["measures/rate.csv", None, None, "no-headline"]]


def test_the_primary_key_must_cover_period_area_and_breakdowns(tmp_path):
    data = project_data(tmp_path)
    path = data / "measures/datapackage.json"
    descriptor = json.loads(path.read_text())
    descriptor["resources"][0]["schema"]["primaryKey"] = ["period"]
    path.write_text(json.dumps(descriptor))
    assert ["measures/datapackage.json", None, "schema.primaryKey", "measure-schema"] in problems(data)
    descriptor["resources"][0]["schema"]["primaryKey"] = ["period", "area_code", "sex"]
    path.write_text(json.dumps(descriptor))
    assert problems(data) == []


def test_the_page_shows_the_headline_and_the_downloads_keep_every_row(tmp_path):
    project = make_project(tmp_path)
    project_data(project)
    result = run_dashboard("build", "--output", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "out/measures/rate"
    page = (out / "index.html").read_text()
    assert "The latest figure is 5.3%" in page and "7.0%" not in page.split('id="downloads-heading"')[0]
    with open(out / "rate.csv", newline="", encoding="utf-8") as f:
        assert list(csv.reader(f)) == list(csv.reader(io.StringIO(TABLE)))
    twin = json.loads((out / "rate.json").read_text())
    assert [d["value"] for d in twin["data"]] == [5.1, 5.3]
    assert {(s["area_code"], s["breakdown"]["sex"]): [d["value"] for d in s["data"]] for s in twin["series"]} == {
        (OWN, "Female"): [2.6, 2.8], (OTHER, None): [7.2, 7.0]}


# --- revisions are keyed by the whole primary key ---------------------------------------------

commit = commit_file


def test_a_revision_belongs_to_its_series_not_to_the_last_row_of_its_period(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,area_code,value\n2024-01,A,1\n2024-01,B,2\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,area_code,value\n2024-01,A,9\n2024-01,B,2\n", "2025-02-15T10:00:00+00:00")
    [r] = find_revisions([Tracked("m", path, key=("area_code",))], date(2025, 6, 1))["m"]
    assert (r.period, r.series, r.old, r.new, r.series_label) == ("2024-01", ("A",), "1", "9", "A")


def test_a_tables_history_is_kept_and_read_again_only_when_a_version_or_the_day_of_an_edit_changes(
        tmp_path, monkeypatch):
    from generator.ingest import revisions
    path, kept = tmp_path / "repo" / "m.csv", tmp_path / "cache"
    commit(path, "period,value\n2024-01,1\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,value\n2024-01,2\n", "2025-02-15T10:00:00+00:00")
    walked = []
    monkeypatch.setattr(revisions, "_walk", lambda *a, run=revisions._walk: walked.append(a[0].id) or run(*a))

    def found(day, **item):
        return revisions.find_history([Tracked("m", path, **item)], day, kept)["m"]
    first = found(date(2025, 6, 1))
    assert [(r.old, r.new) for r in first.revisions] == [("1", "2")] and walked == ["m"]
    assert found(date(2025, 6, 2)) == first and walked == ["m"]                     # another day: kept
    assert found(date(2025, 6, 2), since="2025-02-01").revisions == [] and len(walked) == 2
    path.write_text("period,value\n2024-01,3\n")                                   # an edit, dated today
    assert [r.when for r in found(date(2025, 6, 3)).revisions] == [date(2025, 2, 15), date(2025, 6, 3)]
    assert [r.when for r in found(date(2025, 6, 4)).revisions][-1] == date(2025, 6, 4) and len(walked) == 4
    commit(path, "period,value\n2024-01,3\n", "2025-06-05T10:00:00+00:00")       # committed: a new version
    assert [r.when for r in found(date(2025, 6, 6)).revisions] == [date(2025, 2, 15), date(2025, 6, 5)]
    assert len(walked) == 5


def test_a_kept_history_reads_no_version_of_the_table(tmp_path, monkeypatch):
    """git's log names each version by its blob id: a table whose history the cache keeps has none of its
    versions read (no `git cat-file`), and one edited since has only its own read."""
    from generator.ingest import revisions
    kept, paths = tmp_path / "cache", [tmp_path / "repo" / f"{name}.csv" for name in ("a", "b")]
    for n, path in enumerate(paths):       # each its own figures: a version another file shares is read once
        commit(path, f"period,value\n2024-01,{n}1\n", "2025-01-15T10:00:00+00:00")
        commit(path, f"period,value\n2024-01,{n}2\n", "2025-02-15T10:00:00+00:00")
    asked = []
    monkeypatch.setattr(revisions, "run_git", lambda folder, args, stdin=None, run=revisions.run_git:
                        asked.append((args[0], stdin)) or run(folder, args, stdin))

    def found():
        return revisions.find_history([Tracked(p.stem, p) for p in paths], date(2025, 6, 1), kept)
    first = found()
    assert [(r.old, r.new) for r in first["a"].revisions] == [("01", "02")]
    assert [len(stdin.split()) for command, stdin in asked if command == "cat-file"] == [4]
    asked.clear()
    assert found() == first and "cat-file" not in [command for command, _ in asked]
    commit(paths[1], "period,value\n2024-01,13\n", "2025-03-15T10:00:00+00:00")
    asked.clear()
    assert [(r.old, r.new) for r in found()["b"].revisions] == [("11", "12"), ("12", "13")]
    assert [len(stdin.split()) for command, stdin in asked if command == "cat-file"] == [3]


def test_a_history_read_while_a_version_was_missing_is_not_kept(tmp_path):
    """A version git cannot read now (a partial clone's, a damaged store) is skipped, but what was worked out
    without it is not kept: once the version is back, under the same id, the history has it."""
    from generator.ingest import revisions
    path, kept = tmp_path / "repo" / "m.csv", tmp_path / "cache"
    for n, day in ((1, "01-15"), (2, "02-15"), (3, "03-15")):
        commit(path, f"period,value\n2024-01,{n}\n", f"2025-{day}T10:00:00+00:00")
    blob = git(path.parent, "rev-parse", "HEAD~1:m.csv")
    stored = path.parent / ".git" / "objects" / blob[:2] / blob[2:]
    aside = stored.rename(tmp_path / "aside")

    def found():
        history = revisions.find_history([Tracked("m", path)], date(2025, 6, 1), kept)["m"]
        return [(r.old, r.new) for r in history.revisions]
    assert found() == [("1", "3")]
    aside.rename(stored)
    assert found() == [("1", "2"), ("2", "3")]


def test_history_from_leaves_out_what_the_file_was_before(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,value\n2024-01,90.1\n2024-02,91\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,value\n2024-01,4\n", "2025-03-01T10:00:00+00:00")
    commit(path, "period,value\n2024-01,5\n", "2025-04-01T10:00:00+00:00")
    tracked = Tracked("m", path)
    assert len(find_revisions([tracked], date(2025, 6, 1))["m"]) == 3
    since = find_revisions([Tracked("m", path, since="2025-03-01")], date(2025, 6, 1))["m"]
    assert [(r.old, r.new) for r in since] == [("4", "5")]
    second = git(path.parent, "rev-list", "--reverse", "HEAD").split()[1]
    by_commit = find_revisions([Tracked("m", path, since=second[:9])], date(2025, 6, 1))["m"]
    assert [(r.old, r.new) for r in by_commit] == [("4", "5")]


def test_a_file_that_became_another_measure_is_said_once_and_points_to_history_from(tmp_path):
    project = make_project(tmp_path)
    root = project / "data"
    make_registers(root)
    prop = dashboard_property(kind="operational", purposes=[], polarity="neutral")
    old = "period,value\n" + "".join(f"2023-{m:02d},{90 + m}\n" for m in range(1, 13))
    make_measure_package(root, {"homes": old}, {"homes": prop})
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "the example's data", when="2024-01-15T10:00:00+00:00")
    (root / "measures/homes.csv").write_text("period,value\n2023-11,4\n2023-12,5\n")
    git(project, "commit", "-qam", "our own data", when="2024-02-01T10:00:00+00:00")
    env = {"SOURCE_DATE_EPOCH": "1706961600"}    # 2024-02-03
    result = run_dashboard("validate", "data", cwd=project, env=env)
    revisions = [line for line in result.stdout.splitlines() if "unexplained-revision" in line]
    assert len(revisions) == 1 and "12 published figures changed at once" in revisions[0]
    assert "dashboard.history_from" in revisions[0]
    descriptor = json.loads((root / "measures/datapackage.json").read_text())
    descriptor["resources"][0]["dashboard"]["history_from"] = "2024-02-01"
    (root / "measures/datapackage.json").write_text(json.dumps(descriptor))
    again = run_dashboard("validate", "data", cwd=project, env=env)
    assert "unexplained-revision" not in again.stdout, again.stdout


def test_a_blank_area_and_the_own_code_are_one_series(tmp_path):
    table = f"period,area_code,area_name,sex,value\n2024-01,,,,5\n2024-01,{OWN},Own,,6\n"
    assert problems(project_data(tmp_path, table)) == [["measures/rate.csv", 3, "period", "duplicate-period"]]


def test_adding_an_area_code_column_revises_nothing(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,value\n2019,5\n2020,6\n", "2025-01-15T10:00:00+00:00")
    commit(path, f"period,area_code,value\n2019,{OWN},5\n2020,,6\n2020,{OTHER},9\n", "2025-02-15T10:00:00+00:00")
    found = find_revisions([Tracked("m", path, key=("area_code",), area=OWN)], date(2025, 6, 1))["m"]
    assert found == []


def test_a_revision_anchor_is_a_valid_id(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,station,value\nP12M/2021-06-30,Trafford A56,5\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,station,value\nP12M/2021-06-30,Trafford A56,6\n", "2025-02-15T10:00:00+00:00")
    [r] = find_revisions([Tracked("m", path, key=("station",))], date(2025, 6, 1))["m"]
    assert r.anchor.startswith("revision-P12M-2021-06-30-Trafford-A56-") and " " not in r.anchor


def test_a_measures_parts_are_analysed_once_and_kept_together_until_the_measure_or_the_wards_change(
        tmp_path, monkeypatch):
    """context.kept_breakdowns keeps a measure's parts and their analyses in one file, by made_from and the wards
    (their codes and names choose and order the parts): read back, the parts are those worked out afresh, their
    rows left unread until asked for; another measure, or a ward renamed, works them out again."""
    from dataclasses import replace
    from generator.analysis.breakdowns import breakdowns
    from generator.analysis.spc import SPCSettings
    from generator.domain.model import Locality
    from generator.site import context
    m = load(settings_for(project_data(tmp_path))).site.measures["rate"]
    spc, cache, wards = SPCSettings(12, 8, 6), tmp_path / "cache", {"abbey": Locality("abbey", "Abbey", "E05000001", "ward")}
    fresh = breakdowns(m, wards, lambda part: context.capability.analyse_measure(part, spc))
    analysed, was = [], context.capability.analyse_measure
    monkeypatch.setattr(context.capability, "analyse_measure", lambda part, rules: analysed.append(part.id) or was(part, rules))
    assert [b.id for b in fresh] == ["sex"] and len(fresh[0].parts) == 1
    assert context.kept_breakdowns(m, wards, spc, cache, "made") == fresh and len(analysed) == 1
    kept = context.kept_breakdowns(m, wards, spc, cache, "made")         # read back, its parts' rows unread
    assert all(p.observations.unread for b in kept for p in b.parts) and len(analysed) == 1
    assert kept == fresh and kept[0].at_latest == {"Female": Decimal("2.8")} and kept[0].whole == Decimal("5.3")
    assert context.kept_breakdowns(m, wards, spc, cache, "made again") == fresh and len(analysed) == 2
    renamed = {"abbey": replace(wards["abbey"], name="Abbey Ward")}
    assert context.kept_breakdowns(m, renamed, spc, cache, "made") == fresh and len(analysed) == 3
    assert context.kept_breakdowns(m, wards, spc, None, None) == fresh and len(analysed) == 4          # no cache


def test_every_headline_row_has_the_key_the_measure_names_without_reading_its_rows(tmp_path):
    """Measure.headline_key and .periods stand in for the headline's rows where a rebuild leaves those unread
    (the figures' first-published dates are looked up by them)."""
    no_area = [f for f in FIELDS if not f["name"].startswith("area")]
    cases = {
        "own area, blank or written": (f"period,area_code,area_name,sex,value\n2024-01,,,,5\n"
                                       f"2024-02, {OWN} ,Own,,6\n2024-02,{OTHER},Other,,7\n", None, {}),
        "a chosen part": (TABLE.replace(",Own,,", ",Own,All,"), None, {"headline_series": {"sex": "All"}}),
        "no area column": ("period,sex,value\n2024-01,,5\n2024-01,Female,3\n2024-02,,6\n", no_area, {}),
    }
    for name, (table, fields, prop) in cases.items():
        m = load(settings_for(project_data(tmp_path / name.replace(" ", "-").replace(",", ""), table, fields,
                                          **prop))).site.measures["rate"]
        assert len(m.observations) == 2, name
        assert {o.series for o in m.observations} == {m.headline_key}, name
        assert m.periods == tuple(o.period.text for o in m.observations) == ("2024-01", "2024-02"), name


def test_a_rebuild_reads_the_rows_of_no_measure_kept_in_the_cache(tmp_path):
    """A measure's rows are most of what the cache keeps of it: loaded and analysed again from the cache, the
    example's measures are listed, dated, summarised and mapped without any measure's rows (or its parts') being
    read, and they say what they said when read afresh."""
    from datetime import UTC, datetime
    from conftest import example_settings
    from generator.ingest.pipeline import forget
    from generator.analysis import capability
    from generator.analysis.summary import summarise
    from generator.site.context import BuildContext
    from generator.site.views.measures import facets
    from generator.site.views.reports import section, shown
    from generator.settings import read as read_settings
    settings = read_settings(example_settings(tmp_path))        # the cache in tmp_path

    def analysed():
        """The site loaded, analysed, and what every build makes whatever changed: the A to Z's narrowings,
        and each report's sections."""
        forget()
        site = load(settings, keep=True).site
        ctx = BuildContext.analyse(settings, site, datetime.now(UTC), "test")
        sections = [section(ctx, r, group, mid) for r in site.reports for group, mid in shown(r, site.purposes)]
        assert facets(ctx, ctx.rows(site.measures.values())) and sections and all(s.live for s in sections)
        return site, ctx, sections
    first, _, printed = analysed()
    again, ctx, sections = analysed()
    assert again.measures.keys() == first.measures.keys() and ctx.by_ward and sections == printed
    # Still read: a measure with a figure revised with no reason (its row is named in a warning).
    unexplained = {m.id for m in again.measures.values() if any(not r.reason for r in m.revisions)}
    read = [m.id for m in again.measures.values() if m.id not in unexplained
            and (not m.observations.unread or not all(s.observations.unread for s in m.series)
                 or any(not p.observations.unread for b in ctx.breakdowns[m.id] for p in b.parts))]
    assert read == [] and len(again.measures) - len(unexplained) > 20 and again.signoffs
    assert [m.signoffs for m in again.measures.values()] == [m.signoffs for m in first.measures.values()]
    assert {m.id: m.published for m in again.measures.values()} == {m.id: m.published for m in first.measures.values()}
    analyses = {m.id: ctx.analyses[m.id] for m in again.measures.values()}
    assert ctx.summaries == {
        m.id: summarise(m, ctx.now.date(), settings.publication_lag_days, capability.sentences(m, a, ctx.spc.min_points),
                        capability.outlook(m, a), a.verdicts.assurance) for m, a in zip(again.measures.values(), analyses.values())}


def test_a_measures_benchmarks_are_kept_and_its_series_left_unread(tmp_path):
    """context.kept_benchmarks: the benchmark areas' figures read back from the cache are those read afresh,
    and the measure's own series stay unread (its rows, on a rebuild, are read only if it changed)."""
    from generator.analysis.comparisons import benchmarks
    from generator.ingest.pipeline import forget
    from generator.site import context
    settings = settings_for(project_data(tmp_path, benchmarks=[OTHER]), cache_path=str(tmp_path / "cache"))
    first = load(settings, keep=True).site.measures["rate"]
    fresh = benchmarks(first)
    assert fresh and context.kept_benchmarks(first, settings.cache_dir, "made") == fresh
    forget()
    again = load(settings, keep=True).site.measures["rate"]
    assert context.kept_benchmarks(again, settings.cache_dir, "made") == fresh
    assert all(s.observations.unread for s in again.series) and again.observations.unread
    assert context.kept_benchmarks(again, None, None) == fresh       # no cache: read
