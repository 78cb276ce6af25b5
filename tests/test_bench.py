"""The scale benchmark's synthetic council is a valid project (the benchmark itself runs for minutes:
`make bench`)."""

from __future__ import annotations

import json
import sys

from conftest import ROOT, run_dashboard

sys.path.insert(0, str(ROOT / "bench"))
from scale import make_council  # noqa: E402


def test_the_synthetic_council_validates_with_every_kind_of_measure(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    example = len(json.loads((ROOT / "data/measures/datapackage.json").read_text())["resources"])
    added = make_council(folder, example + 11)
    assert added == 11
    resources = json.loads((folder / "data/synthetic/datapackage.json").read_text())["resources"]
    assert sum("target" in r["dashboard"] for r in resources) == 5            # 40 %, of 11
    assert sum("annotations" in r["dashboard"] for r in resources) == 2       # 20 %
    assert sum("area" in r["dashboard"] for r in resources) == 2              # 10 %, rounded up
    assert len((folder / "data/synthetic/synthetic-0001.csv").read_text().splitlines()) == 1 + 120 * 13
    checked = run_dashboard("validate", "--settings", "pelicanconf.py", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
