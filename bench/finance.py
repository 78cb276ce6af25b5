"""Benchmark: the spending importer on the real Oxford files, and the build time finance adds.

    .venv/bin/python bench/finance.py [--runs 3]

Prints the import rate (payments per second, reading and writing in-process, median of runs;
and the whole `dashboard import` command once) and the warm build time of the example site
with and without its spending package (charts cached in both, so the difference is finance).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.importers.spending import aliases, read_export, write_package  # noqa: E402
from generator.settings import Settings  # noqa: E402

OXFORD = ROOT / "tests/fixtures/oxford-spending"     # the council's real exports (tests/fixtures/PROVENANCE.md)


def import_once(target: Path) -> tuple[float, int]:
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    table = aliases()
    imports = [read_export(f, table, personal=Settings().personal_data_rules)
               for f in sorted(OXFORD.glob("*.csv"))]
    write_package(target, imports, "spending")
    return time.perf_counter() - started, sum(len(i.rows) for i in imports)


def build(project: Path, output: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--output", str(output)], cwd=project,
                   check=True, capture_output=True)
    return time.perf_counter() - started


def project_copy(tmp: Path, with_finance: bool) -> Path:
    project = tmp / ("with" if with_finance else "without")
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    for folder in ("content", "data"):
        shutil.copytree(ROOT / folder, project / folder)
    if not with_finance:
        shutil.rmtree(project / "data/spending")
    # Reuse the repository's chart cache so both builds only draw what finance adds.
    (project / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)
    return project


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        times = [import_once(tmp / "spending") for _ in range(runs)]
        seconds = statistics.median(t for t, _ in times)
        rows = times[0][1]
        print(f"import (in-process): {rows:,} payments from {len(list(OXFORD.glob('*.csv')))} Oxford files "
              f"in {seconds:.2f} s median of {runs}: {rows / seconds:,.0f} payments/s")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator.cli", "import", "spending", *map(str, sorted(OXFORD.glob("*.csv"))),
                        "--into", str(tmp / "cli-spending")], check=True, capture_output=True, cwd=tmp)
        whole = time.perf_counter() - started
        print(f"import (the whole command, with Python start-up): {whole:.2f} s, {rows / whole:,.0f} payments/s")
        for with_finance in (False, True):
            project = project_copy(tmp, with_finance)
            build(project, project / "output")          # warm the cache for this project's charts
            timings = [build(project, project / "output") for _ in range(runs)]
            pages = sum(1 for _ in (project / "output").rglob("*.html"))
            print(f"warm build {'with' if with_finance else 'without'} finance: median {statistics.median(timings):.2f} s "
                  f"{[round(t, 2) for t in timings]}, {pages} HTML pages")


if __name__ == "__main__":
    main()
