"""`dashboard status`: the checklist before a report, aligned for people and JSON for scripts."""

from __future__ import annotations

import json
from importlib import resources

from jsonschema import Draft202012Validator, FormatChecker

from conftest import run_dashboard
from test_signoff import APRIL, project, sign


def status(root, *args: str):
    return run_dashboard("status", *args, cwd=root, env=APRIL)


def test_the_json_checklist_follows_its_documented_schema(tmp_path):
    root = project(tmp_path)
    assert sign(root, "homes").returncode == 0
    result = status(root, "--json")
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    schema = json.loads(resources.files("generator").joinpath("profile/status.schema.json").read_text())
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(made)
    got = {m["measure"]: (m["latest_period"], m["next_due"], m["overdue"], m["commentary_on_latest"],
                          (m["signed_off"] or {}).get("role"), m["signoff_lapsed"]) for m in made["measures"]}
    assert got == {"homes": ("2024-03", "2024-05-30", False, True, "the Head of Housing", False),
                   "repairs": ("2024-03", "2024-05-30", False, True, None, False),
                   "calls": ("2024-03", "2024-05-30", False, False, None, False)}
    assert made["date"] == "2024-04-10"
    assert {m["quality_review_by"] for m in made["measures"]} == {None}
    # The figure changes after its sign-off: the checklist says the sign-off lapsed.
    csv = root / "data/measures/homes.csv"
    csv.write_text(csv.read_text().replace("2024-03,6", "2024-03,9"))
    homes = next(m for m in json.loads(status(root, "--json").stdout)["measures"] if m["measure"] == "homes")
    assert homes["signed_off"] is None and homes["signoff_lapsed"] is True


def test_filters_and_the_plain_table_when_piped(tmp_path):
    root = project(tmp_path)
    only = json.loads(status(root, "--json", "--owner", "HEAD OF").stdout)["measures"]
    assert {m["measure"] for m in only} == {"homes", "repairs", "calls"}        # every owner here is one
    assert json.loads(status(root, "--json", "--purpose", "somewhere-to-live").stdout)["measures"][0]["purposes"] \
        == ["somewhere-to-live"]
    assert status(root, "--service", "nowhere").returncode == 2
    piped = status(root)
    assert piped.returncode == 0
    lines = piped.stdout.splitlines()
    assert lines[0].split() == ["Measure", "Owner", "Latest", "Next", "due", "Commentary", "Signed", "off", "Revisions",
                                 "Quality", "review"]
    assert "\x1b[" not in piped.stdout and "┃" not in piped.stdout            # no colour, no box, when piped
    assert lines[-1] == "3 measure(s); 0 overdue; 2 strategic without a sign-off of their latest figure."
