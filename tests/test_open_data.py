"""Open data beyond each table's own files: every row of a measure with areas and breakdowns in every
download, the database's gathered tables (observations, measures, spending), Datasette's metadata.json
and a SHA256SUMS in each folder of downloads that `sha256sum -c` checks inside a copy of that folder.

One tiny project is built once for the module: a measure with other areas and two breakdowns, a plain
one with targets, statuses, notes, a missing figure and a suppressed one, and two spending quarters
beside a purchase-card file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from conftest import dashboard_property, make_measure_package, make_project, make_registers, run_dashboard
from generator.domain.disclosure import REDACTED
from generator.domain.spending import SPENDING_COLUMNS, table_schema
from generator.publish.gathered import breakdown_text
from generator.urls import Urls

OWN, OTHER = "E08000009", "E06000030"
RATE = ("period,area_code,area_name,sex,age,value,status,note\r\n"
        f"2024-01,{OWN},Own,,,5.1,,\r\n"
        f"2024-01,{OWN},Own,Female,,2.6,,\r\n"
        f'2024-01,{OWN},Own,Female,16-24,1.25,provisional,"First, estimate"\r\n'
        "2024-01,,,,a=b;c%d,[x],,\r\n"
        f"2024-01,{OTHER},Other,,,7.2,,\r\n"
        "2024-02,,,,,5.3,revised,Corrected count\r\n"
        f"2024-02,{OTHER},Other,Male,65+,7.0,,\r\n")
HOMES = ("period,value,target,status,note\r\n2024-01,5,6,,\r\n2024-02,[x],6,,Not collected\r\n"
         "2024-03,2,6.5,provisional,\r\n2024-04,7,,revised,Late returns\r\n")
SUPPRESS_BELOW = 3
TEXT = ("area_code", "area_name", "sex", "age", "status", "note")
FIELDS = {"rate": [{"name": n, "type": "number" if n == "value" else "string"}
                   for n in RATE.split("\r\n")[0].split(",")],
          "homes": [{"name": n, "type": "number" if n in ("value", "target") else "string"}
                    for n in HOMES.split("\r\n")[0].split(",")]}
SPENDING = {"q1": [
    {"transaction_date": "2025-04-02", "transaction_number": "T1", "service": "housing", "supplier_id": "S1",
     "supplier_name": "Acme Ltd", "amount": "1200.50", "irrecoverable_vat": "12.34", "individual": "false"},
    {"transaction_date": "2025-04-03", "transaction_number": "T2", "service": "housing", "supplier_id": "P-777",
     "supplier_name": "Jane Q Public", "amount": "640.00", "individual": "true"},
    {"transaction_date": "2025-05-03", "transaction_number": "T3", "service": "housing", "supplier_id": "S1",
     "supplier_name": "=ACME LIMITED", "amount": "-200.51", "individual": "false"}],
    "q2": [{"transaction_date": "2025-07-09", "transaction_number": "T4", "service": "housing",
            "supplier_name": "Bolt & Co", "amount": "0.10", "irrecoverable_vat": "0.02", "purpose": "Washers",
            "individual": "false"}],
    "card": [{"transaction_date": "2025-04-09", "transaction_number": "C1", "supplier_name": "Cafe",
              "amount": "9.99", "individual": "false"}]}
QUARTERS = {"spending-2025-26-q1": "q1", "spending-2025-26-q2": "q2"}


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [c.name for c in SPENDING_COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _project(root: Path) -> Path:
    project = make_project(root)
    data = project / "data"
    make_registers(data)
    props = {"rate": dashboard_property(unit="%", area=OWN, breakdowns=["sex", "age"]),
             "homes": dashboard_property(suppress_below=SUPPRESS_BELOW)}
    pkg = make_measure_package(data, {"rate": RATE, "homes": HOMES}, props)
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        resource["schema"]["fields"] = FIELDS[resource["name"]]
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    spending = data / "spending"
    spending.mkdir()
    for name, rows in SPENDING.items():
        (spending / f"{name}.csv").write_text(_csv(rows), newline="")
    resources = [{"name": n, "path": f"{f}.csv", "finance": "spending", "schema": table_schema(SPENDING_COLUMNS)}
                 for n, f in QUARTERS.items()]
    # A hand-made quarter may type irrecoverable VAT as text: the spending table still holds the number.
    next(f for f in resources[1]["schema"]["fields"] if f["name"] == "irrecoverable_vat")["type"] = "string"
    resources.append({"name": "card-2025-26-q1", "path": "card.csv", "finance": "card",
                      "schema": table_schema(SPENDING_COLUMNS)})
    (spending / "datapackage.json").write_text(json.dumps({"name": "spending", "resources": resources}))
    return project


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    project = _project(tmp_path_factory.mktemp("open-data"))
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "output"


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- every row in every download --------------------------------------------------------------

def test_downloads_keep_every_row_of_every_area_and_breakdown(out):
    source = _rows(RATE)
    for path in (out / "measures/rate/rate.csv", out / "data/measures/rate.csv"):
        assert _rows(path.read_text(encoding="utf-8")) == source, path
    with zipfile.ZipFile(out / "data/all.zip") as z:
        assert _rows(z.read("measures/rate.csv").decode("utf-8")) == source
    for path in (out / "measures/rate/rate.xlsx", out / "data/measures/measures.xlsx"):
        sheet = openpyxl.load_workbook(path, read_only=True)["rate"]
        got = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        assert [[c.removesuffix(".0") for c in row] for row in got] == [
            [c.removesuffix(".0") for c in row] for row in source], path
    inline = json.loads((out / "data/measures/measures.json").read_text(encoding="utf-8"))
    rows = next(r["data"] for r in inline["resources"] if r["name"] == "rate")
    assert [[row["period"], row["area_code"], row["sex"], row["age"], row["value"]] for row in rows] == [
        [r[0], r[1] or None, r[3] or None, r[4] or None, None if r[5] == "[x]" else float(r[5])] for r in source[1:]]
    twin = json.loads((out / "measures/rate/rate.json").read_text(encoding="utf-8"))
    assert len(twin["data"]) + sum(len(s["data"]) for s in twin["series"]) == len(source) - 1


# --- observations -----------------------------------------------------------------------------

def _encoded(parts: list[tuple[str, str]]) -> str:
    """The documented encoding, written out again here: name=value, totals left out, % ; = escaped."""
    escape = lambda t: t.replace("%", "%25").replace(";", "%3B").replace("=", "%3D")   # noqa: E731
    return ";".join(f"{escape(n)}={escape(v)}" for n, v in parts if v)


def _number(text: str):
    return None if text in ("", "[x]", "[c]", "[z]") else float(text)


def _expected_observations() -> list[tuple]:
    rows = []
    for measure, table in (("rate", RATE), ("homes", HOMES)):
        for r in csv.DictReader(io.StringIO(table)):
            value, symbol = _number(r["value"]), r["value"] if r["value"].startswith("[") else None
            if measure == "homes" and value is not None and 0 < value < SUPPRESS_BELOW:
                value, symbol = None, "[c]"
            area = "" if r.get("area_code", "") == OWN else r.get("area_code", "")   # blank or written: own
            breakdown = _encoded([("sex", r.get("sex", "")), ("age", r.get("age", ""))])
            rows.append((measure, r["period"], area, breakdown, value, symbol, r["status"] or None,
                         _number(r.get("target", "")), r["note"] or None, int(area == "" and not breakdown)))
    return rows


def test_observations_hold_every_row_of_every_measure_exactly(out):
    db = sqlite3.connect(out / "data/all.sqlite")
    got = db.execute("SELECT measure, period, area_code, breakdown, value, symbol, status, target, note, headline "
                     "FROM observations").fetchall()
    assert sorted(got, key=repr) == sorted(_expected_observations(), key=repr)
    assert db.execute("SELECT period, breakdown, value FROM observations WHERE measure = 'rate' AND area_code = '' "
                      "ORDER BY period, breakdown").fetchall() == [
        ("2024-01", "", 5.1), ("2024-01", "age=a%3Db%3Bc%25d", None), ("2024-01", "sex=Female", 2.6),
        ("2024-01", "sex=Female;age=16-24", 1.25), ("2024-02", "", 5.3)]
    assert db.execute("SELECT breakdown, symbol FROM observations WHERE value IS NULL AND measure = 'rate'"
                      ).fetchall() == [("age=a%3Db%3Bc%25d", "[x]")]
    assert db.execute("SELECT period_start, period_end FROM observations WHERE measure = 'homes' AND period = "
                      "'2024-02'").fetchall() == [("2024-02-01", "2024-02-29")]
    create = db.execute("SELECT sql FROM sqlite_master WHERE name = 'observations'").fetchone()[0]
    assert create.endswith("STRICT") and 'PRIMARY KEY ("measure", "period", "area_code", "breakdown")' in create
    assert db.execute("SELECT count(*) FROM observations WHERE area_code IS NULL OR breakdown IS NULL").fetchone() == (0,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("parts, text", [
    ([], ""), ([("sex", ""), ("age", "")], ""), ([("sex", "Female"), ("age", "")], "sex=Female"),
    ([("sex", ""), ("age", "65+")], "age=65+"), ([("sex", "Female"), ("age", "16-24")], "sex=Female;age=16-24"),
    ([("a=b", "x;y"), ("pct", "5% off")], "a%3Db=x%3By;pct=5%25 off")])
def test_the_breakdown_text_is_stable_and_gives_the_parts_back(parts, text):
    assert breakdown_text(parts) == text
    decoded = [tuple(unquote(s) for s in pair.split("=", 1)) for pair in text.split(";")] if text else []
    assert decoded == [(n, v) for n, v in parts if v]


# --- measures and spending --------------------------------------------------------------------

def test_the_measures_table_says_what_each_measure_is(out):
    db = sqlite3.connect(out / "data/all.sqlite")
    db.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in db.execute("SELECT * FROM measures")}
    assert set(rows) == {"rate", "homes"}
    assert rows["rate"] == {
        "id": "rate", "title": "Rate", "description": "", "unit": "%", "frequency": "monthly",
        "polarity": "higher-is-better", "kind": "strategic", "purposes": '["somewhere-to-live"]',
        "service": "housing", "owner": "Head of Housing", "source": "Case management system", "area": OWN,
        "breakdowns": '["sex", "age"]', "licence": "Open Government Licence v3.0",
        "url": "http://127.0.0.1:8000/measures/rate/", "package": "measures"}
    assert rows["homes"]["area"] == "" and rows["homes"]["breakdowns"] == "[]"


def test_the_spending_table_holds_every_payment_of_every_quarter_exactly(out):
    db = sqlite3.connect(out / "data/all.sqlite")
    db.row_factory = sqlite3.Row
    got = [dict(r) for r in db.execute("SELECT * FROM spending ORDER BY resource, resource_row")]
    assert [c[1] for c in db.execute("PRAGMA table_info(spending)")] == [
        "package", "resource", "resource_row", *(c.name for c in SPENDING_COLUMNS)]
    expected = [(resource, n, row) for resource, file in QUARTERS.items()
                for n, row in enumerate(SPENDING[file], start=1)]
    assert [(g["resource"], g["resource_row"]) for g in got] == [(r, n) for r, n, _ in expected]
    for g, (_, _, row) in zip(got, expected):
        assert g["package"] == "spending"
        assert g["amount"] == float(row["amount"]) and g["transaction_date"] == row["transaction_date"]
        assert g["irrecoverable_vat"] == _number(row.get("irrecoverable_vat", ""))
        assert g["individual"] == (row["individual"] == "true")
        assert g["supplier_name"] == (REDACTED if g["individual"] else row["supplier_name"])   # exact text
        assert g["supplier_id"] == (None if g["individual"] else row.get("supplier_id"))


# --- Datasette's metadata ---------------------------------------------------------------------

ABOUT = {"title", "description", "license", "license_url", "source", "source_url"}


def test_metadata_json_describes_the_database_and_names_every_table(out):
    meta = json.loads((out / "data/metadata.json").read_text(encoding="utf-8"))
    assert set(meta) == ABOUT | {"databases"} and set(meta["databases"]) == {"all"}   # the file's stem
    database = meta["databases"]["all"]
    db = sqlite3.connect(out / "data/all.sqlite")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(database["tables"]) == tables >= {"_tables", "observations", "measures", "spending", "rate"}
    for name, table in database["tables"].items():
        assert set(table) <= ABOUT | {"columns", "label_column"}, name
        assert {"title", "license", "source"} <= set(table) and table["license"], name
        columns = {c[1] for c in db.execute(f'PRAGMA table_info("{name}")')}
        assert set(table.get("columns", {})) <= columns, name
        assert all(isinstance(v, str) and v for v in table.get("columns", {}).values()), name
    assert set(database["tables"]["observations"]["columns"]) == {
        c[1] for c in db.execute("PRAGMA table_info(observations)")}
    assert database["tables"]["rate"]["source"] == "Case management system"
    assert database["tables"]["rate"]["source_url"] == "http://127.0.0.1:8000/measures/rate/"
    assert database["tables"]["measures"]["label_column"] == "title"


# --- checksums --------------------------------------------------------------------------------

def _lists(site: Path) -> dict[str, dict[str, str]]:
    """Each SHA256SUMS by its folder (relative to the site): path inside the folder -> digest."""
    lists = {}
    for path in sorted(site.rglob("SHA256SUMS")):
        lines = path.read_text(encoding="utf-8").splitlines()
        lists[path.parent.relative_to(site).as_posix()] = {rel: digest for digest, rel in
                                                           (line.split("  ", 1) for line in lines)}
    return lists


def _sha256sum_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True, check=False)


def _downloads(site: Path) -> set[str]:
    """Every file a page offers as a download (an <a download> link), relative to the site."""
    found = set()
    for page in site.rglob("index.html"):
        for href in re.findall(r'<a href="([^"#?]+)"[^>]* download>', page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            if target.is_relative_to(site.resolve()):
                found.add(target.relative_to(site.resolve()).as_posix())
    return found


def assert_checksums_cover_every_download(site: Path) -> dict[str, dict[str, str]]:
    """Each list covers every file under its folder but the pages (and the charts drawn for a phone, part of
    them), and every download is in a list."""
    lists = _lists(site)
    for folder, listed in lists.items():
        root = site / folder
        under = {p.relative_to(root).as_posix() for p in root.rglob("*")
                 if p.is_file() and p.name not in ("index.html", "SHA256SUMS") and not Urls.is_narrow_chart(p.name)}
        assert set(listed) == under, folder
    covered = {f"{folder}/{rel}" for folder, listed in lists.items() for rel in listed}
    downloads = _downloads(site)
    assert downloads and downloads <= covered, sorted(downloads - covered)
    return lists


def test_each_folder_of_downloads_is_checked_by_sha256sum_inside_it(out, tmp_path):
    lists = assert_checksums_cover_every_download(out)
    assert set(lists) == {"data", "calendar", "measures/rate", "measures/homes"}
    assert {"all.sqlite", "metadata.json", "measures/rate.csv"} <= set(lists["data"])
    assert set(lists["measures/rate"]) >= {f"rate.{ext}" for ext in ("csv", "xlsx", "json", "vl.json", "svg")}
    for folder in lists:
        copy = tmp_path / folder.replace("/", "-")      # a copy of that folder alone, saved elsewhere
        shutil.copytree(out / folder, copy)
        result = _sha256sum_check(copy)
        assert result.returncode == 0, folder + result.stdout + result.stderr
        altered = copy / sorted(lists[folder])[0]
        altered.write_bytes(altered.read_bytes() + b" ")
        result = _sha256sum_check(copy)
        assert result.returncode != 0 and f"{sorted(lists[folder])[0]}: FAILED" in result.stdout, folder


@pytest.mark.xdist_group("site")
def test_every_download_of_the_example_site_is_in_a_list_that_sha256sum_checks(site):
    lists = assert_checksums_cover_every_download(site)
    measures = {f"measures/{m}" for (m,) in sqlite3.connect(site / "data/all.sqlite").execute("SELECT id FROM measures")}
    reports = {f"reports/{r['slug']}" for r in json.loads((site / "reports/index.json").read_text())["reports"]}
    assert len(measures) > 30 and len(reports) >= 3
    assert set(lists) == measures | reports | {"data", "calendar"}        # not an old address's redirect
    for folder in lists:
        result = _sha256sum_check(site / folder)
        assert result.returncode == 0, folder + result.stdout + result.stderr


@pytest.mark.xdist_group("site")
def test_observations_of_the_example_site_hold_every_row_of_every_measure_table(site):
    db = sqlite3.connect(site / "data/all.sqlite")
    tables = dict(db.execute("SELECT m.id, t.\"table\" FROM measures m JOIN _tables t "
                             "ON t.package = m.package AND t.resource = m.id").fetchall())
    assert len(tables) == db.execute("SELECT count(*) FROM measures").fetchone()[0]
    areas = 0
    for measure, table in tables.items():
        columns = {c[1] for c in db.execute(f'PRAGMA table_info("{table}")')}
        area = "coalesce(area_code, '')" if "area_code" in columns else "''"   # a blank cell is NULL there
        own = db.execute("SELECT area FROM measures WHERE id = ?", (measure,)).fetchone()[0]
        source = db.execute(f'SELECT period, CASE WHEN {area} IN (\'\', ?) THEN \'\' ELSE {area} END, value '
                            f'FROM "{table}"', (own,)).fetchall()
        gathered = db.execute("SELECT period, area_code, value FROM observations WHERE measure = ?",
                              (measure,)).fetchall()
        assert sorted(gathered, key=repr) == sorted(source, key=repr), measure
        areas += len({a for _, a, _ in gathered if a})
    assert areas > 0     # the example has ward rows


def test_a_long_tables_pages_show_its_rows_a_page_at_a_time(site):
    """Each page of a long table shows its own rows, as its CSV holds them, and its twin the same rows."""
    table = site / "data/organisation/tables/services"
    with open(site / "data/organisation/services.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    html = (table / "index.html").read_text()
    shown = re.findall(r'<tr><th scope="row" class="num">(\d+)</th><td>([^<]*)</td>', html)
    assert len(shown) == min(len(rows), 100)
    assert shown == [(str(n), row[0]) for n, row in enumerate(rows, start=1)][:len(shown)]
    twin = json.loads((table / "index.json").read_text())
    assert [r["id"] for r in twin["rows"]] == [row[0] for row in rows][:len(shown)]
