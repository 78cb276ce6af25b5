"""A real second council, end to end: Trafford's published indicators (tests/fixtures/trafford, OGL v3.0,
Trafford Data Lab) through the recipe in docs/statistics.md, run exactly as written: `dashboard init`,
six imports, a strict build as of when the files were current. Its figures are the source's, on the
pages and in the downloads, and nothing of the example council appears anywhere."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, assert_accessible, html_pages, vnu_errors, vnu_report
from generator.analysis.comparisons import ordinal

OWN = "E08000009"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
EXAMPLE_WORDS = ["Redditch", "Batchley", "Winyates", "Matchborough", "Greenlands", "Headless Cross", "Astwood Bank",
                 "Crabbs Cross", "Lodge Park", "Church Hill"]


def recipe() -> str:
    text = (ROOT / "docs/statistics.md").read_text(encoding="utf-8")
    block = text.split("<!-- recipe: trafford -->", 1)[1]
    return block.split("```sh\n", 1)[1].split("\n```", 1)[0]


def run_recipe(base: Path) -> Path:
    """The recipe, run as written in `base` (which holds downloads/); the built site."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "HOME": str(base), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Policy Team", "GIT_AUTHOR_EMAIL": "policy@trafford.example",
           "GIT_COMMITTER_NAME": "Policy Team", "GIT_COMMITTER_EMAIL": "policy@trafford.example"}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", recipe()], cwd=base, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return base / "trafford/output"


@pytest.fixture(scope="module")
def trafford(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("trafford")
    shutil.copytree(FIXTURES / "trafford", base / "downloads")
    return run_recipe(base)


def source(name: str, **where) -> list[dict]:
    with (FIXTURES / "trafford" / name).open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if all(r[k] == v for k, v in where.items())]


def published(site: Path, measure: str) -> list[dict]:
    with (site / f"measures/{measure}/{measure}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def month(text: str) -> str:
    name, year = text.split()
    return f"{year}-{MONTHS.index(name) + 1:02d}"


def test_every_claimant_rate_in_the_source_is_in_the_download_exactly(trafford):
    rows = source("poverty/claimant_count.csv", indicator="Claimants as a proportion of residents aged 16-64")
    got = {(r["period"], r["area_code"]): r["value"] for r in published(trafford, "claimant-rate")}
    assert len(rows) == 650 and got == {(month(r["period"]), r["area_code"]): r["value"] for r in rows}


def _rolling(text: str) -> str:
    """'Jan 2023-Dec 2023' as the notation writes it: 2023-01/2023-12."""
    m = re.fullmatch(r"([A-Za-z]{3}) (\d{4})-([A-Za-z]{3}) (\d{4})", text)
    short = [x[:3] for x in MONTHS]
    return f"{m[2]}-{short.index(m[1]) + 1:02d}/{m[4]}-{short.index(m[3]) + 1:02d}"


def _same(text: str) -> str:
    return text


@pytest.mark.parametrize("measure, file, where, notation", [
    ("claimant-rate", "poverty/claimant_count.csv",
     {"indicator": "Claimants as a proportion of residents aged 16-64"}, month),
    ("employment-rate", "poverty/employment_rate.csv", {}, _rolling),
    ("neet", "poverty/neet.csv",
     {"indicator": "16 to 17 year olds not in education, employment or training (NEET) or whose activity is not "
                   "known"}, _same),
    ("child-poverty", "poverty/children_poverty.csv",
     {"indicator": "Children in relative low income families (under 16s)"}, _same),
    ("household-recycling", "climate/household_waste_recycling.csv", {"measure": "Percentage"}, _same),
])
def test_the_latest_figure_is_the_sources_on_the_page_and_in_the_download(trafford, measure, file, where, notation):
    own = source(file, area_code=OWN, **where)
    page = (trafford / f"measures/{measure}/index.html").read_text(encoding="utf-8")
    assert f"The latest figure is {own[-1]['value']}%" in page
    table = page[page.index("<tbody>", page.index('class="data-table"')):]
    shown = re.findall(r'<td class="num">([^<]*)</td>', table[:table.index("</tbody>")])
    assert shown == [r["value"] for r in reversed(own)]          # every figure of the headline, newest first
    rows = {(r["period"], r["area_code"]): r["value"] for r in published(trafford, measure)}
    checked = own + source(file, area_code="E92000001", **where)
    assert len(checked) > 10
    assert [rows.get((notation(r["period"]), r["area_code"])) for r in checked] == [r["value"] for r in checked]


def test_no2_headline_is_one_station_and_the_others_are_kept(trafford):
    rows = published(trafford, "no2-trafford-a56")
    assert len(rows) == 36 and {r["station_code"] for r in rows} == {"TRF2", "TRF3", "TRAF"}
    page = (trafford / "measures/no2-trafford-a56/index.html").read_text(encoding="utf-8")
    latest = source("climate/no2_concentration.csv", station_code="TRF2")[-1]
    assert latest["period"] == "2024-03-31" and f"The latest figure is {latest['value']} µg/m3" in page


def test_nothing_of_the_example_council_appears(trafford):
    with (ROOT / "data/organisation/purposes.csv").open(encoding="utf-8", newline="") as f:
        purposes = [r["title"] for r in csv.DictReader(f)]
    found = set()
    for path in trafford.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv", ".txt", ".ics", ".jsonld"):
            text = path.read_text(encoding="utf-8")
            found |= {(w, path.relative_to(trafford).as_posix()) for w in EXAMPLE_WORDS + purposes if w in text}
    assert found == set()


def test_a_known_delay_is_shown_not_overdue(trafford):
    page = (trafford / "measures/household-recycling/index.html").read_text(encoding="utf-8")
    assert "<strong>Delayed:</strong>" in page and "DEFRA" in page and "Overdue" not in page


def test_the_trafford_site_is_valid_html(trafford):
    errors = vnu_errors(trafford, *html_pages(trafford))
    assert errors == [], vnu_report(trafford, errors)


@pytest.mark.browser
def test_the_trafford_site_passes_axe(trafford, browser):
    assert_accessible(browser, trafford, ["/", "/purposes/poverty/", "/measures/claimant-rate/",
                                          "/measures/no2-trafford-a56/", "/measures/neet/", "/calendar/",
                                          "/data/statistics/", "/measures/"])


# --- councils like us: rank and median against a computation from the source CSVs -------------------------

def group(name: str) -> set[str]:
    with (FIXTURES / "trafford" / name).open(encoding="utf-8", newline="") as f:
        return {r["area_code"] for r in csv.DictReader(f)}


def expected(rows: list[dict], members: set[str], period: str, higher_first: bool = True) -> tuple[int, float]:
    """Trafford's rank (ties share, the council counted) and the group's median, from the source."""
    values = {r["area_code"]: float(r["value"]) for r in rows if r["period"] == period
              and r["area_code"] in members | {OWN}}
    assert len(values) == len(members | {OWN})
    own = values[OWN]
    ahead = sum(1 for v in values.values() if (v > own if higher_first else v < own))
    return 1 + ahead, statistics.median(values.values())


@pytest.mark.parametrize("measure, file, where, members, latest", [
    ("claimant-rate", "poverty/claimant_count.csv", {"indicator": "Claimants as a proportion of residents aged 16-64"},
     "cipfa2021.csv", "April 2024"),
    ("child-poverty", "poverty/children_poverty.csv",
     {"indicator": "Children in relative low income families (under 16s)"}, "cssn.csv", "2022/23"),
    ("employment-rate", "poverty/employment_rate.csv", {}, "cipfa2021.csv", "Jan 2023-Dec 2023"),
])
def test_the_rank_and_median_are_the_sources(trafford, measure, file, where, members, latest):
    rank, median = expected(source(file, **where), group(members), latest)
    twin = json.loads((trafford / f"measures/{measure}/{measure}.json").read_text(encoding="utf-8"))
    [c] = twin["comparisons"]
    assert (c["rank"], c["of"]) == (rank, len(group(members)) + 1)
    assert c["group_by_period"][-1]["median"] == pytest.approx(median)
    page = (trafford / f"measures/{measure}/index.html").read_text(encoding="utf-8")
    assert f"{ordinal(rank)} " in c["sentence"] and html.escape(c["sentence"], quote=False) in page


def test_a_missing_member_figure_moves_the_rank_to_the_latest_shared_period(tmp_path):
    shutil.copytree(FIXTURES / "trafford", tmp_path / "downloads")
    path = tmp_path / "downloads/poverty/claimant_count.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    gone = [i for i, line in enumerate(lines) if line.startswith("E06000030,Swindon,April 2024,Claimants as")]
    assert len(gone) == 1
    path.write_text("".join(line for i, line in enumerate(lines) if i not in gone), encoding="utf-8")
    site = run_recipe(tmp_path)
    [c] = json.loads((site / "measures/claimant-rate/claimant-rate.json").read_text(encoding="utf-8"))["comparisons"]
    assert (c["period"], c["latest_period"], c["reporting"]) == ("2024-03", "2024-04", 15)
    rows = source("poverty/claimant_count.csv", indicator="Claimants as a proportion of residents aged 16-64")
    assert c["rank"] == expected(rows, group("cipfa2021.csv"), "March 2024")[0]
    page = (site / "measures/claimant-rate/index.html").read_text(encoding="utf-8")
    assert "Only 15 of the 16 have a figure for April 2024, so this is for March 2024" in page
