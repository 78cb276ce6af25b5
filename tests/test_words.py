"""Every word the council's own (issue 11): no council's words in the tool, the council's names for
things from its settings, content and registers, no page or link for a section without data, and the
wording defects seen on another council's real data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, dashboard_property, make_measure_package, make_project, make_registers, run_dashboard

site_group = pytest.mark.xdist_group("site")

# Words that belong to the example council (Redditch): its method, its name for its purposes, its
# boundaries, its roles. They are in its settings, content/ and data/, never in the tool.
EXAMPLE_WORDS = [re.compile(w, re.IGNORECASE) for w in (
    r"customer[’']s point of view", r"six tests", r"\b2013\b", r"Portfolio Holder", r"strategic purpose",
    r"Redditch", r"check-plan-do", r"\bborough\b")]
TOOL = [p for p in sorted((ROOT / "theme/templates").rglob("*.html"))] + [
    p for p in sorted((ROOT / "generator").rglob("*")) if p.suffix in (".py", ".html", ".json", ".md")]


def _council_words(paths: list[Path]) -> list[str]:
    return [f"{p.name}:{n}: {word.search(line)[0]}" for p in paths
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
            for word in EXAMPLE_WORDS if word.search(line)]


def test_no_council_s_words_are_in_the_templates_or_the_code():
    assert TOOL and _council_words(TOOL) == []


def test_the_word_check_can_fail(tmp_path):
    template = tmp_path / "home.html"
    template.write_text("<h2>Our strategic purposes</h2>\n<p>Wards (2013 boundaries), \\u2013</p>\n")
    assert _council_words([template]) == ["home.html:1: strategic purpose", "home.html:2: 2013"]


# --- another council's project --------------------------------------------------------------

def _html(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


def _links_to(pages: dict[str, str], section: str) -> list[str]:
    """Pages with a link into a section (relative, as every link in the site is)."""
    pattern = re.compile(rf'href="(\.\./|\./)*{section}/')
    return [name for name, text in pages.items() if pattern.search(text)]


@pytest.fixture(scope="module")
def other_council(tmp_path_factory) -> Path:
    """A council that calls its purposes "priorities", has no localities, no finance, no about page and no
    introduction of its own; a register with an empty cell and its own title for a role; a measure in
    µg/m3 with a target and three figures; a change of definition on a chart; an annual measure."""
    project = make_project(tmp_path_factory.mktemp("other"))
    (project / "content/pages/about.md").unlink()
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write('\nDASHBOARD_PURPOSES_LABEL = "priorities"\nDASHBOARD_PURPOSE_LABEL = "priority"\n'
                 'DASHBOARD_COUNCIL = "Trafford Council"\nDASHBOARD_ILLUSTRATIVE = False\n')
    data = project / "data"
    org = make_registers(data, purposes=("clean-air", "homes"), localities=())
    (org / "purposes.csv").write_text("id,title,cabinet_member\nclean-air,Clean air,Councillor A. Smith\n"
                                      "homes,Homes,\n")
    descriptor = json.loads((org / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"].append(
        {"name": "cabinet_member", "type": "string", "title": "Executive Member"})
    (org / "datapackage.json").write_text(json.dumps(descriptor))
    months = "".join(f"2024-{m:02d},{20 + m % 2}\n" for m in range(1, 13)) + \
        "".join(f"2025-{m:02d},{12 + m % 2}\n" for m in range(1, 9))
    make_measure_package(data, {
        "no2": "period,value\n2024-01,31\n2024-02,29\n2024-03,28\n",
        "homes-built": "period,value\n2021/22,60\n2022/23,72\n2023/24,70\n",
        "wait": "period,value\n" + months,
    }, {
        "no2": dashboard_property(purposes=["clean-air"], unit="µg/m3", polarity="lower-is-better", target=30,
                                  headline=True),
        "homes-built": dashboard_property(purposes=["homes"], unit="homes", frequency="annual", headline=True),
        "wait": dashboard_property(purposes=["homes"], unit="days", polarity="lower-is-better", annotations=[
            {"period": "2025-01", "label": "Counted from first contact", "kind": "definition", "rebase": True}]),
    })
    result = run_dashboard("build", "--output", "out", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "out"


def test_a_section_without_data_has_no_page_and_no_link(other_council):
    pages = _html(other_council)
    assert not (other_council / "localities").exists() and not (other_council / "finance").exists()
    assert _links_to(pages, "localities") == [] and _links_to(pages, "finance") == []
    assert "/localities/" not in (other_council / "sitemap.xml").read_text()
    assert "/localities/&lt;id&gt;/" not in pages["data/index.html"]         # the address table
    assert _links_to(pages, "services") and _links_to(pages, "calendar")     # these have data: linked


def test_no_about_page_no_about_link(other_council):
    pages = _html(other_council)
    assert not (other_council / "about").exists()
    assert _links_to(pages, "about") == []
    assert _links_to(pages, "accessibility")                 # the project kept its accessibility statement


def test_the_chart_guide_comes_with_the_tool(other_council):
    guide = (other_council / "how-to-read-charts/index.html").read_text()
    assert "How to read the charts" in guide and "at least 15 figures" in guide
    assert 'href="../../how-to-read-charts/"' in (other_council / "measures/no2/index.html").read_text()


def test_the_council_s_name_for_its_purposes_is_used_and_never_strategic_purpose(other_council):
    pages = _html(other_council)
    ours = {name: text for name, text in pages.items() if not name.startswith("accessibility/")}  # its own page
    assert [name for name, text in ours.items() if "strategic purpose" in text.lower()] == []
    assert "Our priorities</h2>" in pages["index.html"]
    assert "<dt>Priority</dt>" in pages["measures/no2/index.html"]
    assert "Measures for this priority" in pages["purposes/clean-air/index.html"]
    assert "One priority and its measures" in pages["data/index.html"]


def test_without_an_introduction_the_home_page_is_neutral(other_council):
    home = (other_council / "index.html").read_text()
    assert "How Trafford Council’s services are doing: every measure with a chart" in home
    assert "point of view" not in home
    assert json.loads((other_council / "index.json").read_text())["introduction"] is None


def test_register_labels_are_the_register_s_titles_and_empty_cells_have_no_label(other_council):
    clean_air = (other_council / "purposes/clean-air/index.html").read_text()
    homes = (other_council / "purposes/homes/index.html").read_text()
    assert "<dt>Executive Member</dt><dd>Councillor A. Smith</dd>" in clean_air
    assert "Executive Member" not in homes and "Portfolio Holder" not in homes and "Director" not in homes
    service = (other_council / "services/housing/index.html").read_text()
    assert "Head of service" not in service                  # make_registers' services have no such column


def test_a_measurement_unit_is_not_a_number_of(other_council):
    page = (other_council / "measures/no2/index.html").read_text()
    assert "Measured in µg/m3, monthly" in page and "Number of µg/m3" not in page


def test_a_target_with_too_few_figures_agrees_with_the_summary(other_council):
    page = (other_council / "measures/no2/index.html").read_text()
    assert "The target is 30 µg/m3: the latest figure meets it; there are too few figures yet" in page
    glance = page[page.index('aria-label="At a glance"'):page.index("</ul>", page.index('aria-label="At a glance"'))]
    assert "Latest figure meets target" in glance and "No target" not in glance


def test_a_series_too_short_for_limits_still_says_which_way_it_went(other_council):
    home = (other_council / "index.html").read_text()
    row = home[home.index("measures/homes-built/"):]
    row = row[:row.index("</tr>")]
    assert "Lower, worse" in row and "Too few figures yet" in row


def test_annotations_are_labelled_by_their_kind(other_council):
    page = (other_council / "measures/wait/index.html").read_text()
    key = page[page.index('aria-label="Chart key"'):page.index("</ul>", page.index('aria-label="Chart key"'))]
    assert "A change of definition or method (dashed vertical line" in key
    assert "A change to the service" not in key
    spec = json.loads((other_council / "measures/wait/wait.vl.json").read_text())
    assert [layer["data"]["name"] for layer in spec["layer"]
            if layer["mark"].get("style", "").startswith("annotation-label")] == ["notes"]
    assert [v["text"] for v in spec["datasets"]["notes"]] == ["New definition: Counted from first contact"]
    assert [layer["mark"]["style"] for layer in spec["layer"]
            if layer["mark"]["style"].startswith("annotation-rule")] == ["annotation-rule-definition"]
    assert json.loads((other_council / "measures/wait/wait.json").read_text())["annotations"][0]["kind"] == \
        "definition"


def test_an_unknown_annotation_kind_is_refused(tmp_path):
    data = tmp_path / "data"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n2024-02,7\n"}, {"homes": dashboard_property(
        annotations=[{"period": "2024-02", "label": "Storm", "kind": "weather"}])})
    result = run_dashboard("validate", str(data), cwd=tmp_path)
    assert result.returncode == 1 and "annotations" in result.stdout and "weather" in result.stdout


# --- the example keeps its words, now in its own settings, content and data ------------------

@site_group
def test_the_example_s_words_are_its_own(site):
    home = (site / "index.html").read_text()
    assert "from the customer’s point of view" in home and "Our strategic purposes</h2>" in home
    assert "2013 boundaries" in (site / "localities/index.html").read_text()
    assert "<dt>Portfolio Holder</dt>" in (site / "purposes/somewhere-to-live/index.html").read_text()
    assert "six tests of data quality" in (site / "about/index.html").read_text()
    assert "six tests" not in (site / "calendar/index.html").read_text()
    theatre = (site / "measures/theatre-tickets-sold/index.html").read_text()
    assert "An outside event (dot-dash vertical line" in theatre and "Event: Theatre closed" in theatre
