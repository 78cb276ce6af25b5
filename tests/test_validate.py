"""`dashboard validate`: every problem is named by file, row and field (asserted flattened)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import (ROOT, dashboard_property, example_settings, make_measure_package, make_registers, run_dashboard,
                      settings_for)
from generator.settings import read as read_settings
from generator.domain.vocabulary import MISSING_SYMBOLS
from generator.ingest.pipeline import load


def problems(data_dir: Path, commentary: Path | None = None, strict: bool = False) -> list[list]:
    """Flattened problems, paths relative to data_dir: [path, row, field, type]."""
    loaded = load(settings_for(data_dir, commentary, strict=strict))
    return [[os.path.relpath(p.path, data_dir), p.row, p.field, p.type]
            for p in loaded.report.errors]


def one_measure(tmp_path, csv_text: str, **prop) -> Path:
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": csv_text}, {"homes": dashboard_property(**prop)})
    return root


GOOD = "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"


def test_valid_data_has_no_problems(data_dir):
    assert problems(data_dir) == []


def test_wrong_typed_cell(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-02,seven\n")
    assert problems(root) == [["measures/homes.csv", 3, "value", "type-error"]]


def test_missing_owner(tmp_path):
    root = one_measure(tmp_path, GOOD, owner=None)
    assert problems(root) == [["measures/datapackage.json", None, "dashboard", "dashboard-property"]]


def test_misspelt_property_and_bad_enumeration(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    prop = dashboard_property(polarity="up-is-good")
    prop["purpose"] = "somewhere-to-live"
    make_measure_package(root, {"homes": GOOD}, {"homes": prop})
    assert problems(root) == [
        ["measures/datapackage.json", None, "dashboard", "dashboard-property"],
        ["measures/datapackage.json", None, "dashboard.polarity", "dashboard-property"],
    ]


def test_strategic_measure_needs_a_purpose(tmp_path):
    root = one_measure(tmp_path, GOOD, purposes=[])
    assert problems(root) == [["measures/datapackage.json", None, "dashboard.purposes", "dashboard-property"]]
    # an operational measure may serve no purpose directly
    root2 = one_measure(tmp_path / "b", GOOD, purposes=[], kind="operational")
    assert problems(root2) == []


def test_unknown_purpose_service_and_locality(tmp_path):
    root = one_measure(tmp_path, GOOD, purposes=["somewhere-to-liv"], service="parking", localities=["nowhere"])
    assert problems(root) == [
        ["measures/datapackage.json", None, "dashboard.localities", "unknown-locality"],
        ["measures/datapackage.json", None, "dashboard.purposes", "unknown-purpose"],
        ["measures/datapackage.json", None, "dashboard.service", "unknown-service"],
    ]
    loaded = load(settings_for(root))
    assert "Did you mean 'somewhere-to-live'?" in next(p.message for p in loaded.problems if p.type == "unknown-purpose")


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "~/homes.csv", "http://example.com/homes.csv",
                                  "file:///etc/passwd", "sub/../../outside.csv"])
def test_unsafe_resource_paths_are_refused_before_reading(tmp_path, path):
    root = tmp_path / "data"
    make_registers(root)
    (tmp_path / "outside.csv").write_text(GOOD)
    pkg = make_measure_package(root, {"homes": GOOD})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = path
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    assert problems(root) == [["measures/datapackage.json", None, None, "unsafe-path"]]


def test_symlink_out_of_the_package_is_refused(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    secret = tmp_path / "secret.csv"
    secret.write_text(GOOD)
    pkg = make_measure_package(root, {"homes": GOOD})
    (pkg / "homes.csv").unlink()
    (pkg / "homes.csv").symlink_to(secret)
    assert problems(root) == [["measures/datapackage.json", None, None, "unsafe-path"]]


def test_symlink_inside_the_package_is_fine(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": GOOD})
    (pkg / "real.csv").write_text(GOOD)
    (pkg / "homes.csv").unlink()
    (pkg / "homes.csv").symlink_to("real.csv")
    assert problems(root) == []


def test_missing_file(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": GOOD})
    (pkg / "homes.csv").unlink()
    assert problems(root) == [["measures/datapackage.json", None, None, "missing-file"]]


def test_broken_json_names_the_line(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": GOOD})
    (pkg / "datapackage.json").write_text('{\n  "name": "measures",\n  "resources": [\n}\n')
    assert problems(root) == [["measures/datapackage.json", 4, None, "invalid-json"]]


@pytest.mark.parametrize("bad, hint", [
    ("Mar-24", "2024-03"),
    ("01/03/2024", "YYYY-MM-DD"),
    ("2024/2025", "2024/25"),
])
def test_mangled_period_gets_a_hint(tmp_path, bad, hint):
    root = one_measure(tmp_path, f"period,value\n2024-01,5\n{bad},7\n")
    loaded = load(settings_for(root))
    found = [p for p in loaded.report.errors]
    assert [[os.path.relpath(p.path, root), p.row, p.field, p.type] for p in found] == \
        [["measures/homes.csv", 3, "period", "period-format"]]
    assert hint in found[0].message


def test_period_must_match_frequency(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-Q1,7\n")
    assert problems(root) == [["measures/homes.csv", 3, "period", "period-frequency"]]


def test_duplicate_period(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-02,7\n2024-01,6\n")
    assert problems(root) == [["measures/homes.csv", 4, "period", "duplicate-period"]]


def test_missing_values_need_a_reason(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-02,\n2024-03,[x]\n2024-04,[c]\n2024-05,[z]\n")
    assert problems(root) == [["measures/homes.csv", 3, "value", "missing-reason"]]


def test_gss_symbols_are_kept_in_the_model(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-02,[x]\n2024-03,[c]\n")
    site = load(settings_for(root)).site
    obs = site.measures["homes"].observations
    assert [(o.period.text, o.value, o.symbol) for o in obs] == [("2024-01", 5, None), ("2024-02", None, "[x]"),
                                                                 ("2024-03", None, "[c]")]
    assert set(MISSING_SYMBOLS) == {"[x]", "[c]", "[z]"}


def test_status_column_marks_provisional_and_revised(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": "period,value,status\n2024-01,5,revised\n2024-02,6,\n2024-03,7,provisional\n"})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"].append(
        {"name": "status", "type": "string", "constraints": {"enum": ["provisional", "revised"]}})
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    site = load(settings_for(root)).site
    assert [o.status for o in site.measures["homes"].observations] == ["revised", None, "provisional"]


def test_duplicate_measure_id_across_packages(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": GOOD}, name="measures")
    make_measure_package(root, {"homes": GOOD}, name="more-measures")
    assert problems(root) == [["more-measures/datapackage.json", None, None, "duplicate-measure"]]


def test_annotation_period_must_be_in_the_table(tmp_path):
    root = one_measure(tmp_path, GOOD, annotations=[{"period": "2023-12", "label": "New process"}])
    assert problems(root) == [["measures/homes.csv", None, "dashboard.annotations[0].period", "annotation-period"]]


def test_measures_need_a_purposes_register(tmp_path):
    root = tmp_path / "data"
    make_measure_package(root, {"homes": GOOD}, {"homes": dashboard_property(kind="operational", purposes=[])})
    types = [p[3] for p in problems(root)]
    assert "missing-register" in types


def test_commentary_problems(tmp_path, data_dir):
    notes = tmp_path / "commentary"
    notes.mkdir()
    (notes / "a.md").write_text("Measure: homes\nAuthor: Sam\nDate: 2024-04-02\n\nFine.\n")
    (notes / "b.md").write_text("Measure: hommes\nAuthor: Sam\nDate: 2024-04-02\n\nWrong id.\n")
    (notes / "c.md").write_text("Measure: homes\nDate: 2024-04-02\n\nNo author.\n")
    (notes / "d.md").write_text("Measure: homes\nAuthor: Sam\nDate: 02/04/2024\n\nBad date.\n")
    # After a good note, an empty one and one without a header: neither takes the good one's (read with one
    # converter, reset for each file).
    (notes / "e.md").write_text("Measure: homes\nAuthor: Sam\nDate: 2024-04-02\n\nFine again.\n")
    (notes / "f.md").write_text("")
    (notes / "g.md").write_text("No header at all.\n")
    found = problems(data_dir, notes)
    rel = lambda p: os.path.relpath(tmp_path / "commentary" / p, data_dir)  # noqa: E731
    assert found == [[rel("b.md"), None, "measure", "invalid-commentary"],
                     [rel("c.md"), None, "author", "invalid-commentary"],
                     [rel("d.md"), None, "date", "invalid-commentary"],
                     [rel("f.md"), None, "measure", "invalid-commentary"],
                     [rel("g.md"), None, "measure", "invalid-commentary"]]


def test_missing_commentary_is_a_warning_and_strict_makes_it_a_problem(data_dir):
    assert problems(data_dir) == []
    assert problems(data_dir, strict=True) == [["measures/datapackage.json", None, None, "missing-commentary"]]


def test_frictionless_structure_errors_pass_through(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5,9\n2024-02\n")
    assert problems(root) == [["measures/homes.csv", 2, None, "extra-cell"],
                              ["measures/homes.csv", 3, "value", "missing-cell"]]


def test_unknown_field_type_is_a_descriptor_problem(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": GOOD})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][1]["type"] = "numbr"
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    assert problems(root) == [["measures/datapackage.json", None, None, "field-error"]]


# --- the command ----------------------------------------------------------------------------

def test_cli_passes_on_the_example_data(tmp_path):
    result = run_dashboard("validate", "data", "--settings", str(example_settings(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no problems" in result.stderr


def test_cli_prints_problem_lines_and_exits_1(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\n2024-02,seven\nMar-24,3\n", owner=None)
    result = run_dashboard("validate", str(root), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "data/measures/datapackage.json:dashboard: [dashboard-property] Measure 'homes': 'owner' is required" in lines
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_row_level_line_format(tmp_path):
    root = one_measure(tmp_path, "period,value\n2024-01,5\nMar-24,3\n")
    result = run_dashboard("validate", str(root), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("data/measures/homes.csv:3:period: [period-format] 'Mar-24'")


def test_cli_bad_usage_exits_2(tmp_path):
    assert run_dashboard("validate", str(tmp_path / "nope"), cwd=tmp_path).returncode == 2
    assert run_dashboard("frobnicate").returncode == 2
    result = run_dashboard("build", "--settings", str(tmp_path / "missing.py"), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_cli_strict_turns_warnings_into_failure(tmp_path, data_dir):
    assert run_dashboard("validate", str(data_dir), cwd=tmp_path).returncode == 0
    result = run_dashboard("validate", str(data_dir), "--strict", cwd=tmp_path)
    assert result.returncode == 1 and "[missing-commentary]" in result.stdout


def test_example_data_has_realistic_coverage():
    site = load(read_settings(ROOT / "pelicanconf.py")).site     # the example, as its settings have it
    measures = list(site.measures.values())
    assert len(measures) >= 30
    for purpose in site.purposes:
        assert len([m for m in measures if purpose in m.purposes and m.kind == "strategic"]) >= 2, purpose
    assert len(site.purposes) == 7 and "enabling" in site.purposes
    assert {"strategic", "operational"} <= {m.kind for m in measures}
    assert len({m.service for m in measures}) >= 4
    # figures by ward: at least five measures have a row for every one of the 12 wards
    wards = {loc.gss_code for loc in site.localities.values()}
    assert len(wards) == 12
    assert sum(1 for m in measures if wards <= {s.area_code for s in m.series}) >= 5
    assert {"monthly", "quarterly", "annual"} <= {m.frequency for m in measures}
    assert all(len(m.observations) >= 36 for m in measures if m.frequency == "monthly")
    assert any(m.has_target for m in measures) and any(m.annotations for m in measures)
    assert any(m.commentary for m in measures)


def _with_path(tmp_path, path):
    root = tmp_path / "data"
    make_registers(root)
    pkg = make_measure_package(root, {"homes": GOOD})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = path
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    return root


@pytest.mark.parametrize("make, expected", [
    (lambda t: one_measure(t, "period,value\n2024-01,5\n2024-02,seven\n"),
     "data/measures/homes.csv:3:value: [type-error]"),
    (lambda t: one_measure(t, GOOD, owner=None),
     "data/measures/datapackage.json:dashboard: [dashboard-property] Measure 'homes': 'owner' is required"),
    (lambda t: one_measure(t, GOOD, purposes=["somewhere-nice"]),
     "data/measures/datapackage.json:dashboard.purposes: [unknown-purpose] Measure 'homes' names purpose 'somewhere-nice'"),
    (lambda t: _with_path(t, "../outside.csv"),
     "data/measures/datapackage.json: [unsafe-path] Resource 'homes': '../outside.csv' leaves the package folder"),
])
def test_cli_names_file_row_and_field_for_each_kind_of_mistake(tmp_path, make, expected):
    make(tmp_path)
    result = run_dashboard("validate", "data", cwd=tmp_path)
    assert result.returncode == 1
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["../../escaped", "a/b", ".hidden", "two..dots", "with space"])
def test_names_that_cannot_be_one_folder_of_a_web_address_are_refused(tmp_path, name):
    root = one_measure(tmp_path, GOOD)
    descriptor = json.loads((root / "measures/datapackage.json").read_text())
    descriptor["resources"][0]["name"] = name
    (root / "measures/datapackage.json").write_text(json.dumps(descriptor))
    assert problems(root) == [["measures/datapackage.json", None, "name", "unsafe-name"]]


def test_a_personal_field_the_site_would_show_is_refused(tmp_path):
    root = one_measure(tmp_path, GOOD)
    descriptor = json.loads((root / "measures/datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][1]["personal"] = True      # the value
    (root / "measures/datapackage.json").write_text(json.dumps(descriptor))
    assert ["measures/datapackage.json", None, "value", "personal-field"] in problems(root)


@pytest.mark.parametrize("dashboard, field", [({"frequency": "fortnightly"}, "dashboard.frequency"),
                                              ({"frequency": "annual", "owner": "x"}, "dashboard"),
                                              ("annual", "dashboard")])
def test_a_package_says_how_often_it_is_updated_in_the_vocabulary(tmp_path, data_dir, dashboard, field):
    pkg = data_dir / "context"
    pkg.mkdir()
    (pkg / "t.csv").write_text("a,b\n1,2\n")
    (pkg / "datapackage.json").write_text(json.dumps({"name": "context", "dashboard": dashboard,
                                                      "resources": [{"name": "t", "path": "t.csv"}]}))
    assert problems(data_dir) == [["context/datapackage.json", None, field, "dashboard-property"]]


def test_the_profile_takes_its_enumerations_from_the_vocabulary():
    from generator.domain.vocabulary import Frequency, Kind, Polarity, Years
    from generator.ingest.checks import profile_validator
    schema = profile_validator().schema["properties"]
    assert schema["frequency"]["enum"] == [f.value for f in Frequency]
    assert schema["years"]["enum"] == ["financial", "academic"] == [y.value for y in Years]
    assert schema["polarity"]["enum"] == [p.value for p in Polarity]
    assert schema["kind"]["enum"] == ["strategic", "operational", "context"]
    text = (ROOT / "docs/data-model.md").read_text()
    assert [c.value for c in [*Frequency, *Polarity, *Kind, *Years] if f"`{c.value}`" not in text] == []
