"""Figures by ward and by breakdown: the example's ward measures show each ward in small multiples and a
table with a sentence, the parts' figures are the source's, and the old per-ward addresses redirect."""

from __future__ import annotations

import csv
import json
import re

import pytest

from conftest import ROOT

pytestmark = pytest.mark.xdist_group("site")
WARD_MEASURES = ["anti-social-behaviour", "fly-tipping-incidents", "missed-bins", "recycling-rate",
                 "street-cleanliness"]


@pytest.mark.parametrize("mid", WARD_MEASURES)
def test_a_ward_measure_shows_every_ward_beside_the_borough(site, mid):
    page = (site / f"measures/{mid}/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="by-ward-heading"'):]
    section = section[:section.index("</section>")]
    assert re.search(r"<p>In [^<]+, [^<]+ had the highest figure", section)
    assert (site / f"measures/{mid}/by-ward.svg").is_file() and f'src="../../measures/{mid}/by-ward.svg"' in section
    twin = json.loads((site / f"measures/{mid}/{mid}.json").read_text(encoding="utf-8"))
    [wards] = [p for p in twin["parts"] if p["id"] == "ward"]
    assert len(wards["parts"]) == 12
    with (ROOT / f"data/measures/{mid}.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["area_code"] and r["period"] == wards["latest_period"]]
    latest = {p["key"]: p["latest"] for p in wards["parts"]}
    assert {r["area_code"]: float(r["value"]) for r in rows} == latest
    assert all(f"<th scope=\"row\">{r['area_name']}</th>" in section for r in rows)


def test_ward_counts_add_up_to_the_borough(site):
    with (ROOT / "data/measures/anti-social-behaviour.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for period in {r["period"] for r in rows}:
        borough = [r["value"] for r in rows if r["period"] == period and not r["area_code"]]
        wards = [r["value"] for r in rows if r["period"] == period and r["area_code"]]
        if borough[0].startswith("["):
            continue
        assert int(borough[0]) == sum(int(v) for v in wards), period


@pytest.mark.parametrize("old, new", [("anti-social-behaviour-abbey", "anti-social-behaviour"),
                                      ("anti-social-behaviour-central", "anti-social-behaviour"),
                                      ("anti-social-behaviour-winyates", "anti-social-behaviour"),
                                      ("fly-tipping-greenlands", "fly-tipping-incidents"),
                                      ("fly-tipping-batchley-and-brockhill", "fly-tipping-incidents")])
def test_an_old_per_ward_address_redirects_to_the_measure_with_wards(site, old, new):
    page = (site / f"measures/{old}/index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../../measures/{new}/#by-ward-heading">' in page
    assert f'href="../../measures/{new}/#by-ward-heading"' in page
    assert old not in json.loads((site / "measures/index.json").read_text())["measures"][0]["id"]


def test_a_ward_page_lists_the_measures_with_rows_for_it(site):
    page = (site / "localities/abbey/index.html").read_text(encoding="utf-8")
    assert all(f"measures/{mid}/" in page for mid in WARD_MEASURES)
