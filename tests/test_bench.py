"""The scale benchmark's synthetic council (measures by ward and among comparators, extra spending) is a
valid project (the benchmark itself runs for minutes: `make bench`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from conftest import ROOT, run_dashboard

sys.path.insert(0, str(ROOT / "bench"))
from scale import PeakMemory, make_council  # noqa: E402


def test_the_synthetic_council_validates_with_every_kind_of_measure(tmp_path):
    folder = tmp_path / "council"
    folder.mkdir()
    example = len(json.loads((ROOT / "data/measures/datapackage.json").read_text())["resources"])
    added = make_council(folder, example + 11, spending_rows=30)
    assert added == 11
    resources = json.loads((folder / "data/synthetic/datapackage.json").read_text())["resources"]
    assert sum("target" in r["dashboard"] for r in resources) == 5            # 40 %, of 11
    assert sum("annotations" in r["dashboard"] for r in resources) == 2       # 20 %
    assert sum("area" in r["dashboard"] for r in resources) == 3              # 10 % by ward, 10 % compared
    assert sum("comparators" in r["dashboard"] for r in resources) == 1
    assert len((folder / "data/synthetic/synthetic-0006.csv").read_text().splitlines()) == 1 + 120 * 17
    added_spending = folder / "data/spending/spending-2023-24-q4.csv"
    assert len(added_spending.read_text().splitlines()) == 1 + 30
    assert len((folder / "data/synthetic/synthetic-0001.csv").read_text().splitlines()) == 1 + 120 * 13
    checked = run_dashboard("validate", "--settings", "pelicanconf.py", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_memory_counts_a_child_running_its_own_program_but_not_a_copy_of_its_parent():
    """A child between fork and exec shows all of its parent's memory: counted, a build measured twice."""
    code = ("import os, subprocess, time\n"
            "if os.fork() == 0:\n    time.sleep(60)\n    os._exit(0)\n"
            "subprocess.Popen(['sleep', '60'])\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert parent.stdout.readline() == b"ready\n"
        memory = PeakMemory(parent.pid)
        tree = memory._tree()
        memory.stop()
        commands = sorted(open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0] for pid in tree)
        assert commands == sorted([sys.executable.encode(), b"sleep"])
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def test_the_floor_draws_every_published_spec_as_the_build_does_and_as_vl_convert_comes(tmp_path):
    from scale import floor
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": [{"a": 1}]},
            "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    for name in ("measures/a/a.vl.json", "localities/map.vl.json"):
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text(json.dumps(spec))
    as_built, as_it_comes, count = floor(tmp_path)
    assert count == 2 and as_built > 0 and as_it_comes > 0


def test_a_rebuild_after_a_change_is_sampled_again_after_another_change_and_the_median_reported():
    from scale import sampled
    changes, times = [], iter([(30.0, 100, 90, 1.0), (20.0, 300, 70, 2.0), (25.0, 200, 80, 3.0)])
    median, runs = sampled(lambda: changes.append(len(changes)), lambda: next(times), 3)
    # The median seconds, the highest peaks of any run.
    assert (median, len(runs), changes) == ((25.0, 300, 90, 3.0), 3, [0, 1, 2])


def test_the_charts_drawn_are_every_svg_of_the_site_but_the_themes(tmp_path):
    """The build draws each chart wide and narrow, where the floor draws the published specs once."""
    from scale import drawn_charts
    for name in ("measures/a/a.svg", "measures/a/a.narrow.svg", "localities/map.svg", "theme/images/logo.svg",
                 "measures/a/a.vl.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<svg/>")
    assert drawn_charts(tmp_path) == 3
