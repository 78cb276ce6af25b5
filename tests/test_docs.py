"""Documentation that cannot fall behind the code: settings, problem types, the measure profile."""

import ast
import json
import re

import pytest

from conftest import ROOT
from generator.problems import DECLARED, OVERDUE, PERIOD_FORMAT, Problem, Report
from generator.settings import SETTINGS


def test_every_setting_is_documented():
    text = (ROOT / "docs/settings.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == [], f"document these settings in docs/settings.md: {missing}"


def test_every_setting_has_help():
    assert all(len(s.help) > 20 for s in SETTINGS)


def test_every_problem_type_is_documented_with_its_severity():
    text = (ROOT / "docs/problems.md").read_text()
    missing = [t.code for t in DECLARED.values()
               if f"| `{t.code}` | {t.severity.value} | {t.title} |" not in text]
    assert missing == [], f"document these problem types in docs/problems.md: {missing}"


def _calls(name: str) -> list[str]:
    """Every place under generator/ that calls `name(...)`, as path:line."""
    found = []
    for path in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == name:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_problem_types_are_declared_once_in_problems_py():
    """Call sites name a declared constant: none builds a Problem or a ProblemType of its own."""
    assert [c for c in _calls("ProblemType") + _calls("_declare") + _calls("_importer") + _calls("Problem")
            if not c.startswith("generator/problems.py:")] == []
    with pytest.raises(TypeError):
        Problem("data/x.csv", 2, "value", "made-up-type", "A type nobody declared")


def test_every_declared_problem_type_is_reported_somewhere():
    """A declared type that nothing raises is stale documentation."""
    code = "\n".join(p.read_text() for p in (ROOT / "generator").rglob("*.py") if p.name != "problems.py")
    unused = [t.code for t in DECLARED.values() if not re.search(rf"\b{t.code.upper().replace('-', '_')}\b", code)]
    assert unused == []


def test_severity_belongs_to_the_type_and_strict_reads_warnings_as_errors():
    warning = OVERDUE("data/m.csv", None, None, "Late")
    error = PERIOD_FORMAT("data/m.csv", 3, "period", "Bad")
    assert warning.warning and not error.warning
    relaxed, strict = Report((warning, error)), Report((warning, error), strict=True)
    assert relaxed.errors == [error] and relaxed.warnings == [warning]
    assert strict.errors == [error, warning] and strict.warnings == [] and not strict.ok
    assert relaxed.lines() == ["data/m.csv:3:period: [period-format] Bad", "data/m.csv: [warning:overdue] Late"]
    assert strict.lines()[1] == "data/m.csv: [overdue] Late"


def test_every_profile_property_is_in_the_data_model_table():
    schema = json.loads((ROOT / "generator/profile/dashboard-measure.schema.json").read_text())
    text = (ROOT / "docs/data-model.md").read_text()
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", text, flags=re.M)}
    assert set(schema["properties"]) <= rows
    assert set(schema["properties"]["annotations"]["items"]["properties"]) <= rows
    for name in schema["required"]:
        assert re.search(rf"^\| `{name}` \|.*\| yes \|", text, flags=re.M), name


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    head = text[:1500]
    assert "make html" in head and "make test" in head
    assert "make serve" in text and "dashboard validate" in text and "dashboard build" in text


def test_every_spending_column_and_heading_alias_is_documented():
    from generator.domain.spending import BUDGET_COLUMNS, SPENDING_COLUMNS
    text = (ROOT / "docs/finance.md").read_text()
    for column in SPENDING_COLUMNS + BUDGET_COLUMNS:
        assert f"| `{column.name}` |" in text, column.name
        for alias in column.aliases:
            assert alias in text, (column.name, alias)


def test_every_package_profile_property_is_in_its_data_model_table():
    schema = json.loads((ROOT / "generator/profile/dashboard-package.schema.json").read_text())
    text = (ROOT / "docs/data-model.md").read_text()
    section = text[text.index("### The package's `dashboard` property"):]
    table = section[:section.index("\n\n", section.index("| property |"))]
    rows = {m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", table, flags=re.M)}
    assert rows and set(schema["properties"]) == rows


@pytest.mark.xdist_group("site")
def test_the_officers_guide_is_one_text_in_the_docs_and_on_the_site(site):
    """docs/officers.md is the guide the tool ships (generator/help/updating.md), so the two never differ;
    the site renders it at /help/updating/ with its sections as headings."""
    assert (ROOT / "docs/officers.md").resolve() == (ROOT / "generator/help/updating.md").resolve()
    page = (site / "help/updating/index.html").read_text(encoding="utf-8")
    assert "<h1>Keeping the Dashboard up to date</h1>" in page
    for section in ("Adding a figure", "Using Excel", "Signing off", "Writing commentary that helps residents",
                    "Reading a validation message"):
        assert f">{section}</h2>" in page, section
