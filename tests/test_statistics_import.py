"""`dashboard import statistics`: published tidy CSVs into one measure, exactly, or not at all."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, run_dashboard, snapshot
from generator.errors import ImportFailed
from generator.importers.statistics import Choices, MARKERS, read_statistics, read_value, role_table, write_measure

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
    write_measure(tmp_path / "statistics", stat, Choices(area_code=OWN), TODAY)
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
    write_measure(folder, read(first, source="ONS", frequency="annual", measure_id="rate"), Choices(), TODAY)
    second = write(tmp_path, HEADER + "E08000009,Trafford,2021,Rate,Percentage,Persons,5.5\n"
                             "E08000009,Trafford,2022,Rate,Percentage,Persons,6\n", "june.csv")
    name, rows, revised = write_measure(folder, read(second, source="ONS", frequency="annual", measure_id="rate"),
                                        Choices(), date(2024, 6, 1))
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
