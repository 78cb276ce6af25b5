"""Wider data (issue 12, item 5): /wider-data/ lists every package of wider data with its publisher and licence
(a partner's marked as such) and what its tables cover, then the context measures; a package's
dashboard.purposes links it from each purpose's page; a project without wider data has no page and no link."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import (ROOT, assert_accessible, dashboard_property, html_pages, make_measure_package, make_project,
                      make_registers, run_dashboard, settings_for, vnu_errors, vnu_report)
from generator.analysis.wider import coverage
from generator.domain.model import Field, Locality, Resource
from generator.domain.vocabulary import Role
from generator.ingest.pipeline import load

site_group = pytest.mark.xdist_group("site")
POLICE = "West Mercia Police"


def twin(site: Path, path: str) -> dict:
    return json.loads((site / path / "index.json").read_text(encoding="utf-8"))


def main_of(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return html[html.index("<main"):html.index("</main>")]


def entry_html(page: str, name: str) -> str:
    """One dataset's section of the wider data page."""
    start = page.index(f'<section class="dataset-entry" aria-labelledby="wider-{name}">')
    return page[start:page.index("</section>", start)]


def declared_purposes() -> dict[str, list[str]]:
    """Each example package's dashboard.purposes, as its datapackage.json says."""
    found = {}
    for path in sorted((ROOT / "data").glob("*/datapackage.json")):
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        found[descriptor["name"]] = (descriptor.get("dashboard") or {}).get("purposes", [])
    return found


# --- the example site ----------------------------------------------------------------------------

@site_group
def test_the_page_lists_each_wider_dataset_with_its_publisher_licence_and_coverage(site):
    data = twin(site, "wider-data")
    listed = {d["name"]: d for d in data["datasets"]}
    # Measures, registers and finance are not wider data; the demographics and the police's figures are.
    assert set(listed) == {"demographics", "police-recorded-crime"}
    assert (listed["police-recorded-crime"]["publisher"], listed["police-recorded-crime"]["partner"]) == (POLICE, True)
    assert listed["demographics"]["partner"] is False
    tables = {t["name"]: t for d in data["datasets"] for t in d["tables"]}
    assert tables["borough-population"]["areas"] == "The whole area"
    assert tables["ward-deprivation"]["areas"] == "By ward (all 12)"        # a `locality` column
    assert tables["recorded-crime"]["areas"] == "The whole area; by ward (all 12)"   # GSS codes in area_code
    assert tables["recorded-crime"]["periods"] == "2023/24 to 2024/25"
    page = main_of(site, "wider-data")
    police, demographics = entry_html(page, "police-recorded-crime"), entry_html(page, "demographics")
    assert re.search(rf'<span class="tag">partner data</span> Published by {POLICE} under <a href="https://www\.'
                     r'nationalarchives\.gov\.uk/doc/open-government-licence/version/3/" rel="license">Open '
                     r'Government Licence v3\.0</a>\.', police)
    assert "partner data" not in demographics and "Published by Redditch Borough Council under" in demographics
    for name, entry in (("police-recorded-crime", police), ("demographics", demographics)):
        assert f'href="../data/{name}/"' in entry and f'href="../data/{name}/datapackage.json" download' in entry
    # The catalogue and the dataset's own page mark the partner's data too.
    assert '<dd>West Mercia Police <span class="tag">partner data</span></dd>' in main_of(site, "data")
    assert '<span class="tag">partner data</span>' in main_of(site, "data/police-recorded-crime")
    assert '<span class="tag">partner data</span>' not in main_of(site, "data/demographics")


@site_group
def test_every_page_links_to_the_wider_data_from_the_menu(site):
    for path in ("", "measures/", "data/"):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        menu = html[html.index('<nav aria-label="Main">'):html.index("</nav>")]
        assert "wider-data/" in menu and ">Wider data</a>" in menu


@site_group
def test_purpose_pages_link_to_the_datasets_that_declare_them(site):
    declared = declared_purposes()
    assert declared["demographics"] and declared["police-recorded-crime"]     # the example declares some
    for purpose in twin(site, "")["purposes"]:
        pid = purpose["id"]
        wanted = {name for name, purposes in declared.items() if pid in purposes}
        page = main_of(site, f"purposes/{pid}")
        wider = page.split("<h2>Wider data</h2>")[1] if "<h2>Wider data</h2>" in page else ""
        assert set(re.findall(r'href="\.\./\.\./data/([a-z0-9-]+)/"', wider)) == wanted, pid
        assert {d["name"] for d in twin(site, f"purposes/{pid}")["wider_datasets"]} == wanted, pid
        assert ("partner data" in wider) == ("police-recorded-crime" in wanted)


# --- validation ----------------------------------------------------------------------------------

def wider_package(root: Path, dashboard: dict | None = None, name: str = "context") -> Path:
    pkg = root / name
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "t.csv").write_text("period,population\n2024,1000\n")
    descriptor = {"name": name, "resources": [{"name": "t", "path": "t.csv"}]}
    if dashboard is not None:
        descriptor["dashboard"] = dashboard
    (pkg / "datapackage.json").write_text(json.dumps(descriptor))
    return pkg


def problems(data_dir: Path) -> list[list]:
    loaded = load(settings_for(data_dir))
    return [[os.path.relpath(p.path, data_dir), p.row, p.field, p.type] for p in loaded.report.errors]


def test_a_package_naming_an_unknown_purpose_is_a_problem(data_dir):
    wider_package(data_dir, {"purposes": ["somewhere-to-live", "somewhere-to-lve"]})
    assert problems(data_dir) == [["context/datapackage.json", None, "dashboard.purposes", "unknown-purpose"]]


@pytest.mark.parametrize("dashboard, field", [({"purposes": "somewhere-to-live"}, "dashboard.purposes"),
                                              ({"purposes": ["Somewhere To Live"]}, "dashboard.purposes[0]"),
                                              ({"purpose": ["somewhere-to-live"]}, "dashboard")])
def test_a_packages_purposes_are_a_list_of_ids(data_dir, dashboard, field):
    wider_package(data_dir, dashboard)
    assert problems(data_dir) == [["context/datapackage.json", None, field, "dashboard-property"]]


def test_the_package_profile_takes_its_frequencies_from_the_vocabulary():
    from generator.domain.vocabulary import Frequency
    from generator.ingest.checks import package_validator
    assert package_validator().schema["properties"]["frequency"]["enum"] == [f.value for f in Frequency]


def test_a_package_that_declares_known_purposes_informs_them(data_dir):
    wider_package(data_dir, {"frequency": "annual", "purposes": ["somewhere-to-live"]})
    site = load(settings_for(data_dir)).site
    assert [d.name for d in site.wider_for_purpose("somewhere-to-live")] == ["context"]


# --- what wider data is, decided once --------------------------------------------------------------

def table(name: str, columns: list[str], rows: list[list[str]], role: Role = Role.DATASET,
          tabular: bool = True) -> Resource:
    return Resource(name, name, "", None, f"{name}.csv", [Field(c, "string", "", "", "") for c in columns], 0,
                    cells=rows, role=role, tabular=tabular)


def test_only_tables_that_are_neither_measures_registers_nor_finance_are_wider_data():
    assert table("t", ["a"], []).wider
    assert not any(table("t", ["a"], [], role).wider for role in Role if role is not Role.DATASET)
    assert not table("licence", [], [], tabular=False).wider        # a text file beside the tables


def test_coverage_reads_a_locality_id_or_a_wards_gss_code():
    wards = {"north": Locality("north", "North", "E05000001", "ward"),
             "south": Locality("south", "South", "E05000002", "ward")}
    by_id = coverage(table("t", ["locality", "period", "x"], [["north", "2021", "1"], ["south", "2021", "2"]]),
                     wards, "E07000001")
    by_code = coverage(table("t", ["area_code", "period", "x"], [["E07000001", "2022/23", "3"],
                                                                  ["E05000002", "2023/24", "1"]]), wards, "E07000001")
    whole = coverage(table("t", ["period", "x"], [["2024-Q1", "1"], ["2023-Q4", "2"]]), wards, "E07000001")
    assert (by_id.periods, by_id.areas) == ("2021", "By ward (all 2)")
    assert (by_code.periods, by_code.areas) == ("2022/23 to 2023/24", "The whole area; by ward (1 of 2)")
    assert (whole.periods, whole.areas) == ("2023 quarter 4 to 2024 quarter 1", "The whole area")
    odd = coverage(table("t", ["area_code", "period"], [["E92000001", "Spring 2024"]]), wards, "E07000001")
    assert (odd.periods, odd.areas) == ("Spring 2024", "Other areas")


# --- a council's own project -------------------------------------------------------------------------

LOCALITIES = "id,name,gss_code,type\nnorth,North,E05000001,ward\nsouth,South,E05000002,ward\n"
HEALTH = "area_code,period,life_expectancy\nE05000001,2023,81.2\nE05000002,2023,78.9\nE07000001,2023,80.1\n"
CONTEXT = {"kind": "context", "purposes": ["somewhere-to-live"], "unit": "%", "frequency": "monthly",
           "source": "Office for National Statistics", "release": {"lag_days": 60}}
TABLE = "period,value\n2024-01,3.1\n2024-02,3.4\n"
ENV = {"SOURCE_DATE_EPOCH": "1711929600"}      # 2024-04-01


def council_project(tmp_path: Path, wider: bool) -> Path:
    """A project with the example's settings; with `wider`, a partner's table by ward (GSS codes) and a context
    measure, else measures of the council's own work only."""
    project = make_project(tmp_path)
    root = project / "data"
    organisation = make_registers(root)
    (organisation / "localities.csv").write_text(LOCALITIES)
    descriptor = json.loads((organisation / "datapackage.json").read_text())
    localities = next(r for r in descriptor["resources"] if r["name"] == "localities")
    localities["schema"]["fields"] += [{"name": "gss_code", "type": "string"}, {"name": "type", "type": "string"}]
    (organisation / "datapackage.json").write_text(json.dumps(descriptor))
    measures = {"homes": TABLE}
    props = {"homes": dashboard_property(unit="%")}
    if wider:
        measures["claimants"], props["claimants"] = TABLE, CONTEXT
        pkg = root / "health"
        pkg.mkdir()
        (pkg / "life-expectancy.csv").write_text(HEALTH)
        (pkg / "datapackage.json").write_text(json.dumps({
            "name": "health", "title": "Life expectancy by ward",
            "description": "Years a baby born now could expect to live, *if* rates stay as they are.",
            "contributors": [{"title": "NHS Example Integrated Care Board", "role": "publisher"}],
            "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                          "path": "https://creativecommons.org/licenses/by/4.0/"}],
            "dashboard": {"purposes": ["somewhere-to-live"]},
            "resources": [{"name": "life-expectancy", "path": "life-expectancy.csv", "title": "Life expectancy",
                           "schema": {"fields": [{"name": "area_code", "type": "string"},
                                                 {"name": "period", "type": "string"},
                                                 {"name": "life_expectancy", "type": "number",
                                                  "title": "Life expectancy", "unit": "years"}]}}]}))
    make_measure_package(root, measures, props)
    (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text()
                                            + '\nDASHBOARD_COUNCIL = "Example Council"\nDASHBOARD_AREA_CODE = "E07000001"\n')
    result = run_dashboard("build", "--output", "out", cwd=project, env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "out"


def test_a_project_without_wider_data_has_no_page_and_no_link_to_it(tmp_path):
    out = council_project(tmp_path, wider=False)
    assert not (out / "wider-data").exists()
    linking = [p for p in html_pages(out) if "wider-data/" in (out / p).read_text(encoding="utf-8")]
    assert linking == []
    assert "wider-data/" not in (out / "sitemap.xml").read_text()
    assert "<h2>Wider data</h2>" not in (out / "purposes/somewhere-to-live/index.html").read_text()


@pytest.mark.browser
def test_a_partners_table_by_gss_code_and_a_context_measure_are_wider_data(tmp_path, browser):
    out = council_project(tmp_path, wider=True)
    data = json.loads((out / "wider-data/index.json").read_text())
    assert [(d["name"], d["publisher"], d["partner"]) for d in data["datasets"]] == [
        ("health", "NHS Example Integrated Care Board", True)]
    assert data["datasets"][0]["tables"][0]["areas"] == "The whole area; by ward (all 2)"
    assert [m["id"] for m in data["measures"]] == ["claimants"]
    page = (out / "wider-data/index.html").read_text()
    assert ("Published by NHS Example Integrated Care Board under <a href=\"https://creativecommons.org/licenses/"
            "by/4.0/\" rel=\"license\">Creative Commons Attribution 4.0</a>.") in page
    assert "<em>if</em>" in page                                         # the description's Markdown, rendered
    measures = page[page.index('id="wider-measures-heading"'):]
    assert 'href="../measures/claimants/"' in measures and '<table class="measures">' in measures
    # A ward's page has the partner's figure for it, found by its GSS code.
    ward = (out / "localities/south/index.html").read_text()
    assert "Life expectancy" in ward and "78.9" in ward and "81.2" not in ward
    purpose = (out / "purposes/somewhere-to-live/index.html").read_text()
    wider = purpose.split("<h2>Wider data</h2>")[1]
    assert 'href="../../data/health/"' in wider and 'href="../../measures/claimants/"' in wider
    errors = vnu_errors(out, "wider-data/index.html", "purposes/somewhere-to-live/index.html")
    assert errors == [], vnu_report(out, errors)
    assert_accessible(browser, out, ["/wider-data/", "/purposes/somewhere-to-live/"])
