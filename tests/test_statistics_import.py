"""`dashboard import statistics`: published tidy CSVs into one measure, exactly, or not at all."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, run_dashboard, snapshot
from generator.errors import ImportFailed
from generator.importers.statistics import Choices, MARKERS, read_statistics, read_value, role_table, write_measures

TRAFFORD = FIXTURES / "trafford"
CLAIMANTS = TRAFFORD / "poverty/claimant_count.csv"
RATE = "Claimants as a proportion of residents aged 16-64"
OWN = "E08000009"
TODAY = date(2024, 5, 1)


def read(path: Path, **choices):
    return read_statistics(path, Choices(area_code=choices.pop("area_code", OWN), **choices), role_table())


def flat(path: Path, **choices) -> list[list]:
    """The problems an import of `path` reports, as [file name, line, column, type]."""
    with pytest.raises(ImportFailed) as failed:
        read(path, **choices)
    return [[Path(p.path).name, p.row, p.field, p.type] for p in failed.value.problems]


def rows_of(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_source_row_of_the_indicator_is_in_the_written_table(tmp_path):
    stat = read(CLAIMANTS, indicator=RATE, measure_id="claimant-rate", source="ONS")
    write_measures(tmp_path / "statistics", [stat], Choices(area_code=OWN), TODAY)
    written = {(r["period"], r["area_code"], r["area_name"], r["value"])
               for r in rows_of(tmp_path / "statistics/claimant-rate.csv")}
    months = {m: i for i, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                          "September", "October", "November", "December"], start=1)}
    source = [r for r in rows_of(CLAIMANTS) if r["indicator"] == RATE]
    expected = set()
    for r in source:
        name, year = r["period"].split()
        expected.add((f"{year}-{months[name]:02d}", r["area_code"], r["area_name"], r["value"]))
    assert len(source) == 650 and written == expected and len(rows_of(tmp_path / "statistics/claimant-rate.csv")) == 650
    descriptor = json.loads((tmp_path / "statistics/datapackage.json").read_text())
    [resource] = descriptor["resources"]
    dash = resource["dashboard"]
    assert (resource["title"], dash["unit"], dash["frequency"], dash["area"], dash["kind"]) == (
        RATE, "%", "monthly", OWN, "context")
    assert resource["schema"]["primaryKey"] == ["period", "area_code"]


def test_a_percentage_measure_type_makes_the_unit_percent_and_counts_keep_theirs():
    assert read(CLAIMANTS, indicator=RATE, source="ONS").unit == "%"
    count = read(CLAIMANTS, indicator="Claimant count", source="ONS")
    assert (count.unit, count.title, count.measure_id) == ("persons", "Claimant count", "claimant-count")


def test_about_file_becomes_the_definition_with_links_kept_and_other_tags_reduced_to_text():
    stat = read(TRAFFORD / "climate/no2_concentration.csv", headline=(("station_code", "TRF2"),),
                about=TRAFFORD / "climate/metadata/no2_concentration.md", frequency="quarterly")
    assert "NO2" in stat.description and "<sub>" not in stat.description and "target" not in stat.description
    assert stat.source_text == ("Ricardo Energy & Environment - "
                                "[Air Quality England](https://www.airqualityengland.co.uk/local-authority/?la_id=368)")
    assert "####" not in stat.description and "open in a new window" not in stat.description


def test_a_file_with_no_total_rows_needs_headline_and_then_names_the_station(tmp_path):
    no2 = TRAFFORD / "climate/no2_concentration.csv"
    assert flat(no2, source="Ricardo") == [["no2_concentration.csv", None, None, "no-total-rows"]]
    stat = read(no2, headline=(("station_code", "TRF2"),), source="Ricardo")
    assert stat.headline_parts == {"station_code": "TRF2", "station_name": "Trafford A56"}
    assert (stat.has_area, stat.breakdowns, stat.frequency) == (False, ["station_code", "station_name"], "quarterly")
    assert stat.rows[0].period == "P12M/2021-06-30" and stat.headline_rows == 12 and len(stat.rows) == 36


def test_markers_become_gss_symbols_and_other_text_is_refused():
    assert {m: read_value(m) for m in ("NA", "..", ":", "-", "x", "c", "z", "[x]")} == {
        "NA": "[x]", "..": "[x]", ":": "[x]", "-": "[z]", "x": "[x]", "c": "[c]", "z": "[z]", "[x]": "[x]"}
    assert set(MARKERS.values()) <= {"[x]", "[c]", "[z]"}
    assert (read_value("1,234.5"), read_value("-0.25"), read_value("12,34"), read_value("n/a ")) == (
        "1234.5", "-0.25", None, "[x]")


def write(tmp_path: Path, text: str, name: str = "stats.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "area_code,area_name,period,indicator,measure,unit,value\n"


def test_a_missing_detail_names_the_flag(tmp_path):
    path = write(tmp_path, HEADER + "E08000009,Trafford,2021,Rate,Percentage,Persons,5\n")
    with pytest.raises(ImportFailed) as failed:
        read(path)
    messages = " ".join(p.message for p in failed.value.problems)
    assert "--frequency" in messages and "--source" in messages


def test_open_sdg_format_blank_breakdown_is_the_total(tmp_path):
    text = ("Year,Series,Units,Sex,GeoCode,Region,Value\n2020,Employment rate,Percentage,,E08000009,Trafford,75.1\n"
            "2020,Employment rate,Percentage,Female,E08000009,Trafford,73\n2021,Employment rate,Percentage,,"
            "E08000009,Trafford,76\n2021,Employment rate,Percentage,,E92000001,England,74\n")
    stat = read(write(tmp_path, text), source="ONS", unit="%")
    assert [m for _, m in stat.mapping] == ["period", "indicator", "unit", "sex", "area_code", "area_name", "value"]
    assert (stat.breakdowns, stat.headline_rows, stat.frequency) == (["sex"], 2, "annual")


def test_csvw_metadata_gives_title_and_producer(tmp_path):
    path = write(tmp_path, "period,value\n2021,5\n2022,6\n")
    (tmp_path / "stats.csv-metadata.json").write_text(json.dumps({
        "@context": "http://www.w3.org/ns/csvw", "url": "stats.csv", "dc:title": "Households in fuel poverty",
        "dc:publisher": {"schema:name": "Department for Energy Security and Net Zero"},
        "tableSchema": {"columns": [{"name": "period", "titles": "period"}, {"name": "value", "titles": "value"}]}}))
    stat = read(path, area_code="", unit="%")
    assert (stat.title, stat.source_text, stat.has_area) == (
        "Households in fuel poverty", "Department for Energy Security and Net Zero", False)


def test_a_reimport_updates_in_place_and_a_changed_figure_is_a_revision_naming_the_file(tmp_path):
    first = write(tmp_path, HEADER + "E08000009,Trafford,2021,Rate,Percentage,Persons,5\n", "march.csv")
    folder = tmp_path / "statistics"
    write_measures(folder, [read(first, source="ONS", frequency="annual", measure_id="rate")], Choices(), TODAY)
    second = write(tmp_path, HEADER + "E08000009,Trafford,2021,Rate,Percentage,Persons,5.5\n"
                             "E08000009,Trafford,2022,Rate,Percentage,Persons,6\n", "june.csv")
    [(name, rows, revised)] = write_measures(folder, [read(second, source="ONS", frequency="annual",
                                                           measure_id="rate")], Choices(), date(2024, 6, 1))
    assert (name, rows, revised) == ("rate", 2, 1)
    [old, new] = rows_of(folder / "rate.csv")
    assert (old["value"], old["status"]) == ("5.5", "revised") and "june.csv" in old["note"]
    assert (new["value"], new["status"], new["note"]) == ("6", "", "")


def test_a_refused_import_changes_nothing(tmp_path):
    folder = tmp_path / "project/data/statistics"
    good = write(tmp_path, HEADER + "E08000009,Trafford,2021,Rate,Percentage,Persons,5\n"
                           "E08000009,Trafford,2022,Rate,Percentage,Persons,6\n", "good.csv")
    ok = run_dashboard("import", "statistics", str(good), "--into", str(folder), "--area-code", OWN,
                       "--source", "ONS", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    before = snapshot(tmp_path / "project")
    bad = write(tmp_path, HEADER + "E08000009,Trafford,2023,Rate,Percentage,Persons,five\n", "bad.csv")
    refused = run_dashboard("import", "statistics", str(bad), "--into", str(folder), "--area-code", OWN,
                            "--source", "ONS", "--id", "rate", cwd=tmp_path)
    assert refused.returncode == 1
    assert "bad.csv:2:value: [not-a-number] 'five' is not a number" in refused.stdout
    assert "Nothing was imported" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot(tmp_path / "project") == before


def test_aliases_setting_adds_headings(tmp_path):
    path = write(tmp_path, "when,figure\n2021,5\n2022,6\n")
    with pytest.raises(ImportFailed):
        read(path, area_code="", unit="%", source="ONS", title="Rate")
    roles = role_table({"period": ["when"], "value": ["figure"]})
    stat = read_statistics(path, Choices(unit="%", source="ONS", title="Rate"), roles)
    assert [r.value for r in stat.rows] == ["5", "6"]


# --- what a review found: each case once broke the import ----------------------------------------------

def _import(tmp_path: Path, *args: str):
    return run_dashboard("import", "statistics", *args, "--into", "data/statistics", "--area-code", OWN,
                         "--source", "ONS", cwd=tmp_path)


def test_a_blank_area_code_is_the_councils_own_area_so_two_figures_for_it_are_refused(tmp_path):
    path = write(tmp_path, "GeoCode,Year,Value\n,2020,60\nE08000009,2020,70\n")
    assert flat(path, source="ONS", unit="%", title="Rate", frequency="annual") == [
        ["stats.csv", 3, "Year", "duplicate-figure"]]


def test_a_reimport_that_drops_a_breakdown_is_refused_and_keeps_every_row(tmp_path):
    write(tmp_path, "period,sex,value\n2021,,10\n2021,F,4\n2021,M,6\n", "b1.csv")
    write(tmp_path, "period,value\n2021,10\n", "b2.csv")
    assert _import(tmp_path, "b1.csv", "--id", "rate", "--unit", "%", "--title", "Rate",
                   "--frequency", "annual").returncode == 0
    before = snapshot(tmp_path / "data")
    again = _import(tmp_path, "b2.csv", "--id", "rate", "--unit", "%", "--title", "Rate", "--frequency", "annual")
    assert again.returncode == 1 and "[import-clash]" in again.stdout
    assert snapshot(tmp_path / "data") == before


def test_an_id_naming_a_table_that_is_not_a_measure_is_refused(tmp_path):
    folder = tmp_path / "data/statistics"
    folder.mkdir(parents=True)
    (folder / "population.csv").write_text("year,people\n2015,84000\n")
    (folder / "datapackage.json").write_text(json.dumps({"name": "statistics", "resources": [
        {"name": "population", "path": "population.csv"}]}))
    write(tmp_path, "period,value\n2021,5\n2022,6\n", "new.csv")
    result = _import(tmp_path, "new.csv", "--id", "population", "--unit", "%", "--title", "Rate")
    assert result.returncode == 1 and "[import-clash]" in result.stdout
    assert (folder / "population.csv").read_text() == "year,people\n2015,84000\n"


def test_a_reimport_keeps_the_measures_kind_and_filling_in_a_missing_figure_is_no_revision(tmp_path):
    write(tmp_path, "period,value\n2020,4\n2021,[x]\n", "one.csv")
    write(tmp_path, "period,value\n2020,4\n2021,5\n", "two.csv")
    first = _import(tmp_path, "one.csv", "--id", "rate", "--unit", "%", "--title", "Rate", "--frequency", "annual",
                    "--kind", "strategic", "--service", "housing", "--owner", "Head of Housing",
                    "--polarity", "higher-is-better")
    assert first.returncode == 0, first.stdout + first.stderr
    assert _import(tmp_path, "two.csv", "--id", "rate", "--unit", "%", "--title", "Rate",
                   "--frequency", "annual").returncode == 0
    descriptor = json.loads((tmp_path / "data/statistics/datapackage.json").read_text())
    assert descriptor["resources"][0]["dashboard"]["kind"] == "strategic"
    assert [(r["value"], r["status"]) for r in rows_of(tmp_path / "data/statistics/rate.csv")] == [
        ("4", ""), ("5", "")]


def test_importing_several_files_is_all_or_nothing(tmp_path):
    write(tmp_path, "period,value\n2020,4\n2021,5\n", "good.csv")
    write(tmp_path, "period,value\n2020,4\n2021,five\n", "bad.csv")
    result = _import(tmp_path, "good.csv", "bad.csv", "--unit", "%", "--frequency", "annual", "--title", "Rate")
    assert result.returncode == 1 and not (tmp_path / "data/statistics").exists()


@pytest.mark.parametrize("descriptor", ["{not json", "[]", '{"name": "x", "resources": {}}'])
def test_a_broken_package_to_import_into_is_a_problem_not_a_traceback(tmp_path, descriptor):
    folder = tmp_path / "data/statistics"
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(descriptor)
    write(tmp_path, "period,value\n2020,4\n2021,5\n", "good.csv")
    result = _import(tmp_path, "good.csv", "--unit", "%", "--title", "Rate")
    assert result.returncode == 1 and "[invalid-json]" in result.stdout and "Traceback" not in result.stderr
    assert (folder / "datapackage.json").read_text() == descriptor


@pytest.mark.parametrize("flags, words", [(["--id", "../escaped"], "--id becomes"),
                                          (["--lag-days", "-5"], "--lag-days"),
                                          (["--kind", "strategic"], "--service, --owner and --polarity")])
def test_bad_flags_are_refused_before_anything_is_written(tmp_path, flags, words):
    write(tmp_path, "period,value\n2020,4\n2021,5\n", "good.csv")
    result = _import(tmp_path, "good.csv", "--unit", "%", "--title", "Rate", *flags)
    assert result.returncode == 2 and words in result.stderr
    assert not (tmp_path / "data").exists() and not (tmp_path / "escaped.csv").exists()


def test_about_files_and_csvw_the_importer_cannot_read_are_problems(tmp_path):
    path = write(tmp_path, "period,value\n2020,4\n2021,5\n")
    (tmp_path / "about.md").write_bytes("Source: \xa3 Office".encode("cp1252"))
    with pytest.raises(ImportFailed) as failed:
        read(path, area_code="", unit="%", title="Rate", about=tmp_path / "about.md")
    assert [p.type for p in failed.value.problems] == ["unknown-encoding"]
    (tmp_path / "stats.csv-metadata.json").write_text(json.dumps({"tableSchema": "schema.json",
                                                                   "dc:title": "Rate"}))
    assert read(path, area_code="", unit="%", source="ONS").title == "Rate"
