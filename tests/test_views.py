"""Views and twins: a page's JSON twin is the data the page shows, so the two cannot drift; and a
measure's licence is its package's, wherever it is shown."""

from __future__ import annotations

import json
import re
import sqlite3

import openpyxl
import pytest

from conftest import dashboard_property, make_measure_package, make_project, make_registers, run_dashboard
from generator.domain.model import Purpose
from generator.site.pages import Counted, Link, Page
from generator.site.twins import Twin
from generator.urls import Urls

site_group = pytest.mark.xdist_group("site")
CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
         "path": "https://creativecommons.org/licenses/by/4.0/"}


def _measure_ids(html: str) -> set[str]:
    main = html[html.index("<main"):html.index("</main>")]
    return set(re.findall(r'href="(?:\.\.?/)*measures/([a-z0-9-]+)/"', main))


@site_group
@pytest.mark.parametrize("page", ["measures/", "purposes/somewhere-to-live/", "services/housing-options/",
                                  "localities/abbey/"])
def test_the_measures_a_page_lists_are_the_measures_its_twin_lists(site, page):
    twin = json.loads((site / page / "index.json").read_text())
    html = (site / page / "index.html").read_text()
    assert twin["measures"] and {m["id"] for m in twin["measures"]} == _measure_ids(html)


@site_group
def test_the_home_page_twin_holds_what_the_page_shows(site):
    twin = json.loads((site / "index.json").read_text())
    html = (site / "index.html").read_text()
    assert {m["id"] for m in twin["headlines"] + twin["updates"]} == _measure_ids(html)
    for p in twin["purposes"]:
        assert f">{p['title']}</a>" in html and f"{p['measures']} measure" in html


@site_group
def test_every_dataset_page_has_a_twin_of_what_it_shows(site):
    for page in (site / "data").glob("*/index.html"):
        twin = json.loads((page.parent / "index.json").read_text())
        assert twin["name"] == page.parent.name and twin["downloads"]
        assert all(f'<a href="{d["url"].rsplit("/", 1)[1]}" download>' in page.read_text()
                   for d in twin["downloads"])


def test_twins_encode_only_what_they_know():
    twin = Twin(Urls("https://x.org", "{slug}/", "theme"), None)
    purpose = Purpose("p", "A purpose", "", "", "")
    assert twin.encode({"purposes": [Counted(purpose, 3)], "all": Link("measures/index.json")}) == {
        "purposes": [{"id": "p", "title": "A purpose", "description": "", "portfolio_holder": "", "director": "",
                      "url": "https://x.org/purposes/p/", "feed": "https://x.org/feeds/p.atom.xml", "measures": 3}],
        "all": "https://x.org/measures/index.json"}
    with pytest.raises(TypeError, match="No JSON twin for a object"):
        twin.encode({"thing": object()})
    assert Page("x/", "t", {"a": 1}, {"b": 2}).context() == {"a": 1, "b": 2}


def test_the_licence_a_package_declares_is_the_one_on_its_measure_pages_downloads_and_dcat(tmp_path):
    project = make_project(tmp_path)
    data = project / "data"
    make_registers(data)
    pkg = make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,6\n"},
                               {"homes": dashboard_property(kind="operational", purposes=[])})
    descriptor = json.loads((pkg / "datapackage.json").read_text())
    (pkg / "datapackage.json").write_text(json.dumps({**descriptor, "licenses": [CC_BY]}))
    result = run_dashboard("build", "--output", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "out"
    page = (out / "measures/homes/index.html").read_text()
    start = page.index('id="downloads-heading"')
    downloads = page[start:page.index("</section>", start)]
    assert f'<a href="{CC_BY["path"]}" rel="license">{CC_BY["title"]}</a>' in downloads
    assert "Open Government Licence" not in downloads
    assert json.loads((out / "measures/homes/homes.json").read_text())["license"] == CC_BY
    assert json.loads((out / "data/measures/datapackage.json").read_text())["licenses"] == [CC_BY]
    notes = dict((r[0], r[1]) for r in openpyxl.load_workbook(out / "measures/homes/homes.xlsx")["Notes"].iter_rows(
        values_only=True) if r[0])
    assert notes["Licence"].startswith(CC_BY["title"])
    catalog = json.loads((out / "data/catalog.jsonld").read_text())
    licences = {d["@id"].split("/")[-2]: d["dct:license"]["@id"] for d in catalog["dcat:dataset"]}
    assert licences["homes"] == licences["measures"] == CC_BY["path"]
    with sqlite3.connect(out / "data/all.sqlite") as db:
        assert db.execute('SELECT license FROM _tables WHERE "table" = ?', ("homes",)).fetchone() == (CC_BY["title"],)
