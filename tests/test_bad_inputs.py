"""The bad-input corpus: every hostile or broken input with its exact outcome.

Each case is a small data package (or file) written into tmp_path. The outcome is checked twice:
`load` reports exactly the flattened problems listed ([path, row, field, type], paths relative to
data/), and `dashboard build` exits 1, prints those problems and leaves the previous output
byte for byte as it was. Markdown commentary attacks are in test_sanitize.py (one per vector).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import FIXTURES, dashboard_property, make_project, make_registers, run_dashboard, settings_for, snapshot
from generator.ingest.pipeline import load

BAD_FRICTIONLESS = FIXTURES / "frictionless-py"


def schema(*fields, **extra) -> dict:
    return {"fields": [{"name": n, "type": t} for n, t in fields], **extra}


PLAIN = schema(("a", "string"), ("b", "integer"))


def table(path="t.csv", schema_=PLAIN, **extra) -> dict:
    return {"name": "t", "path": path, "schema": schema_, **extra}


def measure(fields: dict | None = None, **prop) -> dict:
    return {"name": "homes", "path": "homes.csv",
            "schema": fields or schema(("period", "string"), ("value", "number")),
            "dashboard": dashboard_property(**prop)}


@dataclass
class Case:
    resources: list
    files: dict = field(default_factory=dict)          # name -> text or bytes, inside the package
    problems: list = field(default_factory=list)       # flattened, paths relative to data/
    package: dict = field(default_factory=dict)        # extra package properties
    raw_descriptor: bytes | None = None                # written instead of the JSON of the above


T = "things/t.csv"
D = "things/datapackage.json"
CASES: dict[str, Case] = {
    # paths that leave the package, or are not files at all
    "path-dotdot": Case([table("../secret.csv")], problems=[[D, None, None, "unsafe-path"]]),
    "path-absolute": Case([table("/etc/passwd")], problems=[[D, None, None, "unsafe-path"]]),
    "path-home": Case([table("~/secret.csv")], problems=[[D, None, None, "unsafe-path"]]),
    "path-http-url": Case([table("http://example.org/t.csv")], problems=[[D, None, None, "unsafe-path"]]),
    "path-file-url": Case([table("file:///etc/passwd")], problems=[[D, None, None, "unsafe-path"]]),
    "image-outside": Case([table()], {"t.csv": "a,b\nx,1\n"}, [[D, None, "image", "unsafe-path"]],
                          package={"image": "../../secret.png"}),
    "name-traversal": Case([{**table(), "name": "../../escaped"}], {"t.csv": "a,b\nx,1\n"},
                           [[D, None, "name", "unsafe-name"]]),
    "no-path-no-data": Case([{"name": "t"}], problems=[[D, None, None, "resource-error"]]),
    "missing-file": Case([table("nope.csv")], problems=[[D, None, None, "missing-file"]]),
    # descriptors
    "broken-json": Case([], raw_descriptor=b'{"name": "things", "resources": [', problems=[[D, 1, None, "invalid-json"]]),
    "unknown-field-type": Case([table(schema_=schema(("a", "string"), ("b", "integr")))], {"t.csv": "a,b\nx,1\n"},
                               [[D, None, None, "field-error"]]),
    "hash-mismatch": Case([table(hash="sha256:" + "0" * 64)], {"t.csv": "a,b\nx,1\n"}, [[T, None, None, "hash-count"]]),
    "bytes-mismatch": Case([table(bytes=3)], {"t.csv": "a,b\nx,1\n"}, [[T, None, None, "byte-count"]]),
    # encodings
    "cp1252-undeclared": Case([table()], {"t.csv": "a,b\ncaf\xe9,1\n".encode("cp1252")},
                              [[T, 2, None, "encoding-not-declared"]]),
    "cp1252-declared-utf8": Case([table(encoding="utf-8")], {"t.csv": "a,b\ncaf\xe9,1\n".encode("cp1252")},
                                 [[T, None, None, "encoding-error"]]),
    # headings
    "duplicate-label": Case([table()], {"t.csv": "a,a\nx,1\n"}, [[T, 1, "b", "duplicate-label"]]),
    "blank-label": Case([table()], {"t.csv": "a,\nx,1\n"}, [[T, 1, "b", "blank-label"]]),
    "missing-label": Case([table()], {"t.csv": "a\nx\n"}, [[T, 1, "b", "missing-label"]]),
    "extra-label": Case([table()], {"t.csv": "a,b,c\nx,1,2\n"}, [[T, 1, None, "extra-label"]]),
    "label-whitespace": Case([table()], {"t.csv": "a, b\nx,1\n"}, [[T, 1, "b", "label-whitespace"]]),
    # rows and cells
    "missing-cell": Case([table()], {"t.csv": "a,b\nx\n"}, [[T, 2, "b", "missing-cell"]]),
    "extra-cell": Case([table()], {"t.csv": "a,b\nx,1,2\n"}, [[T, 2, None, "extra-cell"]]),
    "blank-row": Case([table()], {"t.csv": "a,b\nx,1\n,\ny,2\n"}, [[T, 3, None, "blank-row"]]),
    "empty-file": Case([table()], {"t.csv": ""}, [[T, None, None, "source-error"]]),
    "type-error": Case([table()], {"t.csv": "a,b\nx,one\n"}, [[T, 2, "b", "type-error"]]),
    "constraint-error": Case([table(schema_={"fields": [{"name": "a", "type": "string"},
                                                       {"name": "b", "type": "integer", "constraints": {"minimum": 5}}]})],
                             {"t.csv": "a,b\nx,1\n"}, [[T, 2, "b", "constraint-error"]]),
    "duplicate-primary-key": Case([table(schema_={**PLAIN, "primaryKey": ["a"]})], {"t.csv": "a,b\nx,1\nx,2\n"},
                                  [[T, 3, None, "primary-key"]]),
    "foreign-key-to-nothing": Case([table(schema_={**PLAIN, "foreignKeys": [{"fields": ["a"], "reference": {
        "resource": "u", "fields": ["id"]}}]}), {"name": "u", "path": "u.csv", "schema": schema(("id", "string"))}],
        {"t.csv": "a,b\nx,1\n", "u.csv": "id\ny\n"}, [[T, 2, None, "foreign-key"]]),
    # numbers and dates written for people, not machines
    "accounting-negative": Case([table(schema_={"fields": [{"name": "a", "type": "string"}, {
        "name": "b", "type": "number", "bareNumber": False, "groupChar": ","}]})], {"t.csv": 'a,b\nx,"(1,234)"\n'},
        [[T, 2, "b", "accounting-negative"]]),
    "pound-sign": Case([table(schema_=schema(("a", "string"), ("b", "number")))], {"t.csv": "a,b\nx,£12\n"},
                       [[T, 2, "b", "type-error"]]),
    "thousands-undeclared": Case([table(schema_=schema(("a", "string"), ("b", "number")))], {"t.csv": 'a,b\nx,"1,234"\n'},
                                 [[T, 2, "b", "type-error"]]),
    "date-ambiguous-default-format": Case([table(schema_=schema(("a", "string"), ("b", "date")))],
                                          {"t.csv": "a,b\nx,01/02/2024\n"}, [[T, 2, "b", "type-error"]]),
    "date-ambiguous-any-format": Case([table(schema_={"fields": [{"name": "a", "type": "string"},
                                                                {"name": "b", "type": "date", "format": "any"}]})],
                                      {"t.csv": "a,b\nx,01/02/2024\n"}, [[T, 2, "b", "ambiguous-date"]]),
    # personal data
    "personal-value": Case([measure({"fields": [{"name": "period", "type": "string"},
                                                {"name": "value", "type": "number", "personal": True}]})],
                           {"homes.csv": "period,value\n2024-01,5\n"}, [[D, None, "value", "personal-field"]]),
    # measures
    "financial-year-2023-25": Case([measure(frequency="annual")], {"homes.csv": "period,value\n2023/25,5\n"},
                                   [["things/homes.csv", 2, "period", "period-format"]]),
    "header-only-measure": Case([measure()], {"homes.csv": "period,value\n"},
                                [["things/homes.csv", None, None, "empty-measure"]]),
    # a hand-written measure table with a column the Dashboard does not know (a misspelt 'note', say)
    "measure-unknown-column": Case([measure(schema(("period", "string"), ("value", "number"), ("notes", "string")))],
                                   {"homes.csv": "period,value,notes\n2024-01,5,checked\n"},
                                   [[D, None, "notes", "unknown-column"]]),
    "measure-area-without-own-area": Case([measure(schema(("period", "string"), ("area_code", "string"),
                                                          ("value", "number")))],
                                          {"homes.csv": "period,area_code,value\n2024-01,E07000236,5\n"},
                                          [[D, None, "area_code", "unknown-column"]]),
    "measure-no-headline": Case([measure(schema(("period", "string"), ("area_code", "string"), ("value", "number")),
                                         area="E07000236")],
                                {"homes.csv": "period,area_code,value\n2024-01,E06000030,5\n"},
                                [["things/homes.csv", None, None, "no-headline"]]),
}

# frictionless-py's own fixtures, published as they are (no schema: frictionless infers one)
REAL = {
    "duplicate-headers.csv": [[1, "id2", "duplicate-label"], [1, "id3", "duplicate-label"]],
    "blank-headers.csv": [[1, "field2", "blank-label"]],
    "structure-errors.csv": [[4, None, "blank-row"], [5, None, "extra-cell"], [5, None, "extra-cell"],
                             [5, None, "extra-cell"]],
    "latin1.csv": [[3, None, "encoding-not-declared"]],
    "table-infer-iso-8859-7.csv": [[2, None, "encoding-not-declared"]],
    "defective-rows.csv": [[2, "age", "missing-cell"], [3, None, "extra-cell"]],
    "empty.csv": [[None, None, "source-error"]],
}


def _write_case(root: Path, case: Case) -> Path:
    data = root / "data"
    make_registers(data)
    pkg = data / "things"
    pkg.mkdir()
    for name, content in case.files.items():
        (pkg / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    descriptor = case.raw_descriptor or json.dumps({"name": "things", "resources": case.resources,
                                                    **case.package}).encode()
    (pkg / "datapackage.json").write_bytes(descriptor)
    return data


def _flat(data: Path) -> list[list]:
    loaded = load(settings_for(data))
    return [[os.path.relpath(p.path, data), p.row, p.field, p.type] for p in loaded.report.errors]


def _previous_site(project: Path) -> dict[str, bytes]:
    """What an earlier build published (any build's output is replaced whole; only its marker matters)."""
    out = project / "output"
    out.mkdir()
    (out / ".dashboard-build").write_text("earlier build\n")
    (out / "index.html").write_text("<!DOCTYPE html><title>The published site</title>\n")
    return snapshot(out)


def _assert_build_refused(project: Path, expected: list[list]) -> None:
    before = _previous_site(project)
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for path, row, fld, kind in expected:
        where = ":".join(str(x) for x in (f"data/{path}", row, fld) if x is not None)
        assert f"{where}: [{kind}]" in result.stdout, (where, kind, result.stdout)
    assert snapshot(project / "output") == before


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(tmp_path, name):
    case = CASES[name]
    project = make_project(tmp_path)
    data = _write_case(project, case)
    assert _flat(data) == case.problems
    _assert_build_refused(project, case.problems)


def test_a_symlink_leading_out_of_the_package_is_refused(tmp_path):
    project = make_project(tmp_path)
    (tmp_path / "secret.csv").write_text("a,b\nx,1\n")
    data = _write_case(project, Case([table("t.csv")]))
    (data / "things/t.csv").symlink_to(tmp_path / "secret.csv")
    assert _flat(data) == [[D, None, None, "unsafe-path"]]
    _assert_build_refused(project, [[D, None, None, "unsafe-path"]])


def test_a_200_megabyte_csv_is_refused_before_it_is_read(tmp_path):
    project = make_project(tmp_path)
    data = _write_case(project, Case([table()]))
    with open(data / "things/t.csv", "wb") as fh:       # sparse: 200 MB on paper, nothing on disk
        fh.write(b"a,b\n")
        fh.truncate(200_000_000)
    assert _flat(data) == [[T, None, None, "file-too-large"]]
    _assert_build_refused(project, [[T, None, None, "file-too-large"]])


@pytest.mark.parametrize("name", sorted(REAL))
def test_frictionless_fixture(tmp_path, name):
    project = make_project(tmp_path)
    data = _write_case(project, Case([{"name": "t", "path": name}]))
    shutil.copy(BAD_FRICTIONLESS / name, data / "things" / name)
    expected = [[f"things/{name}", *rest] for rest in REAL[name]]
    assert _flat(data) == expected
    _assert_build_refused(project, expected)


def test_urls_in_descriptive_metadata_are_links_not_fetches(tmp_path):
    project = make_project(tmp_path)
    data = _write_case(project, Case([table()], {"t.csv": "a,b\nx,1\n"}, package={
        "image": "https://example.org/logo.png",
        "sources": [{"title": "ONS", "path": "https://www.ons.gov.uk/"}],
        "licenses": [{"name": "OGL-UK-3.0", "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/"}]}))
    assert _flat(data) == []


def test_stray_whitespace_in_cells(tmp_path):
    """A measure's period with spaces is refused (it is a key); elsewhere text is kept exactly as written."""
    project = make_project(tmp_path)
    data = _write_case(project, Case([measure()], {"homes.csv": "period,value\n2024-01 ,5\n2024-02, 6 \n"}))
    assert _flat(data) == [["things/homes.csv", 2, "period", "period-format"]]   # " 6 " is still the number 6
    _assert_build_refused(project, [["things/homes.csv", 2, "period", "period-format"]])
    plain = tmp_path / "plain"
    plain.mkdir()
    data = _write_case(plain, Case([table()], {"t.csv": "a,b\n x , 6 \n"}))
    assert _flat(data) == []


@pytest.mark.parametrize("column", ["head_of_service", "title"])
def test_a_personal_column_of_a_register_is_refused(tmp_path, column):
    project = make_project(tmp_path)
    data = _write_case(project, Case([table()], {"t.csv": "a,b\nx,1\n"}))
    (data / "organisation/services.csv").write_text("id,title,head_of_service\nhousing,Housing,Jo Bloggs\n")
    descriptor = json.loads((data / "organisation/datapackage.json").read_text())
    services = next(r for r in descriptor["resources"] if r["name"] == "services")
    services["schema"]["fields"] = [{"name": "id", "type": "string"}, {"name": "title", "type": "string"},
                                    {"name": "head_of_service", "type": "string"}]
    next(f for f in services["schema"]["fields"] if f["name"] == column)["personal"] = True
    (data / "organisation/datapackage.json").write_text(json.dumps(descriptor))
    expected = [["organisation/datapackage.json", None, column, "personal-field"]]
    assert _flat(data) == expected
    _assert_build_refused(project, expected)


def test_a_personal_key_in_a_schema_file_is_refused(tmp_path):
    project = make_project(tmp_path)
    data = _write_case(project, Case([table(schema_="schema.json")], {
        "t.csv": "a,b\nx,1\n",
        "schema.json": json.dumps({"fields": [{"name": "a", "type": "string", "personal": True},
                                              {"name": "b", "type": "integer"}], "primaryKey": ["a"]})}))
    assert _flat(data) == [[D, None, "a", "personal-field"]]


def test_odd_dialects_and_encodings_do_not_crash_the_guards(tmp_path):
    project = make_project(tmp_path)
    data = _write_case(project, Case([table(encoding="bogus-enc")], {"t.csv": "a,b\nx,1\n"}))
    assert all(p[3] != "label-whitespace" for p in _flat(data))     # frictionless's own problem, no traceback
    spaced = tmp_path / "spaced"
    spaced.mkdir()
    data = _write_case(spaced, Case([table(dialect={"skipInitialSpace": True})], {"t.csv": "a, b\nx, 1\n"}))
    assert _flat(data) == []


# --- `dashboard import statistics`: each refusal names file, line and column, and changes nothing ----------

STATS = "area_code,area_name,period,indicator,measure,unit,value\n"
OWN_ROW = "E08000009,Trafford,2021,Rate,Percentage,Persons,"
IMPORT_CASES = {
    "no-value-column": ("area_code,period,indicator\nE08000009,2021,x\n", [], [[1, None, "no-value-column"]]),
    "area-not-in-file": (STATS + "E06000030,Swindon,2021,Rate,Percentage,Persons,5\n", [],
                         [[None, "area_code", "area-not-in-file"]]),
    "two-notations": (STATS + OWN_ROW + "5\nE08000009,Trafford,2022/23,Rate,Percentage,Persons,6\n",
                      ["--years", "financial"], [[3, "period", "mixed-notations"]]),
    "years-needed": (STATS + "E08000009,Trafford,2022/23,Rate,Percentage,Persons,5\n", [],
                     [[2, "period", "years-needed"]]),
    "no-total-rows": ("station,period,value\nA56,2021,5\nMoss Park,2021,6\n", ["--area-code", ""],
                      [[None, None, "no-total-rows"]]),
    "duplicate-rows": (STATS + OWN_ROW + "5\n" + OWN_ROW + "5\n", [], [[3, "period", "duplicate-figure"]]),
    "text-in-value": (STATS + OWN_ROW + "five\n", [], [[2, "value", "not-a-number"]]),
    "blank-value": (STATS + OWN_ROW + "\n", [], [[2, "value", "not-a-number"]]),
    "several-indicators": (STATS + OWN_ROW + "5\nE08000009,Trafford,2021,Count,Count,Persons,50\n", [],
                           [[None, None, "several-measures"]]),
    "unreadable-period": (STATS + "E08000009,Trafford,Spring 2021,Rate,Percentage,Persons,5\n", [],
                          [[2, "period", "period-unreadable"]]),
    "no-frequency-or-producer": (STATS + OWN_ROW + "5\n", ["--source", ""],
                                 [[None, None, "missing-detail"], [None, None, "missing-detail"]]),
    "not-utf-8": (b"area_code,period,value\nE08000009,2021,5\nE08000009,2022,\xa36\n", [],
                  [[3, None, "unknown-encoding"]]),
}


@pytest.mark.parametrize("name", sorted(IMPORT_CASES))
def test_bad_statistics_import(tmp_path, name):
    text, flags, problems = IMPORT_CASES[name]
    source = tmp_path / "stats.csv"
    source.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    folder = tmp_path / "data/statistics"
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text('{"name": "statistics", "resources": []}')
    before = snapshot(tmp_path / "data")
    result = run_dashboard("import", "statistics", "stats.csv", "--into", "data/statistics",
                           "--area-code", "E08000009", "--source", "ONS", *flags, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("stats.csv")]
    got = []
    for line in lines:
        where, kind = line.split(": [", 1)
        parts = where.split(":")[1:]
        row = int(parts[0]) if parts and parts[0].isdigit() else None
        column = (parts[1] if row is not None and len(parts) > 1 else parts[0] if parts and row is None else None)
        got.append([row, column, kind.split("]")[0]])
    assert got == problems
    assert snapshot(tmp_path / "data") == before
