"""Documentation that cannot fall behind the code: settings, problem types, the measure profile."""

import json
import re

from conftest import ROOT
from generator.errors import PROBLEM_TYPES
from generator.settings import SETTINGS


def test_every_setting_is_documented():
    text = (ROOT / "docs/settings.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == [], f"document these settings in docs/settings.md: {missing}"


def test_every_setting_has_help():
    assert all(len(s.help) > 20 for s in SETTINGS)


def test_every_problem_type_is_documented():
    text = (ROOT / "docs/problems.md").read_text()
    assert [code for code in PROBLEM_TYPES if f"`{code}`" not in text] == []


def test_every_problem_type_the_code_raises_is_declared():
    """A literal kebab-case type passed to Problem(...) must be one of ours (or frictionless's)."""
    frictionless_types = {"package-error", "resource-error", "extra-cell"}
    used = set()
    for path in (ROOT / "generator").rglob("*.py"):
        used |= set(re.findall(r'Problem\([^)]*?"([a-z]+(?:-[a-z]+)+)"', path.read_text(), flags=re.S))
    assert used, "the pattern found nothing: update this test"
    assert sorted(used - set(PROBLEM_TYPES) - frictionless_types) == []


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
